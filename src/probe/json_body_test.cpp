#include "probe/json_body.h"

#include <gtest/gtest.h>

#include <string>

namespace modelwatch::probe {
namespace {

std::string ArrayOf(size_t values) {
  std::string text = "[";
  for (size_t i = 0; i < values; ++i) {
    text += i == 0 ? "1" : ",1";
  }
  return text + "]";
}

TEST(ParseJson, ReadsNestedValues) {
  auto j =
      ParseJson(std::string_view(R"({"a":[1,-2,3.5,"x",true,null,{"b":18446744073709551615}]})"));
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ((*j)["a"].size(), 7u);
  EXPECT_EQ((*j)["a"][1], -2);
  EXPECT_EQ((*j)["a"][3], "x");
  EXPECT_EQ((*j)["a"][6]["b"].get<uint64_t>(), 18446744073709551615u);
}

TEST(ParseJson, RefusesADocumentOfMoreThanAMillionValues) {
  // The array itself is one value: 999,999 elements fit, 1,000,000 do not.
  EXPECT_TRUE(ParseJson(std::string_view(ArrayOf(999'999))).has_value());
  EXPECT_FALSE(ParseJson(std::string_view(ArrayOf(1'000'000))).has_value());
}

TEST(ParseJson, ReadsADocumentLargerThanTheKeptParserHolds) {
  // 10 MB: parsed by a parser of its own.
  std::string text = R"({"s":")" + std::string(10'000'000, 'A') + R"("})";
  auto j = ParseJson(text);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ((*j)["s"].get_ref<const std::string&>().size(), 10'000'000u);
}

TEST(ParseJson, RefusesTruncatedText) {
  EXPECT_FALSE(ParseJson(std::string_view(R"({"a":[1,2)")).has_value());
}

}  // namespace
}  // namespace modelwatch::probe
