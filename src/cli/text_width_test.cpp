#include "cli/text_width.h"

#include <gtest/gtest.h>

#include "cli/result_table.h"

namespace modelwatch::cli {
namespace {

TEST(Ellipsize, ShortTextIsKeptWhole) { EXPECT_EQ(Ellipsize("timeout", 7), "timeout"); }

TEST(Ellipsize, LongTextEndsInAnEllipsisWithinTheWidth) {
  std::string cut = Ellipsize("The engine is currently overloaded", 10);
  EXPECT_EQ(cut, "The engin\u2026");
  EXPECT_EQ(Columns(cut), 10u);
}

TEST(Ellipsize, NeverSplitsAUtf8Sequence) {
  EXPECT_EQ(Ellipsize("\u00e9\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u2026");
}

TEST(FormatResultTable, EveryLineFitsTheWidthAndALongErrorIsCut) {
  CheckResult r;
  r.monitor = "a-monitor-with-a-rather-long-name-indeed";
  r.status = CheckStatus::kServerError;
  r.http_status = 503;
  r.error = std::string(300, 'x');
  std::string table = FormatResultTable({r}, 80);
  size_t start = 0;
  while (start < table.size()) {
    size_t end = table.find('\n', start);
    EXPECT_LE(Columns(table.substr(start, end - start)), 80u) << table;
    start = end + 1;
  }
  EXPECT_NE(table.find("xxx\u2026"), std::string::npos) << table;
}

}  // namespace
}  // namespace modelwatch::cli
