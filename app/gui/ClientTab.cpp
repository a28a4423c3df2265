#include "ClientTab.h"
