#pragma once

#include "server/LocalServer.h"

#include <QWidget>

class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QTableView;

namespace wst {

class ClientListModel;

// A server's clients: the list (with "All clients" on top), and under it the selected client's
// opening request exactly as it arrived (and the 101, when wstester wrote it).
class ClientListPane : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ClientListPane(ClientListModel *clients, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // The selected client (0: none, or "All clients").
    quint32 selectedClient() const { return m_selected; }
    void selectClient(quint32 id);
    // The title's counts, after the list changed.
    void updateTitle();
    // The handshake's title: "Handshake request of client 3", or "Handshake of client 3" when
    // the 101 is known too (the server's shim wrote it).
    static QString handshakeTitle(const LocalServer::ClientInfo &info);

Q_SIGNALS:
    void selectedClientChanged(quint32 id);

private:
    void onCurrentChanged(const QModelIndex &current);
    void showHandshake(const QModelIndex &current);
    static QString handshakeText(const LocalServer::ClientInfo &info);

    ClientListModel *m_clients = nullptr;
    QLabel *m_title = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_handshakeTitle = nullptr;
    QPlainTextEdit *m_handshakeView = nullptr;
    quint32 m_selected = 0;
};

} // namespace wst
