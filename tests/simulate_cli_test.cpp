// `modelwatch simulate` as a real process.
#include <signal.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

TEST(SimulateCli, BadScenarioExitsTwoWithFileLineCol) {
  std::string path = TempDir() + "/bad.yaml";
  WriteFile(path, "routes:\n  - {route: openai_images, timeline: [{behaviour: okk}]}\n");
  auto r = RunProcess({Binary(), "simulate", "--listen", "127.0.0.1:0", "--scenario", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown behaviour \"okk\""), std::string::npos) << r.err;
}

TEST(SimulateCli, SaysWhereItListensAndStopsOnSigterm) {
  Subprocess p({Binary(), "simulate", "--listen", "127.0.0.1:0", "--scenario",
                std::string(MODELWATCH_SOURCE_DIR) + "/examples/scenarios/demo.yaml"});
  std::string out;
  for (int i = 0; i < 200 && out.find("listening on 127.0.0.1:") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    out = p.out();
  }
  EXPECT_NE(out.find("listening on 127.0.0.1:"), std::string::npos) << out << p.err();
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 0) << p.err();
}

}  // namespace
}  // namespace modelwatch
