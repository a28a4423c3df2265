#pragma once

namespace wst {
class ClientTab;
}
