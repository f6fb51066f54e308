#include "alert/messages.h"

#include <fmt/format.h>

#include "core/duration.h"

namespace modelwatch::alert {

namespace {

bool Zh(std::string_view language) { return language == "zh"; }

// Whole minutes (or seconds below a minute) read better than "1h2m3s".
std::string Roughly(std::chrono::milliseconds d) {
  using std::chrono::duration_cast;
  if (d >= std::chrono::minutes(1)) {
    return FormatDuration(duration_cast<std::chrono::minutes>(d));
  }
  return FormatDuration(duration_cast<std::chrono::seconds>(d));
}

std::string_view LevelWord(AlertLevel l, std::string_view language) {
  if (Zh(language)) {
    switch (l) {
      case AlertLevel::kInfo:
        return "提示";
      case AlertLevel::kWarning:
        return "警告";
      case AlertLevel::kCritical:
        return "严重";
    }
  }
  switch (l) {
    case AlertLevel::kInfo:
      return "INFO";
    case AlertLevel::kWarning:
      return "WARNING";
    case AlertLevel::kCritical:
      return "CRITICAL";
  }
  return "";
}

std::string_view EventWord(AlertEventKind k, std::string_view language) {
  const bool zh = Zh(language);
  switch (k) {
    case AlertEventKind::kFiring:
      return zh ? "告警" : "firing";
    case AlertEventKind::kRepeat:
      return zh ? "持续告警" : "still firing";
    case AlertEventKind::kResolved:
      return zh ? "已恢复" : "resolved";
    case AlertEventKind::kFlapping:
      return zh ? "状态抖动" : "flapping";
    case AlertEventKind::kStable:
      return zh ? "恢复稳定" : "stable again";
    case AlertEventKind::kHostNetwork:
      return zh ? "本机网络中断" : "host network down";
    case AlertEventKind::kHostNetworkOk:
      return zh ? "本机网络恢复" : "host network back";
    case AlertEventKind::kFollowUp:
      return zh ? "更新" : "update";
    case AlertEventKind::kTest:
      return zh ? "测试" : "test";
    case AlertEventKind::kBudget:
      return zh ? "预算" : "budget";
    case AlertEventKind::kBudgetOk:
      return zh ? "预算恢复" : "budget ok";
  }
  return "";
}

}  // namespace

std::string ConsecutiveSummary(int failures, CheckStatus status, std::string_view language) {
  if (Zh(language)) {
    return fmt::format("连续 {} 次失败（{}）", failures, ToString(status));
  }
  return fmt::format("{} failures in a row ({})", failures, ToString(status));
}

std::string FailureRateSummary(const RateCount& c, std::chrono::milliseconds window, double above,
                               std::string_view language) {
  if (Zh(language)) {
    return fmt::format("最近 {} 内 {} 次检查失败 {} 次（{:.0f}% > {}%）", FormatDuration(window),
                       c.checks, c.failures, c.percent(), above);
  }
  return fmt::format("{} of {} checks failed in the last {} ({:.0f}% > {}%)", c.failures, c.checks,
                     FormatDuration(window), c.percent(), above);
}

std::string WindowSummary(config::WindowRuleKind kind, const WindowVerdict& v,
                          std::string_view window, std::string_view language) {
  using K = config::WindowRuleKind;
  const bool zh = Zh(language);
  // The failures of outages already told are left out of the rates.
  const std::string told =
      v.told <= 0 ? ""
      : zh        ? fmt::format("；不含已告警的 {} 次失败", v.told)
                  : fmt::format("; not counting {} failures already alerted on", v.told);
  switch (kind) {
    case K::kLatencyP95: {
      auto ms = [](double x) { return Roughly(std::chrono::milliseconds(int64_t(x))); };
      return zh ? fmt::format("{} 内 p95 延迟 {}（高于 {}）", window, ms(v.value), ms(v.bound))
                : fmt::format("p95 latency {} over {} (above {})", ms(v.value), window,
                              ms(v.bound));
    }
    case K::kErrorRate:
      return zh ? fmt::format("{} 内错误率 {:.1f}%（高于 {}%{}）", window, v.value, v.bound, told)
                : fmt::format("error rate {:.1f}% over {} (above {}%{})", v.value, window, v.bound,
                              told);
    case K::kAvailability:
      return zh ? fmt::format("{} 内可用率 {:.2f}%（低于 {}%{}）", window, v.value, v.bound, told)
                : fmt::format("availability {:.2f}% over {} (below {}%{})", v.value, window,
                              v.bound, told);
    case K::kRateLimits:
      return zh ? fmt::format("最近 1 小时被限流 {:.0f} 次（超过 {}）", v.value, v.bound)
                : fmt::format("{:.0f} rate-limit answers in the last hour (above {})", v.value,
                              v.bound);
  }
  return "";
}

std::string FlappingSummary(double percent, int checks, std::string_view language) {
  if (Zh(language)) {
    return fmt::format("状态反复变化：最近 {} 次检查中状态变化率 {:.0f}%，抖动期间不再逐次告警",
                       checks, percent);
  }
  return fmt::format(
      "state keeps changing: {:.0f}% state change over the last {} checks; "
      "no fire/resolve notices while it flaps",
      percent, checks);
}

std::string StableSummary(std::string_view language) {
  return Zh(language) ? "状态已稳定，恢复正常告警" : "stable again: normal alerting resumes";
}

std::string ResolvedSummary(std::chrono::milliseconds down_for, std::string_view language) {
  if (Zh(language)) {
    return fmt::format("已恢复，故障持续 {}", Roughly(down_for));
  }
  return fmt::format("back to normal after {} down", Roughly(down_for));
}

std::string HostSummary(bool down, size_t canaries, std::chrono::milliseconds down_for,
                        std::string_view language) {
  if (Zh(language)) {
    return down ? fmt::format("本机网络中断：{} 个连通性探针全部失败，服务商告警暂停", canaries)
                : fmt::format("本机网络已恢复，中断 {}", Roughly(down_for));
  }
  return down ? fmt::format(
                    "this host lost its network: all {} canaries failed; provider alerts "
                    "are held",
                    canaries)
              : fmt::format("this host's network is back after {}", Roughly(down_for));
}

std::string Title(const Notification& n) {
  std::string_view level = LevelWord(n.level, n.language);
  if (n.items.size() == 1) {
    const AlertItem& a = n.items[0];
    std::string who = a.monitor.empty() ? std::string("modelwatch") : a.monitor;
    return fmt::format("[{}] {} {}: {}", level, who, EventWord(a.event, n.language), a.summary);
  }
  if (Zh(n.language)) {
    return fmt::format("[{}] {}：{} 条告警", level, n.group, n.items.size());
  }
  return fmt::format("[{}] {} alerts ({})", level, n.items.size(), n.group);
}

}  // namespace modelwatch::alert
