// The alert-scenario library (tests/scenarios/alerts/*.yaml) as real runs:
// for every scenario one `modelwatch run` probes its own simulator, whose
// per-monitor timelines are derived from the scenario's `steps`, and delivers
// to Feishu-, WeCom- and Slack-shaped receivers and a real SMTP server on
// loopback; the messages that arrive on each channel must be exactly the
// scenario's `expect` list for that channel, each once.
//
// Time is compressed Scale() times (60: a 1m check becomes a 1 s check; the
// config's cooldown, group_wait and failure_rate window shrink alike, the
// simulator runs at time_scale 1/Scale()). All scenarios run concurrently, so
// the whole test lasts about as long as the longest scenario. Nothing is
// timed: each run waits for the daemon's own record of its last check and
// for the expected messages (the limit only bounds a hang), settles, stops
// the daemon and compares. tests/scenarios/alerts/README.md has the format.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "alert/scenario_nodes.h"
#include "config/yaml_edge.h"
#include "core/base64.h"
#include "core/duration.h"
#include "net/smtp_test_receiver.h"
#include "sim/server.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using alert::scenario::Dur;
using alert::scenario::Strings;
using alert::scenario::Text;
using config::Node;
using std::chrono::milliseconds;
using testing::Binary;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MODELWATCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MODELWATCH_SANITIZED 1
#endif
#endif

// Scenario time per daemon time: 60 makes a 1m check a 1 s one. Under the
// sanitizers every daemon runs several times slower and eleven share the
// machine, so checks that a scenario wants within one group_wait (30s: half
// a second at 60) drift apart; there time runs 20 times faster, not 60.
// MODELWATCH_SCENARIO_SCALE=N sets it.
int ScaleFromEnvironment() {
  if (const char* env = std::getenv("MODELWATCH_SCENARIO_SCALE")) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 600) {
      return n;
    }
    ADD_FAILURE() << "MODELWATCH_SCENARIO_SCALE=" << env << ": want a whole number in 1..600";
  }
#ifdef MODELWATCH_SANITIZED
  return 20;
#else
  return 60;
#endif
}
int Scale() {
  static const int scale = ScaleFromEnvironment();
  return scale;
}

milliseconds Scaled(milliseconds d) { return d / Scale(); }

// What the daemon's own messages are reduced to: one line per alert, made by
// the templates the run adds, so every channel's markup reads the same.
constexpr const char* kTemplate = "mw;{{event}};{{monitor}};{{rule}};{{level}};{{folded}};";
constexpr const char* kTemplateKinds[] = {"firing", "repeat",       "resolved",       "flapping",
                                          "stable", "host_network", "host_network_ok"};

// The routes a canary can be: GET routes of the simulator, one per canary.
const std::pair<const char*, const char*> kCanaryRoutes[] = {
    {"statuspage_summary", "/api/v2/summary.json"},
    {"gcp_incidents", "/incidents.json"},
    {"gcp_feed", "/en/feed.atom"}};

// The simulator's behaviour for a scenario's status token.
std::optional<std::string> Behaviour(const std::string& token) {
  static const std::map<std::string, std::string> kBehaviour = {{"ok", "ok"},
                                                                {"5xx", "server_error"},
                                                                {"429", "rate_limit"},
                                                                {"quota", "quota"},
                                                                {"auth", "auth"},
                                                                {"4xx", "bad_request"},
                                                                {"timeout", "hang"},
                                                                {"net", "reset"},
                                                                {"invalid", "malformed_json"},
                                                                {"server_error", "server_error"}};
  auto it = kBehaviour.find(token);
  return it == kBehaviour.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::string Quoted(const std::string& s) { return nlohmann::json(s).dump(); }

// --- YAML out: the daemon's config is the scenario's, rewritten -----------

Node Scalar(std::string key, std::string value, bool quoted = true) {
  Node n;
  n.type = Node::Type::kScalar;
  n.key = std::move(key);
  n.value = std::move(value);
  n.quoted = quoted;
  return n;
}

Node Map(std::string key, std::vector<Node> items = {}) {
  Node n;
  n.type = Node::Type::kMap;
  n.key = std::move(key);
  n.items = std::move(items);
  return n;
}

Node Seq(std::string key, std::vector<Node> items = {}) {
  Node n = Map(std::move(key), std::move(items));
  n.type = Node::Type::kSequence;
  return n;
}

std::string ScalarText(const Node& n) {
  if (n.IsNull()) {
    return "null";
  }
  if (n.IsMap()) {
    return "{}";
  }
  if (n.IsSequence()) {
    return "[]";
  }
  return n.quoted ? Quoted(n.value) : n.value;
}

// Block-style YAML; the items of a map or sequence at `indent`.
void Emit(const Node& n, int indent, std::string& out) {
  std::string pad(indent, ' ');
  for (const Node& i : n.items) {
    out += pad + (n.IsMap() ? i.key + ":" : std::string("-"));
    bool nested = (i.IsMap() || i.IsSequence()) && !i.items.empty();
    if (!nested) {
      out += " " + ScalarText(i) + "\n";
      continue;
    }
    out += "\n";
    Emit(i, indent + 2, out);
  }
}

// --- A scenario and what the daemon run needs from it ---------------------

struct Scenario {
  std::string name;  // the file's stem
  Node root;
  milliseconds t0{0};  // the first step's time: the daemon's start
  // Each monitor's statuses, one per check, in time order.
  std::map<std::string, std::vector<std::string>> statuses;
  std::vector<std::string> monitors;  // in config order
  // Before each restart, how many checks of each monitor have run.
  std::vector<std::map<std::string, size_t>> restarts;
  // Each canary's (time since t0, answers), in time order.
  std::vector<std::pair<std::string, std::vector<std::pair<milliseconds, bool>>>> canaries;
  std::string channel_down;  // run.channel_down
  // run.maintenance: when the window closes (scenario time since t0), and
  // how far off that may be.
  std::optional<std::pair<milliseconds, milliseconds>> maintenance;
  milliseconds group_wait{std::chrono::seconds(30)};
  // Per channel, the expected messages as Describe() writes them.
  std::map<std::string, std::vector<std::string>> expected;
  std::set<std::string> channels;  // every channel a level routes to, but log
};

std::string Describe(const std::string& monitor, const std::string& rule, const std::string& event,
                     const std::string& level, size_t items, const std::string& folded) {
  return fmt::format("{{monitor: {}, rule: {}, event: {}, level: {}, items: {}, folded: [{}]}}",
                     monitor, rule, event, level, items, folded);
}

const Node* Config(const Node& root) {
  static const Node kEmpty;
  return root.Find("config") != nullptr ? root.Find("config") : &kEmpty;
}

// Reads a scenario file; failures are reported as test failures.
std::optional<Scenario> Load(const std::filesystem::path& path) {
  Scenario s;
  s.name = path.stem().string();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  Result<Node> root = config::ParseYaml(text.str(), path.string());
  if (!root) {
    ADD_FAILURE() << root.error().message();
    return std::nullopt;
  }
  s.root = std::move(root).value();
  Result<Node> cfg = config::ParseYaml(Config(s.root)->value, path.string() + " config");
  if (!cfg) {
    ADD_FAILURE() << cfg.error().message();
    return std::nullopt;
  }
  std::map<std::string, milliseconds> interval;
  if (const Node* ms = cfg->Find("monitors")) {
    for (const Node& m : ms->items) {
      s.monitors.push_back(Text(m, "name"));
      interval[Text(m, "name")] = Dur(m.Find("interval"));
    }
  }
  if (const Node* alerts = cfg->Find("alerts")) {
    if (const Node* gw = alerts->Find("group_wait")) {
      s.group_wait = Dur(gw);
    }
    if (const Node* levels = alerts->Find("levels")) {
      for (const Node& level : levels->items) {
        for (const std::string& c : Strings(level.Find("channels"))) {
          if (c != "log") {
            s.channels.insert(c);
          }
        }
      }
    }
  }

  std::map<std::string, std::vector<std::pair<milliseconds, std::string>>> checks;
  std::vector<milliseconds> restarts;
  std::map<std::string, std::vector<std::pair<milliseconds, bool>>> canaries;
  std::optional<milliseconds> t0;
  auto first = [&t0](milliseconds at) { t0 = t0 ? std::min(*t0, at) : at; };
  const Node* steps = s.root.Find("steps");
  for (const Node& step : steps != nullptr ? steps->items : std::vector<Node>{}) {
    milliseconds at = Dur(step.Find("at"));
    if (const Node* st = step.Find("statuses")) {
      std::vector<std::string> monitors = Strings(step.Find("monitors"));
      if (monitors.empty()) {
        monitors = Strings(step.Find("monitor"));
      }
      milliseconds every = Dur(step.Find("every"));
      std::istringstream tokens(st->value);
      int i = 0;
      for (std::string tok; tokens >> tok; ++i) {
        for (const std::string& m : monitors) {
          checks[m].emplace_back(at + every * i, tok);
          first(at + every * i);
        }
      }
    } else if (const Node* c = step.Find("canary")) {
      canaries[c->value].emplace_back(at, Text(step, "ok") == "true");
      first(at);
    } else if (step.Find("restart") != nullptr) {
      restarts.push_back(at);
    } else {
      ADD_FAILURE() << step.mark.ToString() << ": a step the daemon run cannot play";
      return std::nullopt;
    }
  }
  s.t0 = t0.value_or(milliseconds(0));
  for (auto& [monitor, list] : checks) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // The daemon checks on its interval from its start: a monitor's checks
    // must follow one another an interval apart, from the first minute.
    for (size_t i = 0; i < list.size(); ++i) {
      bool next = i == 0 ? list[0].first - s.t0 < interval[monitor]
                         : list[i].first == list[i - 1].first + interval[monitor];
      if (!next) {
        ADD_FAILURE() << s.name << ": " << monitor << "'s check " << i + 1
                      << " is not one interval after the one before: the daemon run needs "
                         "every check of a monitor, from the first interval on";
        return std::nullopt;
      }
      s.statuses[monitor].push_back(list[i].second);
    }
  }
  std::sort(restarts.begin(), restarts.end());
  for (milliseconds at : restarts) {
    std::map<std::string, size_t> before;
    for (const auto& [monitor, list] : checks) {
      before[monitor] =
          std::count_if(list.begin(), list.end(), [at](const auto& c) { return c.first < at; });
    }
    s.restarts.push_back(std::move(before));
  }
  for (auto& [url, changes] : canaries) {
    for (auto& [at, ok] : changes) {
      at -= s.t0;
    }
    s.canaries.emplace_back(url, std::move(changes));
  }
  if (s.canaries.size() > std::size(kCanaryRoutes)) {
    ADD_FAILURE() << s.name << ": at most " << std::size(kCanaryRoutes) << " canaries";
    return std::nullopt;
  }
  if (const Node* run = s.root.Find("run")) {
    s.channel_down = Text(*run, "channel_down");
    if (const Node* m = run->Find("maintenance")) {
      s.maintenance = {Dur(m->Find("closes")), Dur(m->Find("within"))};
    }
  }
  const Node* expect = s.root.Find("expect");
  for (const Node& e : expect != nullptr ? expect->items : std::vector<Node>{}) {
    std::string items = Text(e, "items");
    std::string d = Describe(Text(e, "monitor"), Text(e, "rule"), Text(e, "event"),
                             Text(e, "level"), items.empty() ? 1 : std::stoul(items),
                             fmt::format("{}", fmt::join(Strings(e.Find("folded")), ", ")));
    for (const std::string& c : Strings(e.Find("channels"))) {
      if (c != "log") {
        s.expected[c].push_back(d);
      }
    }
  }
  return s;
}

// The simulator's scenario: one count-driven timeline per monitor (the n-th
// check gets the n-th status; the last stays), one timed timeline per canary.
std::string SimScenario(const Scenario& s) {
  std::string out = fmt::format("time_scale: {}\nroutes:\n", 1.0 / Scale());
  for (const auto& [monitor, list] : s.statuses) {
    std::vector<std::string> steps;
    for (size_t i = 0; i < list.size();) {
      size_t j = i;
      while (j < list.size() && list[j] == list[i]) {
        ++j;
      }
      std::optional<std::string> b = Behaviour(list[i]);
      // libcurl sends a request again, once, when a reused connection dies
      // before any answer: the first `net` after an answer that kept the
      // connection open takes two resets.
      bool reused = i > 0 && list[i - 1] != "net" && list[i - 1] != "timeout";
      size_t extra = list[i] == "net" && reused ? 1 : 0;
      EXPECT_TRUE(b.has_value()) << s.name << ": no simulator behaviour for " << list[i];
      steps.push_back(j < list.size() ? fmt::format("{{behaviour: {}, count: {}}}",
                                                    b.value_or("ok"), j - i + extra)
                                      : fmt::format("{{behaviour: {}}}", b.value_or("ok")));
      i = j;
    }
    out += fmt::format("  - {{route: openai_images, model: {}, timeline: [{}]}}\n", Quoted(monitor),
                       fmt::join(steps, ", "));
  }
  for (size_t c = 0; c < s.canaries.size(); ++c) {
    std::vector<std::string> steps;
    milliseconds from(0);
    bool ok = true;  // until its first step, a canary answers
    for (const auto& [at, now_ok] : s.canaries[c].second) {
      if (at > from) {
        steps.push_back(fmt::format("{{behaviour: {}, for: {}ms}}", ok ? "ok" : "server_error",
                                    (at - from).count()));
      }
      from = at;
      ok = now_ok;
    }
    steps.push_back(fmt::format("{{behaviour: {}}}", ok ? "ok" : "server_error"));
    out += fmt::format("  - {{route: {}, timeline: [{}]}}\n", kCanaryRoutes[c].first,
                       fmt::join(steps, ", "));
  }
  return out;
}

// A rule map or a monitor's `alerts:` with its durations scaled.
Node ScaledRules(const Node& rules) {
  Node out = rules;
  for (Node& i : out.items) {
    if ((i.key == "cooldown" || i.key == "group_wait") && i.IsScalar()) {
      i = Scalar(i.key, fmt::format("{}ms", Scaled(Dur(&i)).count()));
    } else if (i.key == "failure_rate" && i.IsMap()) {  // counted over time, not store windows
      for (Node& f : i.items) {
        if (f.key == "window") {
          f = Scalar(f.key, fmt::format("{}ms", Scaled(Dur(&f)).count()));
        }
      }
    }
  }
  return out;
}

std::string IsoUtc(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

struct Endpoints {
  int sim_port;
  std::string receiver;  // http://127.0.0.1:PORT
  std::string smtp;      // smtp://127.0.0.1:PORT
  std::string dir;
  std::chrono::system_clock::time_point start;  // the daemon's start, for maintenance
};

// The daemon's config: the scenario's alerts (durations scaled, templates
// added, canaries and maintenance pointed at this run) and monitors (probing
// the simulator as OpenAI image models named after them).
std::string DaemonConfig(const Scenario& s, const Endpoints& e) {
  Result<Node> cfg = config::ParseYaml(Config(s.root)->value, s.name);
  EXPECT_TRUE(cfg.has_value());
  Node doc = Map("");
  std::string sim = "http://127.0.0.1:" + std::to_string(e.sim_port);
  doc.items.push_back(
      Map("providers", {Map("openai", {Scalar("base_url", sim + "/v1"),
                                       Scalar("api_key", "sk-test-0123456789ab")})}));
  doc.items.push_back(Map("storage", {Scalar("sqlite", e.dir + "/mw.db")}));
  Node channels = Map("channels");
  for (const std::string& c : s.channels) {
    std::string url = fmt::format("{}/{}/{}", e.receiver, s.name, c);
    if (c == "email") {
      channels.items.push_back(Map(c, {Scalar("kind", "email"), Scalar("smtp", e.smtp),
                                       Scalar("from", "modelwatch <alerts@example.com>"),
                                       Seq("to", {Scalar("", s.name + "@example.com")}),
                                       Scalar("starttls", "false", false)}));
    } else if (c == "wecom") {
      channels.items.push_back(
          Map(c, {Scalar("kind", c), Scalar("url", url + "?key=0000-1111-2222")}));
    } else {
      channels.items.push_back(Map(c, {Scalar("kind", c), Scalar("url", url)}));
    }
  }
  doc.items.push_back(channels);

  Node alerts = Map("alerts");
  if (const Node* a = cfg->Find("alerts")) {
    alerts = ScaledRules(*a);
    alerts.key = "alerts";
  }
  std::vector<Node> kept;
  for (Node& i : alerts.items) {
    if (i.key == "canaries") {
      EXPECT_EQ(i.items.size(), s.canaries.size())
          << s.name << ": every canary needs its steps for the daemon run";
      Node urls = Seq("canaries");
      for (size_t c = 0; c < s.canaries.size(); ++c) {
        urls.items.push_back(Scalar("", sim + kCanaryRoutes[c].second));
      }
      kept.push_back(urls);
    } else if (i.key == "maintenance") {
      EXPECT_TRUE(s.maintenance.has_value())
          << s.name << ": maintenance windows need run.maintenance for the daemon run";
    } else {
      kept.push_back(i);
    }
  }
  alerts.items = std::move(kept);
  if (s.maintenance) {
    // Windows start on a minute and last one at least: this one is open
    // from the minute of the start to the next (ScenarioRun waits for the
    // right second to start).
    alerts.items.push_back(
        Seq("maintenance",
            {Map("", {Scalar("start", IsoUtc(std::chrono::floor<std::chrono::minutes>(e.start))),
                      Scalar("duration", "1m")})}));
  }
  // The window rules read the store's windows (every 60 s in the daemon);
  // the engine run never feeds them, so they are off unless written.
  for (const char* rule : {"latency_p95", "error_rate", "availability", "rate_limits"}) {
    if (alerts.Find(rule) == nullptr) {
      alerts.items.push_back(Scalar(rule, "off", false));
    }
  }
  Node templates = Map("templates");
  for (const char* kind : kTemplateKinds) {
    templates.items.push_back(Scalar(kind, kTemplate));
  }
  alerts.items.push_back(templates);
  doc.items.push_back(alerts);

  Node monitors = Seq("monitors");
  if (const Node* ms = cfg->Find("monitors")) {
    for (const Node& m : ms->items) {
      Node out =
          Map("", {Scalar("name", Text(m, "name")), Scalar("kind", "openai_images"),
                   Scalar("provider", "openai"), Scalar("model", Text(m, "name")),
                   Scalar("interval", fmt::format("{}ms", Scaled(Dur(m.Find("interval"))).count())),
                   Scalar("timeout", "800ms")});
      for (const Node& i : m.items) {
        if (i.key == "labels" || i.key == "depends_on") {
          out.items.push_back(i);
        } else if (i.key == "alerts") {
          out.items.push_back(ScaledRules(i));
        } else if (i.key != "name" && i.key != "kind" && i.key != "url" && i.key != "interval") {
          ADD_FAILURE() << s.name << ": monitor key " << i.key << " has no daemon-run meaning";
        }
      }
      monitors.items.push_back(out);
    }
  }
  doc.items.push_back(monitors);
  std::string yaml;
  Emit(doc, 0, yaml);
  return yaml;
}

// --- Receivers --------------------------------------------------------------

// Every message, one per alert line the templates made; the first alert
// names the message.
std::optional<std::string> Message(const std::string& text) {
  // Markup undone: backslash escapes, and the entities of HTML and lark_md.
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      continue;
    }
    if (text[i] == '&') {
      size_t semi = text.find(';', i);
      std::string name = semi == std::string::npos ? "" : text.substr(i + 1, semi - i - 1);
      static const std::map<std::string, char> kNamed = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      if (auto it = kNamed.find(name); it != kNamed.end()) {
        plain += it->second;
        i = semi;
        continue;
      }
      if (name.size() > 1 && name[0] == '#' && name.size() < 6) {
        bool hex = name[1] == 'x' || name[1] == 'X';
        plain +=
            static_cast<char>(std::strtol(name.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10));
        i = semi;
        continue;
      }
    }
    plain += text[i];
  }
  static const std::regex kLine("mw;([a-z_]*);([^;]*);([^;]*);([^;]*);([^;]*);");
  std::vector<std::string> alerts;
  std::string first;
  for (auto it = std::sregex_iterator(plain.begin(), plain.end(), kLine);
       it != std::sregex_iterator(); ++it) {
    std::string line = (*it)[0];
    if (std::find(alerts.begin(), alerts.end(), line) != alerts.end()) {
      continue;  // the same alert in a headline and a body, or in text and HTML
    }
    alerts.push_back(line);
    if (first.empty()) {
      std::string level = (*it)[4];
      std::transform(level.begin(), level.end(), level.begin(), ::tolower);
      first = Describe((*it)[2], (*it)[3], (*it)[1], level, 0, (*it)[5]);
    }
  }
  if (alerts.empty()) {
    return std::nullopt;
  }
  size_t at = first.find("items: 0");
  return first.replace(at, 8, "items: " + std::to_string(alerts.size()));
}

void Strings(const nlohmann::json& j, std::string& out) {
  if (j.is_string()) {
    out += j.get<std::string>() + "\n";
  }
  if (j.is_structured()) {
    for (const auto& v : j) {
      Strings(v, out);
    }
  }
}

// Feishu, WeCom and Slack webhooks for every scenario at once, at
// /SCENARIO/CHANNEL, each with its service's success answer.
class Receivers {
 public:
  Receivers() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server_.Post(R"(/([a-z0-9_]+)/([a-z]+))",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   std::string scenario = req.matches[1];
                   std::string channel = req.matches[2];
                   std::lock_guard lock(mu_);
                   if (down_.count(scenario + "/" + channel) > 0) {
                     ++refused_[scenario + "/" + channel];
                     res.status = 500;
                     res.set_content("rollup_error", "text/plain");
                     return;
                   }
                   received_[scenario][channel].push_back(req.body);
                   if (channel == "feishu") {
                     res.set_content(R"({"code":0,"msg":"success","data":{}})", "application/json");
                   } else if (channel == "wecom") {
                     res.set_content(R"({"errcode":0,"errmsg":"ok"})", "application/json");
                   } else {
                     res.set_content("ok", "text/plain");
                   }
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Receivers() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void SetDown(const std::string& scenario, const std::string& channel, bool down) {
    std::lock_guard lock(mu_);
    if (down) {
      down_.insert(scenario + "/" + channel);
    } else {
      down_.erase(scenario + "/" + channel);
    }
  }
  int Refused(const std::string& scenario, const std::string& channel) {
    std::lock_guard lock(mu_);
    return refused_[scenario + "/" + channel];
  }
  // The messages `scenario` got on `channel`, in arrival order, described.
  std::vector<std::string> Messages(const std::string& scenario, const std::string& channel) {
    std::vector<std::string> bodies;
    {
      std::lock_guard lock(mu_);
      bodies = received_[scenario][channel];
    }
    std::vector<std::string> out;
    for (const std::string& b : bodies) {
      nlohmann::json j = nlohmann::json::parse(b, nullptr, false);
      std::string text;
      Strings(j, text);
      out.push_back(Message(j.is_discarded() ? b : text).value_or("not an alert: " + b));
    }
    return out;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::set<std::string> down_;          // GUARDED_BY(mu_)
  std::map<std::string, int> refused_;  // GUARDED_BY(mu_)
  std::map<std::string, std::map<std::string, std::vector<std::string>>> received_;  // ditto
};

// The text parts of a mail (base64), joined.
std::string MailText(const std::string& data) {
  static const std::string kMark = "Content-Transfer-Encoding: base64\r\n\r\n";
  std::string out;
  for (size_t pos = data.find(kMark); pos != std::string::npos; pos = data.find(kMark, pos)) {
    pos += kMark.size();
    size_t end = data.find("\r\n--", pos);
    std::string b64;
    for (char c : data.substr(pos, end - pos)) {
      if (c != '\r' && c != '\n') {
        b64 += c;
      }
    }
    out += DecodeBase64(b64).value_or("<bad base64>") + "\n";
  }
  return out;
}

// --- One scenario's run -----------------------------------------------------

class ScenarioRun {
 public:
  ScenarioRun(Scenario s, Receivers& receivers, net::testing::SmtpReceiver& smtp)
      : s_(std::move(s)), receivers_(receivers), smtp_(smtp) {}

  // Moves the run on: the start, restarts, the channel back, the end. True
  // once done.
  bool Step() {
    if (!started_) {
      if (!TimeToStart()) {
        return false;
      }
      started_ = true;
      Start();
    }
    if (done_ || runs_.empty()) {
      return true;
    }
    if (runs_.back()->Wait(milliseconds(0)) != -1) {
      stopped_ = true;  // the daemon stopped by itself: Check says why
      return true;
    }
    std::map<std::string, size_t> ran = Ran();
    if (next_restart_ < s_.restarts.size()) {
      if (AtLeast(ran, s_.restarts[next_restart_])) {
        // Mid-incident, with no check in flight: the next is an interval off.
        runs_.back()->Signal(SIGKILL);
        runs_.back()->Wait(std::chrono::seconds(10));
        ++next_restart_;
        Launch();
      }
      return false;
    }
    std::map<std::string, size_t> all;
    for (const auto& [monitor, list] : s_.statuses) {
      all[monitor] = list.size();
    }
    if (!AtLeast(ran, all)) {
      return false;
    }
    if (!s_.channel_down.empty() && !channel_back_) {
      // Every check ran and the channel refused each message until now.
      receivers_.SetDown(s_.name, s_.channel_down, false);
      channel_back_ = true;
    }
    for (const auto& [channel, want] : s_.expected) {
      if (Got(channel).size() < want.size()) {
        return false;
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (!settle_from_) {
      settle_from_ = now;
    }
    // Whatever else the scenario would make comes within a group_wait.
    if (now - *settle_from_ < std::chrono::milliseconds(1500) + Scaled(s_.group_wait)) {
      return false;
    }
    done_ = true;
    Stop();
    return true;
  }

  void Stop() {
    if (!started_ || stopped_ || runs_.empty()) {
      return;
    }
    stopped_ = true;
    runs_.back()->Signal(SIGTERM);
    exit_code_ = runs_.back()->Wait(std::chrono::seconds(20));
  }

  void Check() {
    SCOPED_TRACE(s_.name);
    ASSERT_TRUE(started_) << "never started";
    ASSERT_TRUE(done_) << "the run did not end: " << Log();
    EXPECT_EQ(exit_code_, 0) << Log();
    std::map<std::string, size_t> ran = Ran();
    for (const auto& [monitor, list] : s_.statuses) {
      EXPECT_GE(ran[monitor], list.size()) << monitor << " did not run every check";
    }
    for (const std::string& channel : s_.channels) {
      std::vector<std::string> want = s_.expected[channel];
      std::vector<std::string> got = Got(channel);
      EXPECT_EQ(got, want) << channel << " got:\n  " << fmt::format("{}", fmt::join(got, "\n  "))
                           << "\n"
                           << Log();
    }
    if (!s_.channel_down.empty()) {
      EXPECT_GT(receivers_.Refused(s_.name, s_.channel_down), 0) << "the channel was never down";
    }
  }

 private:
  // A run with a maintenance window starts when the next minute, the
  // window's end, is as far off as the scenario asks; others at once.
  bool TimeToStart() const {
    if (!s_.maintenance) {
      return true;
    }
    auto now = std::chrono::system_clock::now();
    auto until = std::chrono::ceil<std::chrono::minutes>(now) - now;
    auto off = until - Scaled(s_.maintenance->first);
    return std::chrono::abs(off) <= Scaled(s_.maintenance->second);
  }

  // Starts the simulator and the daemon.
  void Start() {
    auto parsed = sim::ParseScenario(SimScenario(s_), s_.name + " (simulator)");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message() << "\n" << SimScenario(s_);
    Endpoints e{0, receivers_.Url(), smtp_.url(), TempDir(), std::chrono::system_clock::now()};
    if (!s_.channel_down.empty()) {
      receivers_.SetDown(s_.name, s_.channel_down, true);
    }
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(parsed).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    sim_ = std::move(server).value();
    e.sim_port = sim_->port();
    config_ = e.dir + "/modelwatch.yaml";
    WriteFile(config_, DaemonConfig(s_, e));
    Launch();
  }

  void Launch() {
    runs_.push_back(
        std::make_unique<Subprocess>(std::vector<std::string>{Binary(), "run", "-c", config_}));
  }

  std::string Log() const {
    std::string out;
    for (const auto& r : runs_) {
      out += "--- run\n" + r->err();
      std::istringstream lines(r->out());
      for (std::string line; std::getline(lines, line);) {
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.value("event", "") != "cost") {
          out += fmt::format("{} {} {}\n", j.value("event", ""), j.value("monitor", ""),
                             j.value("status", j.value("title", "")));
        }
      }
    }
    return out;
  }

  // Checks each monitor ran, by the daemon's own `result` lines.
  std::map<std::string, size_t> Ran() const {
    std::map<std::string, size_t> n;
    for (const auto& r : runs_) {
      std::istringstream lines(r->out());
      for (std::string line; std::getline(lines, line);) {
        if (line.find("\"event\":\"result\"") == std::string::npos) {
          continue;
        }
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.contains("monitor")) {
          ++n[j["monitor"].get<std::string>()];
        }
      }
    }
    return n;
  }

  static bool AtLeast(const std::map<std::string, size_t>& have,
                      const std::map<std::string, size_t>& want) {
    for (const auto& [k, v] : want) {
      auto it = have.find(k);
      if ((it == have.end() ? 0 : it->second) < v) {
        return false;
      }
    }
    return true;
  }

  std::vector<std::string> Got(const std::string& channel) {
    if (channel != "email") {
      return receivers_.Messages(s_.name, channel);
    }
    std::vector<std::string> out;
    for (const auto& mail : smtp_.Received()) {
      if (std::find(mail.rcpt.begin(), mail.rcpt.end(), s_.name + "@example.com") ==
          mail.rcpt.end()) {
        continue;
      }
      out.push_back(Message(MailText(mail.data)).value_or("not an alert: " + mail.data));
    }
    return out;
  }

  Scenario s_;
  Receivers& receivers_;
  net::testing::SmtpReceiver& smtp_;
  std::unique_ptr<sim::Server> sim_;
  std::string config_;
  std::vector<std::unique_ptr<Subprocess>> runs_;
  size_t next_restart_ = 0;
  bool channel_back_ = false;
  std::optional<std::chrono::steady_clock::time_point> settle_from_;
  bool started_ = false;
  bool done_ = false;     // ended on its own records
  bool stopped_ = false;  // SIGTERM sent
  int exit_code_ = -1;
};

TEST(AlertScenarioRun, EveryScenarioDeliversExactlyTheExpectedMessagesThroughTheDaemon) {
  const std::filesystem::path dir =
      std::filesystem::path(MODELWATCH_SOURCE_DIR) / "tests/scenarios/alerts";
  std::vector<std::filesystem::path> files = alert::scenario::Files(dir);
  ASSERT_GE(files.size(), 11u);
  // MODELWATCH_SCENARIO=NAME runs that scenario alone (when looking into one).
  if (const char* only = std::getenv("MODELWATCH_SCENARIO")) {
    std::erase_if(files, [only](const auto& f) { return f.stem() != only; });
  }

  Receivers receivers;
  net::testing::SmtpReceiver smtp;
  ASSERT_TRUE(smtp.ready()) << smtp.server_log();
  std::vector<std::unique_ptr<ScenarioRun>> runs;
  for (const auto& f : files) {
    std::optional<Scenario> s = Load(f);
    ASSERT_TRUE(s.has_value()) << f;
    runs.push_back(std::make_unique<ScenarioRun>(std::move(*s), receivers, smtp));
  }
  // Only bounds a hang: every run ends on its own records.
  testing::WaitFor(
      [&] {
        bool all = true;
        for (auto& r : runs) {
          all = r->Step() && all;
        }
        return all;
      },
      std::chrono::seconds(60) + std::chrono::seconds(90) * 60 / Scale());
  for (auto& r : runs) {
    r->Stop();
  }
  for (auto& r : runs) {
    r->Check();
  }
}

}  // namespace
}  // namespace modelwatch
