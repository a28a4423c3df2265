#include "Gui.h"

#include <QApplication>

namespace wst::gui {
int run(int argc, char **argv)
{
    QApplication app(argc, argv);
    return 0;
}
}
