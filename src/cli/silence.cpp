// `modelwatch silence add|list|remove`: ad-hoc silences, written straight to
// the configured store, so they work while `run` is running on it (the
// daemon reads them back before it sends).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/store_options.h"
#include "config/suggest.h"
#include "core/check_result.h"
#include "core/clock.h"

namespace modelwatch::cli {
namespace {

// Digits of s[pos, pos + n) as a number; -1 when they are not all digits.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) {
    return -1;
  }
  int v = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, v);
  return ec == std::errc() && end == s.data() + pos + n ? v : -1;
}

// "2026-06-01T10:00Z", "2026-06-01T10:00:30+02:00" (seconds optional, the
// offset required: a time without one would be read in an unknown zone).
std::optional<WallTime> ParseIso8601(std::string_view s) {
  using namespace std::chrono;
  int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  int h = Digits(s, 11, 2), mi = Digits(s, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || h > 23 || mi > 59) {
    return std::nullopt;
  }
  size_t pos = 16;
  int sec = 0;
  if (pos < s.size() && s[pos] == ':') {
    sec = Digits(s, pos + 1, 2);
    if (sec < 0 || sec > 59) {
      return std::nullopt;
    }
    pos += 3;
  }
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    pos += 1;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= s.size() || s[pos + 3] != ':' || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return WallTime(sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset_min));
}

std::string Describe(const store::Silence& s) {
  return fmt::format("{} {} from {} until {}: {}",
                     s.monitor.empty() ? "every monitor," : "monitor \"" + s.monitor + "\",",
                     s.rule.empty() ? "every rule" : "rule \"" + s.rule + "\"",
                     FormatIso8601(s.starts), FormatIso8601(s.ends), s.reason);
}

// The store of the config at `path`; null after printing why.
store::StorePtr OpenConfigured(const std::string& path, std::optional<config::Config>* cfg) {
  *cfg = LoadConfigOrExplain(path);
  if (!*cfg) {
    return nullptr;
  }
  return OpenStoreForReading(**cfg);
}

int Add(const std::string& config_path, const std::string& monitor, const std::string& rule,
        const std::string& for_text, const std::string& starts_text, const std::string& reason) {
  std::optional<config::Config> cfg = LoadConfigOrExplain(config_path);
  if (!cfg) {
    return 2;
  }
  auto length = ParseDurationFlag("silence add", "--for", for_text);
  if (!length) {
    return 2;
  }
  if (length->count() <= 0) {
    std::fprintf(stderr, "modelwatch silence add: --for: must be longer than 0\n");
    return 2;
  }
  if (!monitor.empty()) {
    std::vector<std::string_view> names;
    for (const config::Monitor& m : cfg->monitors) {
      names.push_back(m.name);
    }
    if (std::find(names.begin(), names.end(), monitor) == names.end()) {
      std::fprintf(stderr, "modelwatch silence add: --monitor: %s has no monitor named \"%s\"%s\n",
                   cfg->path.c_str(), monitor.c_str(), config::DidYouMean(monitor, names).c_str());
      return 2;
    }
  }
  SystemClock clock;
  WallTime now = clock.WallNow();
  WallTime starts = now;
  if (!starts_text.empty()) {
    auto t = ParseIso8601(starts_text);
    if (!t) {
      std::fprintf(stderr,
                   "modelwatch silence add: --starts: \"%s\" is not a time such as "
                   "2026-06-01T10:00Z or 2026-06-01T12:00+02:00 (the offset is required)\n",
                   starts_text.c_str());
      return 2;
    }
    starts = *t;
  }
  store::Silence s;
  s.monitor = monitor;
  s.rule = rule;
  s.starts = starts;
  s.ends = starts + *length;
  s.reason = reason;
  s.created_by = "cli";
  s.created = now;
  if (s.ends <= now) {
    std::fprintf(stderr, "modelwatch silence add: it would end at %s, which has passed\n",
                 FormatIso8601(s.ends).c_str());
    return 2;
  }
  store::Options o = StoreOptions(cfg->storage);
  o.prune = false;
  auto opened = store::Open(o);  // may create the database: run has not yet
  if (!opened) {
    std::fprintf(stderr, "modelwatch: %s\n", opened.error().message().c_str());
    return 1;
  }
  auto id = (*opened)->AddSilence(s);
  if (!id) {
    std::fprintf(stderr, "modelwatch: %s\n", id.error().message().c_str());
    return 1;
  }
  std::printf("silence %lld: %s\n", static_cast<long long>(*id), Describe(s).c_str());
  return 0;
}

int List(const std::string& config_path, bool json) {
  std::optional<config::Config> cfg;
  store::StorePtr store = OpenConfigured(config_path, &cfg);
  if (!store) {
    return cfg ? 1 : 2;
  }
  auto silences = store->Silences(SystemClock().WallNow());
  if (!silences) {
    std::fprintf(stderr, "modelwatch: %s\n", silences.error().message().c_str());
    return 1;
  }
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const store::Silence& s : *silences) {
      out.push_back({{"id", s.id},
                     {"monitor", s.monitor},
                     {"rule", s.rule},
                     {"starts", FormatIso8601(s.starts)},
                     {"ends", FormatIso8601(s.ends)},
                     {"reason", s.reason},
                     {"created_by", s.created_by},
                     {"created", FormatIso8601(s.created)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  if (silences->empty()) {
    std::printf("no silences in force or to come\n");
    return 0;
  }
  std::printf("%-5s %-20s %-22s %-24s %-24s %s\n", "ID", "MONITOR", "RULE", "STARTS", "ENDS",
              "REASON");
  for (const store::Silence& s : *silences) {
    std::printf("%-5lld %-20s %-22s %-24s %-24s %s\n", static_cast<long long>(s.id),
                s.monitor.empty() ? "*" : s.monitor.c_str(), s.rule.empty() ? "*" : s.rule.c_str(),
                FormatIso8601(s.starts).c_str(), FormatIso8601(s.ends).c_str(), s.reason.c_str());
  }
  return 0;
}

int Remove(const std::string& config_path, int64_t id) {
  std::optional<config::Config> cfg;
  store::StorePtr store = OpenConfigured(config_path, &cfg);
  if (!store) {
    return cfg ? 1 : 2;
  }
  Status st = store->RemoveSilence(id);
  if (!st.ok()) {
    std::fprintf(
        stderr, "modelwatch silence remove: %s%s\n", st.message().c_str(),
        st.code() == Status::Code::kNotFound ? " (`modelwatch silence list` shows them)" : "");
    return 1;
  }
  std::printf("silence %lld removed\n", static_cast<long long>(id));
  return 0;
}

}  // namespace

int RunSilence(int argc, char** argv) {
  CLI::App app(
      "Adds, lists and removes ad-hoc silences: alerts they match are recorded, not "
      "sent. Works while `modelwatch run` is running on the same database.");
  app.require_subcommand(1);
  std::string config_path = "modelwatch.yaml";

  CLI::App* add = app.add_subcommand("add", "silence a monitor, a rule, or everything");
  std::string monitor, rule, for_text, starts_text, reason;
  add->add_option("-c,--config", config_path, "config file");
  add->add_option("--monitor", monitor, "monitor to silence (default: every monitor)");
  add->add_option("--rule", rule,
                  "rule to silence, e.g. consecutive_failures, latency_p95 (default: every rule)");
  add->add_option("--for", for_text, "how long, e.g. 30m, 2h, 1d")->required();
  add->add_option("--starts", starts_text, "when it begins, ISO 8601 with offset (default: now)");
  add->add_option("--reason", reason, "why, shown with the silence")
      ->required()
      ->check(CLI::Validator([](std::string& s) { return s.empty() ? "must not be empty" : ""; },
                             "TEXT"));

  CLI::App* list = app.add_subcommand("list", "silences in force or to come");
  bool json = false;
  list->add_option("-c,--config", config_path, "config file");
  list->add_flag("--json", json, "as a JSON array");

  CLI::App* remove = app.add_subcommand("remove", "end a silence now");
  int64_t id = 0;
  remove->add_option("-c,--config", config_path, "config file");
  remove->add_option("id", id, "the silence's id (see `silence list`)")->required();

  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  if (add->parsed()) {
    return Add(config_path, monitor, rule, for_text, starts_text, reason);
  }
  if (list->parsed()) {
    return List(config_path, json);
  }
  return Remove(config_path, id);
}

}  // namespace modelwatch::cli
