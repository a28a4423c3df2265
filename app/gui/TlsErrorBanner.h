#pragma once

#include <QFrame>
#include <QList>
#include <QSslError>

class QLabel;
class QPushButton;

namespace wst {

// The server's certificate was not accepted: the errors, one a line, and a button that connects
// again accepting exactly these errors. Hidden until there are errors to show.
class TlsErrorBanner : public QFrame
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit TlsErrorBanner(QWidget *parent = nullptr);

    // Shows the banner with these errors (kept until the next call).
    void showErrors(const QList<QSslError> &errors);
    QList<QSslError> errors() const { return m_errors; }
    void clearErrors() { m_errors.clear(); }

Q_SIGNALS:
    // "Ignore these errors for this connection".
    void ignoreRequested();

private:
    QLabel *m_text = nullptr;
    QPushButton *m_ignoreButton = nullptr;
    QList<QSslError> m_errors;
};

} // namespace wst
