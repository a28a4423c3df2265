#pragma once

namespace wst::gui {
// Builds the QApplication and the main window, and runs the event loop.
int run(int argc, char **argv);
}
