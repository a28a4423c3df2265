// ProxyTab: what its buttons open or do beyond the proxy's own calls (edit a held message,
// replay a recorded one, make a certificate).
#include "ProxyTab.h"

#include "CertificateDialog.h"
#include "HeldMessageEditor.h"
#include "ProxyControlBar.h"
#include "ProxySettingsWidget.h"
#include "messages/MessageStore.h"
#include "proxy/ProxyHeldModel.h"

#include <QComboBox>
#include <QLineEdit>

namespace wst {

void ProxyTab::editHeld(quint64 heldId)
{
    const int row = m_held->rowForId(heldId);
    const ProxyServer::HeldMessage *held = m_held->heldAt(row);
    if (!held)
        return;
    auto *editor = new HeldMessageEditor(held->kind, held->payload,
        tr("Edit Message %1 of Connection %2 (%3)")
            .arg(heldId)
            .arg(held->connection)
            .arg(ProxyHeldModel::wayText(held->way)),
        this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    // The message may be forwarded or dropped meanwhile (Forward all): then there is nothing to edit.
    connect(editor, &QDialog::accepted, this, [this, editor, heldId] {
        if (m_held->rowForId(heldId) >= 0)
            m_proxy->forward(heldId, editor->kind(), editor->payload());
    });
    editor->open();
}

bool ProxyTab::replay(qint64 storeIndex)
{
    const std::shared_ptr<MessageStore> store = m_proxy->store();
    if (storeIndex < 0 || storeIndex >= store->count() || m_proxy->state() != ProxyServer::State::Listening)
        return false;
    const MessageRow &row = store->row(storeIndex);
    if ((row.kind != Kind::Text && row.kind != Kind::Binary) || row.direction == Direction::Event
        || row.connectionId == 0)
        return false;
    const ProxyServer::ConnectionInfo info = m_proxy->connection(row.connectionId);
    if (info.id == 0 || !info.open)
        return false;
    m_proxy->inject(row.connectionId,
        row.direction == Direction::Out ? ProxyServer::Way::ToServer : ProxyServer::Way::ToClient, row.kind,
        store->payloadCopy(storeIndex));
    return true;
}

void ProxyTab::makeCertificate()
{
    const bool authority = ProxyOptions::Mode(m_controlBar->modeCombo()->currentData().toInt())
        == ProxyOptions::Mode::Explicit;
    auto *dialog = new CertificateDialog(authority, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        ProxySettingsWidget *settings = m_controlBar->settingsWidget();
        settings->certificateEdit()->setText(dialog->certificateFile());
        settings->keyEdit()->setText(dialog->keyFile());
    });
    dialog->open();
}

} // namespace wst
