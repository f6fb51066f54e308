#include "net/json_clip.h"

#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace modelwatch::net {
namespace {

struct Clipped {
  std::string out;
  std::vector<ClippedString> strings;
};

// Feeds `text` in pieces of `piece` bytes (0: all at once).
Clipped Clip(std::string_view text, size_t cap, size_t piece = 0) {
  JsonClipper clipper(cap);
  Clipped c;
  if (piece == 0) {
    piece = text.size();
  }
  for (size_t i = 0; i < text.size(); i += piece) {
    clipper.Feed(text.substr(i, piece), c.out, c.strings);
  }
  return c;
}

TEST(JsonClip, ShortStringsPassUnchanged) {
  std::string text = R"({"a":"hello","b":[1,2,{"c":"x\"y\\"}],"d":null})";
  for (size_t piece : {0, 1, 2, 3, 7}) {
    Clipped c = Clip(text, 8, piece);
    EXPECT_EQ(c.out, text) << "piece " << piece;
    EXPECT_TRUE(c.strings.empty());
  }
}

TEST(JsonClip, LongStringKeepsItsStartAndCountsTheRest) {
  std::string b64(10'000, 'A');
  b64 += "BC==";
  std::string text = R"({"data":[{"b64_json":")" + b64 + R"(","revised_prompt":"a cat"}]})";
  for (size_t piece : {0, 1, 5, 100, 4096}) {
    Clipped c = Clip(text, 256, piece);
    auto j = nlohmann::json::parse(c.out);  // still valid JSON
    EXPECT_EQ(j["data"][0]["b64_json"], std::string(256, 'A')) << "piece " << piece;
    EXPECT_EQ(j["data"][0]["revised_prompt"], "a cat");
    ASSERT_EQ(c.strings.size(), 1u);
    const ClippedString& s = c.strings[0];
    EXPECT_EQ(s.kept, 256u);
    EXPECT_EQ(s.length, b64.size());
    EXPECT_EQ(c.out.substr(s.offset, s.kept), std::string(256, 'A'));
    EXPECT_EQ(std::string(s.tail, 2), "==");
    EXPECT_EQ(s.DecodedBase64Size(s.length), 10'004 / 4 * 3 - 2);
  }
}

TEST(JsonClip, EscapedQuotesAndBackslashesAcrossPieces) {
  // A long string ending in an escaped backslash, then an escaped quote in a
  // short one: the closing quotes must be found whatever the piece size.
  std::string text = R"({"k":")" + std::string(300, 'x') + R"(\\","e":"a\"b"})";
  for (size_t piece : {0, 1, 2, 3, 301, 303}) {
    Clipped c = Clip(text, 100, piece);
    auto j = nlohmann::json::parse(c.out);
    EXPECT_EQ(j["k"], std::string(100, 'x')) << "piece " << piece;
    EXPECT_EQ(j["e"], "a\"b");
    ASSERT_EQ(c.strings.size(), 1u);
    EXPECT_EQ(c.strings[0].length, 302u);
  }
}

TEST(JsonClip, StringWithEarlyEscapeIsKeptWhole) {
  std::string long_text = "line\\n" + std::string(500, 'y');
  std::string text = R"({"error":{"message":")" + long_text + R"("}})";
  Clipped c = Clip(text, 64, 7);
  EXPECT_EQ(c.out, text);
  EXPECT_TRUE(c.strings.empty());
}

TEST(JsonClip, NeverCutsInsideUtf8) {
  // "é" is two bytes; with cap 5 after "abcd" the cut would split it.
  std::string text = "{\"s\":\"abcd\xC3\xA9" + std::string(50, 'z') + "\"}";
  Clipped c = Clip(text, 5);
  auto j = nlohmann::json::parse(c.out);
  EXPECT_EQ(j["s"], "abcd");
  ASSERT_EQ(c.strings.size(), 1u);
  EXPECT_EQ(c.strings[0].kept, 4u);
  EXPECT_EQ(c.strings[0].length, 56u);
}

TEST(JsonClip, TruncatedBodyStaysTruncated) {
  // A connection cut inside the image must not come out as a complete
  // document.
  std::string text = R"({"data":[{"b64_json":")" + std::string(1000, 'Q');
  Clipped c = Clip(text, 100, 33);
  EXPECT_FALSE(nlohmann::json::accept(c.out));
}

TEST(JsonClip, RandomDocumentsMatchTheirParse) {
  // Random nesting, escapes and lengths, fed in random pieces: the clipped
  // text parses, and each string is the original or its recorded start.
  std::mt19937 rng(7);
  const char alphabet[] = "ab\"\\/\xC3\xA9 {}[]:,";
  for (int round = 0; round < 300; ++round) {
    nlohmann::json doc = nlohmann::json::object();
    for (int k = 0; k < 4; ++k) {
      std::string s;
      size_t len = rng() % 400;
      for (size_t i = 0; i < len; ++i) {
        s += alphabet[rng() % (sizeof alphabet - 1)];
      }
      nlohmann::json::string_t fixed;
      // Keep valid UTF-8: the two-byte letter only whole.
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\xC3') {
          fixed += "\xC3\xA9";
          ++i;
        } else if (s[i] != '\xA9') {
          fixed += s[i];
        }
      }
      doc["k" + std::to_string(k)] = {{"v", fixed}, {"n", k}};
    }
    std::string text = doc.dump();
    size_t cap = 3 + rng() % 120;  // longer than the keys
    Clipped c = Clip(text, cap, 1 + rng() % 50);
    nlohmann::json got = nlohmann::json::parse(c.out);
    ASSERT_EQ(got.size(), doc.size()) << text << "\n" << c.out;
    for (auto& [key, value] : doc.items()) {
      std::string want = value["v"];
      std::string have = got[key]["v"];
      if (have != want) {
        EXPECT_LE(have.size(), cap);
        EXPECT_TRUE(want.starts_with(have)) << "round " << round;
        EXPECT_EQ(have.find_first_of("\"\\"), std::string::npos);  // no escape before the cut
      }
    }
  }
}

}  // namespace
}  // namespace modelwatch::net
