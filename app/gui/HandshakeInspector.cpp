#include "HandshakeInspector.h"

#include "GuiHelpers.h"
#include "Theme.h"

#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextCursor>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <optional>

namespace wst {

using gui::describe;

namespace {

constexpr theme::Role Good = theme::Role::SuccessText;
constexpr theme::Role Bad = theme::Role::ErrorText;

QLabel *makeValueLabel(
    QWidget *parent, const QString &objectName, const QString &accessibleName, const QString &toolTip)
{
    auto *label = new QLabel(parent);
    describe(label, objectName, accessibleName, toolTip);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

// The label's text in the role's colour (it follows View > Theme), or in the palette's.
void setColour(QLabel *label, std::optional<theme::Role> role)
{
    if (role)
        theme::setColour(label, QPalette::WindowText, *role);
    else
        theme::clearColour(label, QPalette::WindowText);
}

QTextEdit *makeTextView(
    QWidget *parent, const QString &objectName, const QString &accessibleName, const QString &toolTip)
{
    auto *view = new QTextEdit(parent);
    describe(view, objectName, accessibleName, toolTip);
    view->setReadOnly(true);
    view->setAcceptRichText(false);
    view->setLineWrapMode(QTextEdit::NoWrap);
    view->setTabChangesFocus(true);
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

QByteArray chompCr(const QByteArray &line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

HandshakeInspector::HandshakeInspector(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("handshakeInspector"));

    m_summary = makeValueLabel(this, QStringLiteral("handshakeSummary"), {}, {});
    QFont summaryFont = m_summary->font();
    summaryFont.setBold(true);
    m_summary->setFont(summaryFont);

    m_hint = makeValueLabel(this, QStringLiteral("handshakeHint"), {}, {});

    m_copyButton = new QPushButton(this);
    m_copyButton->setObjectName(QStringLiteral("copyHandshakeButton"));
    m_copyButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));

    m_upstreamError = makeValueLabel(this, QStringLiteral("upstreamErrorLabel"), {}, {});
    setColour(m_upstreamError, Bad);

    m_acceptLabel = makeValueLabel(this, QStringLiteral("acceptCheckLabel"), {}, {});
    m_subprotocolLabel = makeValueLabel(this, QStringLiteral("subprotocolLabel"), {}, {});
    m_extensionsLabel = makeValueLabel(this, QStringLiteral("extensionsLabel"), {}, {});
    m_deflateNote = makeValueLabel(this, QStringLiteral("deflateNote"), {}, {});
    setColour(m_deflateNote, theme::Role::WarningText);
    m_timings = makeValueLabel(this, QStringLiteral("handshakeTimings"), {}, {});
    m_protocolLabel = makeValueLabel(this, QStringLiteral("protocolHandshake"), {}, {});

    m_requestView = makeTextView(this, QStringLiteral("handshakeRequestView"), {}, {});
    m_responseView = makeTextView(this, QStringLiteral("handshakeResponseView"), {}, {});

    m_tlsDetails = makeTextView(this, QStringLiteral("tlsDetails"), {}, {});
    m_tlsDetails->setLineWrapMode(QTextEdit::WidgetWidth);

    // Layout: result and copy on top, the checks, then request | response, TLS below.
    auto *summaryLines = new QVBoxLayout;
    summaryLines->setSpacing(2);
    summaryLines->addWidget(m_summary);
    summaryLines->addWidget(m_hint);
    auto *top = new QHBoxLayout;
    top->addLayout(summaryLines, 1);
    top->addWidget(m_copyButton, 0, Qt::AlignTop);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft);
    form->setVerticalSpacing(2);
    form->addRow(tr("Sec-WebSocket-Accept:"), m_acceptLabel); // labels named again in retranslateUi()
    form->addRow(tr("Subprotocol:"), m_subprotocolLabel);
    form->addRow(tr("Extensions:"), m_extensionsLabel);
    form->addRow(tr("Timings:"), m_timings);
    form->addRow(tr("Protocol:"), m_protocolLabel);
    form->setRowVisible(m_protocolLabel, false);

    auto titled = [this](const QString &title, QWidget *view) {
        auto *box = new QWidget(this);
        auto *label = new QLabel(title, box);
        label->setObjectName(view->objectName() + QStringLiteral("Title")); // for retranslateUi()
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        label->setBuddy(view);
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->setSpacing(2);
        l->addWidget(label);
        l->addWidget(view, 1);
        return box;
    };

    auto *exchange = new QSplitter(Qt::Horizontal, this);
    exchange->setObjectName(QStringLiteral("handshakeSplitter"));
    exchange->setChildrenCollapsible(false);
    exchange->addWidget(titled(tr("Re&quest (sent)"), m_requestView));
    exchange->addWidget(titled(tr("Response (recei&ved)"), m_responseView));

    // TLS is a third column rather than a row: the header lines need the height more than the width.
    m_tlsBox = titled(tr("TLS session"), m_tlsDetails);
    m_tlsBox->setObjectName(QStringLiteral("tlsBox"));
    exchange->addWidget(m_tlsBox);
    exchange->setStretchFactor(0, 3);
    exchange->setStretchFactor(1, 4);
    exchange->setStretchFactor(2, 4);
    m_splitter = exchange;

    // In a scroll area: on a short window (800×600) the inspector scrolls rather than making the
    // window taller than the screen.
    auto *content = new QWidget(this);
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_upstreamError);
    layout->addLayout(form);
    layout->addWidget(m_deflateNote);
    layout->addWidget(m_splitter, 1);

    connect(m_copyButton, &QPushButton::clicked, this, &HandshakeInspector::copyToClipboard);

    retranslateUi();
}

void HandshakeInspector::setRecord(const HandshakeRecord &record)
{
    m_record = record;
    refresh();
}

QString HandshakeInspector::text() const
{
    if (m_record.request.isEmpty() && m_record.upstreamError.isEmpty())
        return {};
    QString text = m_record.toText();
    if (!m_protocolFields.isEmpty())
        text += QLatin1Char('\n') + m_protocolName + QLatin1Char('\n') + protocolHandshakeText()
            + QLatin1Char('\n');
    return text;
}

void HandshakeInspector::setProtocolHandshake(const QString &protocol, const ProtocolFields &fields)
{
    m_protocolName = protocol;
    m_protocolFields = fields;
    const QString text = protocolHandshakeText();
    m_protocolLabel->setText(text.isEmpty() ? QString() : protocol + QLatin1Char('\n') + text);
    m_protocolLabel->setAccessibleDescription(m_protocolLabel->text());
    if (auto *form = qobject_cast<QFormLayout *>(m_protocolLabel->parentWidget()->layout()))
        form->setRowVisible(m_protocolLabel, !text.isEmpty());
    else if (auto *outer = m_protocolLabel->parentWidget()->findChild<QFormLayout *>())
        outer->setRowVisible(m_protocolLabel, !text.isEmpty());
}

QString HandshakeInspector::protocolHandshakeText() const
{
    QStringList lines;
    for (const auto &field : m_protocolFields)
        lines << field.first + QStringLiteral(": ") + field.second;
    return lines.join(QLatin1Char('\n'));
}

void HandshakeInspector::copyToClipboard()
{
    const QString t = text();
    if (t.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(t);
    m_copyButton->setText(tr("Copied"));
    QTimer::singleShot(1500, this, [this] { m_copyButton->setText(tr("Copy as te&xt")); });
}

void HandshakeInspector::focusExchange()
{
    QTextEdit *view = m_record.response.isEmpty() ? m_requestView : m_responseView;
    view->setFocus(Qt::ShortcutFocusReason);
}

QString HandshakeInspector::formatMs(qint64 us)
{
    if (us < 0)
        return QStringLiteral("\u2014");
    const double ms = double(us) / 1000.0;
    return tr("%1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 2 : 1));
}

void HandshakeInspector::refresh()
{
    const HandshakeRecord &r = m_record;
    const bool started = !r.request.isEmpty() || !r.upstreamError.isEmpty();
    const int code = r.statusCode();

    QString summary;
    if (!started)
        summary = tr("No handshake yet: connect, and the request and the server's answer appear here.");
    else if (!r.upstreamError.isEmpty() && r.tls && r.tcpConnectUs >= 0)
        summary = tr("The TLS handshake with %1 failed: nothing was sent.").arg(r.target);
    else if (!r.upstreamError.isEmpty())
        summary = tr("The server could not be reached (%1).").arg(r.target);
    else if (r.response.isEmpty())
        summary = tr("Waiting for the server's answer from %1\u2026").arg(r.target);
    else if (code == 101)
        summary = tr("%1 \u2014 %2%3")
                      .arg(QString::fromUtf8(r.statusLine()), r.target, r.tls ? tr(" over TLS") : QString());
    else
        summary = tr("The server refused the upgrade: %1").arg(QString::fromUtf8(r.statusLine()));
    m_summary->setText(summary);
    m_summary->setAccessibleDescription(summary);
    setColour(m_summary,
        !r.upstreamError.isEmpty() || (code != 0 && code != 101) ? std::optional(Bad) : std::nullopt);

    // Qt 6.4 handles neither challenges nor redirects (QT64-NOTES.md): say what the user can do,
    // in the user's terms (the toolkit is not their business).
    QString hint;
    if (code == 401)
        hint = tr("The server wants credentials, and wstester does not answer an authentication challenge "
                  "by itself: add an Authorization header (or the token the server expects) under Request "
                  "options, then connect again.");
    else if (code >= 300 && code < 400)
        hint = tr("The server sends you elsewhere, and wstester does not follow redirects: connect to the "
                  "address in its Location header instead.");
    m_hint->setText(hint);
    m_hint->setAccessibleDescription(hint);
    m_hint->setVisible(!hint.isEmpty());

    m_upstreamError->setText(
        r.upstreamError.isEmpty() ? QString() : tr("Connection failed: %1").arg(r.upstreamError));
    m_upstreamError->setVisible(!r.upstreamError.isEmpty());
    m_copyButton->setEnabled(started);

    renderHead(m_requestView, r.request, {});
    renderHead(m_responseView, r.response, r.responseBody);
    const bool failed = !r.upstreamError.isEmpty();
    m_requestView->setPlaceholderText(failed
            ? tr("Nothing was sent: the connection failed before the request.")
            : tr("The request appears here when a connection starts."));
    m_responseView->setPlaceholderText(failed ? tr("No answer: the connection failed before the request.")
                                              : tr("The server's answer appears here."));
    setChecks();
    renderTls();
}

void HandshakeInspector::renderHead(QTextEdit *view, const QByteArray &head, const QByteArray &body)
{
    view->clear();
    if (head.isEmpty())
        return;
    QTextCursor cursor(view->document());
    QTextCharFormat plain;
    QTextCharFormat bold;
    bold.setFontWeight(QFont::Bold);
    QTextCharFormat bodyFormat;
    bodyFormat.setForeground(palette().color(QPalette::PlaceholderText));

    const QList<QByteArray> lines = head.split('\n');
    bool first = true;
    for (const QByteArray &raw : lines) {
        const QByteArray line = chompCr(raw);
        if (line.isEmpty())
            break; // the blank line that ends the head
        if (!first)
            cursor.insertText(QStringLiteral("\n"), plain);
        if (first) {
            cursor.insertText(QString::fromUtf8(line), bold);
        } else {
            // Shown exactly as received; only the name up to the colon is set in bold.
            const qsizetype colon = line.indexOf(':');
            if (colon > 0) {
                cursor.insertText(QString::fromUtf8(line.left(colon)), bold);
                cursor.insertText(QString::fromUtf8(line.mid(colon)), plain);
            } else {
                cursor.insertText(QString::fromUtf8(line), plain);
            }
        }
        first = false;
    }
    if (!body.isEmpty()) {
        cursor.insertText(QStringLiteral("\n\n"), plain);
        QString text = QString::fromUtf8(body);
        if (text.endsWith(QLatin1Char('\n')))
            text.chop(1);
        cursor.insertText(text, bodyFormat);
    }
    view->moveCursor(QTextCursor::Start);
}

void HandshakeInspector::setChecks()
{
    const HandshakeRecord &r = m_record;
    const HandshakeRecord::Headers response = r.responseHeaders();
    const int code = r.statusCode();

    QString accept;
    std::optional<theme::Role> acceptColour;
    switch (r.acceptCheck()) {
    case HandshakeRecord::AcceptCheck::Valid:
        accept = tr("\u2713 valid: matches the Sec-WebSocket-Key sent");
        acceptColour = Good;
        break;
    case HandshakeRecord::AcceptCheck::Invalid:
        accept = tr("\u2717 invalid: the key sent expects %1, the server sent %2")
                     .arg(QString::fromLatin1(HandshakeRecord::expectedAccept(
                              HandshakeRecord::header(r.requestHeaders(), "Sec-WebSocket-Key"))),
                         QString::fromUtf8(HandshakeRecord::header(response, "Sec-WebSocket-Accept")));
        acceptColour = Bad;
        break;
    case HandshakeRecord::AcceptCheck::Missing:
        if (code == 101) {
            accept = tr("\u2717 missing from the 101 response");
            acceptColour = Bad;
        } else if (code != 0) {
            accept = tr("missing (no 101 response)");
        } else {
            accept = QStringLiteral("\u2014");
        }
        break;
    }
    m_acceptLabel->setText(accept);
    m_acceptLabel->setAccessibleDescription(accept);
    setColour(m_acceptLabel, acceptColour);

    const QByteArray chosen = HandshakeRecord::header(response, "Sec-WebSocket-Protocol");
    const QByteArray offered = HandshakeRecord::header(r.requestHeaders(), "Sec-WebSocket-Protocol");
    QString subprotocol;
    if (code == 0)
        subprotocol = QStringLiteral("\u2014");
    else if (!chosen.isEmpty())
        subprotocol = QString::fromUtf8(chosen);
    else if (!offered.isEmpty())
        subprotocol = tr("none (offered: %1)").arg(QString::fromUtf8(offered));
    else
        subprotocol = tr("none");
    m_subprotocolLabel->setText(subprotocol);
    m_subprotocolLabel->setAccessibleDescription(subprotocol);

    QStringList extensions;
    for (const auto &h : response) {
        if (h.first.compare("Sec-WebSocket-Extensions", Qt::CaseInsensitive) == 0)
            extensions.append(QString::fromUtf8(h.second));
    }
    const QString joined = extensions.join(QStringLiteral(", "));
    const QString extensionsText = code == 0 ? QStringLiteral("\u2014")
        : joined.isEmpty()                   ? tr("none")
                                             : joined;
    m_extensionsLabel->setText(extensionsText);
    m_extensionsLabel->setAccessibleDescription(extensionsText);
    // What the relay agreed for permessage-deflate (it does the compression for the QWebSocket),
    // or why the server's answer failed the handshake.
    const QString deflate = r.deflateText();
    m_deflateNote->setText(deflate);
    m_deflateNote->setAccessibleDescription(deflate);
    m_deflateNote->setVisible(!deflate.isEmpty());

    const QString timings
        = tr("TCP connect %1 \u00b7 TLS handshake %2 \u00b7 WebSocket handshake %3")
              .arg(formatMs(r.tcpConnectUs), formatMs(r.tlsHandshakeUs), formatMs(r.handshakeUs));
    m_timings->setText(timings);
    m_timings->setAccessibleDescription(timings);
}

void HandshakeInspector::renderTls()
{
    const HandshakeRecord &r = m_record;
    m_tlsBox->setVisible(r.tls);
    m_tlsDetails->clear();
    if (!r.tls)
        return;

    QTextCursor cursor(m_tlsDetails->document());
    QTextCharFormat plain;
    QTextCharFormat bold;
    bold.setFontWeight(QFont::Bold);
    QTextCharFormat good;
    good.setForeground(theme::colour(Good));
    QTextCharFormat bad;
    bad.setForeground(theme::colour(Bad));
    auto field = [&](const QString &name, const QString &value, const QTextCharFormat &format) {
        cursor.insertText(name, bold);
        cursor.insertText(QStringLiteral(" ") + value + QLatin1Char('\n'), format);
    };

    if (r.tlsProtocol.isEmpty()) {
        cursor.insertText(tr("The TLS handshake did not complete.") + QLatin1Char('\n'), bad);
    } else {
        field(tr("Protocol:"), r.tlsProtocol, plain);
        field(tr("Cipher:"), r.cipher, plain);
    }
    if (r.sslErrors.isEmpty()) {
        if (!r.tlsProtocol.isEmpty())
            field(tr("Verification:"), tr("passed"), good);
    } else {
        // A session that completed despite errors had them ignored on the user's request.
        cursor.insertText((r.tlsProtocol.isEmpty() ? tr("Verification errors:")
                                                   : tr("Verification errors (ignored for this connection):"))
                + QLatin1Char('\n'),
            bold);
        for (const QSslError &e : r.sslErrors) {
            QString line = QStringLiteral("  \u2022 ") + e.errorString();
            if (!e.certificate().isNull())
                line += tr(" (certificate: %1)").arg(e.certificate().subjectDisplayName());
            cursor.insertText(line + QLatin1Char('\n'), bad);
        }
    }
    // On a failed verification the relay may hold no chain; the errors still name the certificates.
    QList<QSslCertificate> chain = r.peerChain;
    if (chain.isEmpty()) {
        for (const QSslError &e : r.sslErrors) {
            if (!e.certificate().isNull() && !chain.contains(e.certificate()))
                chain.append(e.certificate());
        }
    }
    for (qsizetype i = 0; i < chain.size(); ++i) {
        cursor.insertText(QLatin1Char('\n')
                + (i == 0 ? tr("Certificate %1 (the server's)").arg(i) : tr("Certificate %1").arg(i))
                + QLatin1Char('\n'),
            bold);
        const QStringList lines = HandshakeRecord::describeCertificate(chain.at(i)).split(QLatin1Char('\n'));
        for (const QString &line : lines)
            cursor.insertText(QStringLiteral("  ") + line + QLatin1Char('\n'), plain);
    }
    m_tlsDetails->moveCursor(QTextCursor::Start);
}

void HandshakeInspector::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void HandshakeInspector::retranslateUi()
{
    setAccessibleName(tr("Handshake inspector"));
    setToolTip(tr("The opening handshake exactly as it crossed the wire"));
    describe(m_summary, QStringLiteral("handshakeSummary"), tr("Handshake result"),
        tr("What the server answered to the opening handshake"));
    describe(m_hint, QStringLiteral("handshakeHint"), tr("What to do"),
        tr("What wstester does not do with this answer on its own, and what to do instead"));
    describe(m_upstreamError, QStringLiteral("upstreamErrorLabel"), tr("Connection error"),
        tr("Why the server could not be reached before any HTTP was exchanged"));
    describe(m_acceptLabel, QStringLiteral("acceptCheckLabel"), tr("Sec-WebSocket-Accept check"),
        tr("Sec-WebSocket-Accept must be base64(SHA-1(Sec-WebSocket-Key + the RFC 6455 GUID))"));
    describe(m_subprotocolLabel, QStringLiteral("subprotocolLabel"), tr("Negotiated subprotocol"),
        tr("The subprotocol the server chose (Sec-WebSocket-Protocol) among those offered"));
    describe(m_extensionsLabel, QStringLiteral("extensionsLabel"), tr("Extensions"),
        tr("The extensions the server asked for (Sec-WebSocket-Extensions)"));
    describe(m_deflateNote, QStringLiteral("deflateNote"), tr("Compression"),
        tr("permessage-deflate as agreed with the server (wstester compresses and inflates the messages), "
           "or why the server's answer failed the handshake"));
    describe(m_protocolLabel, QStringLiteral("protocolHandshake"), tr("Protocol handshake"),
        tr("The handshake of the protocol spoken over the WebSocket, once the WebSocket is open"));
    gui::setFormLabel(m_protocolLabel, tr("Protocol:"));
    describe(m_timings, QStringLiteral("handshakeTimings"), tr("Handshake timings"),
        tr("TCP connect, TLS handshake, and the WebSocket handshake from request sent to response received"));
    describe(m_requestView, QStringLiteral("handshakeRequestView"), tr("Handshake request"),
        tr("The request line and headers exactly as sent, in wire order"));
    describe(m_tlsDetails, QStringLiteral("tlsDetails"), tr("TLS details"),
        tr("TLS protocol, cipher, the server's certificate chain and the verification errors"));
    describe(m_responseView, QStringLiteral("handshakeResponseView"), tr("Handshake response"),
        tr("The status line and headers exactly as received, in wire order, and the start of a refusal's "
           "body"));
    m_copyButton->setText(tr("Copy as te&xt"));
    describe(m_copyButton, QStringLiteral("copyHandshakeButton"), tr("Copy handshake as text"),
        tr("Copy the request, the response, the TLS details and the timings as text, like curl -v"));
    m_requestView->setPlaceholderText(tr("The request appears here when a connection starts."));
    m_responseView->setPlaceholderText(tr("The server's answer appears here."));
    gui::setFormLabel(m_acceptLabel, tr("Sec-WebSocket-Accept:"));
    gui::setFormLabel(m_subprotocolLabel, tr("Subprotocol:"));
    gui::setFormLabel(m_extensionsLabel, tr("Extensions:"));
    gui::setFormLabel(m_timings, tr("Timings:"));
    const auto title = [this](QWidget *view, const QString &text) {
        findChild<QLabel *>(view->objectName() + QStringLiteral("Title"))->setText(text);
    };
    title(m_requestView, tr("Re&quest (sent)"));
    title(m_responseView, tr("Response (recei&ved)"));
    title(m_tlsDetails, tr("TLS session"));
    refresh();
}

} // namespace wst
