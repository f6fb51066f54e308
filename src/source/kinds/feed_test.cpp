#include <gtest/gtest.h>

#include "core/sample_file.h"
#include "source/test_util.h"

namespace modelwatch::source {
namespace {

using testing::Answer;
using testing::At;
using testing::Entry;
using testing::ParseWith;

std::string Rss(std::string_view title, std::string_view date) {
  return std::string(R"(<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<link>https://status.x.ai/</link><item><title>)") +
         std::string(title) + "</title><link>https://status.x.ai/incidents/1</link>" +
         "<guid>https://status.x.ai/incidents/1</guid><pubDate>" + std::string(date) +
         "</pubDate><description>&lt;p&gt;We are investigating &amp; fixing.&lt;/p&gt;"
         "</description></item></channel></rss>";
}

TEST(Feed, GoogleAtomSampleOfResolvedUpdatesIsOperational) {
  std::string body = modelwatch::testing::ReadFormatsFile("samples/gcp-feed-2022-04-01.atom");
  Snapshot s = ParseWith(Entry("feed"), {Answer(body)}, At("2022-04-01T21:00:00Z"));
  EXPECT_EQ(s.health, Health::kOperational) << s.why;
  EXPECT_TRUE(s.incidents.empty());
  EXPECT_EQ(s.page, "https://status.cloud.google.com/");
}

TEST(Feed, RecentRssItemIsAnActiveIncident) {
  Snapshot s = ParseWith(Entry("feed"),
                         {Answer(Rss("Elevated API errors", "Fri, 27 Nov 2026 09:00:00 GMT"))},
                         At("2026-11-27T10:00:00Z"));
  EXPECT_EQ(s.health, Health::kDegraded) << s.why;
  ASSERT_EQ(s.incidents.size(), 1u);
  EXPECT_EQ(s.incidents[0].title, "Elevated API errors");
  EXPECT_EQ(s.incidents[0].link, "https://status.x.ai/incidents/1");
  EXPECT_EQ(s.incidents[0].started, At("2026-11-27T09:00:00Z"));
  EXPECT_EQ(s.incidents[0].latest_update, "We are investigating & fixing.");
}

TEST(Feed, ResolvedItemIsNotActive) {
  Snapshot s =
      ParseWith(Entry("feed"),
                {Answer(Rss("Resolved: Elevated API errors", "Fri, 27 Nov 2026 09:00:00 +0000"))},
                At("2026-11-27T10:00:00Z"));
  EXPECT_EQ(s.health, Health::kOperational);
}

TEST(Feed, OldItemIsHistory) {
  Snapshot s = ParseWith(Entry("feed"),
                         {Answer(Rss("Elevated API errors", "Fri, 20 Nov 2026 09:00:00 GMT"))},
                         At("2026-11-27T10:00:00Z"));
  EXPECT_TRUE(s.incidents.empty());
}

TEST(Feed, EmptyFeedIsOperational) {
  Snapshot s =
      ParseWith(Entry("feed"),
                {Answer(R"(<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>)")},
                At("2026-11-27T10:00:00Z"));
  EXPECT_EQ(s.health, Health::kOperational);
}

TEST(Feed, InvalidXmlIsUnknown) {
  Snapshot s = ParseWith(Entry("feed"), {Answer("<rss><channel><item><title>x</item>")},
                         At("2026-11-27T10:00:00Z"));
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why.rfind("invalid XML", 0), 0u) << s.why;
}

TEST(Feed, JsonInsteadOfAFeedIsUnknown) {
  Snapshot s = ParseWith(Entry("feed"), {Answer(R"({"status":"ok"})")}, At("2026-11-27T10:00:00Z"));
  EXPECT_EQ(s.health, Health::kUnknown);
}

}  // namespace
}  // namespace modelwatch::source
