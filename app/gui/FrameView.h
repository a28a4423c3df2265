#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;

namespace wst {

class ClientConnection;
class FrameComposer;
class FrameLogModel;

// The raw frame view of a client tab: every frame both ways as the relay decoded it, control
// frames and fragments included. Recording is off until the user asks for it, since decoding
// every frame of a flood costs what the plain history does not.
class FrameView : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit FrameView(ClientConnection *connection, QWidget *parent = nullptr);

    FrameLogModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    FrameComposer *composer() const { return m_composer; }
    bool isRecording() const;
    void setRecording(bool on);
    void clear();

private:
    void applyMetrics();
    void onRowsInserted();
    void onUserScrolled();

    ClientConnection *m_connection = nullptr;
    FrameLogModel *m_model = nullptr;
    QCheckBox *m_recordCheck = nullptr;
    QPushButton *m_clearButton = nullptr;
    QLabel *m_hint = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_composeButton = nullptr;
    FrameComposer *m_composer = nullptr; // hidden until the compose button shows it
    QPushButton *m_checkButton = nullptr; // opens a ServerCheckDialog for the tab's URL
    bool m_following = true;
};

} // namespace wst
