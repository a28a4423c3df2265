#include <QtTest>
class tst_ConnectCommand : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_ConnectCommand)
#include "tst_ConnectCommand.moc"
