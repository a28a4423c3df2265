#include "ScenarioEditor.h"

#include "GuiHelpers.h"
#include "Theme.h"
#include "scenario/ScenarioParser.h"

#include <QEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTextBlock>
#include <QVBoxLayout>

namespace wst {

ScenarioEditor::ScenarioEditor(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_error(gui::makeErrorLabel(QStringLiteral("scenarioErrorLabel"), this))
{
    m_edit->setObjectName(QStringLiteral("scenarioTextEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setTabChangesFocus(false);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_error);

    // Ctrl+S is also the window's Save Session: taken here first, while the text has focus
    // (two shortcuts on one key would be ambiguous and neither would fire).
    m_edit->installEventFilter(this);

    m_checkTimer.setSingleShot(true);
    m_checkTimer.setInterval(CheckDelayMs);
    connect(&m_checkTimer, &QTimer::timeout, this, [this] { check(); });
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] { m_checkTimer.start(); });
    connect(
        m_edit->document(), &QTextDocument::modificationChanged, this, &ScenarioEditor::modificationChanged);
    retranslateUi();
}

void ScenarioEditor::retranslateUi()
{
    m_edit->setAccessibleName(tr("Scenario file"));
    m_edit->setToolTip(tr("The scenario as JSON (*.wstest.json); it is checked as you type. "
                          "Ctrl+S saves it."));
    m_edit->setPlaceholderText(tr("Open a scenario file or start a new one."));
}

bool ScenarioEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Save)) {
            event->accept();
            if (event->type() == QEvent::KeyPress)
                Q_EMIT saveRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ScenarioEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        if (!m_edit->toPlainText().isEmpty())
            check(); // the parser's message in the new language
    }
    QWidget::changeEvent(event);
}

QString ScenarioEditor::text() const
{
    return m_edit->toPlainText();
}

void ScenarioEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
    m_edit->document()->setModified(false);
    m_checkTimer.stop();
    if (text.isEmpty())
        showError({});
    else
        check();
}

bool ScenarioEditor::isModified() const
{
    return m_edit->document()->isModified();
}

void ScenarioEditor::setModified(bool modified)
{
    m_edit->document()->setModified(modified);
}

void ScenarioEditor::setFileName(const QString &fileName)
{
    m_fileName = fileName;
}

void ScenarioEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

std::optional<Scenario> ScenarioEditor::check(QString *error)
{
    m_checkTimer.stop();
    QString problem;
    std::optional<Scenario> scenario
        = ScenarioParser::parse(m_edit->toPlainText().toUtf8(), m_fileName, &problem);
    showError(scenario ? QString() : problem);
    if (error)
        *error = problem;
    Q_EMIT checked(scenario.has_value());
    return scenario;
}

QString ScenarioEditor::errorText() const
{
    return m_error->text();
}

void ScenarioEditor::showError(const QString &error)
{
    // "file:line:column: message": the file name may itself hold colons, so read from the end.
    static const QRegularExpression where(QStringLiteral("^(.*):(\\d+):(\\d+): "));
    const QRegularExpressionMatch m = where.match(error);
    m_errorLine = m.hasMatch() ? m.captured(2).toInt() : 0;
    m_errorColumn = m.hasMatch() ? m.captured(3).toInt() : 0;
    gui::setInlineError(m_error, error, m_edit);

    QList<QTextEdit::ExtraSelection> marks;
    const QTextBlock block = m_edit->document()->findBlockByNumber(m_errorLine - 1);
    if (m_errorLine > 0 && block.isValid()) {
        QTextEdit::ExtraSelection line;
        line.format.setBackground(theme::colour(theme::Role::ErrorLineBackground));
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = QTextCursor(block);
        marks.append(line);
        // The column itself, underlined, so the mark does not rely on colour alone.
        QTextEdit::ExtraSelection column;
        column.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        column.format.setUnderlineColor(theme::colour(theme::Role::ErrorText));
        column.cursor = QTextCursor(block);
        column.cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
            qBound(0, m_errorColumn - 1, qMax(0, block.length() - 2)));
        column.cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor);
        marks.append(column);
    }
    m_edit->setExtraSelections(marks);
}

} // namespace wst
