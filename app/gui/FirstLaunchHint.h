#pragma once

#include <QFrame>
#include <QPointer>

class QLabel;

namespace wst {

class ClientTab;
class ConnectionPage;

// A newcomer's note above the tabs at the very first launch: a local echo server was started
// and a client tab connected to it. Shown only while that tab is the current one, until
// dismissed; the same words go into the tab's history, where they stay.
class FirstLaunchHint : public QFrame
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showText();

public:
    explicit FirstLaunchHint(QWidget *parent = nullptr);

    // `tab` is connected (or connecting) to the echo server shown in the tab `server` (named by its
    // title, in the language of the moment).
    void attach(ClientTab *tab, ConnectionPage *server);
    // Shows the hint while `current` is its tab.
    void follow(const QWidget *current);
    void forget(const QWidget *page);

Q_SIGNALS:
    void dismissed();

private:
    QLabel *m_text = nullptr;
    QPointer<ClientTab> m_tab;
    QPointer<ConnectionPage> m_server;
};

} // namespace wst
