#pragma once

namespace wst {
class HistoryDelegate;
}
