#pragma once

#include "format/TextSearch.h"

#include <QByteArray>
#include <QFuture>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace wst {

class TextLinesView;

// Find inside one message: a bar with the text to find, match case, previous/next and "3 of 41".
// It searches what the pane shows (the text or pretty JSON, or the bytes of the hex view) and
// highlights in the view that shows it. A large content is searched in a worker thread, so
// typing into the bar over a 10 MB message never blocks the window.
class FindBar : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit FindBar(QWidget *parent = nullptr);
    ~FindBar() override;

    // What to search, and where to show the matches; the search runs again if one is typed.
    void setContent(const QString &text, QPlainTextEdit *edit);
    void setContent(const QString &text, TextLinesView *lines);
    void setHexContent(const QByteArray &bytes, TextLinesView *lines);
    // Nothing to search (no message, the tree view): the bar says why.
    void setUnavailable(const QString &why);

    QLineEdit *lineEdit() const { return m_edit; }
    QString countText() const;
    qsizetype matchCount() const { return m_result.offsets.size(); }
    // The current match (0-based), -1 when none.
    qsizetype currentIndex() const { return m_current; }
    qsizetype currentOffset() const;
    bool isSearching() const { return m_searching; }

    // Above this size (UTF-16 units or bytes) the search runs in a worker.
    static constexpr qsizetype AsyncThreshold = 512 << 10;

public Q_SLOTS:
    // Shows the bar and puts the cursor in it (Ctrl+F).
    void open();
    void findNext();
    void findPrevious();
    void close();

Q_SIGNALS:
    // A search is done and the count is shown (also when it found nothing).
    void searched();
    void currentChanged(qsizetype index);
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search();
    void applyResult(const TextSearch::Result &result);
    void moveTo(qsizetype index);
    void highlight();
    void clearHighlights();
    void updateLabel();
    void resetContent();

    QLineEdit *m_edit = nullptr;
    QToolButton *m_caseButton = nullptr;
    QToolButton *m_previousButton = nullptr;
    QToolButton *m_nextButton = nullptr;
    QToolButton *m_closeButton = nullptr;
    QLabel *m_countLabel = nullptr;
    QTimer m_debounce;

    QString m_text;
    QByteArray m_bytes;
    bool m_hex = false;
    bool m_available = false;
    bool m_highlighted = false;
    QPointer<QPlainTextEdit> m_textEdit;
    QPointer<TextLinesView> m_lines;

    TextSearch::Result m_result;
    qsizetype m_current = -1;
    bool m_searching = false;
    quint64 m_generation = 0;
    QFuture<TextSearch::Result> m_pending;
};

} // namespace wst
