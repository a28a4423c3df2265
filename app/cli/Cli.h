#pragma once

namespace wst::cli {
// True when the arguments name a subcommand (or --help / --version): run headless.
bool isCommandLine(int argc, char **argv);
int run(int argc, char **argv);
}
