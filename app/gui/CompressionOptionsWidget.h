#pragma once

#include "connection/ConnectionOptions.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace wst {

// permessage-deflate in the request options: offered or not (on by default, as browsers do),
// and the parameters to offer ("server_max_window_bits=10; client_no_context_takeover").
// A parameter that cannot be offered is said inline and keeps the others.
class CompressionOptionsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit CompressionOptionsWidget(QWidget *parent = nullptr);

    void apply(ConnectionOptions *options) const;
    void setOptions(const ConnectionOptions &options);
    // Why the parameters cannot be offered (also shown inline), or an empty string.
    QString error() const;

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    // Parses the parameters into *offer; returns the first problem.
    QString parse(DeflateOffer *offer) const;
    void revalidate();

    QCheckBox *m_offer = nullptr;
    QLineEdit *m_parameters = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace wst
