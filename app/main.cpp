// wstester: with a subcommand, the headless face; otherwise the window.
#include "Cli.h"
#include "Gui.h"

int main(int argc, char **argv)
{
    if (wst::cli::isCommandLine(argc, argv))
        return wst::cli::run(argc, argv);
    return wst::gui::run(argc, argv);
}
