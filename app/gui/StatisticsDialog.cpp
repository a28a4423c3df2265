#include "StatisticsDialog.h"

#include "GuiHelpers.h"
#include "Theme.h"
#include "messages/MessageLogModel.h"
#include "messages/StreamSampler.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace wst {

namespace {

constexpr int TopCount = 20;

QString sizeText(quint64 bytes)
{
    if (bytes >= (quint64(1) << 30))
        return QStringLiteral("%1 GiB").arg(bytes >> 30);
    if (bytes >= (quint64(1) << 20))
        return QStringLiteral("%1 MiB").arg(bytes >> 20);
    if (bytes >= 1024)
        return QStringLiteral("%1 KiB").arg(bytes >> 10);
    return QStringLiteral("%1 B").arg(bytes);
}

// Short (at most five characters up to 100 s): the bars' labels have little room.
QString durationText(quint64 us)
{
    if (us >= 10'000'000)
        return QStringLiteral("%1s").arg((us + 500'000) / 1'000'000);
    if (us >= 1'000'000)
        return QStringLiteral("%1s").arg(QLocale().toString(double(us) / 1e6, 'f', 1));
    if (us >= 1000)
        return QStringLiteral("%1ms").arg((us + 500) / 1000);
    return QStringLiteral("%1µs").arg(us);
}

// The buckets worth showing: from the first to the last that holds something in either side.
std::pair<int, int> usedRange(const std::array<std::array<qint64, StreamStats::HistogramBuckets>, 2> &h)
{
    int first = StreamStats::HistogramBuckets, last = -1;
    for (int i = 0; i < StreamStats::HistogramBuckets; ++i) {
        if (h[0][i] || h[1][i]) {
            first = std::min(first, i);
            last = i;
        }
    }
    return { first, last };
}

} // namespace

StatisticsDialog::StatisticsDialog(StreamSampler *sampler, const QString &tabTitle, QWidget *parent)
    : QDialog(parent)
    , m_sampler(sampler)
    , m_tabTitle(tabTitle)
{
    setObjectName(QStringLiteral("statisticsDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("statisticsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto *grid = new QGridLayout;
    m_counts = new QTableWidget(KindCount + 1, 5, this);
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    for (int r = 0; r <= KindCount; ++r) {
        for (int c = 0; c < 5; ++c) {
            auto *item = new QTableWidgetItem;
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_counts->setItem(r, c, item);
        }
    }
    grid->addWidget(m_counts, 0, 0);
    m_sizeChart = makeHistogram(QStringLiteral("sizeHistogram"), &m_sizeView, &m_sizeIn, &m_sizeOut);
    grid->addWidget(m_sizeView, 0, 1);

    auto *topBox = new QVBoxLayout;
    auto *topRow = new QHBoxLayout;
    m_topLabel = new QLabel(this);
    m_topPath = new QLineEdit(this);
    m_topPath->setClearButtonEnabled(true);
    m_topLabel->setBuddy(m_topPath);
    topRow->addWidget(m_topLabel);
    topRow->addWidget(m_topPath, 1);
    topBox->addLayout(topRow);
    m_topError = gui::makeErrorLabel(QStringLiteral("statisticsTopPathError"), this);
    topBox->addWidget(m_topError);
    m_topNote = new QLabel(this);
    m_topNote->setObjectName(QStringLiteral("statisticsTopNote"));
    m_topNote->setWordWrap(true);
    topBox->addWidget(m_topNote);
    m_top = new QTableWidget(0, 3, this);
    m_top->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_top->verticalHeader()->hide();
    m_top->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_top->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_top->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    topBox->addWidget(m_top, 1);
    grid->addLayout(topBox, 1, 0);
    m_gapChart = makeHistogram(QStringLiteral("gapHistogram"), &m_gapView, &m_gapIn, &m_gapOut);
    grid->addWidget(m_gapView, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_live = new QCheckBox(this);
    m_live->setChecked(true);
    m_refresh = buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_copy = buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_live);
    bottom->addWidget(buttons, 1);
    layout->addLayout(bottom);

    connect(m_refresh, &QPushButton::clicked, this, [this] {
        if (m_sampler)
            m_sampler->refresh(); // updated() shows it, live or not
    });
    connect(m_copy, &QPushButton::clicked, this, &StatisticsDialog::copyText);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_topPath, &QLineEdit::editingFinished, this, &StatisticsDialog::applyTopPath);
    connect(m_topPath, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            applyTopPath();
    });
    connect(m_live, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            refresh();
    });
    if (m_sampler) {
        m_topPath->setText(m_sampler->topPath());
        // Refresh asks for an update; its result is shown even when not live.
        connect(m_sampler, &StreamSampler::updated, this, [this] {
            if (isLive() || m_refresh->property("pending").toBool()) {
                m_refresh->setProperty("pending", false);
                refresh();
            }
        });
        connect(m_refresh, &QPushButton::clicked, this, [this] { m_refresh->setProperty("pending", true); });
    }
    connect(theme::notifier(), &theme::Notifier::changed, this, &StatisticsDialog::applyTheme);
    applyTheme();
    retranslateUi();
    refresh();
    resize(1000, 700);
}

StatisticsDialog::~StatisticsDialog() = default;

StatisticsDialog *StatisticsDialog::showFor(StreamSampler *sampler, const QString &tabTitle, QWidget *window)
{
    const QList<StatisticsDialog *> open = window->findChildren<StatisticsDialog *>();
    for (StatisticsDialog *dialog : open) {
        if (dialog->sampler() == sampler) {
            dialog->show();
            dialog->raise();
            dialog->activateWindow();
            return dialog;
        }
    }
    auto *dialog = new StatisticsDialog(sampler, tabTitle, window);
    dialog->show();
    return dialog;
}

QChart *StatisticsDialog::makeHistogram(
    const QString &objectName, QChartView **view, QBarSet **in, QBarSet **out)
{
    auto *chart = new QChart;
    chart->setObjectName(objectName);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setTitleFont(font());
    auto *series = new QBarSeries(chart);
    *in = new QBarSet(QString(), series);
    *out = new QBarSet(QString(), series);
    series->append(*in);
    series->append(*out);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis(chart);
    auto *y = new QValueAxis(chart);
    y->setLabelFormat(QStringLiteral("%.0f"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    x->setLabelsFont(small);
    y->setLabelsFont(small);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    *view = new QChartView(chart, this);
    (*view)->setObjectName(objectName + QStringLiteral("View"));
    (*view)->setRenderHint(QPainter::Antialiasing);
    (*view)->setMinimumSize(320, 240);
    return chart;
}

bool StatisticsDialog::isLive() const
{
    return m_live->isChecked();
}

void StatisticsDialog::setLive(bool live)
{
    m_live->setChecked(live);
}

void StatisticsDialog::applyTopPath()
{
    if (!m_sampler)
        return;
    const QString path = m_topPath->text().trimmed();
    if (path == m_sampler->topPath() && m_topError->isHidden())
        return;
    QString error;
    if (!m_sampler->setTopPath(path, &error)) {
        gui::setInlineError(
            m_topError, tr("Not a JSON path: %1. Try $.type or $.data.symbol.").arg(error), m_topPath);
        return;
    }
    gui::setInlineError(m_topError, QString(), m_topPath);
    m_refresh->setProperty("pending", true);
    m_sampler->refresh();
}

void StatisticsDialog::refresh()
{
    if (!m_sampler) {
        m_summary->setText(tr("The tab of these statistics is closed."));
        return;
    }
    const StreamStats::Snapshot &s = m_sampler->snapshot();
    const StreamStats::Totals &t = s.totals;
    const QLocale locale;
    if (t.rows == 0) {
        m_summary->setText(tr("No messages yet in %1.").arg(m_tabTitle));
    } else {
        const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
        const QString from = QDateTime::fromMSecsSinceEpoch(t.firstTimeUs / 1000).toString(format);
        const QString to = QDateTime::fromMSecsSinceEpoch(t.lastTimeUs / 1000).toString(format);
        QString summary = tr("%1: %Ln rows from %2 to %3.", nullptr, int(std::min<qint64>(t.rows, INT_MAX)))
                              .arg(m_tabTitle, from, to);
        if (s.position < s.storeCount)
            summary
                += QLatin1Char(' ') + tr("Still reading: %L1 of %L2 rows.").arg(s.position).arg(s.storeCount);
        m_summary->setText(summary);
    }
    const int in = int(Direction::In), out = int(Direction::Out), ev = int(Direction::Event);
    qint64 sums[5] = {};
    for (int k = 0; k < KindCount; ++k) {
        const qint64 values[5]
            = { t.count[in][k], t.bytes[in][k], t.count[out][k], t.bytes[out][k], t.count[ev][k] };
        for (int c = 0; c < 5; ++c) {
            m_counts->item(k, c)->setText(locale.toString(values[c]));
            sums[c] += values[c];
        }
    }
    for (int c = 0; c < 5; ++c)
        m_counts->item(KindCount, c)->setText(locale.toString(sums[c]));

    const auto fill = [](const std::array<std::array<qint64, StreamStats::HistogramBuckets>, 2> &h,
                          QChart *chart, QBarSet *inSet, QBarSet *outSet, const auto &label) {
        const auto [first, last] = usedRange(h);
        // At most MaxBars bars: neighbouring log2 buckets are merged (×4, ×8…) so that every
        // label has room upright (Qt Charts cuts a label that does not fit its bar's width).
        constexpr int MaxBars = 8;
        const int used = std::max(0, last - first + 1);
        const int group = std::max(1, (used + MaxBars - 1) / MaxBars);
        QStringList categories;
        QList<qreal> ins, outs;
        qint64 max = 0;
        for (int i = first; i <= last; i += group) {
            qint64 in = 0, out = 0;
            for (int j = i; j < std::min(i + group, last + 1); ++j) {
                in += h[0][j];
                out += h[1][j];
            }
            categories.append(label(StreamStats::histogramFloor(i)));
            ins.append(qreal(in));
            outs.append(qreal(out));
            max = std::max({ max, in, out });
        }
        inSet->remove(0, inSet->count());
        outSet->remove(0, outSet->count());
        inSet->append(ins);
        outSet->append(outs);
        const QList<QAbstractAxis *> xs = chart->axes(Qt::Horizontal);
        if (auto *x = xs.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(xs.first())) {
            x->clear();
            x->append(categories);
        }
        const QList<QAbstractAxis *> ys = chart->axes(Qt::Vertical);
        if (auto *y = ys.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(ys.first())) {
            y->setRange(0, max > 0 ? double(max) : 1.0);
            y->applyNiceNumbers();
        }
    };
    fill(t.sizes, m_sizeChart, m_sizeIn, m_sizeOut, sizeText);
    fill(t.gaps, m_gapChart, m_gapIn, m_gapOut, durationText);

    m_top->setRowCount(int(s.top.size()));
    for (int r = 0; r < s.top.size(); ++r) {
        const StreamStats::TopValue &v = s.top.at(r);
        const QString cells[3] = { v.value, locale.toString(v.count),
            s.topSampled
                ? locale.toString(100.0 * double(v.count) / double(s.topSampled), 'f', 1) + QLatin1Char('%')
                : QString() };
        for (int c = 0; c < 3; ++c) {
            QTableWidgetItem *item = m_top->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                if (c > 0)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_top->setItem(r, c, item);
            }
            item->setText(cells[c]);
        }
    }
    if (s.topPath.isEmpty())
        m_topNote->setText(tr("Type a JSON path to count its values in the text messages."));
    else if (s.topSampled == 0)
        m_topNote->setText(tr("No message has a value at %1 yet.").arg(s.topPath));
    else
        m_topNote->setText(
            tr("%L1 messages with a value at %2 read (when messages arrive faster than they can be read, a "
               "sample of them).")
                .arg(s.topSampled)
                .arg(s.topPath)
            + (s.topDropped ? QLatin1Char(' ')
                        + tr("%L1 values not counted: too many distinct values.").arg(s.topDropped)
                            : QString()));
}

QString StatisticsDialog::text() const
{
    QString out;
    const QChar tab(u'\t');
    const QChar nl(u'\n');
    out += m_summary->text() + nl + nl;
    out += tr("Kind");
    for (int c = 0; c < m_counts->columnCount(); ++c)
        out += tab + m_counts->horizontalHeaderItem(c)->text();
    out += nl;
    for (int r = 0; r < m_counts->rowCount(); ++r) {
        out += m_counts->verticalHeaderItem(r)->text();
        for (int c = 0; c < m_counts->columnCount(); ++c)
            out += tab + m_counts->item(r, c)->text();
        out += nl;
    }
    const auto histogram = [&](QChart *chart, QBarSet *in, QBarSet *outSet) {
        out += nl + chart->title() + nl + tr("From") + tab + in->label() + tab + outSet->label() + nl;
        const QList<QAbstractAxis *> xs = chart->axes(Qt::Horizontal);
        const auto *x = xs.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(xs.first());
        for (int i = 0; x && i < x->count(); ++i)
            out += x->at(i) + tab + QString::number(qint64(in->at(i))) + tab
                + QString::number(qint64(outSet->at(i))) + nl;
    };
    histogram(m_sizeChart, m_sizeIn, m_sizeOut);
    histogram(m_gapChart, m_gapIn, m_gapOut);
    out += nl + m_topNote->text() + nl;
    for (int r = 0; r < m_top->rowCount(); ++r)
        out += m_top->item(r, 0)->text() + tab + m_top->item(r, 1)->text() + tab + m_top->item(r, 2)->text()
            + nl;
    return out;
}

void StatisticsDialog::copyText()
{
    QApplication::clipboard()->setText(text());
}

void StatisticsDialog::applyTheme()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    for (QChart *chart : { m_sizeChart, m_gapChart }) {
        chart->setBackgroundBrush(pal.color(QPalette::Base));
        chart->setTitleBrush(text);
        chart->legend()->setLabelColor(text);
        const QList<QAbstractAxis *> axes = chart->axes();
        for (QAbstractAxis *axis : axes) {
            axis->setLabelsColor(text);
            axis->setTitleBrush(text);
            axis->setGridLineColor(grid);
            axis->setLinePenColor(pal.color(QPalette::Mid));
        }
    }
    for (QChartView *view : { m_sizeView, m_gapView })
        view->setBackgroundBrush(pal.color(QPalette::Base));
    const QColor inColour = theme::colour(theme::Role::Incoming, pal);
    const QColor outColour = theme::colour(theme::Role::Outgoing, pal);
    for (QBarSet *set : { m_sizeIn, m_gapIn }) {
        set->setColor(inColour);
        set->setBorderColor(inColour);
    }
    for (QBarSet *set : { m_sizeOut, m_gapOut }) {
        set->setColor(outColour);
        set->setBorderColor(outColour);
    }
}

void StatisticsDialog::retranslateUi()
{
    setWindowTitle(tr("Statistics — %1").arg(m_tabTitle));
    m_counts->setHorizontalHeaderLabels(
        { tr("Received"), tr("Received bytes"), tr("Sent"), tr("Sent bytes"), tr("Events") });
    QStringList kinds;
    for (int k = 0; k < KindCount; ++k)
        kinds.append(MessageLogModel::kindName(Kind(k)));
    kinds.append(tr("Total"));
    m_counts->setVerticalHeaderLabels(kinds);
    gui::describe(m_counts, QStringLiteral("statisticsCountsTable"), tr("Messages and bytes by kind"),
        tr("Messages and bytes by kind and direction, since the tab began"));
    m_sizeChart->setTitle(tr("Message sizes (text and binary)"));
    m_gapChart->setTitle(tr("Time between messages"));
    for (QBarSet *set : { m_sizeIn, m_gapIn })
        set->setLabel(tr("Received"));
    for (QBarSet *set : { m_sizeOut, m_gapOut })
        set->setLabel(tr("Sent"));
    m_sizeView->setAccessibleName(tr("Message size histogram"));
    m_sizeView->setToolTip(
        tr("How many messages of each size: each bar counts sizes from its label up to the next"));
    m_gapView->setAccessibleName(tr("Inter-arrival time histogram"));
    m_gapView->setToolTip(
        tr("How long each message came after the one before it in the same direction: each bar counts times "
           "from its label up to the next"));
    m_topLabel->setText(tr("&Top values of:"));
    m_topPath->setPlaceholderText(tr("a JSON path, e.g. $.type"));
    gui::describe(m_topPath, QStringLiteral("statisticsTopPathEdit"), tr("JSON path for top values"),
        tr("A JSON path into the text messages; the most frequent values there are listed (press Enter)"));
    m_top->setHorizontalHeaderLabels({ tr("Value"), tr("Count"), tr("Share") });
    gui::describe(m_top, QStringLiteral("statisticsTopTable"), tr("Top values"),
        tr("The most frequent values of the JSON path, with how often they were seen"));
    m_live->setText(tr("&Live"));
    gui::describe(m_live, QStringLiteral("statisticsLiveCheck"), tr("Live"),
        tr("Update the figures as messages arrive; off, they change only on Refresh"));
    m_refresh->setText(tr("&Refresh"));
    gui::describe(m_refresh, QStringLiteral("statisticsRefreshButton"), tr("Refresh"),
        tr("Read the messages that arrived since the last update and show the figures"));
    m_copy->setText(tr("&Copy as Text"));
    gui::describe(m_copy, QStringLiteral("statisticsCopyButton"), tr("Copy as text"),
        tr("Copy every figure of this dialog to the clipboard as tab-separated text"));
    gui::describe(m_close, QStringLiteral("statisticsCloseButton"), tr("Close"), tr("Close the statistics"));
    m_summary->setAccessibleName(tr("Summary"));
    m_topNote->setAccessibleName(tr("Top values note"));
}

void StatisticsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        refresh();
    } else if (event->type() == QEvent::PaletteChange) {
        applyTheme();
    }
    QDialog::changeEvent(event);
}

} // namespace wst
