#include "FindBar.h"

#include "JsonHighlighter.h"
#include "TextLinesView.h"
#include "messages/WorkerPool.h"

#include <QApplication>
#include <QEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPromise>
#include <QTextBlock>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

namespace wst {

namespace {

// QPlainTextEdit repaints every extra selection on each change: past this many, only the
// current match is marked there (the count still says how many there are).
constexpr qsizetype MaxEditorHighlights = 2000;

QToolButton *makeButton(
    QWidget *parent, const QString &name, const QString &text, const QString &accessible, const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setAutoRaise(true);
    button->setAccessibleName(accessible);
    button->setToolTip(tip);
    button->setFocusPolicy(Qt::TabFocus);
    return button;
}

} // namespace

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("findBar"));

    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("findEdit"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);

    m_caseButton = makeButton(this, QStringLiteral("findCaseButton"), QStringLiteral("Aa"), {}, {});
    m_caseButton->setCheckable(true);
    m_previousButton
        = makeButton(this, QStringLiteral("findPreviousButton"), QStringLiteral("\u2191"), {}, {});
    m_nextButton = makeButton(this, QStringLiteral("findNextButton"), QStringLiteral("\u2193"), {}, {});
    m_closeButton = makeButton(this, QStringLiteral("findCloseButton"), QStringLiteral("\u2715"), {}, {});

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("findCountLabel"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    m_countLabel->setMinimumWidth(
        m_countLabel->fontMetrics().horizontalAdvance(QStringLiteral("000,000 of 000,000+")));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_caseButton);
    layout->addWidget(m_countLabel);
    layout->addWidget(m_previousButton);
    layout->addWidget(m_nextButton);
    layout->addWidget(m_closeButton);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(200);
    connect(&m_debounce, &QTimer::timeout, this, &FindBar::search);
    connect(m_edit, &QLineEdit::textChanged, this, [this] {
        // A small content is searched at each key; a large one after a pause in typing.
        if (qMax(m_text.size(), m_bytes.size()) > AsyncThreshold)
            m_debounce.start();
        else
            search();
    });
    connect(m_caseButton, &QToolButton::toggled, this, &FindBar::search);
    connect(m_previousButton, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(m_nextButton, &QToolButton::clicked, this, &FindBar::findNext);
    connect(m_closeButton, &QToolButton::clicked, this, &FindBar::close);
    hide();
    retranslateUi();
}

FindBar::~FindBar()
{
    m_pending.cancel();
}

void FindBar::resetContent()
{
    clearHighlights();
    m_text.clear();
    m_bytes.clear();
    m_textEdit = nullptr;
    m_lines = nullptr;
    m_available = true;
    m_hex = false;
    m_edit->setEnabled(true);
    m_edit->setPlaceholderText(tr("Find in message\u2026"));
}

void FindBar::setContent(const QString &text, QPlainTextEdit *edit)
{
    resetContent();
    m_text = text;
    m_textEdit = edit;
    if (isVisible())
        search();
}

void FindBar::setContent(const QString &text, TextLinesView *lines)
{
    resetContent();
    m_text = text;
    m_lines = lines;
    if (isVisible())
        search();
}

void FindBar::setHexContent(const QByteArray &bytes, TextLinesView *lines)
{
    resetContent();
    m_bytes = bytes;
    m_hex = true;
    m_lines = lines;
    if (isVisible())
        search();
}

void FindBar::setUnavailable(const QString &why)
{
    resetContent();
    m_available = false;
    ++m_generation;
    m_pending.cancel();
    m_searching = false;
    m_result = {};
    m_current = -1;
    m_edit->setEnabled(false);
    m_edit->setPlaceholderText(why);
    updateLabel();
}

void FindBar::open()
{
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
    if (!m_edit->text().isEmpty() && m_result.offsets.isEmpty())
        search();
}

void FindBar::close()
{
    ++m_generation;
    m_pending.cancel();
    m_debounce.stop();
    m_searching = false;
    clearHighlights();
    m_result = {};
    m_current = -1;
    updateLabel();
    // Focus goes back to what was searched, so the keys go on reading it.
    QWidget *target = m_textEdit ? static_cast<QWidget *>(m_textEdit.data()) : m_lines.data();
    const bool hadFocus = isAncestorOf(QApplication::focusWidget());
    hide();
    if (target && hadFocus && target->isVisible())
        target->setFocus(Qt::OtherFocusReason);
    Q_EMIT closed();
}

void FindBar::search()
{
    m_debounce.stop();
    const quint64 generation = ++m_generation;
    m_pending.cancel();
    const QString needle = m_edit->text();
    const Qt::CaseSensitivity cs = m_caseButton->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (!m_available || needle.isEmpty()) {
        m_searching = false;
        applyResult({});
        return;
    }
    const qsizetype size = m_hex ? m_bytes.size() : m_text.size();
    if (size <= AsyncThreshold) {
        m_searching = false;
        applyResult(m_hex ? TextSearch::findInBytes(m_bytes, TextSearch::bytesNeedle(needle), cs)
                          : TextSearch::findInText(m_text, needle, cs));
        return;
    }
    m_searching = true;
    clearHighlights();
    m_result = {};
    m_current = -1;
    updateLabel();
    m_pending = QtConcurrent::run(
        workerPool(),
        [](QPromise<TextSearch::Result> &promise, const QString &text, const QByteArray &bytes, bool hex,
            const QString &needle, Qt::CaseSensitivity cs) {
            const auto canceled = [&promise] { return promise.isCanceled(); };
            if (canceled())
                return;
            promise.addResult(hex
                    ? TextSearch::findInBytes(bytes, TextSearch::bytesNeedle(needle), cs, canceled)
                    : TextSearch::findInText(text, needle, cs, canceled));
        },
        m_text, m_bytes, m_hex, needle, cs);
    auto *watcher = new QFutureWatcher<TextSearch::Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        const QFuture<TextSearch::Result> future = watcher->future();
        // A result for another text, needle or message is dropped.
        if (generation != m_generation || future.isCanceled() || future.resultCount() == 0)
            return;
        m_searching = false;
        applyResult(future.result());
    });
    watcher->setFuture(m_pending);
}

void FindBar::applyResult(const TextSearch::Result &result)
{
    clearHighlights();
    m_result = result;
    m_current = -1;
    highlight();
    if (!m_result.offsets.isEmpty())
        moveTo(0);
    updateLabel();
    Q_EMIT searched();
}

void FindBar::findNext()
{
    if (!isVisible()) {
        open();
        return;
    }
    if (m_result.offsets.isEmpty())
        return;
    moveTo((m_current + 1) % m_result.offsets.size());
}

void FindBar::findPrevious()
{
    if (!isVisible()) {
        open();
        return;
    }
    if (m_result.offsets.isEmpty())
        return;
    const qsizetype n = m_result.offsets.size();
    moveTo((m_current - 1 + n) % n);
}

qsizetype FindBar::currentOffset() const
{
    return m_current >= 0 ? m_result.offsets.at(m_current) : -1;
}

void FindBar::moveTo(qsizetype index)
{
    m_current = index;
    if (m_lines) {
        m_lines->setCurrentMatch(index);
    } else if (m_textEdit) {
        QTextCursor cursor(m_textEdit->document());
        cursor.setPosition(int(m_result.offsets.at(index)));
        cursor.setPosition(int(m_result.offsets.at(index) + m_result.length), QTextCursor::KeepAnchor);
        m_textEdit->setTextCursor(cursor);
        m_textEdit->ensureCursorVisible();
    }
    updateLabel();
    Q_EMIT currentChanged(index);
}

void FindBar::highlight()
{
    m_highlighted = true;
    if (m_lines) {
        m_lines->setMatches(m_result.offsets, m_result.length);
        return;
    }
    if (!m_textEdit)
        return;
    QList<QTextEdit::ExtraSelection> marks;
    const qsizetype n = qMin(m_result.offsets.size(), MaxEditorHighlights);
    marks.reserve(n);
    QTextEdit::ExtraSelection mark;
    mark.format.setBackground(JsonHighlighter::matchColor(palette(), false));
    for (qsizetype i = 0; i < n; ++i) {
        mark.cursor = QTextCursor(m_textEdit->document());
        mark.cursor.setPosition(int(m_result.offsets.at(i)));
        mark.cursor.setPosition(int(m_result.offsets.at(i) + m_result.length), QTextCursor::KeepAnchor);
        marks.append(mark);
    }
    m_textEdit->setExtraSelections(marks);
}

void FindBar::clearHighlights()
{
    // Only marks of ours are removed: the pane's own (a JSON error) stay.
    if (!m_highlighted)
        return;
    m_highlighted = false;
    if (m_lines)
        m_lines->setMatches({}, 0);
    if (m_textEdit) {
        m_textEdit->setExtraSelections({});
        QTextCursor cursor = m_textEdit->textCursor();
        cursor.clearSelection();
        m_textEdit->setTextCursor(cursor);
    }
}

QString FindBar::countText() const
{
    return m_countLabel->text();
}

void FindBar::updateLabel()
{
    const QLocale locale;
    const qsizetype n = m_result.offsets.size();
    QString text;
    if (m_searching)
        text = tr("Searching\u2026");
    else if (!m_available || m_edit->text().isEmpty())
        text.clear();
    else if (n == 0)
        text = tr("No matches");
    else
        text = tr("%1 of %2")
                   .arg(locale.toString(m_current + 1),
                       m_result.capped ? locale.toString(n) + u'+' : locale.toString(n));
    m_countLabel->setText(text);
    m_previousButton->setEnabled(n > 0);
    m_nextButton->setEnabled(n > 0);
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            // Enter right after typing into a large message waits for no pause: search now.
            if (m_debounce.isActive())
                search();
            else if (key->modifiers() & Qt::ShiftModifier)
                findPrevious();
            else
                findNext();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            close();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FindBar::retranslateUi()
{
    setAccessibleName(tr("Find in message"));
    m_edit->setAccessibleName(tr("Text to find"));
    m_edit->setToolTip(tr("Enter: next match, Shift+Enter: previous (also F3 and Shift+F3), Esc: close. "
                          "In the hex view, hex digits find those bytes."));
    m_countLabel->setAccessibleName(tr("Matches"));
    m_caseButton->setAccessibleName(tr("Match case"));
    m_caseButton->setToolTip(tr("Match upper and lower case exactly"));
    m_previousButton->setAccessibleName(tr("Previous match"));
    m_previousButton->setToolTip(tr("Go to the previous match (Shift+Enter, Shift+F3)"));
    m_nextButton->setAccessibleName(tr("Next match"));
    m_nextButton->setToolTip(tr("Go to the next match (Enter, F3)"));
    m_closeButton->setAccessibleName(tr("Close find"));
    m_closeButton->setToolTip(tr("Close the find bar (Esc)"));
    if (m_edit->isEnabled())
        m_edit->setPlaceholderText(tr("Find in message\u2026"));
    updateLabel();
}

} // namespace wst
