#pragma once

#include "format/DecoderSetting.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace wst {

// Chooses how a client tab reads binary payloads (Decoder…): none, MessagePack, CBOR or
// Protocol Buffers with its .proto files, import paths, the message type of each direction and
// an optional first-byte rule. The .proto files are read as they are added, so the type lists
// come from them and their first problem shows in one red line. OK refuses a setting that
// cannot be used: it says why and the dialog stays open with everything as typed.
class DecoderDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DecoderDialog(const DecoderSetting &setting, QWidget *parent = nullptr);

    // What the fields say now (checked only by accept()).
    DecoderSetting setting() const;
    // The line under the fields: why OK was refused; empty when it was not.
    QString problemText() const;
    // The .proto files' first problem ("chat.proto:3:9: …"), or empty.
    QString schemaError() const;
    // The message types the loaded files define (for the two type lists).
    QStringList messageTypes() const { return m_types; }

    void addProtoFile(const QString &path);

public Q_SLOTS:
    void accept() override;

private:
    void updateProtobufVisible();
    void reloadSchema();
    void setProblem(const QString &text);
    // "1=chat.v1.Ping, 2=chat.v1.Pong" to the rule; false with *error when it cannot be read.
    bool parseFirstByte(QMap<int, QString> *rule, QString *error) const;
    QStringList importPaths() const;

    QComboBox *m_codec = nullptr;
    QGroupBox *m_protobuf = nullptr;
    QListWidget *m_files = nullptr;
    QPushButton *m_addFile = nullptr;
    QPushButton *m_removeFile = nullptr;
    QLineEdit *m_importPaths = nullptr;
    QComboBox *m_typeIn = nullptr;
    QComboBox *m_typeOut = nullptr;
    QLineEdit *m_firstByte = nullptr;
    QLabel *m_schemaLabel = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QStringList m_types;
    QString m_schemaError;
};

} // namespace wst
