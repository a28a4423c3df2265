#pragma once

#include <QTabWidget>

namespace wst {

class ClientConnection;
class FrameView;
class HandshakeInspector;
class HistoryPane;

// A client tab's views of one connection, as tabs: the message history, the handshake
// inspector (its tab says the status of a refused handshake) and the raw frames.
class ClientViews : public QTabWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit ClientViews(ClientConnection *connection, QWidget *parent = nullptr);

    HistoryPane *history() const { return m_history; }
    HandshakeInspector *inspector() const { return m_inspector; }
    FrameView *frames() const { return m_frames; }

    void showHandshake();
    void showHistory();
    void showFrames();
    bool isHandshakeShown() const;
    // "Handshake (403)" when the server answered with something other than 101.
    void setHandshakeStatusCode(int code);

private:
    HistoryPane *m_history = nullptr;
    HandshakeInspector *m_inspector = nullptr;
    int m_handshakeCode = 0;
    FrameView *m_frames = nullptr;
};

} // namespace wst
