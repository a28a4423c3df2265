#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace wst {

class ServerCheck;

// `wstester check` in the window: runs the conformance cases against a URL (the tab's, by
// default) and fills a table as each case ends. Not modal: the tab stays usable meanwhile.
class ServerCheckDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ServerCheckDialog(const QUrl &url, QWidget *parent = nullptr);

    void run();
    QTableWidget *table() const { return m_table; }
    QString summary() const;

private:
    void retranslateUi();

    QLineEdit *m_url = nullptr;
    QPushButton *m_run = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
    ServerCheck *m_check = nullptr;
};

} // namespace wst
