#pragma once

namespace wst {
class FilterBar;
}
