#pragma once

#include <QCoreApplication>
#include <QMessageBox>
#include <QString>

class QWidget;

namespace wst {

// Every modal dialog of the app goes through here, so that a test can answer it in advance
// (as KeePassXC's MessageBox::setNextAnswer and FileDialog::setNextFileName do): a prepared
// answer is used once, by the next dialog of its kind, and that dialog is never shown.
class Dialogs
{
    Q_DECLARE_TR_FUNCTIONS(Dialogs)
public:
    // Asks for one line of text. Returns false when the user cancels.
    static bool getText(
        QWidget *parent, const QString &title, const QString &label, const QString &initial, QString *result);
    // An empty string when the user cancels.
    static QString getOpenFileName(
        QWidget *parent, const QString &caption, const QString &dir = {}, const QString &filter = {});
    static QString getSaveFileName(
        QWidget *parent, const QString &caption, const QString &dir = {}, const QString &filter = {});
    // Something went wrong that the user must read (a file that cannot be opened or saved).
    static void warning(QWidget *parent, const QString &title, const QString &text);
    static QMessageBox::StandardButton question(QWidget *parent, const QString &title, const QString &text,
        QMessageBox::StandardButtons buttons = QMessageBox::Yes | QMessageBox::No,
        QMessageBox::StandardButton defaultButton = QMessageBox::NoButton);
    static QMessageBox::StandardButton information(
        QWidget *parent, const QString &title, const QString &text);
    static void about(QWidget *parent, const QString &title, const QString &text);

    // Test seams. setNextTextCancelled() makes the next getText() act as if cancelled.
    static void setNextText(const QString &text);
    static void setNextTextCancelled();
    static void setNextOpenFileName(const QString &fileName);
    static void setNextSaveFileName(const QString &fileName);
    // Answers are used in the order they were prepared, one per question (or acknowledged message).
    static void setNextAnswer(QMessageBox::StandardButton answer);
    // The text of the last warning() (answered or shown).
    static QString lastWarning();
    // The text of the last question() (answered or shown).
    static QString lastQuestion();
    // Forgets every prepared answer.
    static void clearNextAnswers();
    // How many dialogs were answered from a prepared answer or shown, since the start (for tests
    // that check a dialog was, or was not, asked for).
    static int shownCount();
};

} // namespace wst
