#include "HistoryDelegate.h"
