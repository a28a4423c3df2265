#pragma once

namespace wst {
class HistoryPane;
}
