#pragma once

#include <string>

namespace modelwatch::config {

// Where a value came from, for error messages: "modelwatch.yaml:12:5".
struct Mark {
  std::string file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
  std::string ToString() const;
};

}  // namespace modelwatch::config
