#pragma once

// Test-only: reads a file of the wire-format reference (tests/data/formats)
// that tests are fed. A missing file fails the calling test, naming it.

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace modelwatch::testing {

// `relative` is under the formats folder, e.g. "samples/feishu-bot-error-19021.json".
inline std::string ReadFormatsFile(std::string_view relative) {
  std::string path = std::string(MODELWATCH_FORMATS_DIR) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "test data missing: " << path
                  << " (tests/data/formats holds the wire-format samples)";
    return "";
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace modelwatch::testing
