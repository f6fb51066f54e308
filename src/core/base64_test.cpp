#include "core/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace modelwatch {
namespace {

struct DecodeCase {
  std::string name;
  std::string input;
  std::optional<std::string> want;
};

TEST(Base64, DecodesTable) {
  const DecodeCase cases[] = {
      {"empty", "", std::string()},
      {"padded_1", "Zg==", "f"},
      {"padded_2", "Zm8=", "fo"},
      {"no_padding_needed", "Zm9v", "foo"},
      {"unpadded_1", "Zg", "f"},
      {"unpadded_2", "Zm8", "fo"},
      {"longer", "Zm9vYmFy", "foobar"},
      {"standard_alphabet", "+/+/", std::string("\xfb\xff\xbf", 3)},
      {"url_safe_alphabet", "-_-_", std::string("\xfb\xff\xbf", 3)},
      {"newlines_every_4", "Zm9v\nYmFy\r\n", "foobar"},
      {"spaces_inside_quantum", "Z m 9 v\tYm Fy", "foobar"},
      {"whitespace_after_padding", "Zg==\n", "f"},
      {"leftover_single_symbol", "Zm9vY", std::nullopt},
      {"invalid_char", "Zm9v*mFy", std::nullopt},
      {"data_after_padding", "Zg==Zg==", std::nullopt},
      {"too_much_padding", "Zg===", std::nullopt},
      {"padding_first", "=Zg", std::nullopt},
      {"dots_as_in_doc_sample", "...", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DecodeBase64(c.input), c.want);
  }
}

TEST(Base64, EncodesKnownVectorsWithPadding) {
  EXPECT_EQ(EncodeBase64("Man"), "TWFu");
  EXPECT_EQ(EncodeBase64("Ma"), "TWE=");
  EXPECT_EQ(EncodeBase64("M"), "TQ==");
  EXPECT_FALSE(DecodeBase64("TW=u").has_value());  // nothing may follow padding
}

TEST(Base64, RoundTripsRandomBytesOfEveryLengthMod3) {
  std::mt19937 rng(7);
  for (size_t len = 0; len < 200; ++len) {
    std::string bytes(len, '\0');
    for (char& ch : bytes) {
      ch = static_cast<char>(rng());
    }
    std::string encoded = EncodeBase64(bytes);
    EXPECT_EQ(encoded.size() % 4, 0u);
    EXPECT_EQ(DecodeBase64(encoded), bytes) << "len " << len;
  }
}

TEST(Base64, DecodesLargeWrappedPayload) {
  std::string bytes(3 * 1024 * 1024 + 1, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>(i * 31);
  }
  std::string encoded = EncodeBase64(bytes);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    wrapped += encoded.substr(i, 76) + "\r\n";
  }
  auto decoded = DecodeBase64(wrapped);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64, PrefixStopsAfterEnoughWholeQuantaAndIgnoresTheRest) {
  std::string bytes = "0123456789abcdefghij";
  std::string encoded = EncodeBase64(bytes) + "!!not base64!!";
  auto prefix = DecodeBase64Prefix(encoded, 7);
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(*prefix, "012345678");  // three whole quanta
  EXPECT_FALSE(DecodeBase64Prefix("AB!D" + EncodeBase64(bytes), 7).has_value());
  EXPECT_EQ(DecodeBase64Prefix(EncodeBase64("ab"), 100), "ab");
}

TEST(Base64, DecodedSizeMatchesDecodingWithAndWithoutWhitespace) {
  std::mt19937 rng(3);
  for (size_t len = 0; len < 100; ++len) {
    std::string bytes(len, 'x');
    std::string encoded = EncodeBase64(bytes);
    EXPECT_EQ(DecodedBase64Size(encoded), len);
    std::string wrapped;
    for (size_t i = 0; i < encoded.size(); i += 5) {
      wrapped += encoded.substr(i, 5) + "\n";
    }
    EXPECT_EQ(DecodedBase64Size(wrapped), len);
  }
}

}  // namespace
}  // namespace modelwatch
