#include <QtTest>
class tst_MqttProtocol : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_MqttProtocol)
#include "tst_MqttProtocol.moc"
