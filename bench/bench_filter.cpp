// Filtering a long history: 1,000,000 JSON text rows (about 120 bytes each) in a store, the
// history's filter set to a substring, the same without case, a regular expression, and (when
// the filter understands it) a JSON-path expression. For each: the time until the filter has
// tested every row, the rows it kept, and the worst GUI-thread stall meanwhile. Prints key=value
// lines (medians over --runs runs).
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include "GuiWatch.h"

#include <QCoreApplication>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace wst;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 5;
    qint64 rows = 1000000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--runs"))
            runs = qMax(1, args.at(i + 1).toInt());
        else if (args.at(i) == QLatin1String("--rows"))
            rows = qMax<qint64>(1000, args.at(i + 1).toLongLong());
    }

    auto store = std::make_shared<MessageStore>();
    static const char *const types[] = { "trade", "quote", "heartbeat", "book" };
    for (qint64 i = 0; i < rows; ++i) {
        const QByteArray json = QByteArrayLiteral("{\"type\":\"") + types[i % 4] + "\",\"seq\":"
            + QByteArray::number(i) + ",\"price\":" + QByteArray::number(100 + (i % 997) * 0.25)
            + ",\"symbol\":\"SYM" + QByteArray::number(i % 50) + "\",\"venue\":\"XNAS\",\"level\":\""
            + (i % 1000 == 0 ? "error" : "info") + "\"}";
        store->appendBytes(i % 3 ? Direction::In : Direction::Out, Kind::Text, json, i * 1000);
    }
    MessageLogModel log(store);
    log.setBatchInterval(24 * 3600 * 1000);
    log.publish();

    struct Case
    {
        const char *name;
        QString text;
        bool regex;
        bool caseSensitive;
    };
    const std::vector<Case> cases {
        { "substring", QStringLiteral("\"SYM42\""), false, true },
        { "nocase", QStringLiteral("\"sym42\""), false, false },
        { "regex", QStringLiteral("\"seq\":\\d*77,"), true, true },
        { "json", QStringLiteral("$.level == \"error\""), false, true },
    };
    std::map<std::string, std::vector<double>> results;
    for (int run = 0; run < runs; ++run) {
        for (const Case &c : cases) {
            MessageFilterModel filter;
            filter.setSourceModel(&log);
            filter.setRegularExpression(c.regex);
            filter.setCaseSensitive(c.caseSensitive);
            const bench::Watch w
                = bench::watch([&] { filter.setText(c.text); }, [&] { return !filter.isScanning(); });
            if (!filter.patternError().isEmpty()) {
                std::printf("%s_error=%s\n", c.name, qPrintable(filter.patternError()));
                continue;
            }
            results[std::string(c.name) + "_ms"].push_back(w.totalMs);
            results[std::string(c.name) + "_stall_ms"].push_back(w.stallMs);
            results[std::string(c.name) + "_rows"].push_back(filter.rowCount());
        }
    }
    std::printf("rows=%lld runs=%d\n", static_cast<long long>(rows), runs);
    for (const auto &[key, values] : results) {
        std::printf("%s=%.1f  (runs:", key.c_str(), bench::median(values));
        for (double v : values)
            std::printf(" %.1f", v);
        std::printf(")\n");
    }
    return 0;
}
