// Reading a big message: how long the GUI thread is blocked when a 10 MB JSON message is
// selected in the history, shown as a tree, searched, and its tree expanded. A 5 ms timer on the
// GUI thread measures the worst gap (stall) from each action until its result is on screen; the
// synchronous call itself is timed too. Prints key=value lines (medians over --runs runs).
#include "DetailPane.h"
#include "FindBar.h"
#include "HistoryPane.h"
#include "HistoryView.h"
#include "JsonTreeView.h"
#include "format/JsonTreeModel.h"
#include "messages/MessageLogModel.h"
#include "messages/MessageStore.h"

#include "GuiWatch.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

using namespace wst;
using bench::median;
using bench::watch;
using bench::Watch;

namespace {

QByteArray bigJson(qsizetype minBytes)
{
    QByteArray s = "[";
    for (int i = 0; s.size() < minBytes; ++i) {
        if (i)
            s += ',';
        s += QStringLiteral("{\"id\":%1,\"name\":\"item %1\",\"tags\":[\"a\",\"b\",\"c\"],"
                            "\"text\":\"lorem ipsum dolor sit amet consectetur adipiscing elit sed do\","
                            "\"price\":%2}")
                 .arg(i)
                 .arg(i * 0.25)
                 .toUtf8();
    }
    return s + ']';
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int runs = 5;
    qsizetype bytes = 10 * 1000 * 1000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--runs"))
            runs = qMax(1, args.at(i + 1).toInt());
        else if (args.at(i) == QLatin1String("--bytes"))
            bytes = qMax<qsizetype>(1000, args.at(i + 1).toLongLong());
    }

    const QByteArray json = bigJson(bytes);
    std::map<std::string, std::vector<double>> results;
    for (int run = 0; run < runs; ++run) {
        auto store = std::make_shared<MessageStore>();
        MessageLogModel log(store);
        log.setBatchInterval(24 * 3600 * 1000);
        store->appendText(Direction::In, Kind::Text, QStringLiteral("small"), 1000);
        store->appendBytes(Direction::In, Kind::Text, json, 2000);
        log.publish();
        HistoryPane pane;
        pane.setLogModel(&log);
        pane.resize(1200, 800);
        pane.show();
        QCoreApplication::processEvents();
        DetailPane *detail = pane.detailPane();
        FindBar *find = detail->findBar();
        QSignalSpy shown(detail, &DetailPane::contentShown);
        QSignalSpy searched(find, &FindBar::searched);

        const auto record = [&results](const char *name, const Watch &w) {
            results[std::string(name) + "_call_ms"].push_back(w.callMs);
            results[std::string(name) + "_stall_ms"].push_back(w.stallMs);
            results[std::string(name) + "_total_ms"].push_back(w.totalMs);
        };
        record("select",
            watch(
                [&] {
                    pane.view()->selectionModel()->setCurrentIndex(pane.view()->model()->index(1, 0),
                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                },
                [&] { return shown.size() == 1; }));
        detail->showFind();
        record("find",
            watch(
                [&] {
                    find->lineEdit()->setText(QStringLiteral("\"price\""));
                    QKeyEvent enter(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier);
                    QCoreApplication::sendEvent(find->lineEdit(), &enter); // no pause: Enter
                },
                [&] { return !searched.isEmpty() && !find->isSearching(); }));
        results["find_matches"].push_back(double(find->matchCount()));
        record("tree",
            watch([&] { detail->setMode(DetailPane::Mode::Tree); }, [&] { return shown.size() == 2; }));
        QElapsedTimer expand;
        expand.start();
        detail->treeView()->expandAllNodes();
        QCoreApplication::processEvents();
        results["expand_all_ms"].push_back(double(expand.nsecsElapsed()) / 1e6);
        results["tree_nodes"].push_back(double(detail->treeView()->jsonModel()->nodeCount()));
    }
    for (int run = 0; run < runs; ++run) {
        // The model's own share of showing the tree: opening the root of the 10 MB document.
        JsonTreeModel model;
        QElapsedTimer clock;
        clock.start();
        model.setDocument(json);
        model.rowCount(model.index(0, 0));
        results["tree_model_open_ms"].push_back(double(clock.nsecsElapsed()) / 1e6);
    }
    std::printf("bytes=%lld runs=%d\n", static_cast<long long>(json.size()), runs);
    for (const auto &[key, values] : results) {
        std::printf("%s=%.1f", key.c_str(), median(values));
        std::printf("  (runs:");
        for (double v : values)
            std::printf(" %.1f", v);
        std::printf(")\n");
    }
    return 0;
}
