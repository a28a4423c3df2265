#pragma once

#include "compose/MessageFormat.h"
#include "compose/SavedMessage.h"
#include "compose/SessionEnvironment.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <memory>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace wst {

// Where the user writes the next message: text, JSON (checked as typed), binary as hex or
// base64, or a file (MessageFormat checks and encodes each). Sending never clears what was
// written, and what was sent can be recalled with Ctrl+Up / Ctrl+Down or from the Recent menu.
// {{variables}} are filled from the session's environment when sending; an undefined one is
// said in the status line and nothing is sent.
class ComposerWidget : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    using Mode = MessageFormat::Type;

    struct Entry
    {
        Mode mode = Mode::Text;
        QString text; // the text as written, or the file's path in File mode
        bool operator==(const Entry &other) const = default;
    };

    static constexpr int MaxRecent = 50;

    explicit ComposerWidget(QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    QString text() const;
    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_editor; }

    QString filePath() const { return m_filePath; }
    void setFilePath(const QString &path);
    // Asks for a file (through Dialogs) and switches to File mode.
    void chooseFile();

    // Whether the connection can take a message now; reason says why not (shown as a tooltip).
    void setSendAllowed(bool allowed, const QString &reason = {});
    bool isSendAllowed() const { return m_sendAllowed; }
    // Empty when the content can be sent as it is; otherwise what is wrong with it.
    QString contentProblem() const { return m_problem; }
    bool canSend() const { return m_sendAllowed && m_problem.isEmpty(); }
    QString statusText() const;

    // Sends what is written (Ctrl+Enter). Returns false when nothing could be sent.
    bool send();

    // The variables that messages are filled from (not owned; may be null: built-ins only).
    void setEnvironment(SessionEnvironment *environment);
    SessionEnvironment *environment() const { return m_environment; }
    // The tab's decoder: Protobuf messages are encoded with its .proto files and the message
    // type it sends (null: none set, and Protobuf says so).
    void setCodec(std::shared_ptr<const PayloadCodec> codec);
    // A composer with no decoder to set (a local server's) does not offer Protobuf; a message
    // recalled in it says so instead of pointing at View ▸ Decoder…, which such a tab lacks.
    void setProtobufAvailable(bool available);
    // What is written as a saved message (not in File mode: *error says so).
    SavedMessage currentMessage(QString *error = nullptr) const;
    // Puts a saved message in the editor (its format becomes the mode).
    void setMessage(const SavedMessage &message);
    // A row under the send button, for controls that belong to the composer (periodic send).
    void addFooterWidget(QWidget *widget);
    // For a composer that sends to more than one peer (a server's clients): the control that
    // picks the target sits before Send, and Send names the target ("Sen&d to client 3").
    void addTargetWidget(QWidget *widget);
    void setSendButtonText(const QString &text);
    // Without a saved-messages list to save to, Save… and Ctrl+D are hidden.
    void setSavingAvailable(bool available);

    QList<Entry> recent() const { return m_recent; }
    void recallOlder();
    void recallNewer();

Q_SIGNALS:
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    void modeChanged(wst::MessageFormat::Type mode);
    // "Save…" (Ctrl+D saves to this connection): the tab asks for a name and stores it.
    void saveRequested(bool global);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onTextChanged();
    void revalidate();
    // The text with its variables filled; on an undefined one, empty with *error set.
    QString substituted(const QString &text, QString *error) const;
    void setStatus(const QString &text, bool error, bool good = false);
    void updateSendButton();
    void updateModeWidgets();
    void formatJson();
    void remember(const Entry &entry);
    void applyEntry(const Entry &entry);
    void rebuildRecentMenu();

    Mode m_mode = Mode::Text;
    QComboBox *m_modeCombo = nullptr;
    QPushButton *m_formatButton = nullptr;
    QToolButton *m_recentButton = nullptr;
    QMenu *m_recentMenu = nullptr;
    QToolButton *m_saveButton = nullptr;
    QMenu *m_saveMenu = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QHBoxLayout *m_bottomRow = nullptr;
    QPointer<SessionEnvironment> m_environment;
    std::shared_ptr<const PayloadCodec> m_codec;
    bool m_protobufAvailable = true;
    QStackedWidget *m_stack = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QWidget *m_filePage = nullptr;
    QLabel *m_fileLabel = nullptr;
    QPushButton *m_chooseFileButton = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_sendButton = nullptr;
    QTimer *m_validateTimer = nullptr;

    QString m_filePath;
    QString m_problem;
    bool m_sendAllowed = false;
    QString m_notAllowedReason;

    QList<Entry> m_recent; // most recent first
    int m_recallPos = -1; // -1: the draft (what the user is writing)
    Entry m_draft;
    bool m_applying = false;
};

} // namespace wst
