#include "CompressionOptionsWidget.h"

#include "GuiHelpers.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace wst {

CompressionOptionsWidget::CompressionOptionsWidget(QWidget *parent)
    : QWidget(parent)
    , m_offer(new QCheckBox(this))
    , m_parameters(new QLineEdit(this))
    , m_error(gui::makeErrorLabel(QStringLiteral("deflateError"), this))
{
    setObjectName(QStringLiteral("compressionOptions"));
    m_offer->setChecked(true);
    m_parameters->setClearButtonEnabled(true);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_offer);
    row->addWidget(m_parameters, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_error);
    connect(m_offer, &QCheckBox::toggled, this, [this](bool on) {
        m_parameters->setEnabled(on);
        revalidate();
        Q_EMIT changed();
    });
    connect(m_parameters, &QLineEdit::textChanged, this, [this] {
        revalidate();
        Q_EMIT changed();
    });
    retranslateUi();
}

QString CompressionOptionsWidget::parse(DeflateOffer *offer) const
{
    const QStringList parts = m_parameters->text().split(u';', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.trimmed().isEmpty())
            continue;
        QString error;
        if (!offer->setOption(part.trimmed(), &error))
            return error;
    }
    return {};
}

void CompressionOptionsWidget::apply(ConnectionOptions *options) const
{
    DeflateOffer offer;
    offer.enabled = m_offer->isChecked();
    // A bad parameter is said inline; the good ones are still offered.
    (void)parse(&offer);
    options->deflate = offer;
}

void CompressionOptionsWidget::setOptions(const ConnectionOptions &options)
{
    m_offer->setChecked(options.deflate.enabled);
    m_parameters->setEnabled(options.deflate.enabled);
    m_parameters->setText(options.deflate.options().join(QStringLiteral("; ")));
    revalidate();
}

QString CompressionOptionsWidget::error() const
{
    if (!m_offer->isChecked())
        return {};
    DeflateOffer offer;
    return parse(&offer);
}

void CompressionOptionsWidget::revalidate()
{
    gui::setInlineError(m_error, error(), m_parameters);
}

void CompressionOptionsWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CompressionOptionsWidget::retranslateUi()
{
    m_offer->setText(tr("Offer permessage-&deflate"));
    gui::describe(m_offer, QStringLiteral("deflateCheck"), tr("Offer permessage-deflate"),
        tr("Ask the server to compress messages (RFC 7692), as browsers do. wstester inflates what "
           "the server compresses and compresses what you send."));
    gui::describe(m_parameters, QStringLiteral("deflateParametersEdit"), tr("permessage-deflate parameters"),
        tr("Parameters to offer, separated by semicolons: client_max_window_bits=9..15, "
           "server_max_window_bits=8..15, client_no_context_takeover, server_no_context_takeover"));
    m_parameters->setPlaceholderText(
        tr("parameters, e.g. server_max_window_bits=10; server_no_context_takeover"));
    revalidate();
}

} // namespace wst
