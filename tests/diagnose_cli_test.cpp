// `modelwatch diagnose --json` as a real process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

TEST(DiagnoseCli, JsonHasTheCheckTheSourcesAndTheVerdict) {
  std::string path = TempDir() + "/modelwatch.yaml";
  // Port 9 on loopback refuses: a network error with no sources to consult.
  WriteFile(path, "monitors:\n  - {name: h, kind: http, url: \"http://127.0.0.1:9/\"}\n");
  auto r = RunProcess({Binary(), "diagnose", "-c", path, "h", "--json"});
  EXPECT_EQ(r.code, 1) << r.err;  // the check failed
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["monitor"], "h");
  EXPECT_EQ(j["check"]["status"], "network_error");
  EXPECT_TRUE(j["sources"].is_array());
  ASSERT_TRUE(j["verdict"].is_string()) << j.dump();
  EXPECT_FALSE(j["headline"].get<std::string>().empty());
  EXPECT_TRUE(j["evidence"].is_array());
}

}  // namespace
}  // namespace modelwatch
