#pragma once

#include "messages/StreamSampler.h"

#include <QPointer>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QLineSeries;
class QValueAxis;

namespace wst {

// Live charts of one tab's stream (View > Charts, F7): messages/s and bytes/s in and out, the
// ping round trips, and a numeric JSON path per second. It draws the snapshots a StreamSampler
// makes on its worker thread: an update here only turns at most a window of per-second
// buckets into points, so the GUI thread's cost stays small during a flood.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(QWidget *parent = nullptr);
    ~ChartsPanel() override;

    // The stream to chart (nullptr: none). The panel does not own it.
    void setSampler(StreamSampler *sampler);
    StreamSampler *sampler() const { return m_sampler; }

    // The seconds shown (60, 300 or 600).
    int spanSeconds() const;
    void setSpanSeconds(int seconds);

    // The series by objectName: messagesInSeries, messagesOutSeries, bytesInSeries,
    // bytesOutSeries, rttSeries, valueSeries.
    QLineSeries *series(const QString &name) const;
    QChart *chart(int index) const;
    QLineEdit *valuePathEdit() const { return m_pathEdit; }
    QString valuePathError() const;

    // Draws the sampler's latest snapshot now (the sampler's updated() does this while shown).
    void refresh();
    // GUI-thread time of the last refresh() and the number of refreshes, for the bench.
    qint64 lastRefreshUs() const { return m_lastRefreshUs; }
    qint64 refreshCount() const { return m_refreshCount; }

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Plot
    {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };
    Plot makePlot(const QString &objectName);
    QLineSeries *addSeries(Plot &plot, const QString &objectName);
    void applyPath();
    void applyTheme();
    void retranslateUi();
    void relayout();

    QPointer<StreamSampler> m_sampler;
    QComboBox *m_span = nullptr;
    QLabel *m_spanLabel = nullptr;
    QLabel *m_pathLabel = nullptr;
    QLineEdit *m_pathEdit = nullptr;
    QLabel *m_pathError = nullptr;
    QLabel *m_note = nullptr;
    QGridLayout *m_grid = nullptr;
    int m_columns = 0;
    QList<Plot> m_plots; // messages, bytes, round trip, value
    QLineSeries *m_messagesIn = nullptr;
    QLineSeries *m_messagesOut = nullptr;
    QLineSeries *m_bytesIn = nullptr;
    QLineSeries *m_bytesOut = nullptr;
    QLineSeries *m_rtt = nullptr;
    QLineSeries *m_value = nullptr;
    QString m_bytesUnit;
    qint64 m_lastRefreshUs = 0;
    qint64 m_refreshCount = 0;
};

} // namespace wst
