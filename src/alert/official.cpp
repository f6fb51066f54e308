// What the status sources tell the engine: official incidents (follow-ups,
// detection lead) and model lifecycle (Engine::OnOfficialIncident,
// Engine::OnModelLifecycle).
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "alert/detection_lead.h"
#include "alert/engine.h"
#include "alert/engine_batch.h"
#include "alert/grouping.h"
#include "alert/lifecycle.h"
#include "alert/rules.h"

namespace modelwatch::alert {

namespace {

const std::string kCf(kConsecutiveFailures);
const std::string kFr(kFailureRate);
const std::string kLead(kDetectionLead);
const std::string kLife(kModelLifecycle);

constexpr size_t kKeptIncidents = 64;

std::string HourMinute(WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void Remember(std::vector<std::string>& list, std::string key) {
  list.push_back(std::move(key));
  if (list.size() > kKeptIncidents) {
    list.erase(list.begin(), list.begin() + static_cast<long>(list.size() - kKeptIncidents));
  }
}

bool Knows(const std::vector<std::string>& list, const std::string& key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

std::string FollowUpSummary(const std::string& source, const source::Incident& i,
                            std::optional<int> lead, std::string_view language) {
  const bool zh = language == "zh";
  std::string severity = i.severity.empty() ? "" : i.severity + ", ";
  std::string text = zh ? fmt::format("官方故障已确认（{}）：{}（{}开始于 {}）", source, i.title,
                                      severity, HourMinute(i.started))
                        : fmt::format("Official incident confirmed on {}: {} ({}since {})", source,
                                      i.title, severity, HourMinute(i.started));
  if (lead && *lead > 0) {
    text += zh ? fmt::format("；我方探测早 {} 分钟发现", *lead)
               : fmt::format("; our probes saw it {} min earlier", *lead);
  }
  if (!i.link.empty()) {
    text += " " + i.link;
  }
  return text;
}

}  // namespace

FailureFacts Engine::Facts(const MonitorAlertState& s, const RuleState& rs) {
  FailureFacts f;
  f.status = rs.status ? rs.status : s.last_failure;
  if (f.status && IsFailure(*f.status)) {
    f.http_status = s.http_status;
    f.error = s.error;
    f.failing_phase = s.failing_phase;
  }
  f.failing_since = s.failing_since;
  return f;
}

store::AlertChange Engine::OnOfficialIncident(const std::string& monitor, const std::string& source,
                                              const source::Incident& incident, States& states,
                                              WallTime now) {
  last_now_ = now;
  Batch b;
  const config::Monitor* m = Find(monitor);
  if (m == nullptr || incident.ended) {
    Dispatch(b, now);
    return Finish(b, states);
  }
  MonitorAlertState& s = st_[m->name];
  const std::string id = fmt::format("{}/{}", source, incident.id);
  std::optional<int> lead;
  if (s.failing_since) {
    lead = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(incident.started - *s.failing_since)
            .count());
    if (!Knows(s.incidents, "lead/" + id)) {
      Remember(s.incidents, "lead/" + id);
      DetectionLead d{m->name, source, incident.title, incident.link, incident.started, *lead};
      Record(b, m->name, kLead, AlertLevel::kInfo, AlertEventKind::kFollowUp, now,
             DetectionLeadMessage(d), true);
      b.touched.insert(m->name);
    }
  }
  for (const std::string* rule : {&kCf, &kFr}) {
    auto it = s.rules.find(*rule);
    if (it == s.rules.end() || !it->second.firing || !it->second.announced) {
      continue;  // not firing, or its firing notice (with the diagnosis) is still to go
    }
    RuleState& rs = it->second;
    const std::string told = fmt::format("{}/{}", rs.seq, id);
    if (Knows(s.incidents, told)) {
      continue;
    }
    Remember(s.incidents, told);
    b.touched.insert(m->name);
    AlertItem item = Item(*m, *rule, rs, AlertEventKind::kFollowUp);
    item.summary = FollowUpSummary(source, incident, lead, Language());
    bool quiet = rs.folded || Suppressed(m->name, *rule, Rule::kResult, now);
    Record(b, m->name, *rule, rs.level, AlertEventKind::kFollowUp, now, item.summary, quiet);
    if (!quiet) {
      std::string notice =
          NoticeId(m->name, *rule, rs.seq, AlertEventKind::kFollowUp, 0) + "/" + id;
      Emit(b, GroupKey(*m, cfg_.alerts.group_by), rs.level, {std::move(item)}, {notice}, now);
    }
  }
  Dispatch(b, now);
  return Finish(b, states);
}

store::AlertChange Engine::OnModelLifecycle(const std::string& monitor,
                                            const source::ModelListing& listing, States& states,
                                            WallTime now) {
  last_now_ = now;
  Batch b;
  const config::Monitor* m = Find(monitor);
  if (m == nullptr) {
    Dispatch(b, now);
    return Finish(b, states);
  }
  MonitorAlertState& s = st_[m->name];
  std::optional<LifecycleWarning> w = LifecycleWarningFor(listing, now);
  auto told = s.lifecycle.find(listing.model);
  if (!w) {
    if (told != s.lifecycle.end() && told->second == "gone" && listing.listed) {
      s.lifecycle.erase(told);  // back in its list: its going is worth a warning again
      b.touched.insert(m->name);
    }
    Dispatch(b, now);
    return Finish(b, states);
  }
  const std::string key = w->Key();
  if (told != s.lifecycle.end()) {
    // "2026-12-01/7" was told: "2026-12-01/30" is older news, "/1" is not.
    const std::string& before = told->second;
    size_t slash = before.find('/');
    bool same_date = w->kind == LifecycleKind::kShutdown && slash != std::string::npos &&
                     key.compare(0, slash + 1, before, 0, slash + 1) == 0;
    if (before == key ||
        (same_date && std::atoi(before.c_str() + slash + 1) <= w->threshold_days)) {
      Dispatch(b, now);
      return Finish(b, states);
    }
  }
  s.lifecycle[listing.model] = key;
  b.touched.insert(m->name);
  AlertItem item;
  item.monitor = m->name;
  item.model = m->model;
  auto label = m->labels.find("provider");
  item.provider = label != m->labels.end() ? label->second : m->provider;
  item.rule = kLife;
  item.level = AlertLevel::kWarning;
  item.event = AlertEventKind::kFiring;
  item.since = now;
  item.summary = LifecycleText(*w, Language());
  item.status_pages = m->alerting.status_pages;
  item.actions = {Language() == "zh" ? "从服务商的模型列表中选取当前模型 ID，更新监控的 model。"
                                     : "Take a current model ID from the provider's model list "
                                       "and update the monitor's model."};
  bool quiet = Suppressed(m->name, kLife, Rule::kOther, now);
  Record(b, m->name, kLife, AlertLevel::kWarning, AlertEventKind::kFiring, now, item.summary,
         quiet);
  if (!quiet) {
    std::string notice =
        NoticeId(m->name, kLife, 0, AlertEventKind::kFiring, 0) + "/" + listing.model + "/" + key;
    Emit(b, GroupKey(*m, cfg_.alerts.group_by), AlertLevel::kWarning, {std::move(item)}, {notice},
         now);
  }
  Dispatch(b, now);
  return Finish(b, states);
}

}  // namespace modelwatch::alert
