#pragma once

namespace wst {
class ComposerWidget;
}
