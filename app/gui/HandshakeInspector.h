#pragma once

#include "protocol/HandshakeRecord.h"
#include "protocols/ProtocolMessage.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QTextEdit;

namespace wst {

// The opening handshake of a client connection as it crossed the wire (recorded by the relay):
// the request and the response line by line in wire order, the Sec-WebSocket-Accept check, the
// negotiated subprotocol and extensions, the timings, the TLS session and "Copy as text".
class HandshakeInspector : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit HandshakeInspector(QWidget *parent = nullptr);

    void setRecord(const HandshakeRecord &record);
    // The handshake of the protocol spoken over the WebSocket (Engine.IO's open packet, graphql
    // connection_ack, STOMP CONNECTED, MQTT CONNACK), as its fields; no fields hides the row.
    void setProtocolHandshake(const QString &protocol, const ProtocolFields &fields);
    QString protocolHandshakeText() const;
    const HandshakeRecord &record() const { return m_record; }
    // What "Copy as text" puts on the clipboard (empty while there is no record).
    QString text() const;
    void copyToClipboard();
    // Moves the focus to the response, or to the request when nothing was answered.
    void focusExchange();

    QTextEdit *requestView() const { return m_requestView; }
    QTextEdit *responseView() const { return m_responseView; }

    // Formats a duration in µs as milliseconds; "—" when the step did not happen (< 0).
    static QString formatMs(qint64 us);

private:
    void refresh();
    void renderHead(QTextEdit *view, const QByteArray &head, const QByteArray &body);
    void renderTls();
    void setChecks();

    HandshakeRecord m_record;
    QLabel *m_summary = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_copyButton = nullptr;
    QLabel *m_upstreamError = nullptr;
    QLabel *m_acceptLabel = nullptr;
    QLabel *m_subprotocolLabel = nullptr;
    QLabel *m_extensionsLabel = nullptr;
    QLabel *m_deflateNote = nullptr;
    QLabel *m_timings = nullptr;
    QLabel *m_protocolLabel = nullptr;
    QString m_protocolName;
    ProtocolFields m_protocolFields;
    QSplitter *m_splitter = nullptr;
    QTextEdit *m_requestView = nullptr;
    QTextEdit *m_responseView = nullptr;
    QWidget *m_tlsBox = nullptr;
    QTextEdit *m_tlsDetails = nullptr;
};

} // namespace wst
