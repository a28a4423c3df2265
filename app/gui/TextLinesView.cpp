#include "TextLinesView.h"

#include "JsonHighlighter.h"
#include "format/HexDump.h"
#include "format/JsonFormat.h"

#include <QAction>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace wst {

namespace {

constexpr int Margin = 6;
// Lines longer than this are painted without colours: tokenizing them for every paint would
// cost more than the colours are worth on a line nobody reads whole.
constexpr qsizetype MaxColouredLine = 10000;
constexpr qsizetype HexOffsetChars = 8;
// Where byte i of a hex dump line is drawn (see HexDump::line): its two digits, its character.
constexpr qsizetype HexFirstByteColumn = HexOffsetChars + 2;
constexpr qsizetype HexAsciiColumn = HexFirstByteColumn + HexDump::BytesPerLine * 3 + 1 + 2;

struct Cell
{
    qsizetype line;
    qsizetype col;
    qsizetype n;
};

} // namespace

struct TextLinesView::Source
{
    virtual ~Source() = default;
    virtual qsizetype count() const = 0;
    virtual QString line(qsizetype i) const = 0;
    // Only columns [from, from + n) of a line: what one paint of a very long line needs.
    virtual QString slice(qsizetype i, qsizetype from, qsizetype n) const { return line(i).mid(from, n); }
    virtual qsizetype lineLength(qsizetype i) const = 0;
    virtual qsizetype maxLineLength() const = 0;
    virtual QString all() const = 0;
    virtual bool isHex() const { return false; }
    // Offsets are what find reports: UTF-16 units of the text, or bytes of the hex data.
    virtual qsizetype lineOf(qsizetype offset) const = 0;
    virtual qsizetype offsetOfLine(qsizetype line) const = 0;
    virtual void cells(qsizetype offset, qsizetype length, QList<Cell> &out) const = 0;
};

struct TextLinesView::TextSource : Source
{
    QString text;
    QList<qsizetype> starts;
    qsizetype longest = 0;

    qsizetype count() const override { return starts.size(); }
    QStringView view(qsizetype i) const
    {
        const qsizetype begin = starts.at(i);
        qsizetype end = i + 1 < starts.size() ? starts.at(i + 1) - 1 : text.size();
        if (end > begin && text.at(end - 1) == u'\r')
            --end;
        return QStringView(text).sliced(begin, end - begin);
    }
    QString line(qsizetype i) const override { return view(i).toString(); }
    QString slice(qsizetype i, qsizetype from, qsizetype n) const override
    {
        const QStringView v = view(i);
        return from >= v.size() ? QString() : v.sliced(from, qMin(n, v.size() - from)).toString();
    }
    qsizetype lineLength(qsizetype i) const override { return view(i).size(); }
    qsizetype maxLineLength() const override { return longest; }
    QString all() const override { return text; }
    qsizetype lineOf(qsizetype offset) const override
    {
        return qsizetype(std::upper_bound(starts.cbegin(), starts.cend(), offset) - starts.cbegin()) - 1;
    }
    qsizetype offsetOfLine(qsizetype line) const override
    {
        return line < starts.size() ? starts.at(line) : text.size();
    }
    void cells(qsizetype offset, qsizetype length, QList<Cell> &out) const override
    {
        const qsizetype line = lineOf(offset);
        if (line >= 0)
            out.append({ line, offset - starts.at(line), length });
    }
};

struct TextLinesView::HexSource : Source
{
    QByteArray data;

    qsizetype count() const override { return HexDump::lineCount(data.size()); }
    QString line(qsizetype i) const override { return HexDump::line(data, i); }
    qsizetype lineLength(qsizetype i) const override { return line(i).size(); }
    qsizetype maxLineLength() const override { return data.isEmpty() ? 0 : line(0).size(); }
    QString all() const override { return HexDump::dump(data); }
    bool isHex() const override { return true; }
    qsizetype lineOf(qsizetype offset) const override { return offset / HexDump::BytesPerLine; }
    qsizetype offsetOfLine(qsizetype line) const override { return line * HexDump::BytesPerLine; }
    void cells(qsizetype offset, qsizetype length, QList<Cell> &out) const override
    {
        for (qsizetype b = offset; b < offset + length; ++b) {
            const qsizetype i = b % HexDump::BytesPerLine;
            const qsizetype line = b / HexDump::BytesPerLine;
            out.append({ line, HexFirstByteColumn + i * 3 + (i >= 8 ? 1 : 0), 2 });
            out.append({ line, HexAsciiColumn + i, 1 });
        }
    }
};

TextLinesView::TextLinesView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    changeEvent(nullptr);
}

TextLinesView::~TextLinesView() = default;

QList<qsizetype> TextLinesView::lineStartsOf(QStringView text, qsizetype *maxLineLength)
{
    QList<qsizetype> starts;
    starts.append(0);
    qsizetype longest = 0;
    qsizetype from = 0;
    for (;;) {
        const qsizetype nl = text.indexOf(u'\n', from);
        if (nl < 0) {
            longest = qMax(longest, text.size() - from);
            break;
        }
        longest = qMax(longest, nl - from);
        starts.append(nl + 1);
        from = nl + 1;
    }
    if (maxLineLength)
        *maxLineLength = longest;
    return starts;
}

void TextLinesView::setText(const QString &text, Syntax syntax)
{
    qsizetype longest = 0;
    const QList<qsizetype> starts = lineStartsOf(text, &longest);
    setText(text, starts, longest, syntax);
}

void TextLinesView::setText(
    const QString &text, const QList<qsizetype> &lineStarts, qsizetype maxLineLength, Syntax syntax)
{
    auto source = std::make_unique<TextSource>();
    source->text = text;
    source->starts = lineStarts.isEmpty() ? QList<qsizetype> { 0 } : lineStarts;
    source->longest = maxLineLength;
    m_syntax = syntax;
    setSource(std::move(source));
}

void TextLinesView::setHexData(const QByteArray &data)
{
    auto source = std::make_unique<HexSource>();
    source->data = data;
    m_syntax = Syntax::Plain;
    setSource(std::move(source));
}

void TextLinesView::clear()
{
    setSource(nullptr);
}

void TextLinesView::setSource(std::unique_ptr<Source> source)
{
    m_source = std::move(source);
    m_selFirst = m_selLast = m_anchor = -1;
    m_matches.clear();
    m_matchLength = 0;
    m_currentMatch = -1;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

qsizetype TextLinesView::lineCount() const
{
    return m_source ? m_source->count() : 0;
}

QString TextLinesView::line(qsizetype index) const
{
    return m_source && index >= 0 && index < m_source->count() ? m_source->line(index) : QString();
}

QString TextLinesView::text() const
{
    return m_source ? m_source->all() : QString();
}

bool TextLinesView::isHex() const
{
    return m_source && m_source->isHex();
}

qsizetype TextLinesView::firstVisibleLine() const
{
    return verticalScrollBar()->value();
}

void TextLinesView::scrollToLine(qsizetype index)
{
    verticalScrollBar()->setValue(
        int(qBound(qsizetype(0), index, qsizetype(verticalScrollBar()->maximum()))));
}

void TextLinesView::selectAll()
{
    if (!m_source || m_source->count() == 0)
        return;
    m_selFirst = 0;
    m_selLast = m_source->count() - 1;
    m_anchor = 0;
    viewport()->update();
}

QString TextLinesView::selectedText() const
{
    if (!m_source || m_selFirst < 0)
        return {};
    if (m_selFirst == 0 && m_selLast == m_source->count() - 1)
        return m_source->all();
    QStringList lines;
    lines.reserve(m_selLast - m_selFirst + 1);
    for (qsizetype i = m_selFirst; i <= m_selLast; ++i)
        lines.append(m_source->line(i));
    return lines.join(QLatin1Char('\n'));
}

void TextLinesView::copy() const
{
    if (hasSelection())
        QGuiApplication::clipboard()->setText(selectedText());
}

int TextLinesView::visibleLineCount() const
{
    return qMax(1, viewport()->height() / m_lineHeight);
}

int TextLinesView::gutterWidth() const
{
    if (!m_source || m_source->isHex())
        return 0;
    const int digits = int(QString::number(qMax<qsizetype>(1, m_source->count())).size());
    return (digits + 1) * m_charWidth + Margin;
}

void TextLinesView::updateScrollBars()
{
    const qsizetype lines = lineCount();
    const int page = visibleLineCount();
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, int(qMin<qsizetype>(qMax<qsizetype>(0, lines - page), std::numeric_limits<int>::max())));
    v->setPageStep(page);
    v->setSingleStep(1);

    const qsizetype widthPx
        = m_source ? m_source->maxLineLength() * m_charWidth + 2 * Margin + gutterWidth() : 0;
    QScrollBar *h = horizontalScrollBar();
    h->setRange(0,
        int(qMin<qsizetype>(
            qMax<qsizetype>(0, widthPx - viewport()->width()), std::numeric_limits<int>::max())));
    h->setPageStep(viewport()->width());
    h->setSingleStep(m_charWidth * 4);
}

qsizetype TextLinesView::lineAt(int y) const
{
    if (!m_source || m_source->count() == 0)
        return -1;
    const qsizetype line = verticalScrollBar()->value() + y / m_lineHeight;
    return qBound<qsizetype>(0, line, m_source->count() - 1);
}

void TextLinesView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &pal = palette();
    if (!m_source)
        return;
    painter.setFont(font());
    const QFontMetrics fm(font());
    const int width = viewport()->width();
    const int gutter = gutterWidth();
    const int hOffset = horizontalScrollBar()->value();
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype last = qMin(m_source->count() - 1, first + visibleLineCount());
    const qsizetype fromCol = qMax(0, (hOffset - Margin) / m_charWidth);
    const qsizetype cols = width / m_charWidth + 2;
    const int textX = gutter + Margin + int(fromCol) * m_charWidth - hOffset;
    const QColor textColor = pal.color(QPalette::Text);
    const QColor dimColor = pal.color(QPalette::PlaceholderText);

    if (gutter > 0)
        painter.fillRect(
            QRect(0, 0, gutter - Margin / 2, viewport()->height()), pal.color(QPalette::AlternateBase));
    paintMatches(painter, first, last, textX, fromCol);

    for (qsizetype i = first; i <= last; ++i) {
        const int y = int(i - first) * m_lineHeight;
        const bool selected = m_selFirst >= 0 && i >= m_selFirst && i <= m_selLast;
        const QRect rowRect(gutter, y, width - gutter, m_lineHeight);
        if (selected)
            painter.fillRect(rowRect, pal.color(QPalette::Highlight));
        const int baseline = y + (m_lineHeight - fm.height()) / 2 + fm.ascent();

        if (gutter > 0) {
            painter.setPen(dimColor);
            painter.drawText(QRect(0, y, gutter - Margin, m_lineHeight), Qt::AlignRight | Qt::AlignVCenter,
                QString::number(i + 1));
        }

        painter.save();
        painter.setClipRect(QRect(gutter, y, width - gutter, m_lineHeight));
        QString part = m_source->slice(i, fromCol, cols);
        part.replace(u'\t', u' ');
        const QColor plain = selected ? pal.color(QPalette::HighlightedText) : textColor;
        const qsizetype end = fromCol + part.size();
        auto draw = [&](qsizetype from, qsizetype to, const QColor &color) {
            from = qMax(from, fromCol);
            to = qMin(to, end);
            if (to <= from)
                return;
            painter.setPen(color);
            painter.drawText(
                textX + int(from - fromCol) * m_charWidth, baseline, part.mid(from - fromCol, to - from));
        };
        if (m_syntax == Syntax::Json && !selected && m_source->lineLength(i) <= MaxColouredLine) {
            const QList<JsonFormat::Token> tokens = JsonFormat::tokenizeLine(m_source->line(i));
            qsizetype pos = fromCol;
            for (const JsonFormat::Token &token : tokens) {
                draw(pos, token.start, plain);
                draw(token.start, token.start + token.length, JsonHighlighter::tokenColor(token.type, pal));
                pos = qMax(pos, token.start + token.length);
            }
            draw(pos, end, plain);
        } else if (m_source->isHex() && !selected) {
            // The offset is a coordinate, not content: dimmed, it lets the bytes stand out.
            draw(0, HexOffsetChars, dimColor);
            draw(HexOffsetChars, end, plain);
        } else {
            painter.setPen(plain);
            painter.drawText(textX, baseline, part);
        }
        painter.restore();
    }
}

void TextLinesView::setMatches(const QList<qsizetype> &offsets, qsizetype length)
{
    m_matches = offsets;
    m_matchLength = length;
    m_currentMatch = -1;
    viewport()->update();
}

qsizetype TextLinesView::lineOfOffset(qsizetype offset) const
{
    return m_source ? m_source->lineOf(offset) : -1;
}

void TextLinesView::setCurrentMatch(qsizetype index)
{
    m_currentMatch = index >= 0 && index < m_matches.size() ? index : -1;
    if (m_currentMatch >= 0 && m_source) {
        QList<Cell> cells;
        m_source->cells(m_matches.at(m_currentMatch), m_matchLength, cells);
        if (!cells.isEmpty()) {
            const Cell &cell = cells.constFirst();
            const qsizetype top = firstVisibleLine();
            if (cell.line < top || cell.line >= top + visibleLineCount())
                scrollToLine(cell.line - visibleLineCount() / 3);
            const int x = Margin + int(cell.col) * m_charWidth;
            QScrollBar *h = horizontalScrollBar();
            const int room = viewport()->width() - gutterWidth() - 2 * Margin;
            if (x < h->value() || x + int(cell.n) * m_charWidth > h->value() + room)
                h->setValue(qMax(0, x - room / 3));
        }
    }
    viewport()->update();
}

void TextLinesView::paintMatches(
    QPainter &painter, qsizetype first, qsizetype last, int textX, qsizetype fromCol)
{
    if (m_matches.isEmpty() || m_matchLength <= 0)
        return;
    // Only the matches that can touch the lines on screen: a binary search, not a walk of all.
    const qsizetype begin = m_source->offsetOfLine(first) - m_matchLength + 1;
    const qsizetype end = m_source->offsetOfLine(last + 1);
    auto it = std::lower_bound(m_matches.cbegin(), m_matches.cend(), begin);
    const QColor all = JsonHighlighter::matchColor(palette(), false);
    const QColor current = JsonHighlighter::matchColor(palette(), true);
    QList<Cell> cells;
    for (; it != m_matches.cend() && *it < end; ++it) {
        cells.clear();
        m_source->cells(*it, m_matchLength, cells);
        const QColor &color = (it - m_matches.cbegin()) == m_currentMatch ? current : all;
        for (const Cell &cell : std::as_const(cells)) {
            if (cell.line < first || cell.line > last)
                continue;
            const int x = textX + int(cell.col - fromCol) * m_charWidth;
            painter.fillRect(
                QRect(x, int(cell.line - first) * m_lineHeight, int(cell.n) * m_charWidth, m_lineHeight),
                color);
        }
    }
}

void TextLinesView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TextLinesView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void TextLinesView::changeEvent(QEvent *event)
{
    if (event)
        QAbstractScrollArea::changeEvent(event);
    if (!event || event->type() == QEvent::FontChange) {
        const QFontMetrics fm(font());
        m_charWidth = qMax(1, fm.horizontalAdvance(QLatin1Char('0')));
        m_lineHeight = fm.height() + 2;
        updateScrollBars();
    }
}

void TextLinesView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::SelectAll) {
        selectAll();
        return;
    }
    if (event == QKeySequence::Copy) {
        copy();
        return;
    }
    QScrollBar *v = verticalScrollBar();
    QScrollBar *h = horizontalScrollBar();
    switch (event->key()) {
    case Qt::Key_Up:
        v->triggerAction(QAbstractSlider::SliderSingleStepSub);
        break;
    case Qt::Key_Down:
        v->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        break;
    case Qt::Key_PageUp:
        v->triggerAction(QAbstractSlider::SliderPageStepSub);
        break;
    case Qt::Key_PageDown:
    case Qt::Key_Space:
        v->triggerAction(QAbstractSlider::SliderPageStepAdd);
        break;
    case Qt::Key_Home:
        if (event->modifiers() & Qt::ControlModifier)
            v->triggerAction(QAbstractSlider::SliderToMinimum);
        h->triggerAction(QAbstractSlider::SliderToMinimum);
        break;
    case Qt::Key_End:
        if (event->modifiers() & Qt::ControlModifier)
            v->triggerAction(QAbstractSlider::SliderToMaximum);
        else
            h->triggerAction(QAbstractSlider::SliderToMaximum);
        break;
    case Qt::Key_Left:
        h->triggerAction(QAbstractSlider::SliderSingleStepSub);
        break;
    case Qt::Key_Right:
        h->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        break;
    case Qt::Key_Escape:
        if (hasSelection()) {
            m_selFirst = m_selLast = m_anchor = -1;
            viewport()->update();
            break;
        }
        event->ignore();
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TextLinesView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const qsizetype line = lineAt(int(event->position().y()));
    if (line < 0)
        return;
    if ((event->modifiers() & Qt::ShiftModifier) && m_anchor >= 0) {
        m_selFirst = qMin(m_anchor, line);
        m_selLast = qMax(m_anchor, line);
    } else {
        m_anchor = m_selFirst = m_selLast = line;
    }
    viewport()->update();
}

void TextLinesView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_anchor < 0)
        return;
    const int y = int(event->position().y());
    // Dragging past an edge scrolls, so a selection can grow beyond the visible lines.
    if (y < 0)
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    else if (y > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    const qsizetype line = lineAt(qBound(0, y, viewport()->height() - 1));
    m_selFirst = qMin(m_anchor, line);
    m_selLast = qMax(m_anchor, line);
    viewport()->update();
}

void TextLinesView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(tr("&Copy Lines"), this, [this] { copy(); });
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(hasSelection());
    QAction *allAction = menu.addAction(tr("Select &All"), this, [this] { selectAll(); });
    allAction->setShortcut(QKeySequence::SelectAll);
    menu.exec(event->globalPos());
}

} // namespace wst
