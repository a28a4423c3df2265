#pragma once

namespace wst {
class TextLinesView;
}
