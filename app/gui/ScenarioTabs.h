#pragma once

#include "scenario/ScenarioRunner.h"

#include <QMap>
#include <QObject>
#include <QPointer>

#include <functional>

namespace wst {

class ClientTab;
class ConnectionTabWidget;

// The client tabs a scenario runs in: one per connection of the scenario, named after the
// scenario and the connection ("test: chat · a"), so that the history, handshake and frames
// views show the run. A later run of the same scenario reuses its tabs while they are still
// there and idle.
class ScenarioTabs : public QObject
{
    Q_OBJECT
public:
    using TabMaker = std::function<ClientTab *()>;

    ScenarioTabs(ConnectionTabWidget *tabs, TabMaker makeTab, QObject *parent = nullptr);

    // Hands out tabs' connections to the runner (its variables fill the URL the tab shows).
    ScenarioRunner::ConnectionFactory factory(ScenarioRunner *runner);
    // The scenario whose tabs are handed out (its name is in their titles).
    void setScenario(const Scenario &scenario);
    ClientTab *tab(const QString &connection) const;
    // Brings the connection's tab to the front with that stored message selected in its
    // history; false when the tab is gone or the message is not shown.
    bool showMessage(const QString &connection, qint64 storeIndex);

    static QString tabTitle(const QString &scenario, const QString &connection);

private:
    ClientTab *tabFor(const QString &connection, ScenarioRunner *runner);

    QPointer<ConnectionTabWidget> m_tabs;
    TabMaker m_makeTab;
    Scenario m_scenario;
    QMap<QString, QPointer<ClientTab>> m_byConnection;
};

} // namespace wst
