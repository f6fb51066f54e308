#include "config/suggest.h"

#include <gtest/gtest.h>

#include <array>

#include "config/byte_size.h"

namespace modelwatch::config {
namespace {

constexpr std::array<std::string_view, 5> kKeys = {"interval", "timeout", "url", "body", "api_key"};

TEST(DidYouMean, SuggestsOnlyNearKeys) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"intervall", " (did you mean \"interval\"?)"},
      {"Timeout", " (did you mean \"timeout\"?)"},
      {"timeuot", " (did you mean \"timeout\"?)"},
      {"apikey", " (did you mean \"api_key\"?)"},
      {"uri", " (did you mean \"url\"?)"},
      {"colour", ""},
      {"x", ""},
  };
  for (auto [word, want] : cases) {
    EXPECT_EQ(DidYouMean(word, kKeys), want) << word;
  }
}

TEST(OneOf, ListsValues) {
  constexpr std::array<std::string_view, 3> v = {"a", "b", "c"};
  EXPECT_EQ(OneOf(v), "\"a\", \"b\" or \"c\"");
  EXPECT_EQ(OneOf(std::span(v).first(1)), "\"a\"");
}

TEST(ParseByteSize, AcceptsUnits) {
  const std::pair<std::string_view, size_t> cases[] = {
      {"0", 0},
      {"1048576", 1048576},
      {"512B", 512},
      {"10KB", 10000},
      {"10MB", 10'000'000},
      {"1GB", 1'000'000'000},
      {"1KiB", 1024},
      {"64MiB", 64 << 20},
      {"64 MiB", 64 << 20},
      {"2GiB", 2ULL << 30},
  };
  for (auto [text, want] : cases) {
    Result<size_t> got = ParseByteSize(text);
    ASSERT_TRUE(got) << text << ": " << got.error().message();
    EXPECT_EQ(*got, want) << text;
  }
}

TEST(ParseByteSize, RejectsOthers) {
  for (std::string_view text :
       {"", "MiB", "10 mb", "1.5MB", "-1", "10TB", "99999999999999999GiB"}) {
    EXPECT_FALSE(ParseByteSize(text)) << text;
  }
}

}  // namespace
}  // namespace modelwatch::config
