#include "notify/registry.h"

#include <gtest/gtest.h>

#include "notify/channels/channel_test_util.h"
#include "notify/sample.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

std::string Problems(const std::string& yaml, const std::map<std::string, std::string>& env = {}) {
  config::Diagnostics diag;
  config::Node root = ParseNode(yaml, diag, env);
  const config::Node* section = root.Find("channels");
  BuildChannels(section ? *section : config::Node{}, diag);
  return diag.ToString();
}

TEST(Registry, TheBriefsExampleParses) {
  config::Diagnostics diag;
  config::Node root = ParseNode(
      "channels: {feishu: {kind: feishu, url: \"${FEISHU_HOOK}\", secret: \"${FEISHU_SECRET}\"}, "
      "slack: {kind: slack, url: \"${SLACK_HOOK}\"}}",
      diag,
      {{"FEISHU_HOOK", "https://open.feishu.cn/open-apis/bot/v2/hook/t1"},
       {"FEISHU_SECRET", "fs-secret"},
       {"SLACK_HOOK", "https://hooks.slack.com/services/T/B/X"}});
  std::map<std::string, ChannelPtr> chans = BuildChannels(*root.Find("channels"), diag);
  EXPECT_TRUE(diag.empty()) << diag.ToString();
  ASSERT_EQ(chans.size(), 2u);
  EXPECT_EQ(chans["feishu"]->kind(), "feishu");
  EXPECT_EQ(chans["feishu"]->name(), "feishu");
  EXPECT_EQ(chans["feishu"]->secrets().size(), 2u);
  EXPECT_EQ(chans["slack"]->kind(), "slack");
}

TEST(Registry, AbsentSectionIsNoChannels) {
  config::Diagnostics diag;
  EXPECT_TRUE(BuildChannels(config::Node{}, diag).empty());
  EXPECT_TRUE(diag.empty());
}

TEST(Registry, LogIsReserved) {
  EXPECT_EQ(Problems("channels:\n  log: {kind: slack, url: \"https://h/x\"}\n"),
            "cfg.yaml:2:3: channels.log: \"log\" is the built-in log channel and cannot be "
            "configured; give this channel another name");
}

TEST(Registry, UnknownKindGetsASuggestion) {
  EXPECT_EQ(Problems("channels:\n  ops: {kind: slak, url: \"https://h/x\"}\n"),
            "cfg.yaml:2:15: channels.ops: kind: \"slak\" is not one of \"feishu\", \"wecom\", "
            "\"dingtalk\", \"slack\", \"discord\", \"telegram\", \"teams\", \"webhook\", "
            "\"pagerduty\", \"alertmanager\" or \"email\" (did you mean \"slack\"?)");
}

TEST(Registry, MissingKindAndUrlAreReportedWhereTheyBelong) {
  std::string p = Problems("channels:\n  ops: {url: \"https://h/x\"}\n  dt:\n    kind: dingtalk\n");
  EXPECT_NE(p.find("cfg.yaml:2:8: channels.ops: missing kind"), std::string::npos) << p;
  EXPECT_NE(p.find("cfg.yaml:4:5: channels.dt: missing url"), std::string::npos) << p;
}

TEST(Registry, UnknownKeyHasDidYouMean) {
  std::string p = Problems(
      "channels:\n  ops:\n    kind: feishu\n    url: \"https://h/x\"\n"
      "    secert: s\n");
  EXPECT_EQ(p, "cfg.yaml:5:5: channels.ops: unknown key \"secert\" (did you mean \"secret\"?)");
}

TEST(Registry, NotAMapIsReported) {
  EXPECT_NE(Problems("channels: [slack]\n").find("cfg.yaml:1:11: channels: must be a map"),
            std::string::npos);
  EXPECT_NE(Problems("channels: {ops: slack}\n").find("channels.ops: must be a map"),
            std::string::npos);
}

TEST(Registry, UrlThatIsNotHttpIsReportedWithoutItsValue) {
  std::string p = Problems("channels: {ops: {kind: slack, url: \"${HOOK}\"}}\n",
                           {{"HOOK", "hooks.slack.com/services/T/B/SECRETTOKEN"}});
  EXPECT_NE(p.find("url: must be an http:// or https:// URL"), std::string::npos) << p;
  EXPECT_EQ(p.find("SECRETTOKEN"), std::string::npos) << p;
}

// A working config entry of every kind, pointing at `url`.
std::string EntryFor(std::string_view kind, const std::string& url) {
  if (kind == "telegram") {
    return "{kind: telegram, token: \"7:SECRETTOKEN\", chat_id: \"1\", api_url: \"" + url + "\"}";
  }
  if (kind == "pagerduty") {
    return "{kind: pagerduty, routing_key: SECRETTOKEN, url: \"" + url + "\"}";
  }
  return "{kind: " + std::string(kind) + ", url: \"" + url + "/hook/SECRETTOKEN\"}";
}

TEST(Registry, EveryKindRendersHostileTextSafelyAndNeverShowsItsSecret) {
  Receiver rx;
  rx.Answer(500, "upstream broke for /hook/SECRETTOKEN and bot7:SECRETTOKEN");
  for (const ChannelKind& k : ChannelKinds()) {
    if (k.kind == "email") {
      continue;  // SMTP, not an HTTP webhook: channels/email_test.cpp, against a real SMTP server
    }
    SCOPED_TRACE(std::string(k.kind));
    config::Diagnostics diag;
    config::Node node = ParseNode(EntryFor(k.kind, rx.Url("")), diag);
    ChannelPtr ch = k.make(config::Scope(diag, "channels.x"), "x", node);
    ASSERT_NE(ch, nullptr) << diag.ToString();
    Result<net::Request> req = ch->Render(HostileNotification(), TestNow());
    ASSERT_TRUE(req.has_value());
    EXPECT_FALSE(nlohmann::json::parse(req->body, nullptr, false).is_discarded());
    bool plain = k.kind == "webhook" || k.kind == "pagerduty" || k.kind == "alertmanager";
    if (!plain) {  // plain-text destinations carry the text as JSON data, not markup
      EXPECT_EQ(req->body.find("<script>"), std::string::npos) << req->body.substr(0, 2000);
    }
    EXPECT_EQ(req->body.find("\\u0000"), std::string::npos);
    EXPECT_LT(req->body.size(), 64u * 1024);
    Delivery d = ch->Check(Send(*req));
    EXPECT_FALSE(d.delivered);
    EXPECT_FALSE(d.permanent);
    EXPECT_EQ(d.error.find(k.kind == "telegram" ? "7:SECRETTOKEN" : "SECRETTOKEN"),
              std::string::npos)
        << d.error;
    EXPECT_NE(d.error.find("HTTP 500"), std::string::npos) << d.error;
  }
}

TEST(Registry, AChannelsOwnTemplatesOverTheGlobalOnes) {
  config::Diagnostics diag;
  config::Node root = ParseNode(
      "channels:\n  slack:\n    kind: slack\n    url: \"https://hooks.slack.com/services/T/B/X\"\n"
      "    templates: {firing: \"slack says {{monitor}} is {{status}}\"}\n",
      diag, {});
  std::map<std::string, ChannelPtr> chans = BuildChannels(*root.Find("channels"), diag);
  ASSERT_TRUE(diag.empty()) << diag.ToString();
  Notification n = SampleNotification(TestNow());
  n.templates["firing"] = "global {{monitor}}";
  n.templates["resolved"] = "global {{monitor}} back";
  Result<net::Request> r = chans.at("slack")->Render(n, TestNow());
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->body.find("slack says nano-banana-pro is server error"), std::string::npos)
      << r->body;
  EXPECT_EQ(r->body.find("global"), std::string::npos) << r->body;
  EXPECT_EQ(chans.at("slack")->kind(), "slack");
}

TEST(Registry, AnUnknownPlaceholderInAChannelsTemplateIsAnError) {
  EXPECT_EQ(Problems("channels:\n  slack:\n    kind: slack\n    url: \"https://h/x\"\n"
                     "    templates:\n      resolved: \"{{nope}}\"\n"),
            "cfg.yaml:6:17: channels.slack: templates: resolved: unknown placeholder {{nope}} at "
            "character 1 (known: monitor, model, provider, level, event, rule, status, "
            "http_status, error, summary, since, down_for, consecutive_failures, figures, "
            "diagnosis, actions, status_pages, folded, dashboard)");
}

}  // namespace
}  // namespace modelwatch::notify
