#include "ConnectCommand.h"
