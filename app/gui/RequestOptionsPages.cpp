// The layout of the request options' pages: the handshake (headers, subprotocols, origin,
// timeout) and the network (proxy, reconnect, compression). The controls are made, checked and
// read in RequestOptionsWidget.cpp.
#include "RequestOptionsWidget.h"

#include "CompressionOptionsWidget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wst {

QWidget *RequestOptionsWidget::buildHandshakePage()
{
    auto *page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("handshakeOptionsPage"));
    auto *headersLabel = new QLabel(page);
    headersLabel->setObjectName(QStringLiteral("headersLabel"));
    headersLabel->setBuddy(m_headers);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch();
    auto *left = new QVBoxLayout;
    left->addWidget(headersLabel);
    left->addWidget(m_headers, 1);
    left->addWidget(m_headersError);
    left->addLayout(headerButtons);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Su&bprotocols:"), m_subprotocols);
    form->addRow(QString(), m_subprotocolsError);
    form->addRow(tr("Origi&n:"), m_origin);
    form->addRow(tr("Handsha&ke timeout:"), m_timeout);

    auto *layout = new QHBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 4);
    layout->addLayout(left, 3);
    layout->addSpacing(12);
    layout->addLayout(form, 2);
    return page;
}

QWidget *RequestOptionsWidget::buildNetworkPage()
{
    auto *page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("networkOptionsPage"));
    m_proxy->setObjectName(QStringLiteral("proxyEdit"));
    m_proxy->setClearButtonEnabled(true);
    m_autoReconnect->setObjectName(QStringLiteral("autoReconnectCheck"));
    m_reconnectInitial->setObjectName(QStringLiteral("reconnectInitialSpin"));
    m_reconnectInitial->setRange(0.1, 600);
    m_reconnectInitial->setDecimals(1);
    m_reconnectInitial->setSingleStep(0.5);
    m_reconnectInitial->setValue(1.0);
    m_reconnectInitial->setEnabled(false);
    m_reconnectMax->setObjectName(QStringLiteral("reconnectMaxSpin"));
    m_reconnectMax->setRange(1, 3600);
    m_reconnectMax->setValue(30);
    m_reconnectMax->setEnabled(false);

    auto *delays = new QHBoxLayout;
    auto *initialLabel = new QLabel(page);
    initialLabel->setObjectName(QStringLiteral("reconnectInitialLabel"));
    initialLabel->setBuddy(m_reconnectInitial);
    auto *maxLabel = new QLabel(page);
    maxLabel->setObjectName(QStringLiteral("reconnectMaxLabel"));
    maxLabel->setBuddy(m_reconnectMax);
    delays->addWidget(m_autoReconnect);
    delays->addSpacing(12);
    delays->addWidget(initialLabel);
    delays->addWidget(m_reconnectInitial);
    delays->addSpacing(12);
    delays->addWidget(maxLabel);
    delays->addWidget(m_reconnectMax);
    delays->addStretch(1);

    auto *form = new QFormLayout(page);
    form->setContentsMargins(4, 4, 4, 4);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Pro&xy:"), m_proxy);
    form->addRow(QString(), m_proxyError);
    form->addRow(tr("Reconnect:"), delays);
    delays->setObjectName(QStringLiteral("reconnectRow"));
    m_compression = new CompressionOptionsWidget(page);
    form->addRow(tr("Compression:"), m_compression);
    connect(m_compression, &CompressionOptionsWidget::changed, this, &RequestOptionsWidget::revalidate);
    return page;
}

} // namespace wst
