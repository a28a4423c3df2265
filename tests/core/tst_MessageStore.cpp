#include <QtTest>
class tst_MessageStore : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_MessageStore.moc"
