#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

class QPainter;

namespace wst {

// A read-only view of many lines that lays out and paints only the lines on screen, for
// content too large for QPlainTextEdit (whose setPlainText of 20 MB took 3 s on the GUI thread).
// It shows either a text with known line starts, or the hex dump of some bytes, whose lines are
// made on demand so that no dump string exists at all. Selection is by whole lines.
class TextLinesView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    enum class Syntax { Plain, Json };

    explicit TextLinesView(QWidget *parent = nullptr);
    ~TextLinesView() override;

    // Shows text split at '\n'. lineStarts may be given when already computed (for example off
    // the GUI thread); maxLineLength is then the longest line in UTF-16 units.
    void setText(const QString &text, Syntax syntax = Syntax::Plain);
    void setText(const QString &text, const QList<qsizetype> &lineStarts, qsizetype maxLineLength,
        Syntax syntax = Syntax::Plain);
    void setHexData(const QByteArray &data);
    void clear();

    qsizetype lineCount() const;
    QString line(qsizetype index) const;
    // The whole content as text (what Select All + Copy puts on the clipboard).
    QString text() const;
    bool isHex() const;

    qsizetype firstVisibleLine() const;
    void scrollToLine(qsizetype index);
    void selectAll();
    void copy() const;
    bool hasSelection() const { return m_selFirst >= 0; }
    QString selectedText() const;

    // Find: the matches to highlight, as offsets into the text (UTF-16) or the hex data (bytes),
    // ascending, each `length` long; the current one is drawn stronger and scrolled into view.
    void setMatches(const QList<qsizetype> &offsets, qsizetype length);
    void setCurrentMatch(qsizetype index);
    qsizetype currentMatch() const { return m_currentMatch; }
    // The line of a text offset (or a hex byte offset): where a match is shown.
    qsizetype lineOfOffset(qsizetype offset) const;

    // Splits text at '\n' and reports the longest line: what setText needs, callable on any thread.
    static QList<qsizetype> lineStartsOf(QStringView text, qsizetype *maxLineLength);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Source;
    struct TextSource;
    struct HexSource;

    void setSource(std::unique_ptr<Source> source);
    void updateScrollBars();
    int visibleLineCount() const;
    qsizetype lineAt(int y) const;
    int gutterWidth() const;
    void paintMatches(QPainter &painter, qsizetype first, qsizetype last, int textX, qsizetype fromCol);

    std::unique_ptr<Source> m_source;
    Syntax m_syntax = Syntax::Plain;
    int m_charWidth = 8;
    int m_lineHeight = 16;
    qsizetype m_selFirst = -1;
    qsizetype m_selLast = -1;
    qsizetype m_anchor = -1;
    QList<qsizetype> m_matches;
    qsizetype m_matchLength = 0;
    qsizetype m_currentMatch = -1;
};

} // namespace wst
