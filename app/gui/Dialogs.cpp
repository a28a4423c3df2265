#include "Dialogs.h"

#include <QFileDialog>
#include <QGuiApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QScreen>

#include <optional>

namespace wst {

namespace {

struct Prepared
{
    std::optional<QString> text;
    bool textCancelled = false;
    std::optional<QString> openFileName;
    std::optional<QString> saveFileName;
    QList<QMessageBox::StandardButton> answers; // used in order
    int shown = 0;
    QString lastWarning;
    QString lastQuestion;
};

Prepared &prepared()
{
    static Prepared p;
    return p;
}

template <typename T> std::optional<T> take(std::optional<T> &slot)
{
    return std::exchange(slot, std::nullopt);
}

std::optional<QMessageBox::StandardButton> takeAnswer()
{
    QList<QMessageBox::StandardButton> &answers = prepared().answers;
    if (answers.isEmpty())
        return std::nullopt;
    return answers.takeFirst();
}

} // namespace

bool Dialogs::getText(
    QWidget *parent, const QString &title, const QString &label, const QString &initial, QString *result)
{
    Prepared &p = prepared();
    ++p.shown;
    if (std::exchange(p.textCancelled, false))
        return false;
    if (auto text = take(p.text)) {
        *result = *text;
        return true;
    }
    QInputDialog dialog(parent);
    dialog.setWindowTitle(title);
    dialog.setLabelText(label);
    dialog.setTextValue(initial);
    // Qt's field fits some 20 characters: a name or a URL offered is shown whole, up to half
    // the screen.
    if (auto *field = dialog.findChild<QLineEdit *>()) {
        const QFontMetrics metrics = field->fontMetrics();
        const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
        const int limit = screen ? screen->availableSize().width() / 2 : 640;
        field->setMinimumWidth(
            qMin(limit, qMax(metrics.averageCharWidth() * 40, metrics.horizontalAdvance(initial) + 24)));
    }
    if (dialog.exec() != QDialog::Accepted)
        return false;
    *result = dialog.textValue();
    return true;
}

QString Dialogs::getOpenFileName(
    QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    Prepared &p = prepared();
    ++p.shown;
    if (auto name = take(p.openFileName))
        return *name;
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QString Dialogs::getSaveFileName(
    QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    Prepared &p = prepared();
    ++p.shown;
    if (auto name = take(p.saveFileName))
        return *name;
    return QFileDialog::getSaveFileName(parent, caption, dir, filter);
}

void Dialogs::warning(QWidget *parent, const QString &title, const QString &text)
{
    Prepared &p = prepared();
    ++p.shown;
    p.lastWarning = text;
    if (takeAnswer())
        return;
    QMessageBox::warning(parent, title, text);
}

QString Dialogs::lastWarning()
{
    return prepared().lastWarning;
}

QString Dialogs::lastQuestion()
{
    return prepared().lastQuestion;
}

void Dialogs::setNextSaveFileName(const QString &fileName)
{
    prepared().saveFileName = fileName;
}

QMessageBox::StandardButton Dialogs::question(QWidget *parent, const QString &title, const QString &text,
    QMessageBox::StandardButtons buttons, QMessageBox::StandardButton defaultButton)
{
    Prepared &p = prepared();
    ++p.shown;
    p.lastQuestion = text;
    if (auto answer = takeAnswer())
        return *answer;
    return QMessageBox::question(parent, title, text, buttons, defaultButton);
}

QMessageBox::StandardButton Dialogs::information(QWidget *parent, const QString &title, const QString &text)
{
    Prepared &p = prepared();
    ++p.shown;
    if (auto answer = takeAnswer())
        return *answer;
    return QMessageBox::information(parent, title, text);
}

void Dialogs::about(QWidget *parent, const QString &title, const QString &text)
{
    Prepared &p = prepared();
    ++p.shown;
    if (takeAnswer())
        return;
    QMessageBox::about(parent, title, text);
}

void Dialogs::setNextText(const QString &text)
{
    prepared().textCancelled = false;
    prepared().text = text;
}

void Dialogs::setNextTextCancelled()
{
    prepared().text.reset();
    prepared().textCancelled = true;
}

void Dialogs::setNextOpenFileName(const QString &fileName)
{
    prepared().openFileName = fileName;
}

void Dialogs::setNextAnswer(QMessageBox::StandardButton answer)
{
    prepared().answers.append(answer);
}

void Dialogs::clearNextAnswers()
{
    Prepared &p = prepared();
    p.text.reset();
    p.textCancelled = false;
    p.openFileName.reset();
    p.saveFileName.reset();
    p.answers.clear();
    p.lastWarning.clear();
    p.lastQuestion.clear();
}

int Dialogs::shownCount()
{
    return prepared().shown;
}

} // namespace wst
