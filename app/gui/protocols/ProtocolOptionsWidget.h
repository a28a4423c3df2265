#pragma once

#include "protocols/ProtocolOptions.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace wst {

class ProtocolSettingsEditor;

// The "Protocol" page of the request options (and of the server settings): which protocol is
// spoken over the WebSocket, and that protocol's own settings in its ProtocolSettingsEditor.
// Switching protocols keeps what was typed for the others until the tab is closed.
class ProtocolOptionsWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ProtocolOptionsWidget(QWidget *parent = nullptr);

    ProtocolOptions options() const;
    void setOptions(const ProtocolOptions &options);
    QComboBox *protocolCombo() const { return m_combo; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showEditorFor(ProtocolId id);

    QComboBox *m_combo = nullptr;
    QLabel *m_label = nullptr;
    QLabel *m_note = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_empty = nullptr;
    QHash<int, ProtocolSettingsEditor *> m_editors; // by ProtocolId, made when first shown
    bool m_updating = false;
};

} // namespace wst
