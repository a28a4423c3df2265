#include "FilterBar.h"

#include "Theme.h"
#include "messages/MessageFilterModel.h"
#include "messages/MessageLogModel.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QToolButton>

namespace wst {

namespace {

QToolButton *makeToggle(QWidget *parent, const QString &objectName, const QString &text,
    const QString &accessible, const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setText(text);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setAccessibleName(accessible);
    button->setToolTip(tip);
    button->setFocusPolicy(Qt::TabFocus);
    return button;
}

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("filterBar"));

    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("filterEdit"));
    m_edit->setClearButtonEnabled(true);

    m_regexButton = makeToggle(this, QStringLiteral("filterRegexButton"), QStringLiteral(".*"), {}, {});
    m_caseButton = makeToggle(this, QStringLiteral("filterCaseButton"), QStringLiteral("Aa"), {}, {});

    const QString directionNames[3] = { QStringLiteral("filterInButton"), QStringLiteral("filterOutButton"),
        QStringLiteral("filterEventButton") };
    for (int d = 0; d < DirectionCount; ++d) {
        const auto dir = Direction(d);
        auto *button = makeToggle(this, directionNames[d], MessageLogModel::directionArrow(dir), {}, {});
        button->setChecked(true);
        if (dir != Direction::Event) {
            theme::setColour(button, QPalette::ButtonText,
                dir == Direction::In ? theme::Role::Incoming : theme::Role::Outgoing);
        }
        connect(button, &QToolButton::toggled, this, &FilterBar::applyMasks);
        m_directionButtons[d] = button;
    }

    m_kindsButton = new QToolButton(this);
    m_kindsButton->setObjectName(QStringLiteral("filterKindsButton"));
    m_kindsButton->setPopupMode(QToolButton::InstantPopup);
    m_kindsButton->setAutoRaise(true);
    auto *kindsMenu = new QMenu(m_kindsButton);
    kindsMenu->setObjectName(QStringLiteral("filterKindsMenu"));
    for (int k = 0; k < KindCount; ++k) {
        const auto kind = Kind(k);
        QAction *action = kindsMenu->addAction(MessageLogModel::kindName(kind));
        action->setObjectName(QStringLiteral("filterKind_") + QString::number(k));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, &FilterBar::applyMasks);
        m_kindActions[k] = action;
    }
    kindsMenu->addSeparator();
    m_hideKeepAlives = kindsMenu->addAction(QString());
    m_hideKeepAlives->setObjectName(QStringLiteral("filterHideKeepAlives"));
    m_hideKeepAlives->setCheckable(true);
    connect(m_hideKeepAlives, &QAction::toggled, this, &FilterBar::applyMasks);
    kindsMenu->addSeparator();
    kindsMenu->addAction(QString(), this, [this] {
        for (QAction *action : m_kindActions) {
            const QSignalBlocker blocker(action);
            action->setChecked(true);
        }
        applyMasks();
    });
    kindsMenu->addAction(QString(), this, [this] {
        for (int k = 0; k < KindCount; ++k) {
            const QSignalBlocker blocker(m_kindActions[k]);
            m_kindActions[k]->setChecked(Kind(k) == Kind::Text || Kind(k) == Kind::Binary);
        }
        applyMasks();
    });
    m_kindsButton->setMenu(kindsMenu);

    m_clearButton = new QToolButton(this);
    m_clearButton->setObjectName(QStringLiteral("filterClearButton"));
    m_clearButton->setAutoRaise(true);
    connect(m_clearButton, &QToolButton::clicked, this, &FilterBar::clearFilters);

    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("filterErrorLabel"));
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    theme::setColour(m_errorLabel, QPalette::WindowText, theme::Role::ErrorText);
    m_errorLabel->hide();

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("filterCountLabel"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    m_countLabel->hide();
    m_countTimer.setSingleShot(true);
    m_countTimer.setInterval(CountIntervalMs);
    connect(&m_countTimer, &QTimer::timeout, this, &FilterBar::updateCount);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 3);
    layout->addWidget(m_regexButton);
    layout->addWidget(m_caseButton);
    layout->addSpacing(8);
    for (QToolButton *button : m_directionButtons)
        layout->addWidget(button);
    layout->addWidget(m_kindsButton);
    layout->addWidget(m_clearButton);
    layout->addWidget(m_countLabel);
    layout->addWidget(m_errorLabel, 2);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(DebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::applyText);
    connect(m_edit, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::applyNow);
    connect(m_regexButton, &QToolButton::toggled, this, &FilterBar::applyText);
    connect(m_caseButton, &QToolButton::toggled, this, &FilterBar::applyText);
    retranslateUi();
}

void FilterBar::setFilterModel(MessageFilterModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        // Rows arrive in batches; a flood asks for one label update per interval at most.
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &FilterBar::scheduleCount);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &FilterBar::scheduleCount);
        connect(m_model, &QAbstractItemModel::modelReset, this, &FilterBar::updateCount);
        connect(m_model, &MessageFilterModel::scanningChanged, this, &FilterBar::updateCount);
        connect(m_model, &QAbstractProxyModel::sourceModelChanged, this, &FilterBar::watchSource);
    }
    watchSource();
    applyText();
    applyMasks();
}

QString FilterBar::errorText() const
{
    return m_errorLabel->text();
}

bool FilterBar::isErrorVisible() const
{
    return !m_errorLabel->isHidden();
}

void FilterBar::clearFilters()
{
    {
        const QSignalBlocker b1(m_edit), b2(m_regexButton), b3(m_caseButton);
        m_edit->clear();
        m_regexButton->setChecked(false);
        m_caseButton->setChecked(false);
    }
    for (QToolButton *button : m_directionButtons) {
        const QSignalBlocker blocker(button);
        button->setChecked(true);
    }
    for (QAction *action : m_kindActions) {
        const QSignalBlocker blocker(action);
        action->setChecked(true);
    }
    {
        const QSignalBlocker blocker(m_hideKeepAlives);
        m_hideKeepAlives->setChecked(false);
    }
    applyText();
    applyMasks();
}

void FilterBar::focusFilter()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FilterBar::applyNow()
{
    applyText();
}

void FilterBar::applyText()
{
    m_debounce.stop();
    if (m_model) {
        // Options first, so the text is compiled once with its final options.
        m_model->setRegularExpression(m_regexButton->isChecked());
        m_model->setCaseSensitive(m_caseButton->isChecked());
        m_model->setText(m_edit->text());
    }
    updateState();
    Q_EMIT filterApplied();
}

void FilterBar::applyMasks()
{
    quint32 directions = 0;
    for (int d = 0; d < DirectionCount; ++d) {
        if (m_directionButtons[d]->isChecked())
            directions |= directionBit(Direction(d));
    }
    quint32 kinds = 0;
    for (int k = 0; k < KindCount; ++k) {
        if (m_kindActions[k]->isChecked())
            kinds |= kindBit(Kind(k));
    }
    if (m_model) {
        m_model->setDirections(directions);
        m_model->setKinds(kinds);
        m_model->setHideKeepAlives(m_hideKeepAlives->isChecked());
    }
    updateKindsButton();
    updateState();
    Q_EMIT filterApplied();
}

void FilterBar::watchSource()
{
    for (const QMetaObject::Connection &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    // Rows the filter rejects change the total without a signal from the filter model.
    if (QAbstractItemModel *source = m_model ? m_model->sourceModel() : nullptr) {
        m_sourceConnections.append(
            connect(source, &QAbstractItemModel::rowsInserted, this, &FilterBar::scheduleCount));
        m_sourceConnections.append(
            connect(source, &QAbstractItemModel::rowsRemoved, this, &FilterBar::scheduleCount));
    }
    updateCount();
}

void FilterBar::scheduleCount()
{
    if (m_countLabel->isHidden() && !(m_model && m_model->isFiltering()))
        return; // no filter, no count: a flood costs nothing here
    if (!m_countTimer.isActive())
        m_countTimer.start();
}

void FilterBar::updateCount()
{
    m_countTimer.stop();
    const bool filtering = m_model && m_model->isFiltering() && m_model->sourceModel();
    m_countLabel->setVisible(filtering);
    if (!filtering) {
        m_countLabel->clear();
        return;
    }
    const QLocale locale;
    const QString shown = locale.toString(m_model->rowCount());
    const QString total = locale.toString(m_model->sourceModel()->rowCount());
    m_countLabel->setText(m_model->isScanning() ? tr("%1 of %2 messages (searching\u2026)").arg(shown, total)
                                                : tr("%1 of %2 messages").arg(shown, total));
}

QString FilterBar::countText() const
{
    return m_countLabel->isHidden() ? QString() : m_countLabel->text();
}

void FilterBar::updateKindsButton()
{
    int shown = 0;
    for (QAction *action : m_kindActions)
        shown += action->isChecked() ? 1 : 0;
    m_kindsButton->setText(
        shown == KindCount ? tr("All kinds") : tr("%1 of %2 kinds").arg(shown).arg(KindCount));
}

void FilterBar::updateState()
{
    const QString error = m_model ? m_model->patternError() : QString();
    m_errorLabel->setText(error);
    m_errorLabel->setToolTip(error);
    m_errorLabel->setVisible(!error.isEmpty());
    m_edit->setToolTip(error.isEmpty() ? tr("Show only messages containing this text (Ctrl+F), or matching "
                                            "an expression on their JSON: $.type == \"trade\", "
                                            "$.data.price > 100, $.level != \"debug\", $.user (exists), "
                                            "combined with && || !")
                                       : error);
    const bool filtering = m_model && m_model->isFiltering();
    m_clearButton->setEnabled(filtering || !m_edit->text().isEmpty());
    updateCount();
}

void FilterBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FilterBar::retranslateUi()
{
    setAccessibleName(tr("History filter"));
    m_edit->setPlaceholderText(tr("Filter\u2026"));
    m_edit->setAccessibleName(tr("Filter text"));
    m_regexButton->setAccessibleName(tr("Regular expression"));
    m_regexButton->setToolTip(tr("Treat the filter text as a regular expression"));
    m_caseButton->setAccessibleName(tr("Match case"));
    m_caseButton->setToolTip(tr("Match upper and lower case exactly"));
    const QString directionTips[3] = { tr("Show received messages"), tr("Show sent messages"),
        tr("Show events (connected, closed, errors, pings)") };
    for (int d = 0; d < DirectionCount; ++d) {
        m_directionButtons[d]->setText(MessageLogModel::directionArrow(Direction(d))); // "↓ in"
        m_directionButtons[d]->setAccessibleName(
            tr("Show direction %1").arg(MessageLogModel::directionName(Direction(d))));
        m_directionButtons[d]->setToolTip(directionTips[d]);
    }
    m_kindsButton->setAccessibleName(tr("Message kinds"));
    m_kindsButton->setToolTip(tr("Choose which kinds of message to show"));
    for (int k = 0; k < KindCount; ++k)
        m_kindActions[k]->setText(MessageLogModel::kindName(Kind(k)));
    const QList<QAction *> kindsMenu = m_kindsButton->menu()->actions();
    kindsMenu.at(kindsMenu.size() - 2)->setText(tr("Show &All Kinds"));
    kindsMenu.at(kindsMenu.size() - 1)->setText(tr("&Data Only (Text and Binary)"));
    m_hideKeepAlives->setText(tr("&Hide Protocol Keep-Alives"));
    m_hideKeepAlives->setToolTip(tr("Leave out the pings and heart-beats a protocol (Socket.IO, GraphQL, "
                                    "STOMP, MQTT) exchanges by itself"));
    m_clearButton->setText(tr("Reset"));
    m_clearButton->setAccessibleName(tr("Reset filters"));
    m_clearButton->setToolTip(tr("Clear the filter text and show every direction and kind"));
    m_errorLabel->setAccessibleName(tr("Filter error"));
    m_countLabel->setAccessibleName(tr("Messages shown"));
    m_countLabel->setToolTip(tr("Messages that pass the filter, of all the messages in the history"));
    updateKindsButton();
    updateState(); // the filter text's tooltip and the count
}

} // namespace wst
