#include "notify/sample.h"

namespace modelwatch::notify {

Notification SampleNotification(WallTime now, std::string language, AlertEventKind event) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  bool zh = language == "zh";
  AlertItem a;
  a.monitor = "nano-banana-pro";
  a.model = "gemini-3-pro-image";
  a.provider = "google";
  a.rule = "consecutive_failures";
  a.level = AlertLevel::kCritical;
  a.event = event;
  a.status = CheckStatus::kServerError;
  a.http_status = 503;
  a.error = "The model is overloaded. Please try again later.";
  a.summary = zh ? "连续失败 3 次（server_error）" : "3 failures in a row (server_error)";
  a.consecutive_failures = 3;
  a.since = now - minutes(3);
  a.figures = {
      {.window = "1h",
       .checks = 60,
       .failures = 4,
       .rate_limited = 0,
       .availability = 93.3,
       .p95 = std::chrono::milliseconds(41'000)},
      {.window = "24h",
       .checks = 1440,
       .failures = 9,
       .rate_limited = 2,
       .availability = 99.4,
       .p95 = std::chrono::milliseconds(14'000)},
  };
  a.status_pages = {"https://aistudio.google.com/status"};
  a.diagnosis = zh ? "官方状态页暂无事件；同一服务商的其他监控也在失败"
                   : "no official incident yet; other Google monitors are failing too";
  Notification n;
  n.group = "provider=google";
  n.level = AlertLevel::kCritical;
  n.language = std::move(language);
  n.created = now;
  n.items = {std::move(a)};
  n.dedup_key = "nano-banana-pro:consecutive_failures";
  return n;
}

Notification SampleResolved(WallTime now, std::string language) {
  Notification n = SampleNotification(now, std::move(language), AlertEventKind::kResolved);
  AlertItem& a = n.items[0];
  a.since = now - std::chrono::minutes(12);
  a.down_for = std::chrono::minutes(12);
  a.status = CheckStatus::kSuccess;
  a.http_status = 200;
  a.error.clear();
  a.consecutive_failures = 0;
  return n;
}

}  // namespace modelwatch::notify
