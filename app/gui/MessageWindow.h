#pragma once

#include "DetailPane.h"

#include <QWidget>

namespace wst {

// One message to read large: a window of its own with the detail pane's views (text, JSON,
// tree, hex) and find (Ctrl+F). It is not modal, several can be open, and it belongs to the
// history it came from, so closing that tab closes its message windows.
class MessageWindow : public QWidget
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    // parent: the widget whose destruction closes the window (it still shows as a window).
    MessageWindow(const DetailPane::Message &message, DetailPane::Mode mode, QWidget *parent);

    DetailPane *detailPane() const { return m_detail; }

private:
    DetailPane *m_detail = nullptr;
    // What the title says, for a change of language.
    qint64 m_storeIndex = -1;
    Direction m_direction = Direction::Event;
    Kind m_kind = Kind::Info;
};

} // namespace wst
