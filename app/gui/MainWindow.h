#pragma once

namespace wst {
class MainWindow;
}
