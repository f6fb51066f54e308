// Scenario files are read through the config's YAML edge (config/yaml_edge.h),
// so the simulator has the same bounds and FILE:LINE:COL messages as a
// config. View gives the parser the few lookups it needs on that tree.
#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "config/yaml_edge.h"
#include "core/duration.h"
#include "core/text.h"
#include "sim/scenario.h"

namespace modelwatch::sim {
namespace {

// A possibly absent node of the parsed tree.
class View {
 public:
  View() = default;
  explicit View(const config::Node* n) : n_(n) {}

  explicit operator bool() const { return n_ != nullptr; }
  View operator[](std::string_view key) const { return View(n_ ? n_->Find(key) : nullptr); }
  View operator[](size_t i) const {
    return View(n_ && n_->IsSequence() && i < n_->items.size() ? &n_->items[i] : nullptr);
  }
  bool IsMap() const { return n_ && n_->IsMap(); }
  bool IsSequence() const { return n_ && n_->IsSequence(); }
  bool IsScalar() const { return n_ && n_->IsScalar(); }
  bool IsNull() const { return n_ && n_->IsNull(); }
  size_t size() const { return n_ && n_->IsSequence() ? n_->items.size() : 0; }
  const std::string& Scalar() const {
    static const std::string kEmpty;
    return IsScalar() ? n_->value : kEmpty;
  }
  config::Mark Mark() const { return n_ ? n_->mark : config::Mark{}; }
  const config::Node* node() const { return n_; }

 private:
  const config::Node* n_ = nullptr;
};

template <typename T>
std::optional<T> Convert(const std::string& text) {
  if constexpr (std::is_same_v<T, std::string>) {
    return text;
  } else if constexpr (std::is_same_v<T, bool>) {
    const std::string v = AsciiLower(text);
    if (v == "true" || v == "yes" || v == "on") {
      return true;
    }
    if (v == "false" || v == "no" || v == "off") {
      return false;
    }
    return std::nullopt;
  } else {
    T v{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end) {
      return std::nullopt;
    }
    return v;
  }
}

class Parser {
 public:
  Parser(std::string_view name, std::filesystem::path base_dir)
      : name_(name), base_dir_(std::move(base_dir)) {}

  Result<Scenario> Run(std::string_view text) {
    Result<config::Node> tree = config::ParseYaml(text, name_);
    if (!tree) {
      return tree.error();
    }
    const View root(&*tree);
    Scenario s;
    s.name = name_;
    if (!root.IsMap()) {
      Error(root, "a scenario is a mapping with a `routes` list");
    } else {
      ParseTop(root, s);
    }
    if (!errors_.empty()) {
      std::string all;
      for (const auto& e : errors_) {
        all += (all.empty() ? "" : "\n") + e;
      }
      return Status::InvalidArgument(all);
    }
    return s;
  }

 private:
  void Error(const config::Mark& m, std::string_view msg) {
    errors_.push_back(fmt::format("{}:{}:{}: {}", name_, m.line > 0 ? m.line : 1,
                                  m.col > 0 ? m.col : 1, msg));
  }
  void Error(const View& at, std::string_view msg) { Error(at.Mark(), msg); }

  // Reports keys not in `known`; the usual cause is a typo.
  void CheckKeys(const View& map, std::initializer_list<std::string_view> known) {
    for (const config::Node& kv : map.node()->items) {
      bool found = false;
      for (auto k : known) {
        found = found || k == kv.key;
      }
      if (!found) {
        Error(kv.key_mark, fmt::format("unknown key \"{}\"", kv.key));
      }
    }
  }

  static std::string Scalar(const View& n) { return n.Scalar(); }

  template <typename T>
  std::optional<T> As(const View& n, std::string_view what) {
    if (n.IsScalar()) {
      if (std::optional<T> v = Convert<T>(n.Scalar())) {
        return v;
      }
    }
    Error(n, fmt::format("{}: expected {}", what, TypeName<T>()));
    return std::nullopt;
  }

  template <typename T>
  static constexpr std::string_view TypeName() {
    if constexpr (std::is_same_v<T, bool>) {
      return "true or false";
    } else if constexpr (std::is_floating_point_v<T>) {
      return "a number";
    } else if constexpr (std::is_integral_v<T>) {
      return "an integer";
    } else {
      return "a string";
    }
  }

  std::optional<Millis> Duration(const View& n, std::string_view what) {
    auto text = As<std::string>(n, what);
    if (!text) {
      return std::nullopt;
    }
    auto d = ParseDuration(*text);
    if (!d) {
      Error(n, fmt::format("{}: {}", what, d.error().message()));
      return std::nullopt;
    }
    return *d;
  }

  void ParseTop(const View& root, Scenario& s) {
    CheckKeys(root, {"seed", "time_scale", "require_auth", "service_account_key", "token_lifetime",
                     "models", "routes"});
    if (auto n = root["service_account_key"]) {
      if (auto path = As<std::string>(n, "service_account_key")) {
        std::filesystem::path p = base_dir_.empty() ? std::filesystem::path(*path)
                                                    : base_dir_ / *path;
        std::ifstream in(p, std::ios::binary);
        if (!in) {
          Error(n, fmt::format("service_account_key: cannot open {}", p.string()));
        } else {
          std::ostringstream text;
          text << in.rdbuf();
          s.service_account_public_key = text.str();
        }
      }
    }
    if (auto n = root["token_lifetime"]) {
      if (auto d = Duration(n, "token_lifetime")) {
        s.token_lifetime = *d;
      }
    }
    if (auto n = root["models"]) {
      s.models = StringList(n, "models");
    }
    if (auto n = root["require_auth"]) {
      s.require_auth = As<bool>(n, "require_auth").value_or(false);
    }
    if (auto n = root["seed"]) {
      s.seed = As<uint64_t>(n, "seed").value_or(1);
    }
    if (auto n = root["time_scale"]) {
      auto v = As<double>(n, "time_scale");
      if (v && !(*v >= 0)) {
        Error(n, "time_scale: must be >= 0");
      } else if (v) {
        s.time_scale = *v;
      }
    }
    View routes = root["routes"];
    if (!routes) {
      Error(root, "missing key \"routes\"");
      return;
    }
    if (!routes.IsSequence()) {
      Error(routes, "routes: expected a list");
      return;
    }
    for (size_t i = 0; i < routes.size(); ++i) {
      ParseRoute(routes[i], s);
    }
  }

  void ParseRoute(const View& n, Scenario& s) {
    if (!n.IsMap()) {
      Error(n, "a route is a mapping with `route` and `timeline`");
      return;
    }
    CheckKeys(n, {"route", "model", "repeat", "timeline"});
    RouteTimeline rt;
    if (auto r = n["route"]) {
      auto kind = ParseRouteKind(Scalar(r));
      if (!kind) {
        Error(r, fmt::format("unknown route \"{}\" (openai_images, gemini, openrouter_chat, "
                             "openrouter_models, openrouter_endpoints, gcp_incidents, "
                             "statuspage_summary, openai_image_files, openai_models, "
                             "gemini_models, gcp_feed, stability, flux_submit, flux_result, "
                             "flux_delivery, vertex, google_token)",
                             Scalar(r)));
      } else {
        rt.route = *kind;
      }
    } else {
      Error(n, "missing key \"route\"");
    }
    if (auto m = n["model"]) {
      rt.model = As<std::string>(m, "model").value_or("");
      if (rt.model == "*") {
        rt.model.clear();
      }
    }
    if (auto rep = n["repeat"]) {
      rt.repeat = As<bool>(rep, "repeat").value_or(false);
    }
    View tl = n["timeline"];
    if (!tl || !tl.IsSequence() || tl.size() == 0) {
      Error(tl ? tl : n, "timeline: expected a non-empty list of steps");
      return;
    }
    for (size_t i = 0; i < tl.size(); ++i) {
      Step step = ParseStep(tl[i]);
      if (i + 1 < tl.size() && !step.count && !step.length) {
        Error(tl[i],
              "this step has neither `count` nor `for`, so it never ends and the steps "
              "after it are unreachable");
      }
      rt.steps.push_back(std::move(step));
    }
    s.routes.push_back(std::move(rt));
  }

  Step ParseStep(const View& n) {
    Step st;
    if (!n.IsMap()) {
      Error(n, "a step is a mapping such as {behaviour: ok, latency: 1s-2s, count: 5}");
      return st;
    }
    CheckKeys(n, {"behaviour", "behavior", "latency", "count", "for", "image", "retry_after",
                  "drip", "http_status", "body_file", "incident", "safety", "uptime",
                  "provider_status", "providers", "models", "shutdown_dates"});
    View b = n["behaviour"] ? n["behaviour"] : n["behavior"];
    if (!b) {
      Error(n, "missing key \"behaviour\"");
    } else if (auto kind = ParseBehaviour(Scalar(b))) {
      st.behaviour = *kind;
    } else {
      Error(b, fmt::format("unknown behaviour \"{}\"", Scalar(b)));
    }
    if (auto l = n["latency"]) {
      ParseLatency(l, st);
    }
    if (auto c = n["count"]) {
      st.count = As<int64_t>(c, "count");
      if (st.count && *st.count < 1) {
        Error(c, "count: must be at least 1");
      }
    }
    if (auto f = n["for"]) {
      st.length = Duration(f, "for");
      if (st.length && st.length->count() <= 0) {
        Error(f, "for: must be longer than 0s");
      }
      if (st.count) {
        Error(f, "a step ends by `count` or by `for`, not both");
      }
    }
    if (auto i = n["image"]) {
      ParseImage(i, st.image);
    }
    if (auto r = n["retry_after"]) {
      st.retry_after = Duration(r, "retry_after").value_or(st.retry_after);
    }
    if (auto d = n["drip"]) {
      st.drip = Duration(d, "drip").value_or(st.drip);
    }
    if (auto h = n["http_status"]) {
      st.http_status = As<int>(h, "http_status");
      if (st.http_status && (*st.http_status < 100 || *st.http_status > 599)) {
        Error(h, "http_status: must be between 100 and 599");
      }
    }
    if (auto f = n["body_file"]) {
      ReadBodyFile(f, st);
    }
    if (auto i = n["incident"]) {
      std::string v = Scalar(i);
      if (v == "none") {
        st.incident = FeedIncident::kNone;
      } else if (v == "resolved") {
        st.incident = FeedIncident::kResolved;
      } else if (v == "active") {
        st.incident = FeedIncident::kActive;
      } else if (v == "updated") {
        st.incident = FeedIncident::kUpdated;
      } else {
        Error(i, "incident: expected none, resolved, active or updated");
      }
    }
    if (auto s = n["safety"]) {
      std::string v = Scalar(s);
      if (v == "image") {
        st.safety = SafetyKind::kImage;
      } else if (v == "prompt") {
        st.safety = SafetyKind::kPrompt;
      } else {
        Error(s, "safety: expected image or prompt");
      }
    }
    if (auto u = n["uptime"]) {
      st.uptime = u.IsNull() ? std::nullopt : As<double>(u, "uptime");
    }
    if (auto p = n["provider_status"]) {
      st.provider_status = As<int>(p, "provider_status").value_or(0);
    }
    if (auto p = n["providers"]) {
      st.providers = As<int>(p, "providers").value_or(2);
      if (st.providers < 0 || st.providers > 8) {
        Error(p, "providers: must be between 0 and 8");
      }
    }
    if (auto m = n["models"]) {
      st.models = StringList(m, "models");
    }
    if (auto d = n["shutdown_dates"]) {
      if (!d.IsMap()) {
        Error(d, "shutdown_dates: expected a mapping of model ID to YYYY-MM-DD");
      } else {
        for (const config::Node& kv : d.node()->items) {
          const View value(&kv);
          auto date = As<std::string>(value, "shutdown_dates");
          if (date && (date->size() != 10 || (*date)[4] != '-' || (*date)[7] != '-')) {
            Error(value, "shutdown_dates: expected a date as YYYY-MM-DD");
          } else if (date) {
            st.shutdown_dates.emplace_back(kv.key, *date);
          }
        }
      }
    }
    return st;
  }

  std::vector<std::string> StringList(const View& n, std::string_view what) {
    std::vector<std::string> out;
    if (!n.IsSequence()) {
      Error(n, fmt::format("{}: expected a list of model IDs", what));
      return out;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      if (auto v = As<std::string>(n[i], what)) {
        out.push_back(*v);
      }
    }
    return out;
  }

  // "10s-20s" is a range, "15s" a fixed latency.
  void ParseLatency(const View& n, Step& st) {
    auto text = As<std::string>(n, "latency");
    if (!text) {
      return;
    }
    size_t dash = text->find('-');
    std::string lo = text->substr(0, dash);
    std::string hi = dash == std::string::npos ? lo : text->substr(dash + 1);
    auto a = ParseDuration(lo);
    auto b = ParseDuration(hi);
    if (!a || !b) {
      Error(n, fmt::format("latency: {} (write 15s or 10s-20s)",
                           (!a ? a.error() : b.error()).message()));
      return;
    }
    if (*b < *a) {
      Error(n, "latency: the range's upper bound is below its lower bound");
      return;
    }
    st.latency_min = *a;
    st.latency_max = *b;
  }

  void ParseImage(const View& n, ImageSpec& img) {
    if (!n.IsMap()) {
      Error(n, "image: expected {format: png|jpeg|webp, width: W, height: H}");
      return;
    }
    CheckKeys(n, {"format", "width", "height"});
    if (auto f = n["format"]) {
      std::string v = Scalar(f);
      if (v == "png") {
        img.format = ImageFormat::kPng;
      } else if (v == "jpeg" || v == "jpg") {
        img.format = ImageFormat::kJpeg;
      } else if (v == "webp") {
        img.format = ImageFormat::kWebp;
      } else {
        Error(f, "image format: expected png, jpeg or webp");
      }
    }
    for (auto [key, dst] : {std::pair{"width", &img.width}, std::pair{"height", &img.height}}) {
      if (auto d = n[key]) {
        auto v = As<int>(d, key);
        if (v && (*v < 1 || *v > 4096)) {
          Error(d, fmt::format("{}: must be between 1 and 4096", key));
        } else if (v) {
          *dst = *v;
        }
      }
    }
  }

  void ReadBodyFile(const View& n, Step& st) {
    auto rel = As<std::string>(n, "body_file");
    if (!rel) {
      return;
    }
    std::filesystem::path p = base_dir_ / *rel;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      Error(n, fmt::format("body_file: cannot read \"{}\"", p.string()));
      return;
    }
    std::ostringstream body;
    body << in.rdbuf();
    st.body = body.str();
    std::string ext = p.extension().string();
    st.body_content_type = ext == ".json"                      ? "application/json"
                           : (ext == ".atom" || ext == ".xml") ? "application/atom+xml"
                           : ext == ".html"                    ? "text/html; charset=utf-8"
                                                               : "text/plain; charset=utf-8";
  }

  std::string name_;
  std::filesystem::path base_dir_;
  std::vector<std::string> errors_;
};

}  // namespace

Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view name_for_errors,
                               const std::filesystem::path& base_dir) {
  return Parser(name_for_errors, base_dir).Run(yaml_text);
}

}  // namespace modelwatch::sim
