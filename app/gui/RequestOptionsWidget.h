#pragma once

#include "connection/ConnectionOptions.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace wst {

class TlsOptionsWidget;
class CompressionOptionsWidget;
class ProtocolOptionsWidget;

// How a connection is opened besides its URL, on three pages: the handshake (extra headers,
// subprotocols, Origin, the connect timeout), TLS (CA, client certificate, minimum version), and
// the network (upstream proxy, auto-reconnect). Problems are shown inline as they are typed;
// while there is one, problem() says what it is and the client tab refuses to connect. The TLS
// files are read by checkTls(), which the client tab calls before connecting.
class RequestOptionsWidget : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit RequestOptionsWidget(QWidget *parent = nullptr);

    // The options without the URL (the client tab adds it).
    ConnectionOptions options() const;
    // notSaved: what the session file masked (ClientSettingsJson::maskSecrets' "masked", e.g.
    // "headers.Authorization"): those empty values show "value not saved" until typed.
    void setOptions(const ConnectionOptions &options, const QStringList &notSaved = {});

    // Empty when the options can be used; otherwise the first problem, as shown inline.
    QString problem() const { return m_problem; }
    // A short description for the collapsed panel, e.g. "2 headers, subprotocol chat".
    QString summary() const;

    // Reads the TLS files now; on a problem shows the TLS page with it inline and returns it.
    QString checkTls();
    // What must be fixed before connecting besides problem(): a value the session did not keep
    // (the header's value is then opened for typing), else checkTls().
    QString checkBeforeConnect();
    // The secrets the session did not keep and the user has not typed yet, named as in notSaved.
    QStringList notSaved() const;
    // Brings the page with the first problem to the front.
    void showProblem();
    TlsOptionsWidget *tls() const { return m_tls; }

    void addHeader(const QString &name = {}, const QString &value = {});
    // Adds a row and opens its name for typing (the Add button and Insert).
    void addAndEditHeader();
    void removeSelectedHeaders();
    int headerCount() const;

Q_SIGNALS:
    // problem() or summary() changed.
    void changed();

private:
    QWidget *buildHandshakePage();
    QWidget *buildNetworkPage();
    void revalidate();
    void updatePageTitles();
    // The first secret the session did not keep and the user has not typed yet; *headerRow is
    // its row when it is a header's value.
    QString notSavedProblem(int *headerRow) const;

    QTableWidget *m_headers = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    QLabel *m_headersError = nullptr;
    QLineEdit *m_subprotocols = nullptr;
    QLabel *m_subprotocolsError = nullptr;
    QLineEdit *m_origin = nullptr;
    QSpinBox *m_timeout = nullptr;
    QTabWidget *m_pages = nullptr;
    QWidget *m_handshakePage = nullptr;
    TlsOptionsWidget *m_tls = nullptr;
    QWidget *m_networkPage = nullptr;
    ProtocolOptionsWidget *m_protocol = nullptr;
    QLineEdit *m_proxy = nullptr;
    QLabel *m_proxyError = nullptr;
    QCheckBox *m_autoReconnect = nullptr;
    QDoubleSpinBox *m_reconnectInitial = nullptr;
    QSpinBox *m_reconnectMax = nullptr;
    CompressionOptionsWidget *m_compression = nullptr;
    QString m_problem;
    bool m_updating = false;
    bool m_proxyPasswordNotSaved = false;
};

} // namespace wst
