#pragma once

#include <string>
#include <string_view>

#include "config/node.h"
#include "core/status.h"

namespace modelwatch::config {

// Parses one YAML document into a Node tree whose marks name `file`. The only
// code that touches yaml-cpp: its exceptions stop here. A syntax error comes
// back as InvalidArgument "FILE:LINE:COL: message". An empty document is a
// kNull node. Values are not interpolated yet (see interpolate.h).
Result<Node> ParseYaml(std::string_view text, const std::string& file);

}  // namespace modelwatch::config
