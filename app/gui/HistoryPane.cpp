#include "HistoryPane.h"
