#pragma once

namespace wst {
class JsonHighlighter;
}
