#include "TlsErrorBanner.h"

#include "GuiHelpers.h"
#include "Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSslCertificate>

namespace wst {

TlsErrorBanner::TlsErrorBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("sslBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    theme::setColour(this, QPalette::Window, theme::Role::BannerBackground);
    theme::setColour(this, QPalette::WindowText, theme::Role::BannerText);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("sslErrorsLabel"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ignoreButton = new QPushButton(this);
    auto *bannerLayout = new QHBoxLayout(this);
    bannerLayout->addWidget(m_text, 1);
    bannerLayout->addWidget(m_ignoreButton, 0, Qt::AlignTop);
    setVisible(false);
    retranslateUi();

    connect(m_ignoreButton, &QPushButton::clicked, this, &TlsErrorBanner::ignoreRequested);
}

void TlsErrorBanner::showErrors(const QList<QSslError> &errors)
{
    m_errors = errors;
    QStringList lines;
    lines << tr("The server's certificate was not accepted:");
    for (const QSslError &e : errors) {
        QString line = QStringLiteral("\u2022 ") + e.errorString();
        if (!e.certificate().isNull()) {
            const QString subject = e.certificate().subjectDisplayName();
            if (!subject.isEmpty())
                line += tr(" (certificate: %1)").arg(subject);
        }
        if (!lines.contains(line))
            lines << line;
    }
    m_text->setText(lines.join(u'\n'));
    setAccessibleDescription(m_text->text());
    setVisible(true);
}

void TlsErrorBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QFrame::changeEvent(event);
}

void TlsErrorBanner::retranslateUi()
{
    setAccessibleName(tr("Certificate errors"));
    m_ignoreButton->setText(tr("&Ignore these errors for this connection"));
    gui::describe(m_ignoreButton, QStringLiteral("sslIgnoreButton"),
        tr("Ignore these errors for this connection"),
        tr("Connect again, accepting exactly these certificate errors, for this connection only"));
    if (!isHidden() && !m_errors.isEmpty())
        showErrors(m_errors);
}

} // namespace wst
