#include "ServerCheckDialog.h"

#include "GuiHelpers.h"
#include "Theme.h"
#include "check/ServerCheck.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wst {

namespace {
enum Column { IdColumn, VerdictColumn, CaseColumn, OutcomeColumn, RfcColumn, ColumnCount };
}

ServerCheckDialog::ServerCheckDialog(const QUrl &url, QWidget *parent)
    : QDialog(parent)
    , m_url(new QLineEdit(url.toString(), this))
    , m_run(new QPushButton(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_summary(new QLabel(this))
    , m_check(new ServerCheck(this))
{
    setObjectName(QStringLiteral("serverCheckDialog"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    const QFontMetrics fm(m_table->font());
    m_table->verticalHeader()->setDefaultSectionSize(fm.height() + 6);
    const QList<std::pair<int, const char *>> widths = { { IdColumn, "00.00" }, { VerdictColumn, "lenient" },
        { CaseColumn, "text in 3 fragments, pings between fragments" },
        { OutcomeColumn, "dropped TCP without a Close." } };
    for (const auto &[column, sample] : widths)
        m_table->setColumnWidth(column, fm.horizontalAdvance(QLatin1String(sample)) + 24);
    m_summary->setObjectName(QStringLiteral("serverCheckSummary"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_url, 1);
    top->addWidget(m_run);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(1000, 560);

    connect(m_run, &QPushButton::clicked, this, &ServerCheckDialog::run);
    connect(m_url, &QLineEdit::returnPressed, this, &ServerCheckDialog::run);
    connect(m_check, &ServerCheck::caseFinished, this, [this](const ServerCheck::Result &r) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QStringList cells = { r.testCase.id, ServerCheck::verdictName(r.verdict), r.testCase.title,
            r.outcome, r.testCase.rfc };
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setToolTip(cells.at(c));
            if (c == VerdictColumn && r.verdict == ServerCheck::Verdict::Fail)
                item->setForeground(theme::colour(theme::Role::ErrorText));
            m_table->setItem(row, c, item);
        }
        m_table->scrollToBottom();
        m_summary->setText(summary());
    });
    connect(m_check, &ServerCheck::finished, this, [this] {
        m_run->setEnabled(true);
        m_summary->setText(summary());
    });
    retranslateUi();
}

void ServerCheckDialog::run()
{
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        m_summary->setText(tr("'%1' is not a ws:// or wss:// URL.").arg(m_url->text()));
        return;
    }
    m_table->setRowCount(0);
    m_run->setEnabled(false);
    ServerCheck::Options options;
    options.url = url;
    m_summary->setText(tr("Running\u2026"));
    m_check->start(options);
}

QString ServerCheckDialog::summary() const
{
    return ServerCheck::summary(m_check->results());
}

void ServerCheckDialog::retranslateUi()
{
    setWindowTitle(tr("Server conformance check"));
    gui::describe(m_url, QStringLiteral("serverCheckUrlEdit"), tr("Server URL"),
        tr("The echo server to check (ws:// or wss://): every case opens its own connection"));
    gui::describe(m_run, QStringLiteral("runServerCheckButton"), tr("Run check"),
        tr("Send the cases (modelled on the Autobahn test suite) and judge each answer against RFC 6455"));
    m_run->setText(tr("&Run"));
    gui::describe(m_table, QStringLiteral("serverCheckTable"), tr("Check results"),
        tr("One row per case: what was sent, what the server did, and what RFC 6455 requires"));
    m_table->setHorizontalHeaderLabels(
        { tr("Case"), tr("Verdict"), tr("Sent"), tr("The server"), tr("RFC 6455 requires") });
}

} // namespace wst
