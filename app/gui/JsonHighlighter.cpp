#include "JsonHighlighter.h"
