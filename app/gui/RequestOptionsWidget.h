#pragma once

namespace wst {
class RequestOptionsWidget;
}
