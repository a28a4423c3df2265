#pragma once

#include "connection/ConnectionOptions.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace wst {

// What goes into the opening handshake besides the URL: extra headers, subprotocols, Origin
// and the connect timeout. Problems are shown inline as they are typed; while there is one,
// problem() says what it is and the client tab refuses to connect.
class RequestOptionsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit RequestOptionsWidget(QWidget *parent = nullptr);

    // The options without the URL (the client tab adds it).
    ConnectionOptions options() const;
    void setOptions(const ConnectionOptions &options);

    // Empty when the options can be used; otherwise the first problem, as shown inline.
    QString problem() const { return m_problem; }
    // A short description for the collapsed panel, e.g. "2 headers, subprotocol chat".
    QString summary() const;

    void addHeader(const QString &name = {}, const QString &value = {});
    void removeSelectedHeaders();
    int headerCount() const;

Q_SIGNALS:
    // problem() or summary() changed.
    void changed();

private:
    void revalidate();

    QTableWidget *m_headers = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    QLabel *m_headersError = nullptr;
    QLineEdit *m_subprotocols = nullptr;
    QLabel *m_subprotocolsError = nullptr;
    QLineEdit *m_origin = nullptr;
    QSpinBox *m_timeout = nullptr;
    QString m_problem;
    bool m_updating = false;
};

} // namespace wst
