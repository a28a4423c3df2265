#pragma once

#include "messages/StreamSampler.h"
#include <QDialog>

#include <QPointer>

class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace wst {

// A tab's statistics (View > Statistics…, F8): messages and bytes by kind and direction, the
// message sizes and the times between messages as histograms, and the most frequent values of
// a JSON path the user types. Live (each sampler update) or on Refresh; Copy puts it all on the
// clipboard as text. Not modal: one per tab, beside the window.
class StatisticsDialog : public QDialog
{
    Q_OBJECT
public:
    StatisticsDialog(StreamSampler *sampler, const QString &tabTitle, QWidget *parent = nullptr);
    ~StatisticsDialog() override;

    // The dialog of this sampler among the window's children, made and shown if there is none.
    static StatisticsDialog *showFor(StreamSampler *sampler, const QString &tabTitle, QWidget *window);

    StreamSampler *sampler() const { return m_sampler; }
    // Everything the dialog shows, as plain text (what Copy puts on the clipboard).
    QString text() const;
    bool isLive() const;
    void setLive(bool live);
    // Shows the sampler's latest snapshot.
    void refresh();

protected:
    void changeEvent(QEvent *event) override;

private:
    QChart *makeHistogram(const QString &objectName, QChartView **view, QBarSet **in, QBarSet **out);
    void applyTopPath();
    void applyTheme();
    void retranslateUi();
    void copyText();

    QPointer<StreamSampler> m_sampler;
    QString m_tabTitle;
    QLabel *m_summary = nullptr;
    QTableWidget *m_counts = nullptr;
    QChart *m_sizeChart = nullptr;
    QChart *m_gapChart = nullptr;
    QChartView *m_sizeView = nullptr;
    QChartView *m_gapView = nullptr;
    QBarSet *m_sizeIn = nullptr;
    QBarSet *m_sizeOut = nullptr;
    QBarSet *m_gapIn = nullptr;
    QBarSet *m_gapOut = nullptr;
    QLabel *m_topLabel = nullptr;
    QLineEdit *m_topPath = nullptr;
    QLabel *m_topError = nullptr;
    QLabel *m_topNote = nullptr;
    QTableWidget *m_top = nullptr;
    QCheckBox *m_live = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_close = nullptr;
};

} // namespace wst
