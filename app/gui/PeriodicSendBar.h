#pragma once

#include "compose/SavedMessage.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace wst {

class ComposerWidget;
class PeriodicSender;

// The composer's periodic send: "Repeat every [500 ms], [100] times [Start]"; while a run goes
// on, "Sending every 500 ms · 12 of 100 sent [Stop]" in its place; when it ends on its own
// (the count reached, the connection closed, a variable gone), why, until dismissed.
class PeriodicSendBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    PeriodicSendBar(PeriodicSender *sender, ComposerWidget *composer, QWidget *parent = nullptr);

    int intervalMs() const;
    void setIntervalMs(int ms);
    int count() const; // 0: until stopped
    void setCount(int count);

    // Starts with what the composer holds. Returns false with the reason shown inline.
    bool startFromComposer();
    // Starts with a saved message, with the interval and count of the bar.
    bool start(const SavedMessage &message);
    void stop();

    QString indicatorText() const;
    QString errorText() const;

private:
    void showRunning();
    void showIdle(const QString &message, bool error);
    void updateProgress();

    PeriodicSender *m_sender = nullptr;
    ComposerWidget *m_composer = nullptr;
    QStackedWidget *m_stack = nullptr;
    QSpinBox *m_interval = nullptr;
    QSpinBox *m_count = nullptr;
    QPushButton *m_startButton = nullptr;
    QLabel *m_indicator = nullptr;
    QPushButton *m_stopButton = nullptr;
    QLabel *m_message = nullptr;
    QToolButton *m_dismissButton = nullptr;
};

} // namespace wst
