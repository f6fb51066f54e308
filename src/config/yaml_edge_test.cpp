#include "config/yaml_edge.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace modelwatch::config {
namespace {

TEST(ParseYaml, KeepsMarksKeysAndOrder) {
  const std::string yaml =
      "b: 1\n"
      "a:\n"
      "  - x\n"
      "  - \"y\"\n"
      "c:\n"
      "d: ~\n";
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  ASSERT_TRUE(root->IsMap());
  ASSERT_EQ(root->items.size(), 4u);
  EXPECT_EQ(root->items[0].key, "b");
  EXPECT_EQ(root->items[1].key, "a");
  const Node* a = root->Find("a");
  ASSERT_TRUE(a->IsSequence());
  EXPECT_EQ(a->items[1].value, "y");
  EXPECT_TRUE(a->items[1].quoted);
  EXPECT_FALSE(a->items[0].quoted);
  EXPECT_EQ(a->items[1].mark.ToString(), "f.yaml:4:5");
  EXPECT_EQ(a->key_mark.ToString(), "f.yaml:2:1");
  // `c:` with nothing after it points at the key, not at the next line.
  const Node* c = root->Find("c");
  EXPECT_TRUE(c->IsNull());
  EXPECT_EQ(c->mark.ToString(), "f.yaml:5:1");
  EXPECT_TRUE(root->Find("d")->IsNull());
  EXPECT_EQ(root->Find("zzz"), nullptr);
}

TEST(ParseYaml, KeepsRepeatedKeysForTheCheckerToReport) {
  Result<Node> root = ParseYaml("a: 1\na: 2\n", "f.yaml");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->items.size(), 2u);
}

struct SyntaxCase {
  std::string yaml;
  std::string prefix;
};

TEST(ParseYaml, ReportsSyntaxErrorsWithTheirPlace) {
  const SyntaxCase cases[] = {
      {"a: [1, 2\nb: 3\n", "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow "
       "sequence that starts at 1:4)"},
      {"a: b: c\n", "f.yaml:1:5: YAML syntax error: mapping values are not allowed in this context"},
      {"a: 1\n---\nb: 2\n", "f.yaml:3:1: only one YAML document is allowed"},
      {"[a, b]: 1\n", "f.yaml:1:1: a map key must be a plain string"},
  };
  for (const SyntaxCase& c : cases) {
    Result<Node> root = ParseYaml(c.yaml, "f.yaml");
    ASSERT_FALSE(root) << c.yaml;
    EXPECT_EQ(root.error().message().substr(0, c.prefix.size()), c.prefix) << c.yaml;
  }
}

TEST(ParseYaml, ATabUsedAsIndentationIsNamedAtItsLine) {
  for (const char* yaml : {"a:\n  b: 1\n\tc: 2\n", "storage:\n\tsqlite: x.db\n"}) {
    Result<Node> root = ParseYaml(yaml, "f.yaml");
    ASSERT_FALSE(root) << yaml;
    std::string line = yaml[0] == 'a' ? "3" : "2";
    EXPECT_EQ(root.error().message(),
              "f.yaml:" + line +
                  ":1: YAML syntax error: tab characters are not allowed for indentation in "
                  "YAML; use spaces")
        << yaml;
  }
}

TEST(ParseYaml, AnUnterminatedQuoteIsNamedWhereItStarts) {
  Result<Node> root = ParseYaml("monitors:\n  - name: \"abc\n    kind: http\n", "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().message(),
            "f.yaml:2:11: YAML syntax error: unterminated quoted string starting at 2:11: the "
            "closing \" is missing");
}

TEST(ParseYaml, EmptyDocumentIsNull) {
  for (const char* yaml : {"", "# only a comment\n"}) {
    Result<Node> root = ParseYaml(yaml, "f.yaml");
    ASSERT_TRUE(root);
    EXPECT_TRUE(root->IsNull());
  }
}

// Hostile inputs end in an error quickly, without exhausting memory: the
// config is user input.
TEST(ParseYaml, RefusesAnAliasBomb) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    yaml += fmt::format("a{0}: &a{0} [", i);
    for (int j = 0; j < 10; ++j) {
      yaml += fmt::format("{}*a{}", j ? ", " : "", i - 1);
    }
    yaml += "]\n";
  }
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().message().find("expands to more than 200000 values"), std::string::npos)
      << root.error().message();
  EXPECT_EQ(root.error().message().substr(0, 7), "f.yaml:") << root.error().message();
}

TEST(ParseYaml, AnAliasInsideItsOwnAnchorIsAnError) {
  Result<Node> root = ParseYaml("a: &x [1, *x]\n", "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().message().substr(0, 29), "f.yaml:1:11: unknown alias *x")
      << root.error().message();
}

TEST(ParseYaml, TheInputThatHangsYamlCppIsASyntaxError) {
  Result<Node> root = ParseYaml(", x", "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_NE(root.error().message().find("YAML syntax error"), std::string::npos);
}

TEST(ParseYaml, DeepNestingIsAnError) {
  Result<Node> root = ParseYaml(std::string(100'000, '[') + std::string(100'000, ']'), "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().message(), "f.yaml:1:65: nesting is too deep");
}

TEST(ParseYaml, AliasesAreCopiedWithTheAliasPlace) {
  Result<Node> root = ParseYaml("a: &d {x: 1}\nb: *d\n", "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  const Node* b = root->Find("b");
  ASSERT_TRUE(b->IsMap());
  EXPECT_EQ(b->Find("x")->value, "1");
  EXPECT_EQ(b->mark.ToString(), "f.yaml:2:4");
}

TEST(ParseYaml, MergeKeysFillWhatTheMapDoesNotSet) {
  Result<Node> root = ParseYaml(
      "base: &b {interval: 5m, timeout: 30s}\n"
      "more: &m {labels: x}\n"
      "one:\n"
      "  <<: [*b, *m]\n"
      "  timeout: 60s\n",
      "f.yaml");
  ASSERT_TRUE(root) << root.error().message();
  const Node* one = root->Find("one");
  ASSERT_EQ(one->items.size(), 3u);
  EXPECT_EQ(one->Find("timeout")->value, "60s");
  EXPECT_EQ(one->Find("interval")->value, "5m");
  EXPECT_EQ(one->Find("labels")->value, "x");
  EXPECT_EQ(one->Find("<<"), nullptr);
}

TEST(ParseYaml, MergingAScalarIsAnError) {
  Result<Node> root = ParseYaml("a:\n  <<: 5\n", "f.yaml");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().message().substr(0, 36), "f.yaml:2:7: '<<' merges a map or a l");
}

TEST(ParseYaml, OffsetsCountBytes) {
  const std::string yaml = "a: \"\u00e9\u00e9\"\nb: x\n";
  Result<Node> root = ParseYaml(yaml, "f.yaml");
  ASSERT_TRUE(root);
  EXPECT_EQ(yaml.substr(root->Find("b")->offset, 1), "x");
}

}  // namespace
}  // namespace modelwatch::config

namespace modelwatch::config {
namespace {

TEST(YamlEdge, CommasInsideFlowCollectionsAndQuotesStillParse) {
  EXPECT_TRUE(ParseYaml("a: [1\n  , 2]\nb: {c: 1\n , d: 2}\n", "ok.yaml").has_value());
  EXPECT_TRUE(ParseYaml("a: \"x\n  , y\"\nb: 'it''s, fine'\n", "ok.yaml").has_value());
}

}  // namespace
}  // namespace modelwatch::config
