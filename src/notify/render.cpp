#include "notify/render.h"

#include <fmt/format.h>

#include <ctime>
#include <optional>

#include "config/alerts_templates.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kErrorShownBytes = 300;

// What a failing status means for the reader: what is wrong, whose side it
// most likely is, what to do.
struct StatusWords {
  std::string_view what;
  std::string_view whose;
  std::string_view todo;
};

struct Words {
  std::string_view critical, warning, info, resolved;
  std::string_view model, provider, rule, since, error, diagnosis, todo, status_pages, folded,
      dashboard;
  std::string_view in_a_row;      // ", {} in a row"
  std::string_view failed;        // "{}: {}/{} failed"
  std::string_view available;     // "{}% available"
  std::string_view rate_limited;  // "{} rate-limited"
  std::string_view more;          // "… and {} more alerts"
  std::string_view alerts;        // "{} alerts"
  std::string_view back;          // "{} is back"
  std::string_view back_after;    // "{} is back after {} down"
  std::string_view stable;        // "{} is stable again"
  std::string_view host_down, host_ok;
  std::string_view repeat, follow_up, test, flapping, budget;
  std::string_view dash, colon, list_sep, fact_sep;
  std::string_view s, min, h, d;
  StatusWords statuses[kCheckStatusCount];
};

// Indexed by CheckStatus.
constexpr Words kEnglish = {
    "CRITICAL",
    "WARNING",
    "INFO",
    "RESOLVED",
    "Model",
    "Provider",
    "Rule",
    "Since",
    "Error",
    "Diagnosis",
    "Do",
    "Status page",
    "Also failing",
    "Dashboard",
    ", {} in a row",
    "{}: {}/{} failed",
    "{:.1f}% available",
    "{} rate-limited",
    "\u2026 and {} more alerts",
    "{} alerts",
    "{} is back",
    "{} is back after {} down",
    "{} is stable again",
    "This host lost its network: every canary check failed \u2014 our side: check this "
    "machine's network and DNS; provider alerts are held back",
    "This host's network is back: canary checks answer again",
    "Still failing \u00b7 ",
    "Update \u00b7 ",
    "TEST \u00b7 ",
    "Flapping \u00b7 ",
    "Budget \u00b7 ",
    " \u2014 ",
    ": ",
    "; ",
    " \u00b7 ",
    "s",
    "min",
    "h",
    "d",
    {
        {"working", "", ""},
        {"slow", "provider side", "wait; watch latency"},
        {"rate limited", "your usage", "lower the rate or raise the limit"},
        {"quota exhausted", "your side (billing)", "top up or raise the quota"},
        {"API key rejected", "your side (key)", "check or rotate the API key"},
        {"request rejected", "your side (request)", "check the model ID and parameters"},
        {"server error", "provider side", "wait; fail over if it lasts"},
        {"timing out", "provider side, or the network",
         "check the status page; fail over if it "
         "lasts"},
        {"network error", "our side (network)", "check this host's network, DNS and proxy"},
        {"no usable image", "provider side, or a safety block",
         "check the prompt and the "
         "status page"},
        {"model not found", "your side (model ID)",
         "the model was retired or renamed: update the monitor's model"},
    },
};

constexpr Words kChinese = {
    "严重",
    "警告",
    "提示",
    "已恢复",
    "模型",
    "服务商",
    "规则",
    "开始于",
    "错误",
    "诊断",
    "建议",
    "状态页",
    "一并失败",
    "监控面板",
    "，连续失败 {} 次",
    "近{0}：{2} 次中失败 {1} 次",
    "可用率 {:.1f}%",
    "限流 {} 次",
    "\u2026 另有 {} 条告警",
    "{} 条告警",
    "{} 已恢复",
    "{} 已恢复，故障持续 {}",
    "{} 已恢复稳定",
    "本机网络中断：所有探针检查均失败 \u2014 我方问题：请检查本机网络和 DNS；期间暂停服务商告警",
    "本机网络已恢复：探针检查重新有应答",
    "仍未恢复 \u00b7 ",
    "进展 \u00b7 ",
    "测试 \u00b7 ",
    "频繁抖动 \u00b7 ",
    "预算 \u00b7 ",
    " \u2014 ",
    "：",
    "；",
    " \u00b7 ",
    "秒",
    "分钟",
    "小时",
    "天",
    {
        {"正常", "", ""},
        {"响应缓慢", "服务商侧", "等待恢复，关注延迟"},
        {"被限流", "调用量超限", "降低调用频率或提高配额"},
        {"额度用尽", "我方（账单）", "充值或提高配额"},
        {"API 密钥被拒", "我方（密钥）", "检查或更换 API 密钥"},
        {"请求被拒", "我方（请求）", "检查模型 ID 和参数"},
        {"服务端错误", "服务商侧", "等待恢复，持续则切换备用"},
        {"请求超时", "服务商侧或网络", "查看状态页，持续则切换备用"},
        {"网络错误", "我方（网络）", "检查本机网络、DNS 和代理"},
        {"未返回可用图片", "服务商侧或安全拦截", "检查提示词和状态页"},
        {"模型不存在", "我方（模型 ID）", "模型已下线或改名：请更新监控的模型"},
    },
};

const Words& WordsFor(std::string_view language) { return language == "zh" ? kChinese : kEnglish; }

std::string Clean(std::string_view s) { return OneLine(SanitizeUtf8(s)); }

bool IsRecoveryEvent(AlertEventKind k) {
  return k == AlertEventKind::kResolved || k == AlertEventKind::kStable ||
         k == AlertEventKind::kHostNetworkOk || k == AlertEventKind::kBudgetOk;
}

std::string_view LevelWord(AlertLevel l, const Words& w) {
  switch (l) {
    case AlertLevel::kCritical:
      return w.critical;
    case AlertLevel::kWarning:
      return w.warning;
    case AlertLevel::kInfo:
      return w.info;
  }
  return w.critical;
}

std::string_view Icon(const AlertItem& a) {
  if (IsRecoveryEvent(a.event)) {
    return "\u2705";  // ✅
  }
  switch (a.level) {
    case AlertLevel::kCritical:
      return "\U0001F534";  // 🔴
    case AlertLevel::kWarning:
      return "\U0001F7E0";  // 🟠
    case AlertLevel::kInfo:
      return "\U0001F535";  // 🔵
  }
  return "";
}

std::string FormatWall(WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min);
}

std::string_view EventPrefix(AlertEventKind k, const Words& w) {
  switch (k) {
    case AlertEventKind::kRepeat:
      return w.repeat;
    case AlertEventKind::kFollowUp:
      return w.follow_up;
    case AlertEventKind::kTest:
      return w.test;
    case AlertEventKind::kFlapping:
      return w.flapping;
    case AlertEventKind::kBudget:
    case AlertEventKind::kBudgetOk:
      return w.budget;
    default:
      return "";
  }
}

// The first line of one alert, in `m`: what, whose side, what to do.
std::string ProblemLine(const AlertItem& a, const Words& w, std::string_view language, Markup m) {
  std::string monitor = Bold(Escape(Clean(a.monitor), m), m);
  switch (a.event) {
    case AlertEventKind::kHostNetwork:
      return Escape(w.host_down, m);
    case AlertEventKind::kHostNetworkOk:
      return Escape(w.host_ok, m);
    case AlertEventKind::kBudget:
    case AlertEventKind::kBudgetOk:
      // Not about one monitor: the budget's own words.
      return Escape(EventPrefix(a.event, w), m) + Escape(Clean(a.summary), m);
    case AlertEventKind::kStable:
      return fmt::format(fmt::runtime(w.stable), monitor);
    case AlertEventKind::kResolved:
      if (a.down_for) {
        return fmt::format(fmt::runtime(w.back_after), monitor,
                           Escape(FormatDuration(*a.down_for, language), m));
      }
      return fmt::format(fmt::runtime(w.back), monitor);
    default:
      break;
  }
  std::string line = Escape(EventPrefix(a.event, w), m) + monitor + Escape(w.colon, m);
  const StatusWords* sw = nullptr;
  if (a.status && *a.status != CheckStatus::kSuccess) {
    sw = &w.statuses[static_cast<int>(*a.status)];
  }
  if (sw != nullptr) {
    line += Escape(sw->what, m);
    if (a.http_status > 0) {
      line += fmt::format(" (HTTP {})", a.http_status);
    }
    if (a.consecutive_failures > 1) {
      line += Escape(fmt::format(fmt::runtime(w.in_a_row), a.consecutive_failures), m);
    }
    line += Escape(fmt::format("{}{}{}{}", w.dash, sw->whose, w.colon, sw->todo), m);
  } else {
    line += Escape(Clean(a.summary.empty() ? a.rule : a.summary), m);
  }
  return line;
}

std::string FiguresLine(const AlertItem& a, const Words& w, std::string_view language) {
  const std::string comma = language == "zh" ? "，" : ", ";
  std::string out;
  for (const WindowFigures& f : a.figures) {
    if (f.checks == 0) {
      continue;
    }
    std::string part = fmt::format(fmt::runtime(w.failed), Clean(f.window), f.failures, f.checks);
    if (f.availability) {
      part += comma + fmt::format(fmt::runtime(w.available), *f.availability);
    }
    if (f.p95) {
      part += comma + "p95 " + FormatDuration(*f.p95, language);
    }
    if (f.rate_limited > 0) {
      part += comma + fmt::format(fmt::runtime(w.rate_limited), f.rate_limited);
    }
    out += out.empty() ? part : std::string(w.fact_sep) + part;
  }
  return out;
}

std::string Joined(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    std::string c = Clean(s);
    if (c.empty()) {
      continue;
    }
    out += out.empty() ? c : std::string(sep) + c;
  }
  return out;
}

// The value of one placeholder, raw (escaped by the caller).
std::string PlaceholderValue(std::string_view name, const AlertItem& a, const Notification& n,
                             const Words& w) {
  using Value = std::string (*)(const AlertItem&, const Notification&, const Words&);
  static const std::pair<std::string_view, Value> kValues[] = {
      {"monitor",
       [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.monitor); }},
      {"model",
       [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.model); }},
      {"provider",
       [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.provider); }},
      {"level", [](const AlertItem& a, const Notification&,
                   const Words& w) { return std::string(LevelWord(a.level, w)); }},
      {"event", [](const AlertItem& a, const Notification&,
                   const Words&) { return std::string(ToString(a.event)); }},
      {"rule", [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.rule); }},
      {"status",
       [](const AlertItem& a, const Notification&, const Words& w) {
         return a.status ? std::string(w.statuses[static_cast<int>(*a.status)].what)
                         : std::string();
       }},
      {"http_status",
       [](const AlertItem& a, const Notification&, const Words&) {
         return a.http_status > 0 ? std::to_string(a.http_status) : std::string();
       }},
      {"error",
       [](const AlertItem& a, const Notification&, const Words&) { return ShownError(a.error); }},
      {"summary",
       [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.summary); }},
      {"since",
       [](const AlertItem& a, const Notification&, const Words&) {
         return a.since.time_since_epoch().count() > 0 ? FormatWall(a.since) : std::string();
       }},
      {"down_for",
       [](const AlertItem& a, const Notification& n, const Words&) {
         return a.down_for ? FormatDuration(*a.down_for, n.language) : std::string();
       }},
      {"consecutive_failures", [](const AlertItem& a, const Notification&,
                                  const Words&) { return std::to_string(a.consecutive_failures); }},
      {"figures", [](const AlertItem& a, const Notification& n,
                     const Words& w) { return FiguresLine(a, w, n.language); }},
      {"diagnosis",
       [](const AlertItem& a, const Notification&, const Words&) { return Clean(a.diagnosis); }},
      {"actions", [](const AlertItem& a, const Notification&,
                     const Words& w) { return Joined(a.actions, w.list_sep); }},
      {"status_pages", [](const AlertItem& a, const Notification&,
                          const Words&) { return Joined(a.status_pages, " "); }},
      {"folded", [](const AlertItem& a, const Notification& n,
                    const Words&) { return Joined(a.folded, n.language == "zh" ? "、" : ", "); }},
      {"dashboard", [](const AlertItem&, const Notification& n,
                       const Words&) { return Clean(n.dashboard_url); }},
  };
  for (const auto& [key, value] : kValues) {
    if (key == name) {
      return value(a, n, w);
    }
  }
  return "";
}

// The template for `a`'s kind, or nullptr.
const std::string* TemplateFor(const AlertItem& a, const Notification& n) {
  auto it = n.templates.find(std::string(ToString(a.event)));
  return it == n.templates.end() ? nullptr : &it->second;
}

// `a` as its template says, in `m`: the template's own text as written (it
// may use the dialect's markup), newlines as the dialect's line breaks, and
// every value escaped for `m`. The lines of the result, empty ones dropped.
std::vector<std::string> ExpandTemplate(const std::string& tmpl, const AlertItem& a,
                                        const Notification& n, Markup m) {
  const Words& w = WordsFor(n.language);
  std::string text;
  Result<std::vector<config::TemplatePart>> parts = config::SplitTemplate(tmpl);
  if (!parts) {
    // Config checks every template; a stored one that no longer parses is
    // shown as written rather than lost.
    text = Escape(tmpl, m);
  } else {
    for (const config::TemplatePart& p : *parts) {
      text += p.placeholder ? Escape(PlaceholderValue(p.text, a, n, w), m) : p.text;
    }
  }
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty()) {
      lines.push_back(std::move(line));
    }
    if (nl == std::string::npos) {
      break;
    }
    pos = nl + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines, size_t from, Markup m) {
  std::string out;
  for (size_t i = from; i < lines.size(); ++i) {
    out += out.empty() ? lines[i] : std::string(LineBreak(m)) + lines[i];
  }
  return out;
}

// One alert's block of lines. `with_problem_line`: false when the headline
// already says it (a message of one alert whose headline was made from it).
std::string ItemBlock(const AlertItem& a, const Notification& n, Markup m, bool with_problem_line) {
  if (const std::string* tmpl = TemplateFor(a, n)) {
    // Its first line is the headline of a message of one alert.
    return JoinLines(ExpandTemplate(*tmpl, a, n, m), with_problem_line ? 0 : 1, m);
  }
  std::string_view language = n.language;
  const Words& w = WordsFor(language);
  std::vector<std::string> lines;
  if (with_problem_line) {
    lines.push_back(std::string(Icon(a)) + " " + ProblemLine(a, w, language, m));
  }
  auto label = [&](std::string_view l) { return Bold(Escape(l, m), m) + Escape(w.colon, m); };
  std::vector<std::string> facts;
  if (!a.model.empty()) {
    facts.push_back(label(w.model) + Escape(Clean(a.model), m));
  }
  if (!a.provider.empty()) {
    facts.push_back(label(w.provider) + Escape(Clean(a.provider), m));
  }
  if (!a.rule.empty()) {
    facts.push_back(label(w.rule) + Escape(Clean(a.rule), m));
  }
  if (a.since.time_since_epoch().count() > 0 && a.event != AlertEventKind::kHostNetworkOk) {
    facts.push_back(label(w.since) + Escape(FormatWall(a.since), m));
  }
  if (!facts.empty()) {
    std::string line;
    for (const std::string& f : facts) {
      line += line.empty() ? f : Escape(w.fact_sep, m) + f;
    }
    lines.push_back(std::move(line));
  }
  if (!a.error.empty() && !IsRecoveryEvent(a.event)) {
    lines.push_back(label(w.error) + Literal(ShownError(a.error), m));
  }
  if (std::string f = FiguresLine(a, w, language); !f.empty()) {
    lines.push_back(Escape(f, m));
  }
  if (std::string d = Clean(a.diagnosis); !d.empty()) {
    lines.push_back(label(w.diagnosis) + Escape(d, m));
  }
  if (std::string act = Joined(a.actions, w.list_sep); !act.empty() && !IsRecoveryEvent(a.event)) {
    lines.push_back(label(w.todo) + Escape(act, m));
  }
  if (!a.status_pages.empty() && !IsRecoveryEvent(a.event)) {
    std::string links;
    for (const std::string& url : a.status_pages) {
      std::string u = Clean(url);
      if (u.empty()) {
        continue;
      }
      // The host is label enough ("status.cloud.google.com").
      std::string_view host = u;
      if (size_t p = host.find("://"); p != std::string_view::npos) {
        host.remove_prefix(p + 3);
      }
      host = host.substr(0, host.find('/'));
      std::string link = m == Markup::kPlain ? u : Link(u, host, m);
      links += links.empty() ? link : Escape(w.fact_sep, m) + link;
    }
    if (!links.empty()) {
      lines.push_back(label(w.status_pages) + links);
    }
  }
  if (std::string f = Joined(a.folded, language == "zh" ? "、" : ", "); !f.empty()) {
    lines.push_back(label(w.folded) + Escape(f, m));
  }
  std::string out;
  for (const std::string& l : lines) {
    out += out.empty() ? l : std::string(LineBreak(m)) + l;
  }
  return out;
}

size_t Measure(std::string_view s, const RenderOptions& o) {
  return o.utf16 && o.markup != Markup::kHtml ? Utf16Length(s) : s.size();
}

std::string Cut(std::string_view s, const RenderOptions& o) {
  if (o.utf16 && o.markup != Markup::kHtml) {
    return TruncateUtf16(s, o.max_size);
  }
  return TruncateMarkup(s, o.max_size, o.markup);
}

}  // namespace

std::string ShownError(std::string_view error) {
  return TruncateBytes(Clean(error), kErrorShownBytes);
}

std::string FormatDuration(std::chrono::milliseconds d, std::string_view language) {
  const Words& w = WordsFor(language);
  std::string_view sp = " ";
  int64_t s = std::max<int64_t>(0, (d.count() + 500) / 1000);
  if (s < 60) {
    return fmt::format("{}{}{}", s, sp, w.s);
  }
  int64_t m = (s + 30) / 60;
  if (m < 60) {
    return fmt::format("{}{}{}", m, sp, w.min);
  }
  int64_t h = m / 60;
  if (h < 24) {
    m %= 60;
    return m == 0 ? fmt::format("{}{}{}", h, sp, w.h)
                  : fmt::format("{}{}{} {}{}{}", h, sp, w.h, m, sp, w.min);
  }
  int64_t days = h / 24;
  h %= 24;
  return h == 0 ? fmt::format("{}{}{}", days, sp, w.d)
                : fmt::format("{}{}{} {}{}{}", days, sp, w.d, h, sp, w.h);
}

bool IsRecovery(const Notification& n) {
  if (n.items.empty()) {
    return false;
  }
  for (const AlertItem& a : n.items) {
    if (!IsRecoveryEvent(a.event)) {
      return false;
    }
  }
  return true;
}

std::string LevelLabel(const Notification& n) {
  const Words& w = WordsFor(n.language);
  return std::string(IsRecovery(n) ? w.resolved : LevelWord(n.level, w));
}

std::string Headline(const Notification& n) {
  if (n.items.size() == 1) {
    if (const std::string* tmpl = TemplateFor(n.items[0], n)) {
      std::vector<std::string> lines = ExpandTemplate(*tmpl, n.items[0], n, Markup::kPlain);
      if (!lines.empty()) {
        return Clean(lines[0]);
      }
    }
  }
  if (std::string t = Clean(n.title); !t.empty()) {
    return t;
  }
  const Words& w = WordsFor(n.language);
  std::string label = "[" + LevelLabel(n) + "] ";
  if (n.items.size() == 1) {
    return label + Clean(ProblemLine(n.items[0], w, n.language, Markup::kPlain));
  }
  std::vector<std::string> monitors;
  for (const AlertItem& a : n.items) {
    monitors.push_back(a.monitor);
  }
  std::string head = label + fmt::format(fmt::runtime(w.alerts), n.items.size());
  if (std::string g = Clean(n.group); !g.empty()) {
    head += std::string(w.fact_sep) + g;
  }
  return head + std::string(w.colon) + Joined(monitors, n.language == "zh" ? "、" : ", ");
}

std::string RenderText(const Notification& n, const RenderOptions& o) {
  const Markup m = o.markup;
  const Words& w = WordsFor(n.language);
  std::string_view br = LineBreak(m);
  std::string para = std::string(br) + (m == Markup::kDingTalk ? "" : "\n");
  std::string out;
  bool headline_from_item =
      n.items.size() == 1 && (Clean(n.title).empty() || TemplateFor(n.items[0], n) != nullptr);
  if (o.with_headline) {
    out = Bold(Escape(Headline(n), m), m);
  }
  std::string tail;
  if (!n.dashboard_url.empty()) {
    std::string url = Clean(n.dashboard_url);
    tail = m == Markup::kPlain ? std::string(w.dashboard) + std::string(w.colon) + url
                               : Link(url, w.dashboard, m);
  }
  auto with_sep = [&](const std::string& s) { return out.empty() ? s : para + s; };
  size_t tail_size = tail.empty() ? 0 : Measure(para + tail, o);
  for (size_t i = 0; i < n.items.size(); ++i) {
    std::string block = ItemBlock(n.items[i], n, m, !(headline_from_item && o.with_headline));
    if (block.empty()) {
      continue;
    }
    std::string candidate = with_sep(block);
    size_t left = n.items.size() - i - 1;
    std::string more_if_stop =
        para + Escape(fmt::format(fmt::runtime(w.more), n.items.size() - i), m);
    size_t reserve = left > 0 ? Measure(more_if_stop, o) : 0;
    // The first block always goes in (cut if it must): a message that says
    // only "and 1 more" would say nothing.
    if (i > 0 && Measure(out, o) + Measure(candidate, o) + reserve + tail_size > o.max_size) {
      out += more_if_stop;
      break;
    }
    out += candidate;
  }
  if (!tail.empty()) {
    out += out.empty() ? tail : para + tail;
  }
  if (Measure(out, o) > o.max_size) {
    return Cut(out, o);
  }
  return out;
}

std::string_view ColorHex(const Notification& n) {
  if (IsRecovery(n)) {
    return "#2EB67D";
  }
  switch (n.level) {
    case AlertLevel::kCritical:
      return "#E01E5A";
    case AlertLevel::kWarning:
      return "#ECB22E";
    case AlertLevel::kInfo:
      return "#36C5F0";
  }
  return "#E01E5A";
}

int ColorInt(const Notification& n) {
  return static_cast<int>(std::stoul(std::string(ColorHex(n).substr(1)), nullptr, 16));
}

std::string_view FeishuTemplate(const Notification& n) {
  if (IsRecovery(n)) {
    return "green";
  }
  switch (n.level) {
    case AlertLevel::kCritical:
      return "red";
    case AlertLevel::kWarning:
      return "orange";
    case AlertLevel::kInfo:
      return "blue";
  }
  return "red";
}

std::string_view WeComColor(const Notification& n) {
  if (IsRecovery(n)) {
    return "info";
  }
  return n.level == AlertLevel::kInfo ? "comment" : "warning";
}

std::string_view TeamsColor(const Notification& n) {
  if (IsRecovery(n)) {
    return "Good";
  }
  switch (n.level) {
    case AlertLevel::kCritical:
      return "Attention";
    case AlertLevel::kWarning:
      return "Warning";
    case AlertLevel::kInfo:
      return "Accent";
  }
  return "Attention";
}

std::vector<std::pair<std::string, std::string>> Facts(const AlertItem& a,
                                                       std::string_view language) {
  const Words& w = WordsFor(language);
  bool zh = language == "zh";
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string_view label, std::string value) {
    if (!value.empty()) {
      out.emplace_back(std::string(label), std::move(value));
    }
  };
  add(zh ? "监控" : "Monitor", Clean(a.monitor));
  add(w.model, Clean(a.model));
  add(w.provider, Clean(a.provider));
  add(zh ? "级别" : "Level", std::string(LevelWord(a.level, w)));
  if (a.status) {
    std::string s(ToString(*a.status));
    if (a.http_status > 0) {
      s += fmt::format(" (HTTP {})", a.http_status);
    }
    add(zh ? "状态" : "Status", s);
  }
  add(w.rule, Clean(a.rule));
  if (a.consecutive_failures > 0) {
    add(zh ? "连续失败" : "Consecutive failures", std::to_string(a.consecutive_failures));
  }
  if (a.since.time_since_epoch().count() > 0) {
    add(w.since, FormatWall(a.since));
  }
  if (a.down_for) {
    add(zh ? "故障持续" : "Down for", FormatDuration(*a.down_for, language));
  }
  if (!IsRecoveryEvent(a.event)) {
    add(w.error, ShownError(a.error));
  }
  return out;
}

}  // namespace modelwatch::notify
