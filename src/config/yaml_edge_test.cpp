#include "config/yaml_edge.h"

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
      {"a: [1, 2\nb: 3\n", "f.yaml:2:2: YAML syntax error: end of sequence flow not found"},
      {"a: b: c\n", "f.yaml:1:5: YAML syntax error: illegal map value"},
      {"a: 1\n---\nb: 2\n", "f.yaml:3:1: only one YAML document is allowed"},
      {"[a, b]: 1\n", "f.yaml:1:1: a map key must be a plain string"},
  };
  for (const SyntaxCase& c : cases) {
    Result<Node> root = ParseYaml(c.yaml, "f.yaml");
    ASSERT_FALSE(root) << c.yaml;
    EXPECT_EQ(root.error().message().substr(0, c.prefix.size()), c.prefix) << c.yaml;
  }
}

TEST(ParseYaml, EmptyDocumentIsNull) {
  for (const char* yaml : {"", "# only a comment\n"}) {
    Result<Node> root = ParseYaml(yaml, "f.yaml");
    ASSERT_TRUE(root);
    EXPECT_TRUE(root->IsNull());
  }
}

}  // namespace
}  // namespace modelwatch::config

namespace modelwatch::config {
namespace {

TEST(YamlEdge, AliasBombIsRefusedQuickly) {
  // Nine levels of ten aliases each: 10^9 values once expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) {
      text += (j > 0 ? ", " : "") + prev;
    }
    text += "]\n";
  }
  auto r = ParseYaml(text, "bomb.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("bomb.yaml:"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("aliases that expand"), std::string::npos)
      << r.error().message();
}

}  // namespace
}  // namespace modelwatch::config

namespace modelwatch::config {
namespace {

TEST(YamlEdge, LeadingCommaIsRefusedInsteadOfHanging) {
  for (const char* text : {", x", ",", "- a\n,", "# note\n  , x\n"}) {
    auto r = ParseYaml(text, "c.yaml");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_NE(r.error().message().find("c.yaml:"), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find("cannot start with \",\""), std::string::npos);
  }
}

TEST(YamlEdge, CommasInsideFlowCollectionsAndQuotesStillParse) {
  EXPECT_TRUE(ParseYaml("a: [1\n  , 2]\nb: {c: 1\n , d: 2}\n", "ok.yaml").has_value());
  EXPECT_TRUE(ParseYaml("a: \"x\n  , y\"\nb: 'it''s, fine'\n", "ok.yaml").has_value());
}

}  // namespace
}  // namespace modelwatch::config
