// Engine::OnBudget: the monthly budget's notices.
#include <gtest/gtest.h>

#include "alert/engine.h"
#include "alert/test_harness.h"

namespace modelwatch::alert {
namespace {

using std::chrono::hours;
using testing::Base;
using testing::Harness;

const std::string kConfig = R"(alerts:
  group_wait: 0s
  levels:
    warning:  {triggers: [timeout], channels: [slack]}
    critical: {triggers: [server_error], channels: [slack, email]}
monitors:
  - name: nbp
    kind: http
    url: https://nbp.example.com
    interval: 1m
)";

BudgetNotice Over(double planned = 290) {
  BudgetNotice n;
  n.constrained = true;
  n.monthly = 300;
  n.spent = 12;
  n.projected = 1163.62;
  n.planned = planned;
  n.detail = "test x4 (nightly 30m -> 2h)";
  return n;
}

BudgetNotice Within() {
  BudgetNotice n;
  n.monthly = 300;
  n.projected = 250;
  n.planned = 250;
  return n;
}

TEST(EngineBudget, SlowingMonitorsSendsOneWarningToTheWarningChannels) {
  Harness h(kConfig);
  h.Budget(Over(), Base());
  ASSERT_EQ(h.sent().size(), 1u);
  const Notification& n = h.sent()[0].n;
  EXPECT_EQ(h.sent()[0].channels, std::vector<std::string>{"slack"});
  EXPECT_EQ(n.level, AlertLevel::kWarning);
  ASSERT_EQ(n.items.size(), 1u);
  EXPECT_EQ(n.items[0].rule, "budget");
  EXPECT_EQ(n.items[0].event, AlertEventKind::kBudget);
  EXPECT_EQ(n.title,
            "[WARNING] modelwatch budget: the month's projected spend $1163.62 passes the $300.00 "
            "budget (spent $12.00): checks slowed to $290.00");
  EXPECT_EQ(n.items[0].diagnosis, "test x4 (nightly 30m -> 2h)");
  ASSERT_EQ(h.events().size(), 1u);
  EXPECT_EQ(h.events()[0].kind, "budget");
  EXPECT_EQ(h.events()[0].rule, "budget");
  EXPECT_FALSE(h.events()[0].silenced);
}

TEST(EngineBudget, ReplansWhileSlowedAreRecordedButNotSent) {
  Harness h(kConfig);
  h.Budget(Over(290), Base());
  h.Budget(Over(280), Base() + hours(1));
  h.Budget(Over(295), Base() + hours(2));
  EXPECT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.events().size(), 3u);
}

TEST(EngineBudget, BackWithinTheBudgetSendsOneRecoveryNotice) {
  Harness h(kConfig);
  h.Budget(Over(), Base());
  h.Budget(Within(), Base() + hours(5));
  h.Budget(Within(), Base() + hours(6));
  ASSERT_EQ(h.sent().size(), 2u);
  const Notification& n = h.sent()[1].n;
  EXPECT_EQ(n.items[0].event, AlertEventKind::kBudgetOk);
  EXPECT_EQ(n.items[0].summary,
            "back within the $300.00 monthly budget: configured intervals again");
  EXPECT_EQ(h.duplicates(), 0);
}

TEST(EngineBudget, TheSamePlanAfterARestartIsNotAnnouncedAgain) {
  Harness h(kConfig);
  h.Budget(Over(), Base());
  h.Restart();
  h.Budget(Over(), Base() + hours(1));  // the keeper re-plans at start
  EXPECT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.duplicates(), 0);
}

TEST(EngineBudget, ASilenceOfRuleBudgetHoldsTheNotice) {
  Harness h(kConfig);
  store::Silence s;
  s.id = 1;
  s.rule = "budget";
  s.starts = Base() - hours(1);
  s.ends = Base() + hours(1);
  s.reason = "known";
  h.SetSilences({s});
  h.Budget(Over(), Base());
  EXPECT_TRUE(h.sent().empty());
  ASSERT_EQ(h.events().size(), 1u);
  EXPECT_TRUE(h.events()[0].silenced);
}

TEST(EngineBudget, ChineseNoticeReadsInChinese) {
  Harness h("alerts:\n  language: zh\n" + kConfig.substr(kConfig.find('\n') + 1));
  h.Budget(Over(), Base());
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].n.items[0].summary,
            "本月预计花费 $1163.62 超出 $300.00 月度预算（已花 $12.00）：已放慢检查，预计 $290.00");
  EXPECT_EQ(h.sent()[0].n.title.rfind("[警告] modelwatch 预算: ", 0), 0u) << h.sent()[0].n.title;
}

}  // namespace
}  // namespace modelwatch::alert
