#include "Cli.h"

namespace wst::cli {
bool isCommandLine(int, char **) { return false; }
int run(int, char **) { return 0; }
}
