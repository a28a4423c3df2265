#include <QtTest>
class tst_JsonFormat : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(tst_JsonFormat)
#include "tst_JsonFormat.moc"
