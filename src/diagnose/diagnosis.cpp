#include "diagnose/diagnosis.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>

namespace modelwatch::diagnose {
namespace {

struct Text {
  const char* en;
  const char* zh;
};

class Say {
 public:
  explicit Say(std::string_view language) : zh_(language == "zh") {}
  const char* operator()(const Text& t) const { return zh_ ? t.zh : t.en; }
  bool zh() const { return zh_; }

 private:
  bool zh_;
};

bool Official(const source::Snapshot& s) {
  return s.kind == "google_cloud_status" || s.kind == "statuspage" || s.kind == "feed";
}

std::string_view HealthWord(source::Health h) {
  switch (h) {
    case source::Health::kUnknown:
      return "unknown";
    case source::Health::kOperational:
      return "operational";
    case source::Health::kMaintenance:
      return "maintenance";
    case source::Health::kDegraded:
      return "degraded";
    case source::Health::kOutage:
      return "outage";
  }
  return "unknown";
}

std::string Utc(WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min);
}

std::string Age(WallTime since, WallTime now, const Say& say) {
  auto m = std::chrono::duration_cast<std::chrono::minutes>(now - since).count();
  if (m < 0) {
    m = 0;
  }
  if (m < 120) {
    return fmt::format(fmt::runtime(say.zh() ? "{} 分钟前" : "{} min ago"), m);
  }
  return fmt::format(fmt::runtime(say.zh() ? "{} 小时前" : "{} h ago"), m / 60);
}

std::string IncidentLine(const source::Snapshot& s, const source::Incident& i, WallTime now,
                         const Say& say) {
  std::string line = fmt::format("{}: {}", s.source, i.title);
  std::vector<std::string> facts;
  if (!i.severity.empty()) {
    facts.push_back(i.severity);
  }
  if (!i.status.empty()) {
    facts.push_back(i.status);
  }
  facts.push_back(fmt::format(fmt::runtime(say.zh() ? "开始于 {}（{}）" : "since {} ({})"),
                              Utc(i.started), Age(i.started, now, say)));
  line += fmt::format(" ({})", fmt::join(facts, ", "));
  if (i.maintenance) {
    line += say({" [scheduled maintenance]", "【计划维护】"});
  }
  if (!i.link.empty()) {
    line += " " + i.link;
  }
  return line;
}

// An endpoint's best-known recent uptime: 30 min, else 5 min, else 1 day.
std::optional<double> Uptime(const source::Endpoint& e) {
  if (e.uptime_30m) {
    return e.uptime_30m;
  }
  return e.uptime_5m ? e.uptime_5m : e.uptime_1d;
}

// Branch 2: every provider serving the model through OpenRouter is below
// the threshold (or none serves it), or the source says degraded itself.
bool DegradedEverywhere(const source::Snapshot& s) {
  if (s.kind != "openrouter" || s.health == source::Health::kUnknown) {
    return false;
  }
  if (s.health == source::Health::kDegraded || s.health == source::Health::kOutage) {
    return true;
  }
  int known = 0, low = 0;
  for (const source::Endpoint& e : s.endpoints) {
    if (auto u = Uptime(e)) {
      ++known;
      low += *u < kDegradedUptime ? 1 : 0;
    }
  }
  return known > 0 && low == known;
}

std::string EndpointLine(const source::Snapshot& s, const source::Endpoint& e) {
  auto pct = [](std::optional<double> v) {
    return v ? fmt::format("{:.1f}%", *v) : std::string("n/a");
  };
  return fmt::format("{}: {} uptime 5m {} / 30m {} / 1d {}", s.source, e.provider, pct(e.uptime_5m),
                     pct(e.uptime_30m), pct(e.uptime_1d));
}

// Branch 3's item, chosen from the failing status; nullptr when the status
// is not one the user can fix.
const Text* YourSideAdvice(const Failure& f) {
  static const Text kKey = {
      "Check the API key: it may be invalid, revoked, or not allowed to use this model.",
      "检查 API Key：可能无效、已吊销，或无权使用该模型。"};
  static const Text kQuota = {"Check billing and quota: the account's credit or quota is used up.",
                              "检查账单和配额：账户余额或配额已用完。"};
  static const Text kDns = {
      "Check the network from this host: the DNS lookup failed (host name, resolver).",
      "检查本机网络：DNS 解析失败（域名、DNS 服务器）。"};
  static const Text kConnect = {
      "Check the network from this host: the connection failed (firewall, proxy, route).",
      "检查本机网络：连接失败（防火墙、代理、路由）。"};
  static const Text kTls = {
      "Check the network from this host: the TLS handshake failed (certificates, system clock, "
      "an intercepting proxy).",
      "检查本机网络：TLS 握手失败（证书、系统时间、中间代理）。"};
  static const Text kNet = {"Check the network from this host: DNS, connection and TLS.",
                            "检查本机网络：DNS、连接和 TLS。"};
  static const Text kRequest = {
      "Check the request parameters (model, size, prompt): the provider rejects the request "
      "itself.",
      "检查请求参数（模型、尺寸、提示词）：服务商拒绝了请求本身。"};
  static const Text kModel = {
      "The model was retired or renamed: update the monitor's model (take a current ID from the "
      "provider's model list).",
      "模型已下线或改名：请更新监控的模型（从服务商的模型列表中选取当前 ID）。"};
  if (!f.status) {
    return nullptr;
  }
  switch (*f.status) {
    case CheckStatus::kAuthError:
      return &kKey;
    case CheckStatus::kQuotaExhausted:
      return &kQuota;
    case CheckStatus::kNetworkError:
      return f.phase == "dns"       ? &kDns
             : f.phase == "connect" ? &kConnect
             : f.phase == "tls"     ? &kTls
                                    : &kNet;
    case CheckStatus::kClientError:
      return &kRequest;
    case CheckStatus::kModelNotFound:
      return &kModel;
    default:
      return nullptr;
  }
}

std::string FailureLine(const Failure& f, const Say& say) {
  std::string line =
      fmt::format(fmt::runtime(say.zh() ? "监控失败：{}" : "the monitor fails with {}"),
                  f.status ? ToString(*f.status) : "an unknown status");
  if (f.status == CheckStatus::kNetworkError && !f.phase.empty()) {
    line += fmt::format(fmt::runtime(say.zh() ? "（{} 阶段）" : " in the {} phase"), f.phase);
  }
  if (f.http_status > 0) {
    line += fmt::format(" (HTTP {})", f.http_status);
  }
  if (!f.error.empty()) {
    line += ": " + f.error.substr(0, 200);
  }
  return line;
}

std::string_view Bare(std::string_view id) { return id.starts_with("models/") ? id.substr(7) : id; }

}  // namespace

std::string_view ToString(Verdict v) {
  switch (v) {
    case Verdict::kProviderIncident:
      return "provider_incident";
    case Verdict::kLikelyProviderWide:
      return "likely_provider_wide";
    case Verdict::kYourSide:
      return "your_side";
    case Verdict::kUndetermined:
      return "undetermined";
  }
  return "undetermined";
}

Diagnosis Diagnose(const Failure& f, const std::vector<source::Snapshot>& snapshots, WallTime now,
                   std::string_view language) {
  const Say say(language);
  Diagnosis d;

  // 1. An official incident, or an official outage without one.
  const source::Snapshot* first_source = nullptr;
  const source::Incident* first = nullptr;
  for (const source::Snapshot& s : snapshots) {
    if (!Official(s)) {
      continue;
    }
    for (const source::Incident& i : s.incidents) {
      if (i.ended) {
        continue;
      }
      d.evidence.push_back(IncidentLine(s, i, now, say));
      if (first == nullptr || (first->maintenance && !i.maintenance)) {
        first = &i;
        first_source = &s;
      }
    }
    for (const source::Component& c : s.components) {
      if (c.status != "operational" && !c.status.empty()) {
        d.evidence.push_back(fmt::format("{}: {} {}", s.source, c.name, c.status));
      }
    }
    if (first == nullptr &&
        (s.health == source::Health::kDegraded || s.health == source::Health::kOutage)) {
      first_source = &s;
    }
  }
  if (first_source != nullptr) {
    d.verdict = Verdict::kProviderIncident;
    if (first != nullptr) {
      std::string severity = first->severity.empty() ? "" : first->severity + ", ";
      d.headline =
          fmt::format(fmt::runtime(say.zh() ? "服务商故障已确认：{}（{}开始于 {}，{}）{}"
                                            : "Provider incident confirmed: {} ({}since {}, {}){}"),
                      first->title, severity, Utc(first->started), first_source->source,
                      first->link.empty() ? "" : " " + first->link);
    } else {
      d.headline = fmt::format(fmt::runtime(say.zh() ? "服务商故障已确认：{} 显示 {}"
                                                     : "Provider incident confirmed: {} shows {}"),
                               first_source->source, HealthWord(first_source->health));
      if (!first_source->why.empty()) {
        d.evidence.push_back(fmt::format("{}: {}", first_source->source, first_source->why));
      }
    }
    d.advice =
        say({"Wait for the provider to recover and tell your users; fail over to another "
             "model or provider if you have one.",
             "等待服务商恢复并通知你的用户；如有备用模型或服务商可切换。"});
    d.evidence.push_back(FailureLine(f, say));
    return d;
  }

  // 2. OpenRouter sees the model degraded across its providers.
  for (const source::Snapshot& s : snapshots) {
    if (!DegradedEverywhere(s)) {
      continue;
    }
    d.verdict = Verdict::kLikelyProviderWide;
    d.headline = say({"Likely provider-wide, not yet acknowledged officially",
                      "很可能是服务商整体问题，官方尚未确认"});
    for (const source::Endpoint& e : s.endpoints) {
      d.evidence.push_back(EndpointLine(s, e));
    }
    if (s.endpoints.empty()) {
      d.evidence.push_back(fmt::format(fmt::runtime(say.zh() ? "{}：没有服务商在提供该模型"
                                                             : "{}: no provider serves the model"),
                                       s.source));
    }
    d.evidence.push_back(
        say({"OpenRouter's uptime excludes rate-limited requests, as "
             "modelwatch's availability does.",
             "OpenRouter 的可用率不计限流请求，与 modelwatch 的可用率口径一致。"}));
    d.evidence.push_back(FailureLine(f, say));
    d.advice =
        say({"Fail over if you can, watch the official status page, and tell the provider's "
             "support with this evidence.",
             "如可能请切换备用；关注官方状态页，并把以上证据提供给服务商支持。"});
    return d;
  }

  // 3. Official status normal: the failure is likely ours.
  bool official_read = false, official_normal = true;
  for (const source::Snapshot& s : snapshots) {
    if (!Official(s)) {
      continue;
    }
    official_read = official_read || s.health != source::Health::kUnknown;
    official_normal = official_normal && (s.health == source::Health::kOperational ||
                                          s.health == source::Health::kMaintenance);
    d.evidence.push_back(fmt::format("{}: {}{}", s.source, HealthWord(s.health),
                                     s.why.empty() ? "" : " (" + s.why + ")"));
  }
  for (const source::Snapshot& s : snapshots) {
    for (const source::ModelListing& m : s.models) {
      if (!f.model.empty() && Bare(m.model) == Bare(f.model) && !m.listed) {
        d.evidence.push_back(fmt::format(
            fmt::runtime(say.zh() ? "{}：{} 不在模型列表中" : "{}: {} is not in the model list"),
            s.source, m.model));
      }
    }
  }
  d.evidence.push_back(FailureLine(f, say));
  const Text* ours = YourSideAdvice(f);
  if (official_read && official_normal && ours != nullptr) {
    d.verdict = Verdict::kYourSide;
    d.headline = say({"Official status is normal: check your side", "官方状态正常：请检查我方"});
    d.advice = say(*ours);
    return d;
  }

  // 4. Nothing conclusive.
  d.verdict = Verdict::kUndetermined;
  d.headline =
      official_read
          ? say({"Undetermined: official status is normal but the failure looks like "
                 "the provider's",
                 "无法判定：官方状态正常，但失败看起来在服务商侧"})
          : say({"Undetermined: no status source could be read", "无法判定：没有可读取的状态源"});
  d.advice = say({"Contact the provider's support with the evidence below.",
                  "请联系服务商支持，并附上以下证据。"});
  if (ours != nullptr) {
    d.advice += " ";
    d.advice += say(*ours);
  }
  return d;
}

std::string OneLine(const Diagnosis& d) {
  std::string line = d.headline;
  if (!d.advice.empty()) {
    line += ". " + d.advice;
  }
  if (!d.evidence.empty()) {
    line += fmt::format(" ({})", fmt::join(d.evidence, "; "));
  }
  return line;
}

std::vector<std::string> Lines(const Diagnosis& d, std::string_view language) {
  const Say say(language);
  std::vector<std::string> out = {d.headline};
  for (const std::string& e : d.evidence) {
    out.push_back("  " + e);
  }
  out.push_back(std::string(say({"Do: ", "建议："})) + d.advice);
  return out;
}

}  // namespace modelwatch::diagnose
