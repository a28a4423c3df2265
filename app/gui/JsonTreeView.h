#pragma once

#include "format/JsonTreeModel.h"

#include <QByteArray>
#include <QPointer>
#include <QTreeView>

#include <memory>

class QAction;
class QLabel;

class QToolBar;

namespace wst {

// A JSON message as a tree of keys and values, made as the user opens it (JsonTreeModel), with
// expand/collapse all and copying of a node's path or value (context menu, the tool bar that
// makeToolBar gives, Ctrl+C copies the value).
class JsonTreeView : public QTreeView
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    explicit JsonTreeView(QWidget *parent = nullptr);

    // The document must be valid JSON. The root is shown opened.
    void setDocument(const QByteArray &json, const std::shared_ptr<JsonTreeModel::Skeleton> &skeleton = {});
    void clearDocument();
    JsonTreeModel *jsonModel() const { return m_model; }

    // The row of buttons that drive this view, for the pane to place above it.
    QWidget *makeToolBar(QWidget *parent);
    // What the last Expand All left closed ("" when it opened everything).
    QString note() const { return m_note; }

    // Expand All stops opening nodes past this many rows: beyond, the view would take seconds.
    static constexpr qsizetype MaxExpandedRows = 50000;

public Q_SLOTS:
    void expandAllNodes();
    void collapseAllNodes();
    void copyPath();
    void copyFieldPath();
    void copyValue();

Q_SIGNALS:
    void noteChanged(const QString &note);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void setNote(const QString &note);
    void updateActions();

    JsonTreeModel *m_model = nullptr;
    QAction *m_expandAction = nullptr;
    QAction *m_collapseAction = nullptr;
    QAction *m_copyPathAction = nullptr;
    QAction *m_copyFieldAction = nullptr;
    QAction *m_copyValueAction = nullptr;
    QPointer<QToolBar> m_tools; // made by makeToolBar()
    QString m_note;
};

} // namespace wst
