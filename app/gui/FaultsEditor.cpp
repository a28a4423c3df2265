#include "FaultsEditor.h"

#include "GuiHelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <limits>

namespace wst {

using gui::describe;

namespace {

QSpinBox *spin(QWidget *parent, const char *name, int min, int max)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(QLatin1StringView(name));
    box->setRange(min, max);
    box->setGroupSeparatorShown(true);
    return box;
}

QComboBox *whenCombo(QWidget *parent, const char *name)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QLatin1StringView(name));
    for (int i = 0; i < 4; ++i)
        combo->addItem(QString()); // named in retranslateUi()
    return combo;
}

} // namespace

FaultsEditor::FaultsEditor(QWidget *parent)
    : QGroupBox(parent)
{
    setObjectName(QStringLiteral("serverFaultsBox"));
    m_delay = spin(this, "faultDelaySpin", 0, FaultPlan::MaxDelayMs);
    m_delay->setSingleStep(50);
    m_jitter = spin(this, "faultJitterSpin", 0, FaultPlan::MaxDelayMs);
    m_jitter->setSingleStep(10);
    m_drop = spin(this, "faultDropSpin", 0, 100);
    m_fragments = spin(this, "faultFragmentsSpin", 1, FaultPlan::MaxFragments);
    m_closeWhen = whenCombo(this, "faultCloseWhenCombo");
    m_closeAfter = spin(this, "faultCloseAfterSpin", 1, FaultPlan::MaxCount);
    m_closeAfter->setValue(DefaultMessages);
    m_closeCode = spin(this, "faultCloseCodeSpin", 1000, 4999);
    m_closeCode->setGroupSeparatorShown(false);
    m_closeReason = new QLineEdit(this);
    m_closeReason->setObjectName(QStringLiteral("faultCloseReasonEdit"));
    m_closeReason->setMaxLength(123);
    m_abortWhen = whenCombo(this, "faultAbortWhenCombo");
    m_abortAfter = spin(this, "faultAbortAfterSpin", 1, FaultPlan::MaxCount);
    m_abortAfter->setValue(DefaultMessages);
    m_stopWhen = whenCombo(this, "faultStopReadingWhenCombo");
    m_stopAfter = spin(this, "faultStopReadingAfterSpin", 1, FaultPlan::MaxCount);
    m_stopAfter->setValue(DefaultMessages);
    m_refuseCount = spin(this, "faultRefuseCountSpin", 0, FaultPlan::MaxCount);
    m_refuseStatus = spin(this, "faultRefuseStatusSpin", 300, 599);
    m_refuseStatus->setGroupSeparatorShown(false);
    m_corrupt = new QComboBox(this);
    m_corrupt->setObjectName(QStringLiteral("faultCorruptCombo"));
    for (int i = 0; i < 4; ++i)
        m_corrupt->addItem(QString());
    m_corruptAt = spin(this, "faultCorruptAtSpin", 1, FaultPlan::MaxCount);
    m_slow = spin(this, "faultSlowSpin", 0, FaultPlan::MaxBytesPerSecond);
    m_slow->setSingleStep(1000);
    m_ignorePings = new QCheckBox(this);
    m_ignorePings->setObjectName(QStringLiteral("faultIgnorePingsCheck"));
    m_seed = spin(this, "faultSeedSpin", 0, std::numeric_limits<int>::max());
    m_seed->setGroupSeparatorShown(false);
    m_specs = new QLineEdit(this);
    m_specs->setObjectName(QStringLiteral("faultSpecsEdit"));
    m_specs->setReadOnly(true);

    auto label = [this](QWidget *buddy) {
        auto *l = new QLabel(this);
        l->setBuddy(buddy);
        m_labels.append(l);
        return l;
    };
    auto *grid = new QGridLayout(this);
    // One labelled cell of the grid: the first control's label, then the controls side by side
    // (those marked labelled get a label of their own before them).
    struct Item
    {
        QWidget *widget;
        int stretch = 0;
        bool labelled = false;
    };
    const auto addCell = [grid, &label](int row, int column, std::initializer_list<Item> items) {
        grid->addWidget(label(items.begin()->widget), row, column);
        auto *line = new QHBoxLayout;
        for (const Item &item : items) {
            if (item.labelled)
                line->addWidget(label(item.widget));
            line->addWidget(item.widget, item.stretch);
        }
        grid->addLayout(line, row, column + 1);
    };
    addCell(0, 0, { { m_delay, 1 }, { m_jitter, 1, true } });
    addCell(0, 2, { { m_drop, 1 }, { m_fragments, 1, true } });
    addCell(1, 0, { { m_closeWhen }, { m_closeAfter, 1 } });
    addCell(1, 2, { { m_closeCode }, { m_closeReason, 1 } });
    addCell(2, 0, { { m_abortWhen }, { m_abortAfter, 1 } });
    addCell(2, 2, { { m_refuseCount, 1 }, { m_refuseStatus, 0, true } });
    addCell(3, 0, { { m_corrupt }, { m_corruptAt, 1 } });
    addCell(3, 2, { { m_seed }, { m_specs, 1 } });
    addCell(4, 0, { { m_stopWhen }, { m_stopAfter, 1 } });
    addCell(4, 2, { { m_slow }, { m_ignorePings, 1 } });
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 2);

    for (QSpinBox *box : { m_delay, m_jitter, m_drop, m_fragments, m_closeAfter, m_closeCode, m_abortAfter,
             m_stopAfter, m_refuseCount, m_refuseStatus, m_corruptAt, m_slow, m_seed })
        connect(box, &QSpinBox::valueChanged, this, [this] { updateSpecs(); });
    connect(m_ignorePings, &QCheckBox::toggled, this, [this] { updateSpecs(); });
    for (QComboBox *combo : { m_closeWhen, m_abortWhen, m_stopWhen, m_corrupt })
        connect(combo, &QComboBox::currentIndexChanged, this, [this] { updateSpecs(); });
    connect(m_closeReason, &QLineEdit::textChanged, this, [this] { updateSpecs(); });
    // A count of messages and a time in ms are different scales: switching starts from a
    // sensible value of the new one.
    for (auto [when, count] : { std::pair { m_closeWhen, m_closeAfter },
             std::pair { m_abortWhen, m_abortAfter }, std::pair { m_stopWhen, m_stopAfter } }) {
        connect(when, &QComboBox::currentIndexChanged, this, [this, count = count](int index) {
            if (m_loading)
                return;
            if (index == AfterMessages)
                count->setValue(DefaultMessages);
            else if (index == AfterTime)
                count->setValue(DefaultMs);
        });
    }

    retranslateUi();
    setPlan({});
}

void FaultsEditor::setTrigger(QComboBox *when, QSpinBox *count, bool on, const FaultPlan::Trigger &t)
{
    if (!on) {
        when->setCurrentIndex(Never);
    } else if (t.ms > 0) {
        when->setCurrentIndex(AfterTime);
        count->setValue(t.ms);
    } else if (t.messages > 0) {
        when->setCurrentIndex(AfterMessages);
        count->setValue(t.messages);
    } else {
        when->setCurrentIndex(OnConnect);
    }
}

FaultPlan::Trigger FaultsEditor::trigger(const QComboBox *when, const QSpinBox *count)
{
    FaultPlan::Trigger t;
    if (when->currentIndex() == AfterMessages)
        t.messages = count->value();
    else if (when->currentIndex() == AfterTime)
        t.ms = count->value();
    return t;
}

void FaultsEditor::setPlan(const FaultPlan &plan)
{
    m_loading = true; // a plan set from outside is no edit
    m_delay->setValue(plan.delayMs);
    m_jitter->setValue(plan.jitterMs);
    m_drop->setValue(plan.dropPercent);
    m_fragments->setValue(qMax(1, plan.fragments));
    setTrigger(m_closeWhen, m_closeAfter, plan.closeCode != 0, plan.closeAfter);
    m_closeCode->setValue(plan.closeCode != 0 ? plan.closeCode : FaultPlan::DefaultCloseCode);
    m_closeReason->setText(plan.closeReason);
    setTrigger(m_abortWhen, m_abortAfter, plan.abort, plan.abortAfter);
    setTrigger(m_stopWhen, m_stopAfter, plan.stopReading, plan.stopReadingAfter);
    m_refuseCount->setValue(plan.refuseCount);
    m_refuseStatus->setValue(plan.refuseStatus);
    m_corrupt->setCurrentIndex(int(plan.corrupt));
    m_corruptAt->setValue(plan.corruptAt);
    m_slow->setValue(plan.slowBytesPerSecond);
    m_ignorePings->setChecked(plan.ignorePings);
    m_seed->setValue(int(qMin<quint32>(plan.seed, quint32(std::numeric_limits<int>::max()))));
    m_loading = false;
    updateSpecs(false);
}

FaultPlan FaultsEditor::plan() const
{
    FaultPlan plan;
    plan.delayMs = m_delay->value();
    plan.jitterMs = m_jitter->value();
    plan.dropPercent = m_drop->value();
    plan.fragments = m_fragments->value() > 1 ? m_fragments->value() : 0;
    if (m_closeWhen->currentIndex() != Never) {
        plan.closeCode = m_closeCode->value();
        plan.closeReason = m_closeReason->text();
        plan.closeAfter = trigger(m_closeWhen, m_closeAfter);
    }
    plan.abort = m_abortWhen->currentIndex() != Never;
    if (plan.abort)
        plan.abortAfter = trigger(m_abortWhen, m_abortAfter);
    plan.stopReading = m_stopWhen->currentIndex() != Never;
    if (plan.stopReading)
        plan.stopReadingAfter = trigger(m_stopWhen, m_stopAfter);
    plan.refuseCount = m_refuseCount->value();
    plan.refuseStatus = m_refuseStatus->value();
    plan.corrupt = FaultPlan::Corruption(m_corrupt->currentIndex());
    plan.corruptAt = m_corruptAt->value();
    plan.slowBytesPerSecond = m_slow->value();
    plan.ignorePings = m_ignorePings->isChecked();
    plan.seed = quint32(m_seed->value());
    return plan;
}

void FaultsEditor::updateEnabled()
{
    for (auto [when, count] : { std::pair { m_closeWhen, m_closeAfter },
             std::pair { m_abortWhen, m_abortAfter }, std::pair { m_stopWhen, m_stopAfter } }) {
        const int index = when->currentIndex();
        count->setEnabled(index == AfterMessages || index == AfterTime);
        count->setSuffix(index == AfterTime ? tr(" ms") : tr(" messages"));
    }
    m_closeCode->setEnabled(m_closeWhen->currentIndex() != Never);
    m_closeReason->setEnabled(m_closeWhen->currentIndex() != Never);
    m_jitter->setEnabled(true);
    m_corruptAt->setEnabled(m_corrupt->currentIndex() != 0);
}

void FaultsEditor::updateSpecs(bool edited)
{
    if (m_loading)
        return;
    updateEnabled();
    const FaultPlan current = plan();
    const QStringList specs = current.toSpecs();
    QStringList args;
    for (const QString &spec : specs)
        args.append(QStringLiteral("--fault '%1'").arg(spec));
    m_specs->setText(args.join(QLatin1Char(' ')));
    if (edited)
        Q_EMIT changed();
}

void FaultsEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QGroupBox::changeEvent(event);
}

void FaultsEditor::retranslateUi()
{
    setTitle(tr("Faults (for testing clients)"));
    const QStringList labels { tr("Dela&y:"), tr("\u00b1"), tr("Drop:"), tr("Frames:"), tr("Clos&e:"),
        tr("Code:"), tr("Drop connection:"), tr("Refuse ne&xt:"), tr("with"), tr("Corrupt:"), tr("Seed:"),
        tr("Stop reading:"), tr("Send slowly:") };
    for (int i = 0; i < m_labels.size() && i < labels.size(); ++i)
        m_labels.at(i)->setText(labels.at(i));
    describe(m_delay, m_delay->objectName(), tr("Delay every message"),
        tr("Every message the server sends waits this long first; the order is kept. 0: no delay."));
    m_delay->setSuffix(tr(" ms"));
    m_delay->setSpecialValueText(tr("none"));
    describe(m_jitter, m_jitter->objectName(), tr("Delay jitter"),
        tr("Each delay is longer or shorter by up to this much, at random (see the seed)."));
    m_jitter->setSuffix(tr(" ms"));
    describe(m_drop, m_drop->objectName(), tr("Drop messages"),
        tr("This share of the messages the server sends is dropped: recorded as dropped, never sent."));
    m_drop->setSuffix(tr(" %"));
    describe(m_fragments, m_fragments->objectName(), tr("Frames per message"),
        tr("Send each message split into this many frames (continuation frames). 1: one frame."));
    m_fragments->setSpecialValueText(tr("one"));
    const QStringList whens { tr("never"), tr("on connect"), tr("after messages"), tr("after a time") };
    for (QComboBox *combo : { m_closeWhen, m_abortWhen, m_stopWhen }) {
        for (int i = 0; i < whens.size(); ++i)
            combo->setItemText(i, whens.at(i));
    }
    describe(m_closeWhen, m_closeWhen->objectName(), tr("Close each client"),
        tr("Close each client with the code and reason: right after its handshake, after so many messages "
           "sent to it, or so many milliseconds after it connected."));
    describe(m_closeAfter, m_closeAfter->objectName(), tr("Close after"),
        tr("How many messages, or milliseconds, before the close."));
    describe(m_closeCode, m_closeCode->objectName(), tr("Fault close code"),
        tr("The close code sent: 1000-1003, 1007-1014 or 3000-4999."));
    describe(m_closeReason, m_closeReason->objectName(), tr("Fault close reason"),
        tr("The close reason sent (at most 123 bytes)."));
    m_closeReason->setPlaceholderText(tr("no reason"));
    describe(m_abortWhen, m_abortWhen->objectName(), tr("Drop the connection"),
        tr("Drop each client's TCP connection without a Close frame, as a network failure would."));
    describe(m_abortAfter, m_abortAfter->objectName(), tr("Drop the connection after"),
        tr("How many messages, or milliseconds, before the connection is dropped."));
    describe(m_stopWhen, m_stopWhen->objectName(), tr("Stop reading"),
        tr("Stop reading what each client sends, so that the server's and then the client's buffers fill "
           "(a server that hangs). Its pings go unanswered too."));
    describe(m_stopAfter, m_stopAfter->objectName(), tr("Stop reading after"),
        tr("How many messages, or milliseconds, before the server stops reading."));
    describe(m_refuseCount, m_refuseCount->objectName(), tr("Refuse handshakes"),
        tr("Refuse this many handshakes after the server starts, with the HTTP status; the ones after "
           "are accepted. 0: none."));
    m_refuseCount->setSpecialValueText(tr("none"));
    describe(m_refuseStatus, m_refuseStatus->objectName(), tr("Refusal status"),
        tr("The HTTP status of a refused handshake, e.g. 503 or 429."));
    const QStringList corruptions { tr("nothing"), tr("invalid UTF-8"), tr("reserved opcode"),
        tr("RSV bits") };
    for (int i = 0; i < corruptions.size(); ++i)
        m_corrupt->setItemText(i, corruptions.at(i));
    describe(m_corrupt, m_corrupt->objectName(), tr("Corrupt a frame"),
        tr("Send one message to each client as a broken frame: text with invalid UTF-8, opcode 3 "
           "(reserved), or RSV1-3 set. A client should close with 1007 or 1002."));
    describe(m_corruptAt, m_corruptAt->objectName(), tr("Message to corrupt"),
        tr("Which message to each client is sent broken (1: the first)."));
    m_corruptAt->setPrefix(tr("message "));
    describe(m_slow, m_slow->objectName(), tr("Send slowly"),
        tr("Send to each client at most this many bytes a second, the handshake's answer excepted "
           "(a slow network). 0: as fast as the client takes them."));
    m_slow->setSuffix(tr(" bytes/s"));
    m_slow->setSpecialValueText(tr("full speed"));
    describe(m_ignorePings, m_ignorePings->objectName(), tr("Leave pings unanswered"),
        tr("The clients' pings get no pong, as from a server that hangs; everything else is answered. "
           "A client's keep-alive should notice."));
    m_ignorePings->setText(tr("Leave pings unanswered"));
    describe(m_seed, m_seed->objectName(), tr("Random seed"),
        tr("The seed of the drops and the jitter, so that a run can be made again. 0: a new one each "
           "start (the history names it)."));
    m_seed->setSpecialValueText(tr("random"));
    describe(m_specs, m_specs->objectName(), tr("Faults as command-line options"),
        tr("The same faults for wstester serve, e.g. in a CI script."));
    m_specs->setPlaceholderText(tr("no faults"));
    updateEnabled();
}

} // namespace wst
