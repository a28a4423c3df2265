#pragma once

#include "server/FaultPlan.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wst {

// The local server's faults on purpose (a FaultPlan), in the server settings: delay, drop,
// fragments, close or drop the connection, refuse handshakes, corrupt a frame, send slowly, leave
// pings unanswered, and the seed.
// Shows the same plan as `wstester serve --fault` arguments, for a CI script.
class FaultsEditor : public QGroupBox
{
    Q_OBJECT
public:
    explicit FaultsEditor(QWidget *parent = nullptr);

    void setPlan(const FaultPlan &plan);
    FaultPlan plan() const;

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    enum When { Never, OnConnect, AfterMessages, AfterTime };
    static constexpr int DefaultMessages = 3;
    static constexpr int DefaultMs = 1000;
    void retranslateUi();
    void updateEnabled();
    void updateSpecs(bool edited = true);
    static void setTrigger(QComboBox *when, QSpinBox *count, bool on, const FaultPlan::Trigger &t);
    static FaultPlan::Trigger trigger(const QComboBox *when, const QSpinBox *count);

    QSpinBox *m_delay = nullptr;
    QSpinBox *m_jitter = nullptr;
    QSpinBox *m_drop = nullptr;
    QSpinBox *m_fragments = nullptr;
    QComboBox *m_closeWhen = nullptr;
    QSpinBox *m_closeAfter = nullptr;
    QSpinBox *m_closeCode = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QComboBox *m_abortWhen = nullptr;
    QSpinBox *m_abortAfter = nullptr;
    QComboBox *m_stopWhen = nullptr;
    QSpinBox *m_stopAfter = nullptr;
    QSpinBox *m_refuseCount = nullptr;
    QSpinBox *m_refuseStatus = nullptr;
    QComboBox *m_corrupt = nullptr;
    QSpinBox *m_corruptAt = nullptr;
    QSpinBox *m_slow = nullptr;
    QCheckBox *m_ignorePings = nullptr;
    QSpinBox *m_seed = nullptr;
    QLineEdit *m_specs = nullptr;
    QList<QLabel *> m_labels;
    bool m_loading = false;
};

} // namespace wst
