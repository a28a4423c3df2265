#include "ChartsPanel.h"

#include "GuiHelpers.h"
#include "Theme.h"
#include "messages/StreamSampler.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace wst {

namespace {

constexpr double KiB = 1024.0;
constexpr double MiB = 1024.0 * 1024.0;

// Every y axis has this many ticks: five intervals. A change of the tick count lays the chart
// out once more than a change of range alone, so only the range changes.
constexpr int YTicks = 6;

// The smallest step of the form 1, 2, 2.5 or 5 times a power of ten of at least raw.
double niceStep(double raw)
{
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : { 1.0, 2.0, 2.5, 5.0 }) {
        if (factor * power >= raw * (1 - 1e-12))
            return factor * power;
    }
    return 10.0 * power;
}

void setRangeIfChanged(QValueAxis *axis, double min, double max)
{
    if (axis->min() != min || axis->max() != max)
        axis->setRange(min, max);
}

// Sets an axis to round ticks around [low, high], but only when it must change: the data no
// longer fits, or fills less than 40 % of the range. In a steady stream the axis keeps its range
// and labels, and Qt Charts does not lay the labels out again each second (that relayout was
// most of an update's cost).
void fitAxis(QValueAxis *axis, double low, double high, bool fromZero)
{
    if (!std::isfinite(low) || !std::isfinite(high)) // e.g. a JSON number too big for a double
        return;
    if (fromZero && high <= 0) { // nothing yet, or nothing left in the span: as at the start
        setRangeIfChanged(axis, 0, 1);
        return;
    }
    if (!(high > low)) { // one value (only where the axis is not from 0): a range around it
        const double pad = std::max(std::abs(high) * 0.05, 1.0);
        low -= pad;
        high += pad;
    }
    const double min = axis->min();
    const double max = axis->max();
    if (low >= min && high <= max && (high - low) >= 0.4 * (max - min) && (!fromZero || min == 0))
        return;
    // A new range leaves 5 % of room above (and below) the data, so that a rate that settles on a
    // round number does not change the axis each time it wobbles up.
    const double room = (high - low) * 0.05;
    const double top = high + room;
    const double bottom = fromZero ? 0.0 : low - room;
    double step = niceStep((top - bottom) / (YTicks - 1));
    double niceMin = fromZero ? 0.0 : std::floor(bottom / step) * step;
    while (niceMin + step * (YTicks - 1) < top) { // the floor took the range below the data
        step = niceStep(step * 1.01);
        niceMin = fromZero ? 0.0 : std::floor(bottom / step) * step;
    }
    axis->setRange(niceMin, niceMin + step * (YTicks - 1));
}

} // namespace

ChartsPanel::ChartsPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("chartsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    m_spanLabel = new QLabel(this);
    m_span = new QComboBox(this);
    for (int seconds : { 60, 300, 600 })
        m_span->addItem(QString(), seconds);
    m_span->setCurrentIndex(0);
    m_spanLabel->setBuddy(m_span);
    m_pathLabel = new QLabel(this);
    m_pathEdit = new QLineEdit(this);
    m_pathEdit->setClearButtonEnabled(true);
    m_pathLabel->setBuddy(m_pathEdit);
    top->addWidget(m_spanLabel);
    top->addWidget(m_span);
    top->addSpacing(12);
    top->addWidget(m_pathLabel);
    top->addWidget(m_pathEdit, 1);
    layout->addLayout(top);
    m_pathError = gui::makeErrorLabel(QStringLiteral("chartsPathError"), this);
    layout->addWidget(m_pathError);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("chartsNote"));
    // One plain line whose place stays when it is hidden: its counts change every second, and a
    // note that appeared, wrapped or grew would resize and lay out all four charts again (a
    // selectable label would also lay its text out as a document on each paint). The whole text
    // is in the tooltip when the panel is too narrow for it.
    m_note->setTextFormat(Qt::PlainText);
    QSizePolicy notePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    notePolicy.setRetainSizeWhenHidden(true);
    m_note->setSizePolicy(notePolicy);
    layout->addWidget(m_note);

    m_grid = new QGridLayout;
    m_grid->setSpacing(2);
    layout->addLayout(m_grid, 1);

    Plot messages = makePlot(QStringLiteral("messagesChart"));
    m_messagesIn = addSeries(messages, QStringLiteral("messagesInSeries"));
    m_messagesOut = addSeries(messages, QStringLiteral("messagesOutSeries"));
    Plot bytes = makePlot(QStringLiteral("bytesChart"));
    m_bytesIn = addSeries(bytes, QStringLiteral("bytesInSeries"));
    m_bytesOut = addSeries(bytes, QStringLiteral("bytesOutSeries"));
    Plot rtt = makePlot(QStringLiteral("rttChart"));
    m_rtt = addSeries(rtt, QStringLiteral("rttSeries"));
    m_rtt->setPointsVisible(true);
    rtt.chart->legend()->hide(); // one series: the title says it
    Plot value = makePlot(QStringLiteral("valueChart"));
    m_value = addSeries(value, QStringLiteral("valueSeries"));
    m_value->setPointsVisible(true);
    value.chart->legend()->hide();
    m_plots = { messages, bytes, rtt, value };
    relayout();

    connect(m_span, &QComboBox::currentIndexChanged, this, &ChartsPanel::refresh);
    connect(m_pathEdit, &QLineEdit::editingFinished, this, &ChartsPanel::applyPath);
    connect(m_pathEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) // the clear button
            applyPath();
    });
    connect(theme::notifier(), &theme::Notifier::changed, this, &ChartsPanel::applyTheme);
    applyTheme();
    retranslateUi();
    refresh();
}

ChartsPanel::~ChartsPanel() = default;

ChartsPanel::Plot ChartsPanel::makePlot(const QString &objectName)
{
    Plot plot;
    plot.chart = new QChart;
    plot.chart->setObjectName(objectName);
    plot.chart->setAnimationOptions(QChart::NoAnimation);
    plot.chart->setBackgroundRoundness(0);
    plot.chart->setMargins(QMargins(2, 2, 2, 2));
    plot.chart->legend()->setAlignment(Qt::AlignTop);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    plot.chart->legend()->setFont(small);
    plot.chart->setTitleFont(font());
    plot.x = new QValueAxis(plot.chart);
    plot.x->setLabelFormat(QStringLiteral("%d s"));
    plot.x->setLabelsFont(small);
    plot.x->setTitleFont(small);
    plot.y = new QValueAxis(plot.chart);
    plot.y->setLabelFormat(QStringLiteral("%.7g"));
    plot.y->setTickCount(YTicks);
    plot.y->setLabelsFont(small);
    plot.y->setTitleFont(small);
    plot.chart->addAxis(plot.x, Qt::AlignBottom);
    plot.chart->addAxis(plot.y, Qt::AlignLeft);
    plot.view = new QChartView(plot.chart, this);
    plot.view->setObjectName(objectName + QStringLiteral("View"));
    plot.view->setRenderHint(QPainter::Antialiasing);
    plot.view->setMinimumSize(200, 150);
    plot.view->setFocusPolicy(Qt::NoFocus);
    return plot;
}

QLineSeries *ChartsPanel::addSeries(Plot &plot, const QString &objectName)
{
    auto *series = new QLineSeries(plot.chart);
    series->setObjectName(objectName);
    plot.chart->addSeries(series);
    series->attachAxis(plot.x);
    series->attachAxis(plot.y);
    return series;
}

void ChartsPanel::setSampler(StreamSampler *sampler)
{
    if (m_sampler == sampler)
        return;
    if (m_sampler)
        m_sampler->disconnect(this);
    m_sampler = sampler;
    if (m_sampler) {
        connect(m_sampler, &StreamSampler::updated, this, [this] {
            if (isVisible())
                refresh();
        });
        m_pathEdit->setText(m_sampler->valuePath());
    } else {
        m_pathEdit->clear();
    }
    gui::setInlineError(m_pathError, QString(), m_pathEdit);
    refresh();
}

int ChartsPanel::spanSeconds() const
{
    return m_span->currentData().toInt();
}

void ChartsPanel::setSpanSeconds(int seconds)
{
    const int index = m_span->findData(seconds);
    if (index >= 0)
        m_span->setCurrentIndex(index);
}

QLineSeries *ChartsPanel::series(const QString &name) const
{
    for (QLineSeries *s : { m_messagesIn, m_messagesOut, m_bytesIn, m_bytesOut, m_rtt, m_value }) {
        if (s->objectName() == name)
            return s;
    }
    return nullptr;
}

QChart *ChartsPanel::chart(int index) const
{
    return index >= 0 && index < m_plots.size() ? m_plots.at(index).chart : nullptr;
}

QString ChartsPanel::valuePathError() const
{
    return m_pathError->isHidden() ? QString() : m_pathError->text();
}

void ChartsPanel::applyPath()
{
    if (!m_sampler)
        return;
    const QString path = m_pathEdit->text().trimmed();
    if (path == m_sampler->valuePath() && m_pathError->isHidden())
        return;
    QString error;
    if (!m_sampler->setValuePath(path, &error)) {
        gui::setInlineError(
            m_pathError, tr("Not a JSON path: %1. Try $.price or $.data[0].value.").arg(error), m_pathEdit);
        return;
    }
    gui::setInlineError(m_pathError, QString(), m_pathEdit);
    m_sampler->refresh();
    retranslateUi(); // the value chart's title names the path
}

void ChartsPanel::refresh()
{
    QElapsedTimer timer;
    timer.start();
    const int span = spanSeconds();
    QList<QPointF> messages[2], bytes[2], rtt, values;
    double maxMessages = 0, maxBytes = 0, maxRtt = 0;
    double minValue = 0, maxValue = 0;
    bool anyValue = false;
    QString note;
    if (m_sampler) {
        const StreamStats::Snapshot &s = m_sampler->snapshot();
        // The second still running is left out while live: drawn, it would dip towards 0.
        const qint64 nowSecond = nowUs() / 1'000'000;
        const qsizetype end = s.buckets.size() - (!s.buckets.isEmpty() && s.endSecond >= nowSecond ? 1 : 0);
        const qsizetype first = std::max<qsizetype>(0, end - span);
        for (int side = 0; side < 2; ++side) {
            messages[side].reserve(end - first);
            bytes[side].reserve(end - first);
        }
        for (qsizetype i = first; i < end; ++i) {
            const StreamStats::Bucket &b = s.buckets.at(i);
            const double x = double(b.second - s.endSecond);
            for (int side = 0; side < 2; ++side) {
                messages[side].append(QPointF(x, double(b.messages[side])));
                bytes[side].append(QPointF(x, double(b.bytes[side])));
                maxMessages = std::max(maxMessages, double(b.messages[side]));
                maxBytes = std::max(maxBytes, double(b.bytes[side]));
            }
            if (b.valueCount > 0) {
                values.append(QPointF(x, b.valueMean()));
                minValue = anyValue ? std::min(minValue, b.valueMin) : b.valueMin;
                maxValue = anyValue ? std::max(maxValue, b.valueMax) : b.valueMax;
                anyValue = true;
            }
        }
        // Time 0 is the end of the last second: a bucket is drawn at its end (x = its second's
        // offset), a round trip at its own time.
        const double endUs = double(s.endSecond + 1) * 1e6;
        for (const StreamStats::RttPoint &p : s.rtt) {
            const double x = (double(p.timeUs) - endUs) / 1e6;
            if (x < -span)
                continue;
            rtt.append(QPointF(x, double(p.rttUs) / 1000.0));
            maxRtt = std::max(maxRtt, double(p.rttUs) / 1000.0);
        }
        if (!s.valuePath.isEmpty() && s.dataMessages > s.payloadsSampled && s.payloadsSampled > 0)
            note = tr("The JSON value is sampled: %L1 of %L2 messages read.")
                       .arg(s.payloadsSampled)
                       .arg(s.dataMessages);
    }
    // Bytes in the unit that keeps the axis' numbers short.
    const double scale = maxBytes >= 10 * MiB ? MiB : maxBytes >= 10 * KiB ? KiB : 1.0;
    if (scale != 1.0) {
        for (QList<QPointF> &list : bytes) {
            for (QPointF &p : list)
                p.setY(p.y() / scale);
        }
    }
    const QString unit = scale == MiB ? tr("MiB/s") : scale == KiB ? tr("KiB/s") : tr("bytes/s");
    if (unit != m_bytesUnit) {
        m_bytesUnit = unit;
        m_plots[1].chart->setTitle(tr("Bytes per second (%1)").arg(unit));
    }
    m_messagesIn->replace(messages[0]);
    m_messagesOut->replace(messages[1]);
    m_bytesIn->replace(bytes[0]);
    m_bytesOut->replace(bytes[1]);
    m_rtt->replace(rtt);
    m_value->replace(values);
    for (const Plot &plot : std::as_const(m_plots))
        setRangeIfChanged(plot.x, -span, 0);
    fitAxis(m_plots[0].y, 0, maxMessages, true);
    fitAxis(m_plots[1].y, 0, maxBytes / scale, true);
    fitAxis(m_plots[2].y, 0, maxRtt, true);
    if (anyValue) {
        fitAxis(m_plots[3].y, minValue, maxValue, false); // it leaves room around the values
    } else {
        setRangeIfChanged(m_plots[3].y, 0, 1);
    }
    if (m_note->text() != note) {
        m_note->setText(note);
        m_note->setToolTip(note);
    }
    if (m_note->isHidden() != note.isEmpty())
        m_note->setVisible(!note.isEmpty());
    m_lastRefreshUs = timer.nsecsElapsed() / 1000;
    ++m_refreshCount;
}

void ChartsPanel::applyTheme()
{
    const QPalette pal = palette();
    const QColor background = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    for (const Plot &plot : std::as_const(m_plots)) {
        plot.chart->setBackgroundBrush(background);
        plot.chart->setTitleBrush(text);
        plot.chart->legend()->setLabelColor(text);
        plot.view->setBackgroundBrush(background);
        for (QValueAxis *axis : { plot.x, plot.y }) {
            axis->setLabelsColor(text);
            axis->setTitleBrush(text);
            // Cosmetic (width 0) pens: a line item with a wider pen computes its stroked outline
            // for every bounding-rect query, and grid lines were half of a chart's paint.
            axis->setGridLinePen(QPen(grid, 0));
            axis->setLinePen(QPen(pal.color(QPalette::Mid), 0));
        }
    }
    const auto pen = [](QLineSeries *series, QColor colour) {
        QPen p(colour);
        p.setWidthF(2.0);
        series->setPen(p);
        series->setColor(colour);
    };
    pen(m_messagesIn, theme::colour(theme::Role::Incoming, pal));
    pen(m_bytesIn, theme::colour(theme::Role::Incoming, pal));
    pen(m_messagesOut, theme::colour(theme::Role::Outgoing, pal));
    pen(m_bytesOut, theme::colour(theme::Role::Outgoing, pal));
    pen(m_rtt, theme::colour(theme::Role::InfoText, pal));
    pen(m_value, theme::colour(theme::Role::JsonNumber, pal));
}

void ChartsPanel::retranslateUi()
{
    m_spanLabel->setText(tr("&Span:"));
    m_span->setItemText(0, tr("Last minute"));
    m_span->setItemText(1, tr("Last 5 minutes"));
    m_span->setItemText(2, tr("Last 10 minutes"));
    gui::describe(m_span, QStringLiteral("chartsSpanCombo"), tr("Time span"),
        tr("How much of the stream the charts show, up to now"));
    m_pathLabel->setText(tr("&JSON value:"));
    m_pathEdit->setPlaceholderText(tr("a number to chart, e.g. $.price"));
    gui::describe(m_pathEdit, QStringLiteral("chartsValuePathEdit"), tr("JSON path to chart"),
        tr("A JSON path to a number in text messages (numbers and numeric strings), charted per second "
           "as its mean; press Enter to apply, empty to stop"));
    m_plots[0].chart->setTitle(tr("Messages per second"));
    m_plots[1].chart->setTitle(tr("Bytes per second"));
    m_plots[2].chart->setTitle(tr("Ping round trip (ms)"));
    const QString path = m_sampler ? m_sampler->valuePath() : QString();
    m_plots[3].chart->setTitle(
        path.isEmpty() ? tr("JSON value (type a path above)") : tr("JSON value %1").arg(path));
    m_messagesIn->setName(tr("Received"));
    m_messagesOut->setName(tr("Sent"));
    m_bytesIn->setName(tr("Received"));
    m_bytesOut->setName(tr("Sent"));
    m_rtt->setName(tr("Round trip (ms)"));
    m_value->setName(tr("Mean per second"));
    m_bytesUnit.clear(); // refresh() names the unit in the bytes chart's title
    const QStringList names { tr("Messages per second chart"), tr("Bytes per second chart"),
        tr("Ping round trip chart"), tr("JSON value chart") };
    for (int i = 0; i < m_plots.size(); ++i) {
        m_plots[i].view->setAccessibleName(names.at(i));
        m_plots[i].view->setToolTip(i == 2
                ? tr("Round trips of the pings sent from this tab, in milliseconds")
                : i == 3 ? tr("The JSON path's value per second (mean of the values read)")
                         : tr("Received and sent, per second"));
    }
    m_note->setAccessibleName(tr("Sampling note"));
}

void ChartsPanel::relayout()
{
    // Four in a row in a wide, low dock; two by two; one above the other in a narrow one.
    const int columns = width() > 2 * height() ? 4 : width() > 520 ? 2 : 1;
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (const Plot &plot : std::as_const(m_plots))
        m_grid->removeWidget(plot.view);
    for (int i = 0; i < m_plots.size(); ++i)
        m_grid->addWidget(m_plots.at(i).view, i / columns, i % columns);
}

void ChartsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        refresh();
    } else if (event->type() == QEvent::PaletteChange) {
        applyTheme();
    }
    QWidget::changeEvent(event);
}

void ChartsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void ChartsPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

} // namespace wst
