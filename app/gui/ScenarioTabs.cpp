#include "ScenarioTabs.h"

#include "ClientTab.h"
#include "ConnectionTabWidget.h"
#include "HistoryPane.h"
#include "compose/SecretValues.h"
#include "compose/Variables.h"

#include <QFileInfo>

namespace wst {

ScenarioTabs::ScenarioTabs(ConnectionTabWidget *tabs, TabMaker makeTab, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_makeTab(std::move(makeTab))
{
}

QString ScenarioTabs::tabTitle(const QString &scenario, const QString &connection)
{
    return tr("test: %1 \u00b7 %2").arg(scenario, connection);
}

void ScenarioTabs::setScenario(const Scenario &scenario)
{
    if (scenario.name != m_scenario.name || scenario.file != m_scenario.file)
        m_byConnection.clear(); // another scenario's tabs stay as they are, but are not reused
    m_scenario = scenario;
}

ScenarioRunner::ConnectionFactory ScenarioTabs::factory(ScenarioRunner *runner)
{
    QPointer<ScenarioRunner> guard(runner);
    QPointer<ScenarioTabs> self(this);
    return [self, guard](const QString &name) -> ClientConnection * {
        ClientTab *tab = self && guard ? self->tabFor(name, guard) : nullptr;
        return tab ? tab->connection() : nullptr;
    };
}

ClientTab *ScenarioTabs::tabFor(const QString &connection, ScenarioRunner *runner)
{
    QPointer<ClientTab> &tab = m_byConnection[connection];
    if (tab && tab->state() != ClientConnection::State::Idle
        && tab->state() != ClientConnection::State::Closed && tab->state() != ClientConnection::State::Error)
        tab.clear(); // busy with something else: the run gets a tab of its own
    if (!tab) {
        tab = m_makeTab ? m_makeTab() : nullptr;
        if (!tab)
            return nullptr;
    }
    const QString scenario
        = m_scenario.name.isEmpty() ? QFileInfo(m_scenario.file).completeBaseName() : m_scenario.name;
    tab->setCustomTitle(tabTitle(scenario, connection));
    // The URL the run opens, for a reconnect by hand; a secret value shows as its {{name}},
    // which the window's environment fills again.
    if (const ScenarioConnection *c = m_scenario.connection(connection)) {
        QString error;
        const QString url = Variables::substitute(c->url, runner->variables(), &error);
        tab->setUrlText(error.isEmpty() ? SecretValues::mask(url) : c->url);
    }
    return tab;
}

ClientTab *ScenarioTabs::tab(const QString &connection) const
{
    return m_byConnection.value(connection);
}

bool ScenarioTabs::showMessage(const QString &connection, qint64 storeIndex)
{
    ClientTab *page = tab(connection);
    if (!page)
        return false;
    if (m_tabs)
        m_tabs->setCurrentWidget(page);
    page->showHistory();
    return page->historyPane()->selectStoreIndex(storeIndex);
}

} // namespace wst
