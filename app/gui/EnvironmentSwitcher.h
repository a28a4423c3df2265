#pragma once

#include <QComboBox>
#include <QPointer>

namespace wst {

class SessionEnvironment;

// The toolbar's choice of the window's active environment: "No environment", each named
// environment, and "Manage environments…" (which asks for the Environments page).
class EnvironmentSwitcher : public QComboBox
{
    Q_OBJECT
protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

public:
    EnvironmentSwitcher(SessionEnvironment *environment, QWidget *parent = nullptr);

Q_SIGNALS:
    void manageRequested();

private:
    void rebuild();
    void onActivated(int index);

    QPointer<SessionEnvironment> m_environment;
};

} // namespace wst
