#include "config/mark.h"

#include <fmt/format.h>

namespace modelwatch::config {

std::string Mark::ToString() const { return fmt::format("{}:{}:{}", file, line, col); }

}  // namespace modelwatch::config
