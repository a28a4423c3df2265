#include "TextLinesView.h"
