#pragma once

#include "format/JsonTreeModel.h"
#include "messages/Message.h"

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QProgressBar;
class QStackedWidget;
class QToolButton;

namespace wst {

class FindBar;
class PayloadCodec;
class JsonHighlighter;
class JsonTreeView;
class TextLinesView;

// The content of the selected message: a header line (time, direction, kind, size, close code
// or round trip), a choice of view (Auto, Text, JSON, Hex), and the content itself. Only the
// selected message is ever formatted. Large payloads are formatted off the GUI thread and shown
// in a view that lays out only visible lines, so selecting a 20 MB message never freezes.
class DetailPane : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    // Protocol: the message as its protocol reads it (Socket.IO, GraphQL, STOMP, MQTT); Auto
    // picks it for a protocol's messages.
    enum class Mode { Auto, Text, Json, Hex, Tree, Protocol };
    Q_ENUM(Mode)

    struct Message
    {
        qint64 storeIndex = -1;
        qint64 timeUs = 0;
        Direction direction = Direction::Event;
        Kind kind = Kind::Info;
        qint64 extra = 0;
        QByteArray payload;
        QString protocolText; // decoded by the connection's protocol; empty when none
    };

    // What the pane shows once formatting is done (public so the formatting can run anywhere).
    struct Rendering
    {
        Mode mode = Mode::Text; // what Auto resolved to
        QString text; // text or pretty JSON (empty for hex)
        QList<qsizetype> lineStarts; // filled when the text goes to the lines view
        qsizetype maxLineLength = 0;
        bool useLinesView = false;
        bool tree = false; // valid JSON, shown as a tree
        std::shared_ptr<JsonTreeModel::Skeleton> treeSkeleton; // its root, opened where it was made
        QString error; // JSON asked for and not valid
        qsizetype errorOffset = -1;
        // A binary payload read by the tab's decoder: the JSON shown instead of the bytes, the
        // type it was read as, or the decoder's one-line message (the hex is shown then).
        QByteArray decoded;
        QString decodedType;
        QString decodeError;
    };

    explicit DetailPane(QWidget *parent = nullptr);
    ~DetailPane() override;

    // Reads the message from a MessageLogModel index (or an index of a proxy over it).
    void showIndex(const QModelIndex &index);
    static Message messageAt(const QModelIndex &index);
    void showMessage(const Message &message);
    void clearMessage();
    bool hasMessage() const { return m_hasMessage; }
    const Message &message() const { return m_message; }

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    // What is shown now: the mode Auto resolved to, once formatting is done.
    Mode effectiveMode() const { return m_rendering.mode; }

    bool isBusy() const { return m_busy; }
    QString headerText() const;
    // The error line under the header ("Not valid JSON: … at byte 17"); empty when none.
    QString messageText() const;
    // The whole content as shown (the text, the pretty JSON or the hex dump).
    QString contentText() const;
    // Whether the content is in the lines view (large) rather than the text editor (small).
    bool usesLinesView() const;
    TextLinesView *linesView() const { return m_lines; }
    QPlainTextEdit *textEdit() const { return m_edit; }
    JsonTreeView *treeView() const { return m_tree; }
    FindBar *findBar() const { return m_findBar; }
    bool usesTreeView() const;
    // The "open in a window" button; a pane that is already in its own window hides it.
    void setWindowButtonVisible(bool visible);

    // Above this size the payload is formatted off the GUI thread.
    static constexpr qsizetype AsyncThreshold = 1 << 20;
    // Above this size the text goes to the lines view instead of QPlainTextEdit.
    static constexpr qsizetype LinesViewThreshold = 256 << 10;

    // The pure formatting step: runs on the GUI thread for small payloads, in a worker for big ones.
    static Rendering render(const QByteArray &payload, Kind kind, Mode mode);
    // The same, with a decoder: a binary payload in Auto, JSON or Tree is decoded to JSON first.
    static Rendering render(const QByteArray &payload, Kind kind, Mode mode, Direction direction,
        const std::shared_ptr<const PayloadCodec> &codec);

    // The decoder of the tab the messages come from (null: binary payloads are shown as hex).
    void setCodec(std::shared_ptr<const PayloadCodec> codec);
    std::shared_ptr<const PayloadCodec> codec() const { return m_codec; }
    // "Decoded as chat.v1.Event (12 bytes) — Hex shows the original bytes"; empty when not decoded.
    QString decodedText() const;

public Q_SLOTS:
    void copyPayload();
    void copyPrettyJson();
    // Ctrl+F: the find bar, over what is shown now.
    void showFind();

Q_SIGNALS:
    void busyChanged(bool busy);
    // The content for the current message is on screen (synchronously or after formatting).
    void contentShown();
    // The user asked to read the message in a window of its own.
    void openInWindowRequested();

private:
    void refresh();
    void present(const Rendering &rendering);
    void setBusy(bool busy, const QString &text = {});
    void showPlaceholder(const QString &text);
    void updateHeader();
    void updateActions();
    void markError();
    void updateFindContent();
    QByteArrayView bytesBeforeError() const;
    // The bytes the rendering is about: the decoded JSON, or else the payload.
    const QByteArray &shownBytes() const;
    bool decodes(Mode mode) const;
    qsizetype errorLine() const;

    Message m_message;
    bool m_hasMessage = false;
    Mode m_mode = Mode::Auto;
    Rendering m_rendering;
    bool m_busy = false;
    quint64 m_generation = 0;
    QFuture<Rendering> m_pending;
    std::shared_ptr<const PayloadCodec> m_codec;

    QLabel *m_header = nullptr;
    QComboBox *m_modeCombo = nullptr;
    QToolButton *m_copyButton = nullptr;
    QAction *m_copyPrettyAction = nullptr;
    QLabel *m_messageLabel = nullptr;
    QLabel *m_decodedLabel = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_placeholderPage = nullptr;
    QLabel *m_placeholder = nullptr;
    QProgressBar *m_progress = nullptr;
    QPlainTextEdit *m_edit = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    TextLinesView *m_lines = nullptr;
    QWidget *m_treePage = nullptr;
    JsonTreeView *m_tree = nullptr;
    FindBar *m_findBar = nullptr;
    QToolButton *m_windowButton = nullptr;
};

} // namespace wst
