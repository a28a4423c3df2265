#include "RequestOptionsWidget.h"
