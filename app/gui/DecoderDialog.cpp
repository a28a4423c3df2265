#include "DecoderDialog.h"

#include "Dialogs.h"
#include "GuiHelpers.h"
#include "Theme.h"
#include "format/PayloadCodec.h"
#include "format/ProtoSchema.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace wst {

namespace {

QComboBox *makeTypeCombo(QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    // Editable: a type can be typed before its file loads, and the list is long in big schemas.
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->setMinimumContentsLength(28);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    return combo;
}

QString firstByteText(const QMap<int, QString> &rule)
{
    QStringList parts;
    for (auto it = rule.cbegin(); it != rule.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(QStringLiteral(", "));
}

} // namespace

DecoderDialog::DecoderDialog(const DecoderSetting &setting, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("decoderDialog"));
    setWindowTitle(tr("Decoder"));

    auto *intro = new QLabel(tr("How this tab reads binary messages in the message details. The history "
                                "and Hex keep the bytes as received."),
        this);
    intro->setWordWrap(true);

    m_codec = new QComboBox(this);
    gui::describe(m_codec, QStringLiteral("decoderCodecCombo"), tr("Decoder"),
        tr("How binary payloads are read: not at all (hex), MessagePack, CBOR, BSON or Protocol Buffers"));
    for (DecoderSetting::Codec codec : { DecoderSetting::Codec::None, DecoderSetting::Codec::MessagePack,
             DecoderSetting::Codec::Cbor, DecoderSetting::Codec::Bson, DecoderSetting::Codec::Protobuf })
        m_codec->addItem(
            codec == DecoderSetting::Codec::None ? tr("None (hex)") : DecoderSetting::label(codec),
            int(codec));

    m_protobuf = new QGroupBox(tr("Protocol Buffers"), this);
    m_protobuf->setObjectName(QStringLiteral("decoderProtobufGroup"));

    m_files = new QListWidget(m_protobuf);
    gui::describe(m_files, QStringLiteral("decoderFilesList"), tr(".proto files"),
        tr("The .proto files that define the messages; their imports are found in the import paths"));
    m_files->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_files->setTextElideMode(Qt::ElideMiddle);
    m_files->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_files->setFixedHeight(fontMetrics().lineSpacing() * 5);
    m_addFile = new QPushButton(tr("&Add\u2026"), m_protobuf);
    gui::describe(m_addFile, QStringLiteral("decoderAddFileButton"), tr("Add a .proto file"),
        tr("Choose a .proto file to read"));
    m_removeFile = new QPushButton(tr("&Remove"), m_protobuf);
    gui::describe(m_removeFile, QStringLiteral("decoderRemoveFileButton"), tr("Remove the .proto files"),
        tr("Remove the selected .proto files from the list"));
    auto *fileButtons = new QVBoxLayout;
    fileButtons->addWidget(m_addFile);
    fileButtons->addWidget(m_removeFile);
    fileButtons->addStretch(1);
    auto *filesRow = new QHBoxLayout;
    filesRow->addWidget(m_files, 1);
    filesRow->addLayout(fileButtons);

    m_importPaths = new QLineEdit(m_protobuf);
    gui::describe(m_importPaths, QStringLiteral("decoderImportPathsEdit"), tr("Import paths"),
        tr("Folders where imported .proto files are looked for, separated by \u201c%1\u201d; the folder of "
           "each file is searched too")
            .arg(QDir::listSeparator()));
    m_typeIn = makeTypeCombo(m_protobuf);
    gui::describe(m_typeIn, QStringLiteral("decoderTypeInCombo"), tr("Type of received messages"),
        tr("The message type that received binary messages are read as"));
    m_typeOut = makeTypeCombo(m_protobuf);
    gui::describe(m_typeOut, QStringLiteral("decoderTypeOutCombo"), tr("Type of sent messages"),
        tr("The message type that sent binary messages are read as"));
    m_firstByte = new QLineEdit(m_protobuf);
    gui::describe(m_firstByte, QStringLiteral("decoderFirstByteEdit"), tr("First-byte rule"),
        tr("Optional: when the first byte of a payload names its type, list byte=type pairs; the rest of "
           "the payload is the message. Bytes not listed use the type of their direction."));
    m_firstByte->setPlaceholderText(tr("e.g. 1=chat.v1.Ping, 2=chat.v1.Pong"));
    m_schemaLabel = new QLabel(m_protobuf);
    m_schemaLabel->setObjectName(QStringLiteral("decoderSchemaLabel"));
    m_schemaLabel->setAccessibleName(tr("The .proto files"));
    m_schemaLabel->setToolTip(tr("What reading the .proto files gave"));
    m_schemaLabel->setWordWrap(true);
    m_schemaLabel->setTextFormat(Qt::PlainText);
    m_schemaLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout(m_protobuf);
    form->addRow(tr("Files:"), filesRow);
    form->addRow(tr("Import paths:"), m_importPaths);
    form->addRow(tr("Received as:"), m_typeIn);
    form->addRow(tr("Sent as:"), m_typeOut);
    form->addRow(tr("First byte:"), m_firstByte);
    form->addRow(m_schemaLabel);

    m_problem = gui::makeErrorLabel(QStringLiteral("decoderProblemLabel"), this);
    // Its accessible name is the problem itself (gui::setInlineError).
    m_problem->setToolTip(tr("Why the decoder cannot be used as it is"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("decoderButtons"));
    gui::describe(m_buttons->button(QDialogButtonBox::Ok), QStringLiteral("decoderOkButton"),
        tr("Use this decoder"), tr("Use this decoder for the tab's binary messages"));
    gui::describe(m_buttons->button(QDialogButtonBox::Cancel), QStringLiteral("decoderCancelButton"),
        tr("Cancel"), tr("Keep the decoder the tab had"));

    auto *top = new QFormLayout;
    top->addRow(tr("&Decoder:"), m_codec);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(top);
    layout->addWidget(m_protobuf, 1);
    layout->addWidget(m_problem);
    layout->addStretch(0);
    layout->addWidget(m_buttons);
    // Wide enough for a path and a qualified type name, whichever codec is chosen.
    setMinimumWidth(fontMetrics().averageCharWidth() * 80);

    m_codec->setCurrentIndex(qMax(0, m_codec->findData(int(setting.codec))));
    for (const QString &file : setting.protoFiles) {
        m_files->addItem(file);
        m_files->item(m_files->count() - 1)->setToolTip(file);
    }
    m_importPaths->setText(setting.importPaths.join(QDir::listSeparator()));
    m_typeIn->setCurrentText(setting.typeIn);
    m_typeOut->setCurrentText(setting.typeOut);
    m_firstByte->setText(firstByteText(setting.typeByFirstByte));
    reloadSchema();
    updateProtobufVisible();

    connect(m_codec, &QComboBox::currentIndexChanged, this, [this] {
        updateProtobufVisible();
        setProblem({});
    });
    connect(m_addFile, &QPushButton::clicked, this, [this] {
        const QString file = Dialogs::getOpenFileName(
            this, tr("Add a .proto File"), {}, tr("Protocol Buffers (*.proto);;All files (*)"));
        if (!file.isEmpty())
            addProtoFile(file);
    });
    connect(m_removeFile, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_files->selectedItems());
        reloadSchema();
    });
    connect(m_files, &QListWidget::itemSelectionChanged, this,
        [this] { m_removeFile->setEnabled(!m_files->selectedItems().isEmpty()); });
    m_removeFile->setEnabled(false);
    connect(m_importPaths, &QLineEdit::editingFinished, this, &DecoderDialog::reloadSchema);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DecoderDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &DecoderDialog::reject);
}

void DecoderDialog::addProtoFile(const QString &path)
{
    const QString file = QDir::cleanPath(path);
    if (m_files->findItems(file, Qt::MatchExactly).isEmpty())
        m_files->addItem(file);
    m_files->item(m_files->count() - 1)->setToolTip(file);
    reloadSchema();
}

QStringList DecoderDialog::importPaths() const
{
    QStringList paths;
    for (const QString &part : m_importPaths->text().split(QDir::listSeparator(), Qt::SkipEmptyParts)) {
        if (const QString path = part.trimmed(); !path.isEmpty())
            paths << path;
    }
    return paths;
}

DecoderSetting DecoderDialog::setting() const
{
    DecoderSetting s;
    s.codec = DecoderSetting::Codec(m_codec->currentData().toInt());
    if (s.codec != DecoderSetting::Codec::Protobuf)
        return s; // what the protobuf fields hold stays in the dialog only
    for (int i = 0; i < m_files->count(); ++i)
        s.protoFiles << m_files->item(i)->text();
    s.importPaths = importPaths();
    s.typeIn = m_typeIn->currentText().trimmed();
    s.typeOut = m_typeOut->currentText().trimmed();
    QString ignored;
    parseFirstByte(&s.typeByFirstByte, &ignored);
    return s;
}

bool DecoderDialog::parseFirstByte(QMap<int, QString> *rule, QString *error) const
{
    static const QRegularExpression pair(QStringLiteral("^\\s*(\\d{1,3})\\s*=\\s*([A-Za-z_][\\w.]*)\\s*$"));
    for (const QString &part : m_firstByte->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (part.trimmed().isEmpty())
            continue;
        const QRegularExpressionMatch m = pair.match(part);
        if (!m.hasMatch()) {
            *error = tr("First byte: \u201c%1\u201d is not byte=type.").arg(part.trimmed());
            return false;
        }
        rule->insert(m.captured(1).toInt(), m.captured(2));
    }
    return true;
}

void DecoderDialog::accept()
{
    QString problem;
    QMap<int, QString> rule;
    const DecoderSetting s = setting();
    if (s.codec == DecoderSetting::Codec::Protobuf && !parseFirstByte(&rule, &problem)) {
        setProblem(problem);
        return;
    }
    problem = s.validate();
    if (problem.isEmpty() && !s.isNone())
        PayloadCodec::create(s, &problem);
    if (!problem.isEmpty()) {
        setProblem(problem);
        return;
    }
    setProblem({});
    QDialog::accept();
}

QString DecoderDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

QString DecoderDialog::schemaError() const
{
    return m_schemaError;
}

void DecoderDialog::setProblem(const QString &text)
{
    gui::setInlineError(m_problem, text);
}

void DecoderDialog::updateProtobufVisible()
{
    m_protobuf->setVisible(m_codec->currentData().toInt() == int(DecoderSetting::Codec::Protobuf));
    adjustSize();
}

void DecoderDialog::reloadSchema()
{
    QStringList files;
    for (int i = 0; i < m_files->count(); ++i)
        files << m_files->item(i)->text();
    m_types.clear();
    m_schemaError.clear();
    if (files.isEmpty()) {
        theme::clearColour(m_schemaLabel, QPalette::WindowText);
        m_schemaLabel->setText(tr("Add the .proto files that define the messages."));
    } else if (const auto schema = ProtoSchema::load(files, importPaths(), &m_schemaError)) {
        m_types = schema->messageTypes();
        theme::clearColour(m_schemaLabel, QPalette::WindowText);
        m_schemaLabel->setText(tr("Message types defined: %1.").arg(m_types.size()));
    } else {
        theme::setColour(m_schemaLabel, QPalette::WindowText, theme::Role::ErrorText);
        m_schemaLabel->setText(m_schemaError);
    }
    for (QComboBox *combo : { m_typeIn, m_typeOut }) {
        const QString current = combo->currentText();
        combo->clear();
        combo->addItems(m_types);
        combo->setCurrentText(current);
    }
}

} // namespace wst
