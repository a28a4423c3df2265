#include "RuleActionRow.h"

#include "GuiHelpers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

namespace wst {

using gui::describe;

RuleActionRow::RuleActionRow(int index, int count, const ReplyAction &action, QWidget *parent)
    : QWidget(parent)
    , m_index(index)
    , m_action(action)
    , m_type(new QComboBox(this))
{
    setObjectName(QStringLiteral("actionRow_%1").arg(index));
    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(4);
    auto *number = new QLabel(tr("%1.").arg(index + 1), this);
    number->setMinimumWidth(number->fontMetrics().horizontalAdvance(QStringLiteral("00.")));
    describe(m_type, QStringLiteral("actionTypeCombo_%1").arg(index), tr("Action %1").arg(index + 1),
        tr("What this step does: send a reply, wait, or close the connection"));
    m_type->addItem(tr("Reply"), int(ReplyAction::Type::Reply));
    m_type->addItem(tr("To the others"), int(ReplyAction::Type::Broadcast));
    m_type->addItem(tr("Wait"), int(ReplyAction::Type::Delay));
    m_type->addItem(tr("Close"), int(ReplyAction::Type::Close));
    m_type->setCurrentIndex(m_type->findData(int(action.type)));
    h->addWidget(number);
    h->addWidget(m_type);
    m_focusChain.append(m_type);
    connect(m_type, &QComboBox::currentIndexChanged, this,
        [this] { Q_EMIT typeChanged(ReplyAction::Type(m_type->currentData().toInt())); });

    addFields();

    const auto button = [this](const QString &name, const QString &accessibleName, const QString &toolTip) {
        auto *b = new QToolButton(this);
        describe(b, name.arg(m_index), accessibleName, toolTip);
        b->setAutoRaise(true);
        layout()->addWidget(b);
        m_focusChain.append(b);
        return b;
    };
    auto *up = button(QStringLiteral("moveActionUpButton_%1"), tr("Move action %1 up").arg(index + 1),
        tr("Do this action earlier"));
    up->setArrowType(Qt::UpArrow);
    up->setEnabled(index > 0);
    auto *down = button(QStringLiteral("moveActionDownButton_%1"), tr("Move action %1 down").arg(index + 1),
        tr("Do this action later"));
    down->setArrowType(Qt::DownArrow);
    down->setEnabled(index + 1 < count);
    auto *remove = button(QStringLiteral("removeActionButton_%1"), tr("Remove action %1").arg(index + 1),
        tr("Remove this action"));
    remove->setIcon(gui::icon(QStringLiteral("remove")));
    connect(up, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(-1); });
    connect(down, &QToolButton::clicked, this, [this] { Q_EMIT moveRequested(1); });
    connect(remove, &QToolButton::clicked, this, [this] { Q_EMIT removeRequested(); });
}

void RuleActionRow::addFields()
{
    auto *h = static_cast<QHBoxLayout *>(layout());
    const int i = m_index;
    switch (m_action.type) {
    case ReplyAction::Type::Reply:
    case ReplyAction::Type::Broadcast: {
        const bool reply = m_action.type == ReplyAction::Type::Reply;
        auto *text = new QLineEdit(m_action.text, this);
        describe(text, QStringLiteral("actionTextEdit_%1").arg(i),
            reply ? tr("Reply text of action %1").arg(i + 1)
                  : tr("Text of action %1, sent to every other client").arg(i + 1),
            tr("{{message}} is the message received, {{$.user}} a value in it (a JSON path), {{client}} the "
               "client's id, {{time}} the time"));
        text->setPlaceholderText(
            reply ? tr("reply, e.g. you said {{message}}") : tr("e.g. {{$.user}} joined"));
        h->addWidget(text, 1);
        m_focusChain.append(text);
        connect(text, &QLineEdit::textEdited, this, [this](const QString &value) {
            m_action.text = value;
            Q_EMIT edited(m_action);
        });
        break;
    }
    case ReplyAction::Type::Delay: {
        auto *delay = new QSpinBox(this);
        describe(delay, QStringLiteral("actionDelaySpin_%1").arg(i), tr("Delay of action %1").arg(i + 1),
            tr("How long to wait before the next action"));
        delay->setRange(0, 3600000);
        delay->setSuffix(tr(" ms"));
        delay->setValue(m_action.delayMs);
        delay->setGroupSeparatorShown(true);
        h->addWidget(delay);
        h->addStretch(1);
        m_focusChain.append(delay);
        connect(delay, &QSpinBox::valueChanged, this, [this](int value) {
            m_action.delayMs = value;
            Q_EMIT edited(m_action);
        });
        break;
    }
    case ReplyAction::Type::Close: {
        auto *code = new QSpinBox(this);
        describe(code, QStringLiteral("actionCodeSpin_%1").arg(i), tr("Close code of action %1").arg(i + 1),
            tr("The close code: 1000-1003, 1007-1014 or 3000-4999"));
        code->setRange(0, 65535);
        code->setValue(m_action.closeCode);
        auto *reason = new QLineEdit(m_action.closeReason, this);
        describe(reason, QStringLiteral("actionReasonEdit_%1").arg(i),
            tr("Close reason of action %1").arg(i + 1), tr("Optional reason, at most 123 bytes in UTF-8"));
        reason->setPlaceholderText(tr("reason (optional)"));
        h->addWidget(code);
        h->addWidget(reason, 1);
        m_focusChain.append(code);
        m_focusChain.append(reason);
        connect(code, &QSpinBox::valueChanged, this, [this](int value) {
            m_action.closeCode = value;
            Q_EMIT edited(m_action);
        });
        connect(reason, &QLineEdit::textEdited, this, [this](const QString &value) {
            m_action.closeReason = value;
            Q_EMIT edited(m_action);
        });
        break;
    }
    }
}

} // namespace wst
