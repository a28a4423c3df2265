#include "ComposerWidget.h"
