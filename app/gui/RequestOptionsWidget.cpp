#include "RequestOptionsWidget.h"

#include "ActionRegistry.h"
#include "CompressionOptionsWidget.h"
#include "GuiHelpers.h"
#include "Theme.h"
#include "TlsOptionsWidget.h"
#include "compose/ClientSettingsJson.h"
#include "protocols/ProtocolOptionsWidget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace wst {

using gui::describe;

namespace {
enum { NameColumn, ValueColumn };
// Set on a value cell whose value was masked when the session was saved; cleared once typed.
constexpr int NotSavedRole = Qt::UserRole + 1;

// Shows "value not saved" in an empty value cell whose value the session file did not keep, so
// it does not look like a header meant to be sent empty.
class NotSavedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!index.data(NotSavedRole).toBool() || !option->text.isEmpty())
            return;
        option->features |= QStyleOptionViewItem::HasDisplay;
        option->text = RequestOptionsWidget::tr("value not saved");
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, theme::colour(theme::Role::ErrorText, option->palette));
    }
};
}

RequestOptionsWidget::RequestOptionsWidget(QWidget *parent)
    : QWidget(parent)
    , m_headers(new QTableWidget(0, 2, this))
    , m_addHeader(new QPushButton(this))
    , m_removeHeader(new QPushButton(this))
    , m_headersError(gui::makeErrorLabel(QStringLiteral("headersError"), this))
    , m_subprotocols(new QLineEdit(this))
    , m_subprotocolsError(gui::makeErrorLabel(QStringLiteral("subprotocolsError"), this))
    , m_origin(new QLineEdit(this))
    , m_timeout(new QSpinBox(this))
    , m_pages(new QTabWidget(this))
    , m_tls(new TlsOptionsWidget(m_pages))
    , m_proxy(new QLineEdit(this))
    , m_proxyError(gui::makeErrorLabel(QStringLiteral("proxyError"), this))
    , m_autoReconnect(new QCheckBox(this))
    , m_reconnectInitial(new QDoubleSpinBox(this))
    , m_reconnectMax(new QSpinBox(this))
{
    setObjectName(QStringLiteral("requestOptions"));
    m_headers->setObjectName(QStringLiteral("headersTable"));
    m_headers->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->horizontalHeader()->resizeSection(NameColumn, 180);
    m_headers->verticalHeader()->setVisible(false);
    m_headers->verticalHeader()->setDefaultSectionSize(m_headers->fontMetrics().height() + 8);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_headers->setTabKeyNavigation(false); // Tab leaves the table, like every other field
    m_headers->setMinimumHeight(90);
    m_headers->setMaximumHeight(120);
    m_headers->setAlternatingRowColors(true);
    m_headers->setItemDelegateForColumn(ValueColumn, new NotSavedDelegate(m_headers));

    m_addHeader->setObjectName(QStringLiteral("addHeaderButton"));
    m_addHeader->setIcon(gui::icon(QStringLiteral("add")));
    m_removeHeader->setObjectName(QStringLiteral("removeHeaderButton"));
    m_removeHeader->setIcon(gui::icon(QStringLiteral("remove")));
    m_removeHeader->setEnabled(false);

    m_subprotocols->setObjectName(QStringLiteral("subprotocolsEdit"));
    m_subprotocols->setClearButtonEnabled(true);
    m_origin->setObjectName(QStringLiteral("originEdit"));
    m_origin->setClearButtonEnabled(true);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 600);
    m_timeout->setValue(10);

    m_pages->setObjectName(QStringLiteral("requestPages"));
    m_pages->setDocumentMode(true);
    m_handshakePage = buildHandshakePage();
    m_networkPage = buildNetworkPage();
    m_pages->addTab(m_handshakePage, QString());
    m_pages->addTab(m_tls, QString());
    m_pages->addTab(m_networkPage, QString());
    m_protocol = new ProtocolOptionsWidget(m_pages);
    m_pages->addTab(m_protocol, QString());
    connect(m_protocol, &ProtocolOptionsWidget::changed, this, [this] {
        updatePageTitles();
        Q_EMIT changed();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    connect(m_addHeader, &QPushButton::clicked, this, &RequestOptionsWidget::addAndEditHeader);
    // Insert and Delete work on the table itself, so the rows can be managed without the mouse.
    // Insert also from a cell's editor (after typing a value); Delete there deletes a character.
    QAction *insertRow = ActionRegistry::addLocal(
        m_headers, QStringLiteral("addHeaderAction"), Qt::WidgetWithChildrenShortcut);
    connect(insertRow, &QAction::triggered, m_addHeader, &QPushButton::click);
    QAction *deleteRows
        = ActionRegistry::addLocal(m_headers, QStringLiteral("removeHeadersAction"), Qt::WidgetShortcut);
    connect(deleteRows, &QAction::triggered, this, &RequestOptionsWidget::removeSelectedHeaders);
    connect(m_removeHeader, &QPushButton::clicked, this, &RequestOptionsWidget::removeSelectedHeaders);
    connect(m_headers, &QTableWidget::itemChanged, this, [this] {
        if (!m_updating)
            revalidate();
    });
    connect(m_headers, &QTableWidget::itemSelectionChanged, this,
        [this] { m_removeHeader->setEnabled(!m_headers->selectedItems().isEmpty()); });
    connect(m_subprotocols, &QLineEdit::textChanged, this, &RequestOptionsWidget::revalidate);
    connect(m_origin, &QLineEdit::textChanged, this, &RequestOptionsWidget::changed);
    connect(m_timeout, &QSpinBox::valueChanged, this, &RequestOptionsWidget::changed);
    connect(m_tls, &TlsOptionsWidget::changed, this, [this] {
        updatePageTitles();
        Q_EMIT changed();
    });
    connect(m_proxy, &QLineEdit::textChanged, this, &RequestOptionsWidget::revalidate);
    connect(m_autoReconnect, &QCheckBox::toggled, this, [this](bool on) {
        m_reconnectInitial->setEnabled(on);
        m_reconnectMax->setEnabled(on);
        Q_EMIT changed();
    });
    connect(m_reconnectInitial, &QDoubleSpinBox::valueChanged, this, &RequestOptionsWidget::changed);
    connect(m_reconnectMax, &QSpinBox::valueChanged, this, &RequestOptionsWidget::changed);

    setTabOrder(m_headers, m_addHeader);
    setTabOrder(m_addHeader, m_removeHeader);
    setTabOrder(m_removeHeader, m_subprotocols);
    setTabOrder(m_subprotocols, m_origin);
    setTabOrder(m_origin, m_timeout);
    setTabOrder(m_proxy, m_autoReconnect);
    setTabOrder(m_autoReconnect, m_reconnectInitial);
    setTabOrder(m_reconnectInitial, m_reconnectMax);
    retranslateUi();
}

void RequestOptionsWidget::addHeader(const QString &name, const QString &value)
{
    m_updating = true;
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, NameColumn, new QTableWidgetItem(name));
    m_headers->setItem(row, ValueColumn, new QTableWidgetItem(value));
    m_updating = false;
    revalidate();
}

void RequestOptionsWidget::addAndEditHeader()
{
    addHeader();
    const int row = m_headers->rowCount() - 1;
    m_headers->setFocus();
    // The new name cell becomes the current one: that commits an editor still open on the
    // current cell, and Tab in the new editor moves on from the current cell, to this row's
    // value (editItem alone left the current cell on the previous row, where Tab went instead).
    m_headers->setCurrentCell(row, NameColumn);
    m_headers->editItem(m_headers->item(row, NameColumn));
}

void RequestOptionsWidget::removeSelectedHeaders()
{
    QList<int> rows;
    const auto ranges = m_headers->selectedRanges();
    for (const auto &range : ranges) {
        for (int r = range.topRow(); r <= range.bottomRow(); ++r)
            rows.append(r);
    }
    if (rows.isEmpty() && m_headers->currentRow() >= 0)
        rows.append(m_headers->currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int r : rows)
        m_headers->removeRow(r);
    revalidate();
}

int RequestOptionsWidget::headerCount() const
{
    return m_headers->rowCount();
}

ConnectionOptions RequestOptionsWidget::options() const
{
    ConnectionOptions options;
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        const QTableWidgetItem *name = m_headers->item(r, NameColumn);
        const QTableWidgetItem *value = m_headers->item(r, ValueColumn);
        const QString n = name ? name->text().trimmed() : QString();
        const QString v = value ? value->text().trimmed() : QString();
        if (n.isEmpty() && v.isEmpty())
            continue;
        options.headers.append({ n.toUtf8(), v.toUtf8() });
    }
    const QStringList protocols = m_subprotocols->text().split(u',', Qt::SkipEmptyParts);
    for (const QString &p : protocols) {
        if (!p.trimmed().isEmpty())
            options.subprotocols.append(p.trimmed());
    }
    options.origin = m_origin->text().trimmed();
    options.connectTimeoutMs = m_timeout->value() * 1000;
    m_tls->apply(&options);
    if (!m_proxy->text().trimmed().isEmpty()) {
        QString error;
        const QNetworkProxy proxy = ConnectionOptions::parseProxy(m_proxy->text(), &error);
        if (error.isEmpty())
            options.proxy = proxy;
    }
    options.autoReconnect = m_autoReconnect->isChecked();
    options.reconnectInitialMs = qRound(m_reconnectInitial->value() * 1000);
    options.reconnectMaxMs = qMax(options.reconnectInitialMs, m_reconnectMax->value() * 1000);
    options.protocol = m_protocol->options();
    m_compression->apply(&options);
    return options;
}

QString RequestOptionsWidget::notSavedProblem(int *headerRow) const
{
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        const QTableWidgetItem *name = m_headers->item(r, NameColumn);
        const QTableWidgetItem *value = m_headers->item(r, ValueColumn);
        if (name && value && value->data(NotSavedRole).toBool() && value->text().trimmed().isEmpty()) {
            if (headerRow)
                *headerRow = r;
            return tr("%1 has no value: its value was not saved with the session. Type it or remove "
                      "the header.")
                .arg(name->text().trimmed());
        }
    }
    if (m_proxyPasswordNotSaved && !m_proxy->text().trimmed().isEmpty()) {
        QString error;
        const QNetworkProxy proxy = ConnectionOptions::parseProxy(m_proxy->text(), &error);
        if (error.isEmpty() && proxy.password().isEmpty())
            return tr("The proxy has no password: it was not saved with the session. Type it in the "
                      "proxy address or remove the proxy.");
    }
    return {};
}

QStringList RequestOptionsWidget::notSaved() const
{
    QStringList names;
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        const QTableWidgetItem *name = m_headers->item(r, NameColumn);
        const QTableWidgetItem *value = m_headers->item(r, ValueColumn);
        if (name && value && value->data(NotSavedRole).toBool() && value->text().trimmed().isEmpty())
            names << QLatin1String("headers.") + name->text().trimmed();
    }
    if (m_proxyPasswordNotSaved && !m_proxy->text().trimmed().isEmpty()
        && QUrl(m_proxy->text().trimmed()).password().isEmpty())
        names << QStringLiteral("proxy.password");
    if (m_tls->isPassphraseNotSaved())
        names << QStringLiteral("clientKeyPassphrase");
    return names;
}

QString RequestOptionsWidget::checkBeforeConnect()
{
    int row = -1;
    const QString missing = notSavedProblem(&row);
    if (missing.isEmpty())
        return checkTls();
    m_pages->setCurrentWidget(row >= 0 ? m_handshakePage : m_networkPage);
    // Once the panel is shown (the caller expands it), the user's next keys are the missing value.
    QTimer::singleShot(0, this, [this, row] {
        if (row < 0) {
            m_proxy->setFocus(Qt::OtherFocusReason);
        } else if (QTableWidgetItem *value = m_headers->item(row, ValueColumn)) {
            m_headers->setFocus(Qt::OtherFocusReason);
            m_headers->setCurrentItem(value);
            m_headers->editItem(value);
        }
    });
    return missing;
}

QString RequestOptionsWidget::checkTls()
{
    const QString problem = m_tls->check();
    if (!problem.isEmpty())
        m_pages->setCurrentWidget(m_tls);
    return problem;
}

void RequestOptionsWidget::showProblem()
{
    if (!m_headersError->text().isEmpty() || !m_subprotocolsError->text().isEmpty())
        m_pages->setCurrentWidget(m_handshakePage);
    else if (!m_proxyError->text().isEmpty())
        m_pages->setCurrentWidget(m_networkPage);
    else if (!m_tls->error().isEmpty())
        m_pages->setCurrentWidget(m_tls);
}

void RequestOptionsWidget::updatePageTitles()
{
    const bool handshakeProblem = !m_headersError->text().isEmpty() || !m_subprotocolsError->text().isEmpty();
    m_pages->setTabText(
        m_pages->indexOf(m_handshakePage), handshakeProblem ? tr("Handshake (problem)") : tr("Handshake"));
    m_pages->setTabText(m_pages->indexOf(m_tls), m_tls->error().isEmpty() ? tr("TLS") : tr("TLS (problem)"));
    m_pages->setTabText(m_pages->indexOf(m_networkPage),
        m_proxyError->text().isEmpty() && (!m_compression || m_compression->error().isEmpty())
            ? tr("Proxy && reconnect")
            : tr("Proxy && reconnect (problem)"));
    if (!m_protocol)
        return; // called while the pages are being built
    const ProtocolId protocol = m_protocol->options().id;
    m_pages->setTabText(m_pages->indexOf(m_protocol),
        protocol == ProtocolId::Raw ? tr("Protocol")
                                    : tr("Protocol: %1").arg(ProtocolNames::displayName(protocol)));
}

void RequestOptionsWidget::setOptions(const ConnectionOptions &options, const QStringList &notSaved)
{
    m_updating = true;
    m_headers->setRowCount(0);
    m_updating = false;
    for (const auto &h : options.headers) {
        addHeader(QString::fromUtf8(h.first), QString::fromUtf8(h.second));
        const QString name = QString::fromUtf8(h.first).trimmed();
        if (h.second.isEmpty() && notSaved.contains(QLatin1String("headers.") + name, Qt::CaseInsensitive)) {
            QTableWidgetItem *value = m_headers->item(m_headers->rowCount() - 1, ValueColumn);
            value->setData(NotSavedRole, true);
            value->setData(Qt::AccessibleTextRole, tr("value not saved"));
            value->setToolTip(tr("The value was not saved with the session: type it"));
        }
    }
    m_proxyPasswordNotSaved = notSaved.contains(QLatin1String("proxy.password"));
    m_subprotocols->setText(options.subprotocols.join(QStringLiteral(", ")));
    m_origin->setText(options.origin);
    m_timeout->setValue(qMax(1, options.connectTimeoutMs / 1000));
    m_tls->setOptions(options);
    m_tls->setPassphraseNotSaved(notSaved.contains(QLatin1String("clientKeyPassphrase")));
    m_proxy->setText(ClientSettingsJson::proxyToText(options.proxy));
    m_protocol->setOptions(options.protocol);
    m_autoReconnect->setChecked(options.autoReconnect);
    m_reconnectInitial->setValue(options.reconnectInitialMs / 1000.0);
    m_reconnectMax->setValue(qMax(1, options.reconnectMaxMs / 1000));
    m_compression->setOptions(options);
    revalidate();
}

QString RequestOptionsWidget::summary() const
{
    const ConnectionOptions o = options();
    QStringList parts;
    if (!o.headers.isEmpty())
        parts << tr("headers: %1").arg(o.headers.size());
    if (!o.subprotocols.isEmpty())
        parts << tr("subprotocols %1").arg(o.subprotocols.join(QStringLiteral(", ")));
    if (!o.origin.isEmpty())
        parts << tr("origin %1").arg(o.origin);
    if (o.connectTimeoutMs != 10000)
        parts << tr("timeout %1 s").arg(o.connectTimeoutMs / 1000);
    if (const QString tls = m_tls->summary(); !tls.isEmpty())
        parts << tls;
    if (o.proxy.type() != QNetworkProxy::NoProxy)
        parts << tr("proxy %1:%2").arg(o.proxy.hostName()).arg(o.proxy.port());
    if (o.autoReconnect)
        parts << tr("auto-reconnect");
    if (!o.deflate.enabled)
        parts << tr("no compression");
    return parts.join(QStringLiteral(" \u00b7 "));
}

void RequestOptionsWidget::revalidate()
{
    QString headerError;
    QStringList seen;
    m_updating = true;
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        QTableWidgetItem *name = m_headers->item(r, NameColumn);
        QTableWidgetItem *value = m_headers->item(r, ValueColumn);
        if (!name || !value)
            continue;
        const QString n = name->text().trimmed();
        if (!value->text().trimmed().isEmpty() && value->data(NotSavedRole).toBool()) {
            value->setData(NotSavedRole, QVariant());
            value->setData(Qt::AccessibleTextRole, QVariant());
            value->setToolTip({});
        }
        QString rowError;
        if (n.isEmpty()) {
            if (!value->text().trimmed().isEmpty())
                rowError = tr("The header in row %1 has no name.").arg(r + 1);
        } else {
            rowError = ConnectionOptions::headerProblem(n.toUtf8());
            if (rowError.isEmpty() && seen.contains(n.toLower()))
                rowError = tr("Header %1 is set twice: Qt sends one value per header name.").arg(n);
            seen.append(n.toLower());
        }
        name->setForeground(
            rowError.isEmpty() ? palette().text() : QBrush(theme::colour(theme::Role::ErrorText)));
        name->setToolTip(rowError);
        if (headerError.isEmpty())
            headerError = rowError;
    }
    m_updating = false;
    // A value the session did not keep is said at once, but does not grey out Connect: Connect
    // says it again and opens the value for typing (checkBeforeConnect).
    int notSavedRow = -1;
    const QString notSaved = notSavedProblem(&notSavedRow);
    gui::setInlineError(m_headersError,
        !headerError.isEmpty() ? headerError
            : notSavedRow >= 0 ? notSaved
                               : QString(),
        m_headers);

    QString otherError;
    if (headerError.isEmpty()) {
        ConnectionOptions o = options();
        o.url = QUrl(QStringLiteral("ws://placeholder/")); // the URL is checked by the client tab
        otherError = o.validate();
    }
    gui::setInlineError(m_subprotocolsError, otherError, m_subprotocols);

    QString proxyError;
    if (!m_proxy->text().trimmed().isEmpty())
        ConnectionOptions::parseProxy(m_proxy->text(), &proxyError);
    gui::setInlineError(m_proxyError,
        !proxyError.isEmpty() ? proxyError
            : notSavedRow < 0 ? notSaved
                              : QString(),
        m_proxy);

    m_problem = !headerError.isEmpty() ? headerError
        : !otherError.isEmpty()        ? otherError
        : !proxyError.isEmpty()        ? proxyError
                                       : m_compression->error();
    updatePageTitles();
    Q_EMIT changed();
}

void RequestOptionsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        revalidate(); // its problems are said in the new language
    }
    QWidget::changeEvent(event);
}

void RequestOptionsWidget::retranslateUi()
{
    setAccessibleName(tr("Request options"));
    describe(m_headers, QStringLiteral("headersTable"), tr("Request headers"),
        tr("Extra headers sent with the opening handshake. Host, Origin, Upgrade, Connection and "
           "Sec-WebSocket-* are made by wstester and cannot be set here."));
    m_headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_addHeader->setText(tr("Add header"));
    describe(m_addHeader, QStringLiteral("addHeaderButton"), tr("Add header"),
        tr("Add a row to the headers table (Insert)"));
    m_removeHeader->setText(tr("Remove"));
    describe(m_removeHeader, QStringLiteral("removeHeaderButton"), tr("Remove header"),
        tr("Remove the selected header rows (Delete)"));
    describe(m_subprotocols, QStringLiteral("subprotocolsEdit"), tr("Subprotocols"),
        tr("Subprotocols to offer, separated by commas, in order of preference "
           "(Sec-WebSocket-Protocol)"));
    m_subprotocols->setPlaceholderText(tr("e.g. chat, superchat"));
    describe(m_origin, QStringLiteral("originEdit"), tr("Origin"),
        tr("The Origin header of the handshake; empty sends none"));
    m_origin->setPlaceholderText(tr("e.g. https://example.com"));
    describe(m_timeout, QStringLiteral("timeoutSpin"), tr("Connect timeout"),
        tr("How long to wait for the handshake to complete"));
    m_timeout->setSuffix(tr(" s"));
    describe(m_pages, QStringLiteral("requestPages"), tr("Request option pages"),
        tr("The handshake, TLS and network options of the connection"));
    updatePageTitles();
    m_pages->setTabToolTip(0, tr("Extra headers, subprotocols, Origin and the connect timeout"));
    m_pages->setTabToolTip(1, tr("A custom CA, a client certificate and the minimum TLS version"));
    m_pages->setTabToolTip(2, tr("An upstream proxy and automatic reconnection"));
    m_pages->setTabToolTip(3, tr("Socket.IO, GraphQL over WebSocket, STOMP or MQTT, and their settings"));
    findChild<QLabel *>(QStringLiteral("headersLabel"))->setText(tr("Head&ers"));
    gui::setFormLabel(m_subprotocols, tr("Su&bprotocols:"));
    gui::setFormLabel(m_origin, tr("Origi&n:"));
    gui::setFormLabel(m_timeout, tr("Handsha&ke timeout:"));
    describe(m_proxy, QStringLiteral("proxyEdit"), tr("Proxy"),
        tr("An upstream proxy to connect through: http://[user:password@]host:port for HTTP CONNECT, "
           "or socks5://[user:password@]host:port. Empty connects directly."));
    m_proxy->setPlaceholderText(tr("none: e.g. http://127.0.0.1:3128 or socks5://user:pass@host:1080"));
    m_autoReconnect->setText(tr("Reconnect au&tomatically"));
    describe(m_autoReconnect, QStringLiteral("autoReconnectCheck"), tr("Reconnect automatically"),
        tr("After a lost or failed connection (not after your own close), try again, waiting twice "
           "as long each time up to the longest wait"));
    describe(m_reconnectInitial, QStringLiteral("reconnectInitialSpin"), tr("First retry after"),
        tr("How long to wait before the first attempt"));
    m_reconnectInitial->setSuffix(tr(" s"));
    describe(m_reconnectMax, QStringLiteral("reconnectMaxSpin"), tr("Longest wait"),
        tr("The longest wait between two attempts"));
    m_reconnectMax->setSuffix(tr(" s"));
    findChild<QLabel *>(QStringLiteral("reconnectInitialLabel"))->setText(tr("first retr&y after"));
    findChild<QLabel *>(QStringLiteral("reconnectMaxLabel"))->setText(tr("longest wa&it"));
    gui::setFormLabel(m_proxy, tr("Pro&xy:"));
    gui::setFormLabel(findChild<QLayout *>(QStringLiteral("reconnectRow")), tr("Reconnect:"));
    gui::setFormLabel(m_compression, tr("Compression:"));
}

} // namespace wst
