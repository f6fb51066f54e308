#include "cli/log_format.h"

#include <gtest/gtest.h>

namespace modelwatch::cli {
namespace {

WallTime At(int64_t ms) { return FromUnixMillis(ms); }

TEST(TextLogLine, TimeEventThenEveryFieldInOrder) {
  nlohmann::ordered_json e = {{"event", "result"},
                              {"monitor", "nano"},
                              {"status", "server_error"},
                              {"latency_ms", 812},
                              {"error", "The engine is overloaded"},
                              {"image", nullptr}};
  EXPECT_EQ(TextLogLine(e, At(1764610205000)),  // 2025-12-01T17:30:05Z
            "17:30:05 result monitor=nano status=server_error latency_ms=812 "
            "error=\"The engine is overloaded\"");
}

TEST(TextLogLine, ObjectsAreCompactJsonAndQuotesEscaped) {
  nlohmann::ordered_json e = {{"event", "x"}, {"phases", {{"dns_ms", 1}}}, {"why", "a \"b\""}};
  EXPECT_EQ(TextLogLine(e, At(0)), "00:00:00 x phases={\"dns_ms\":1} why=\"a \\\"b\\\"\"");
}

TEST(JsonLogLine, IsOneLineOfJson) {
  nlohmann::ordered_json e = {{"event", "stopping"}, {"why", "line\nbreak"}};
  std::string line = JsonLogLine(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(line)["why"], "line\nbreak");
}

}  // namespace
}  // namespace modelwatch::cli
