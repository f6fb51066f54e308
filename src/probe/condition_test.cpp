#include "probe/condition.h"

#include <gtest/gtest.h>

namespace modelwatch::probe {
namespace {

using std::chrono::milliseconds;

TEST(Condition, RejectsInvalidText) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "unknown subject \"\""},
      {"code == 200", "unknown subject \"code\""},
      {"status = 200", "expected an operator"},
      {"status", "expected an operator"},
      {"status ==", "missing a value"},
      {"status == ok", "status needs a number"},
      {"status exists", "`exists` applies only to body paths"},
      {"latency < 2", "missing unit"},
      {"latency < fast", "invalid duration"},
      {"body.count > \"3\"", "< <= > >= need a number"},
      {"body.status == ok", "bad value \"ok\""},
      {"body.data[x].id exists", "expected [index]"},
      {"body..id exists", "expected a name after '.'"},
      {"bodyx == 1", "expected '.' or '['"},
      {"body[\"a exists", "unterminated quoted key"},
      {"body.id exists now", "unexpected \"now\" after exists"},
  };
  for (const auto& [text, want] : cases) {
    auto c = Condition::Parse(text);
    ASSERT_FALSE(c.has_value()) << text;
    EXPECT_NE(c.error().message().find(want), std::string::npos)
        << text << " -> " << c.error().message();
  }
}

TEST(Condition, Evaluates) {
  const Json body = Json::parse(R"({"status":"ok","count":5,"ratio":0.5,"flag":true,
      "nothing":null,"data":[{"id":"img-1"}],"odd key":{"x":1}})");
  struct Case {
    std::string text;
    int http_status;
    milliseconds latency;
    bool json_body;
    std::optional<std::string> failure;
  };
  const Case cases[] = {
      {"status == 200", 200, milliseconds(5), true, std::nullopt},
      {"status == 200", 503, milliseconds(5), true, "status is 503"},
      {"status==200", 200, milliseconds(5), true, std::nullopt},
      {"status != 500", 500, milliseconds(5), true, "status is 500"},
      {"status < 500", 499, milliseconds(5), true, std::nullopt},
      {"status < 500", 502, milliseconds(5), true, "status is 502"},
      {"status >= 200", 200, milliseconds(5), true, std::nullopt},
      {"status <= 299", 300, milliseconds(5), true, "status is 300"},
      {"latency < 2s", 200, milliseconds(1999), true, std::nullopt},
      {"latency < 2s", 200, milliseconds(2500), true, "latency is 2500ms"},
      {"latency <= 1m30s", 200, milliseconds(90'000), true, std::nullopt},
      {"latency > 10ms", 200, milliseconds(5), true, "latency is 5ms"},
      {"body.status == \"ok\"", 200, milliseconds(5), true, std::nullopt},
      {"body.status == 'ok'", 200, milliseconds(5), true, std::nullopt},
      {"body.status != \"ok\"", 200, milliseconds(5), true, "body.status is \"ok\""},
      {"body.status == \"down\"", 200, milliseconds(5), true, "body.status is \"ok\""},
      {"body.count > 3", 200, milliseconds(5), true, std::nullopt},
      {"body.count > 5", 200, milliseconds(5), true, "body.count is 5"},
      {"body.count == 5.0", 200, milliseconds(5), true, std::nullopt},
      {"body.ratio < 1", 200, milliseconds(5), true, std::nullopt},
      {"body.status > 3", 200, milliseconds(5), true, "body.status is \"ok\", not a number"},
      {"body.status == 3", 200, milliseconds(5), true, "body.status is \"ok\""},
      {"body.status != 3", 200, milliseconds(5), true, std::nullopt},
      {"body.flag == true", 200, milliseconds(5), true, std::nullopt},
      {"body.nothing == null", 200, milliseconds(5), true, std::nullopt},
      {"body.data[0].id exists", 200, milliseconds(5), true, std::nullopt},
      {"body.data[1].id exists", 200, milliseconds(5), true, "body.data[1].id is missing"},
      {"body.data[0].id == \"img-1\"", 200, milliseconds(5), true, std::nullopt},
      {"body[\"odd key\"].x == 1", 200, milliseconds(5), true, std::nullopt},
      {"body.missing > 1", 200, milliseconds(5), true, "body.missing is missing"},
      {"body exists", 200, milliseconds(5), true, std::nullopt},
      {"body.status exists", 200, milliseconds(5), false, "body is not JSON"},
  };
  for (const auto& c : cases) {
    auto cond = Condition::Parse(c.text);
    ASSERT_TRUE(cond.has_value()) << c.text << ": " << cond.error().message();
    ConditionInput in{c.http_status, c.latency, c.json_body ? &body : nullptr};
    EXPECT_EQ(cond->Check(in), c.failure) << c.text;
  }
}

}  // namespace
}  // namespace modelwatch::probe
