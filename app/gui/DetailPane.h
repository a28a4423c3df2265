#pragma once

namespace wst {
class DetailPane;
}
