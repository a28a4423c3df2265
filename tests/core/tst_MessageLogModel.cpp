#include <QtTest>
class tst_MessageLogModel : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_MessageLogModel)
#include "tst_MessageLogModel.moc"
