#include <QtTest>
class tst_ClientConnection : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_ClientConnection)
#include "tst_ClientConnection.moc"
