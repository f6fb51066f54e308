#include "config/interpolate.h"

#include <gtest/gtest.h>

#include <map>

#include "config/yaml_edge.h"

namespace modelwatch::config {
namespace {

EnvLookup FakeEnv() {
  static const std::map<std::string, std::string> vars = {
      {"KEY", "sk-123"}, {"HOST", "example.com"}, {"EMPTY", ""}};
  return [](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

struct Case {
  std::string in;
  std::string out;
};

TEST(Interpolate, ReplacesVariablesDefaultsAndEscapes) {
  const Case cases[] = {
      {"plain", "plain"},
      {"${KEY}", "sk-123"},
      {"Bearer ${KEY}", "Bearer sk-123"},
      {"https://${HOST}/v1", "https://example.com/v1"},
      {"${MISSING:-fallback}", "fallback"},
      {"${EMPTY:-fallback}", "fallback"},  // as in the shell, empty takes the default
      {"${EMPTY}", ""},
      {"${KEY:-fallback}", "sk-123"},
      {"${MISSING:-}", ""},
      {"${MISSING:-${HOST}}", "example.com"},
      {"${MISSING:-a{b}c}", "a{b}c"},
      {"$$", "$"},
      {"$${KEY}", "${KEY}"},
      {"price $5", "price $5"},
      {"ends with $", "ends with $"},
      {"${KEY}${HOST}", "sk-123example.com"},
  };
  for (const Case& c : cases) {
    Interpolated r = Interpolate(c.in, FakeEnv());
    EXPECT_TRUE(r.problems.empty()) << c.in;
    EXPECT_EQ(r.text, c.out) << c.in;
  }
}

struct ProblemCase {
  std::string in;
  size_t offset;
  std::string message_part;
};

TEST(Interpolate, ReportsProblemsWithTheirOffset) {
  const ProblemCase cases[] = {
      {"${OPENAI_API_KEY}", 0,
       "environment variable OPENAI_API_KEY is not set (export it, or put it in the service's "
       "environment file; `modelwatch validate --allow-missing-env` checks the rest without "
       "it)"},
      {"${REGION}", 0,
       "environment variable REGION is not set (use ${REGION:-default} to give a default)"},
      {"Bearer ${NOPE}", 7, "NOPE is not set"},
      {"${MISSING:-${NOPE}}", 11, "NOPE is not set"},
      {"abc ${KEY", 4, "unterminated"},
      {"${}", 0, "invalid variable reference"},
      {"${1X}", 0, "invalid variable reference"},
      {"${A-b}", 0, "invalid variable reference"},
  };
  for (const ProblemCase& c : cases) {
    Interpolated r = Interpolate(c.in, FakeEnv());
    ASSERT_EQ(r.problems.size(), 1u) << c.in;
    EXPECT_EQ(r.problems[0].offset, c.offset) << c.in;
    EXPECT_NE(r.problems[0].message.find(c.message_part), std::string::npos)
        << c.in << ": " << r.problems[0].message;
  }
}

TEST(Interpolate, DeeplyNestedDefaultsAreAnErrorNotACrash) {
  std::string text;
  for (int i = 0; i < 100'000; ++i) {
    text += "${MISSING:-";
  }
  text += "x" + std::string(100'000, '}');
  Interpolated r = Interpolate(text, FakeEnv());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].offset, 8u * 11u);
  EXPECT_NE(r.problems[0].message.find("nested more than 8 deep"), std::string::npos)
      << r.problems[0].message;
}

TEST(Interpolate, DefaultsNestedAFewLevelsWork) {
  Interpolated r = Interpolate("${A1:-${A2:-${A3:-${A4:-deep}}}}", FakeEnv());
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.text, "deep");
}

TEST(Interpolate, ReportsEveryMissingVariableOfAValue) {
  Interpolated r = Interpolate("${A}/${B}", FakeEnv());
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].offset, 0u);
  EXPECT_EQ(r.problems[1].offset, 5u);
}

// The place of a problem is the "${" itself, not the start of the scalar.
TEST(InterpolateTree, PointsAtTheReferenceInsideTheScalar) {
  const std::string yaml =
      "a: plain ${KEY}\n"              // 1
      "b: \"quoted ${NOPE}\"\n"        // 2
      "c: x ${KEY} y ${GONE}\n"        // 3
      "d: |\n"                         // 4
      "  first ${KEY}\n"               // 5
      "  second ${ALSO_GONE}\n"        // 6
      "e: [1, '$$ ${THIRD}']\n"        // 7
      "${KEY}: key names are kept\n";  // 8
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  Diagnostics diag;
  InterpolateTree(*root, yaml, FakeEnv(), diag);
  std::vector<std::string> lines = diag.Lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].substr(0, 12), "f.yaml:2:12:");
  EXPECT_EQ(lines[1].substr(0, 12), "f.yaml:3:15:");
  EXPECT_EQ(lines[2].substr(0, 12), "f.yaml:6:10:");
  EXPECT_EQ(lines[3].substr(0, 12), "f.yaml:7:12:");
  EXPECT_EQ(root->Find("a")->value, "plain sk-123");
  EXPECT_FALSE(root->Find("a")->interpolation_failed);
  EXPECT_TRUE(root->Find("b")->interpolation_failed);
  EXPECT_EQ(root->Find("d")->value, "first sk-123\nsecond \n");
  EXPECT_NE(root->Find("${KEY}"), nullptr);
}

TEST(InterpolateTree, AllowMissingEnvLeavesUnsetVariablesOutWithoutAnError) {
  const std::string yaml = "a: ${GONE}\nb: ${KEY}\nc: '${BAD'\n";
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == kAllowMissingEnv) {
      return "1";
    }
    return FakeEnv()(name);
  };
  Diagnostics diag;
  InterpolateTree(*root, yaml, env, diag);
  ASSERT_EQ(diag.Lines().size(), 1u);  // the unterminated one is still an error
  EXPECT_NE(diag.Lines()[0].find("unterminated"), std::string::npos);
  EXPECT_TRUE(root->Find("a")->interpolation_failed);  // nothing checks its value
  EXPECT_EQ(root->Find("b")->value, "sk-123");
}

TEST(UnsetVariables, NamesEachUnsetVariableAtItsPlace) {
  const std::string yaml = "a: ${GONE}\nb: x ${KEY} ${ALSO:-${INNER}}\n";
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  EXPECT_EQ(UnsetVariables(*root, yaml, FakeEnv()),
            (std::vector<std::string>{
                "f.yaml:1:4: warning: environment variable GONE is not set; checked without it "
                "(--allow-missing-env)",
                "f.yaml:2:21: warning: environment variable INNER is not set; checked without "
                "it (--allow-missing-env)"}));
}

}  // namespace
}  // namespace modelwatch::config
