#include "StdinReader.h"
