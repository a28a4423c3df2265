#pragma once

#include <QDialog>
#include <QJsonValue>

class QLabel;
class QTreeWidget;

namespace wst {

// Two messages side by side as their differences: key by key (path, before, after) when both
// are JSON documents, line by line otherwise.
class DiffDialog : public QDialog
{
    Q_OBJECT
public:
    struct Side
    {
        QString title; // "#12 ↓ in 10:31:02.114"
        QByteArray payload;
        QJsonValue document; // undefined when the message is not JSON
    };
    DiffDialog(const Side &before, const Side &after, QWidget *parent = nullptr);

    bool isJsonDiff() const { return m_json; }
    QTreeWidget *tree() const { return m_tree; }
    QString summaryText() const;

    // Payloads larger than this are not compared (the dialog says so).
    static constexpr qsizetype MaxBytes = 8 * 1024 * 1024;
    // Rows listed at most; the summary says when there were more.
    static constexpr int MaxRows = 20000;

private:
    void showJson(const QJsonValue &before, const QJsonValue &after);
    void showText(const QString &before, const QString &after);

    QLabel *m_summary = nullptr;
    QTreeWidget *m_tree = nullptr;
    bool m_json = false;
};

} // namespace wst
