// The composer's recent messages: kept after each send, recalled with Ctrl+Up / Ctrl+Down
// (the draft in progress comes back last) or picked from the Recent menu.
#include "ComposerWidget.h"

#include "compose/MessageFormat.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTextCursor>
#include <QToolButton>

namespace wst {

void ComposerWidget::remember(const Entry &entry)
{
    m_recent.removeAll(entry);
    m_recent.prepend(entry);
    while (m_recent.size() > MaxRecent)
        m_recent.removeLast();
    m_recallPos = -1;
    rebuildRecentMenu();
}

void ComposerWidget::applyEntry(const Entry &entry)
{
    m_applying = true;
    setMode(entry.mode);
    if (entry.mode == Mode::File) {
        setFilePath(entry.text);
    } else {
        setText(entry.text);
        QTextCursor cursor = m_editor->textCursor();
        cursor.movePosition(QTextCursor::End);
        m_editor->setTextCursor(cursor);
    }
    m_applying = false;
}

void ComposerWidget::recallOlder()
{
    if (m_recallPos + 1 >= m_recent.size())
        return;
    if (m_recallPos == -1)
        m_draft = { m_mode, m_mode == Mode::File ? m_filePath : text() };
    ++m_recallPos;
    applyEntry(m_recent.at(m_recallPos));
}

void ComposerWidget::recallNewer()
{
    if (m_recallPos < 0)
        return;
    --m_recallPos;
    const int pos = m_recallPos;
    applyEntry(pos < 0 ? m_draft : m_recent.at(pos));
    m_recallPos = pos;
}

void ComposerWidget::rebuildRecentMenu()
{
    m_recentMenu->clear();
    m_recentButton->setEnabled(!m_recent.isEmpty());
    const QFontMetrics fm(m_recentMenu->font());
    for (int i = 0; i < m_recent.size(); ++i) {
        const Entry &e = m_recent.at(i);
        QString preview = e.mode == Mode::File ? QFileInfo(e.text).fileName() : e.text.simplified();
        if (preview.isEmpty())
            preview = tr("(empty)");
        preview = fm.elidedText(preview, Qt::ElideRight, 420);
        QAction *action
            = m_recentMenu->addAction(tr("%1 \u2014 %2").arg(MessageFormat::label(e.mode), preview));
        action->setToolTip(e.text.left(2000));
        connect(action, &QAction::triggered, this, [this, i] {
            if (i < m_recent.size()) {
                applyEntry(m_recent.at(i));
                m_recallPos = -1;
                m_editor->setFocus();
            }
        });
    }
    if (!m_recent.isEmpty()) {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("Clear recent messages"));
        connect(clear, &QAction::triggered, this, [this] {
            m_recent.clear();
            m_recallPos = -1;
            rebuildRecentMenu();
        });
    }
}

} // namespace wst
