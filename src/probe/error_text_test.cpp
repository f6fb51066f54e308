#include "probe/error_text.h"

#include <gtest/gtest.h>

namespace modelwatch::probe {
namespace {

TEST(CleanErrorText, Table) {
  const std::pair<std::string, std::string> cases[] = {
      {"  plain   text \n\t here ", "plain text here"},
      {"key sk-abc123def456 leaked", "key sk-*** leaked"},
      {"OpenRouter sk-or-v1-0123456789abcdef", "OpenRouter sk-***"},
      {"short sk-ab stays", "short sk-ab stays"},
      {"task-12345678 is no key", "task-12345678 is no key"},
      {"google AIzaSyA1234567890abcdef", "google AIza***"},
      {"Authorization: Bearer abcdefghijkl", "Authorization: Bearer ***"},
      {"url https://x/?key=abcdefgh123&alt=sse", "url https://x/?key=***&alt=sse"},
      {"api_key=abcdefgh123", "api_key=***"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_EQ(CleanErrorText(in), want) << in;
  }
}

TEST(CleanErrorText, RedactsGivenSecretsBeforeCutting) {
  Secret key("plain-secret-value");
  const Secret* secrets[] = {&key};
  // The key straddles the cut: it must not survive even in part.
  std::string text = std::string(290, 'x') + " plain-secret-value tail";
  std::string out = CleanErrorText(text, secrets);
  EXPECT_EQ(out.find("plain-sec"), std::string::npos) << out;
  EXPECT_LE(out.size(), kMaxErrorChars);
}

TEST(CleanErrorText, CutsOnUtf8Boundary) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "é";  // two bytes each
  }
  std::string out = CleanErrorText(text);
  ASSERT_TRUE(out.ends_with("..."));
  std::string body = out.substr(0, out.size() - 3);
  EXPECT_EQ(body.size() % 2, 0u);
  EXPECT_LE(out.size(), kMaxErrorChars);
}

}  // namespace
}  // namespace modelwatch::probe

namespace modelwatch::probe {
namespace {

TEST(ErrorText, ProviderControlBytesBecomeVisibleEscapes) {
  using namespace std::string_literals;
  // A NUL used to cut the check table short; ESC drove the terminal.
  EXPECT_EQ(CleanErrorText("boom\0tail \x1b[31mred\xff"s, {}),
            "boom\\x00tail \\x1b[31mred\xEF\xBF\xBD");
}

}  // namespace
}  // namespace modelwatch::probe
