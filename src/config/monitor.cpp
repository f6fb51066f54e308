#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "config/fields.h"
#include "config/kinds.h"
#include "config/sections.h"
#include "config/suggest.h"
#include "core/duration.h"

namespace modelwatch::config {

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 3> kImageSizes = {"1K", "2K", "4K"};

constexpr std::string_view kDefaultPrompt = "A small red apple on a white table, studio light";

constexpr std::array<std::string_view, 4> kQualities = {"low", "medium", "high", "auto"};

// The cheapest valid request is the default (docs/cost.md): GPT image models
// at low quality and their smallest size; Gemini 3 and later image models at
// imageSize 1K (2.x models take no imageSize).
bool IsGptImage(std::string_view model) {
  return model.starts_with("gpt-image") || model.starts_with("chatgpt-image");
}
bool TakesImageSize(std::string_view model) {
  std::string_view m = model;
  if (size_t slash = m.rfind('/'); slash != std::string_view::npos) {
    m.remove_prefix(slash + 1);
  }
  return m.starts_with("gemini-") && !m.starts_with("gemini-1") && !m.starts_with("gemini-2");
}

bool IsPositiveInt(std::string_view s) {
  return !s.empty() && s.size() <= 6 && s[0] != '0' &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "1024x1024": two positive whole numbers joined by `sep`.
bool IsPair(std::string_view s, char sep) {
  size_t at = s.find(sep);
  return at != std::string_view::npos && IsPositiveInt(s.substr(0, at)) &&
         IsPositiveInt(s.substr(at + 1));
}

// Prometheus label names, since labels end up on /metrics.
bool IsLabelName(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Reads one monitor entry. Holds the state shared by its steps.
class MonitorParser {
 public:
  MonitorParser(Diagnostics& diag, const Node& node, size_t index,
                const std::vector<ProviderEntry>& providers, const Defaults& defaults,
                const Alerts& alerts)
      : node_(node),
        scope_(diag, fmt::format("monitors[{}]", index)),
        providers_(providers),
        defaults_(defaults),
        alerts_(alerts) {}

  Monitor Parse() {
    m_.mark = node_.mark;
    if (!node_.IsMap()) {
      if (!node_.interpolation_failed) {
        scope_.Error(node_.mark, fmt::format("must be a map with at least name and kind, not {}",
                                             Describe(node_.type)));
      }
      return m_;
    }
    ReadName();
    ReadKind();
    CheckMonitorKeys();
    ReadCommon();
    ReadCost();
    m_.alerting = ParseMonitorAlerts(scope_, node_, alerts_);
    ReadMonitorStatusSources(scope_, node_, m_);
    if (Applies(kImage)) {
      ReadImageFields();
    }
    if (Applies(kHttp)) {
      ReadHttpFields(scope_, node_, m_);
    }
    if (kind_bit_ == kStability) {
      ReadStabilityFields(scope_, node_, m_);
    }
    if (kind_bit_ == kVertex) {
      ReadVertexFields(scope_, node_, m_);
    }
    if (Applies(kFlux | kHttp)) {
      ReadPoll(scope_, node_, m_);
    }
    if (kind_bit_ == kPush) {
      ReadPushFields();
    }
    ResolveSchedule();
    ResolveEndpoint();
    return m_;
  }

 private:
  // Whether fields of these kinds are read: with an unknown kind, read them
  // all, to report what else is wrong.
  bool Applies(unsigned bits) const { return kind_bit_ == 0 || (kind_bit_ & bits) != 0; }

  void ReadName() {
    const Node* n = node_.Find("name");
    if (n == nullptr) {
      scope_.Error(node_.mark, "missing required key \"name\"");
      return;
    }
    std::optional<std::string> name = ReadString(scope_, *n);
    if (!name) {
      return;
    }
    bool printable = std::all_of(name->begin(), name->end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    });
    if (name->empty() || !printable || name->front() == ' ' || name->back() == ' ') {
      scope_.Child("name").Error(n->mark,
                                 "must be a non-empty single line without leading or "
                                 "trailing spaces");
      return;
    }
    m_.name = *name;
    scope_ = Scope(scope_.diag(), fmt::format("{} \"{}\"", scope_.prefix(), m_.name));
  }

  void ReadKind() {
    const Node* n = node_.Find("kind");
    if (n == nullptr) {
      scope_.Error(node_.mark,
                   fmt::format("missing required key \"kind\" (one of {})", OneOf(KindNames())));
      return;
    }
    if (auto kind = ReadEnum(scope_, *n, KindNames())) {
      m_.kind = *kind;
      kind_ = FindKind(*kind);
      kind_bit_ = kind_ != nullptr ? static_cast<unsigned>(kind_->bit) : 0u;
    }
  }

  void CheckMonitorKeys() {
    for (const Node& entry : node_.items) {
      const KeyRule* rule = FindMonitorKey(entry.key);
      if (rule == nullptr) {
        scope_.Error(entry.key_mark, fmt::format("unknown key \"{}\"{}", entry.key,
                                                 DidYouMean(entry.key, AllMonitorKeys())));
      } else if (!Applies(rule->kinds)) {
        scope_.Error(entry.key_mark,
                     fmt::format("key \"{}\" does not apply to kind \"{}\" (only to {})", entry.key,
                                 m_.kind, KindsOf(rule->kinds)));
      }
    }
    CheckRepeatedKeys(scope_, node_);
  }

  void ReadCommon() {
    if (const Node* n = node_.Find("tier")) {
      if (auto name = ReadEnum(scope_, *n, TierNames())) {
        tier_ = ParseTier(*name);
      }
    }
    if (const Node* n = node_.Find("interval")) {
      interval_ = ReadDuration(scope_, *n, std::chrono::seconds(1));
      if (node_.Find("tier") != nullptr) {
        scope_.Error(n->key_mark, "set either tier or interval, not both");
      }
    }
    if (const Node* n = node_.Find("timeout")) {
      timeout_node_ = n;
      auto timeout = ReadDuration(scope_, *n, milliseconds(1));
      timeout_read_ = timeout.has_value();
      m_.timeout = timeout.value_or(defaults_.timeout);
    } else {
      m_.timeout = defaults_.timeout;
    }
    m_.max_body_bytes = defaults_.max_body_bytes;
    if (const Node* n = node_.Find("max_body")) {
      m_.max_body_bytes = ReadByteSize(scope_, *n).value_or(m_.max_body_bytes);
    }
    if (const Node* n = node_.Find("tls")) {
      m_.tls = ParseTls(scope_, *n);
      tls_written_ = true;
    }
    m_.thresholds = defaults_.thresholds;
    if (const Node* n = node_.Find("thresholds")) {
      m_.thresholds = ParseThresholds(scope_, *n, defaults_.thresholds);
    }
    if (const Node* n = node_.Find("labels"); n != nullptr && ExpectMap(scope_, *n)) {
      Scope labels = scope_.Child("labels");
      CheckRepeatedKeys(labels, *n);
      for (const Node& label : n->items) {
        if (!IsLabelName(label.key)) {
          labels.Error(label.key_mark,
                       fmt::format("\"{}\" is not a valid label name (letters, digits and _, "
                                   "not starting with a digit)",
                                   label.key));
        }
        if (auto v = ReadString(labels, label)) {
          m_.labels[label.key] = *v;
        }
      }
    }
  }

  void ReadImageFields() {
    if (const Node* n = node_.Find("provider")) {
      ReadProvider(*n);
    }
    if (const Node* n = node_.Find("base_url")) {
      m_.base_url = ReadBaseUrl(scope_, *n).value_or("");
    }
    if (const Node* n = node_.Find("api_key")) {
      api_key_node_ = n;
      m_.api_key = ReadSecret(scope_, *n).value_or(Secret());
    }
    if (const Node* n = node_.Find("model")) {
      m_.model = ReadNonEmpty(*n);
    }
    m_.prompt = std::string(kDefaultPrompt);
    if (const Node* n = node_.Find("prompt")) {
      m_.prompt = ReadNonEmpty(*n);
    }
    if (const Node* n = node_.Find("size")) {
      ReadSize(*n);
    }
    if (const Node* n = node_.Find("aspect_ratio");
        n != nullptr && Applies(kGemini | kOpenRouter | kStability | kVertex)) {
      if (auto v = ReadString(scope_, *n)) {
        if (IsPair(*v, ':')) {
          m_.aspect_ratio = *v;
        } else {
          scope_.Child("aspect_ratio")
              .Error(n->mark, fmt::format("\"{}\" is not an aspect ratio such as 1:1 or 16:9", *v));
        }
      }
    }
    if (const Node* n = node_.Find("fetch_url"); n != nullptr && Applies(kOpenAi)) {
      m_.fetch_url = ReadBool(scope_, *n).value_or(true);
    }
    if (const Node* n = node_.Find("quality"); n != nullptr && Applies(kOpenAi)) {
      m_.quality = ReadEnum(scope_, *n, kQualities).value_or("");
    }
    ApplyCheapestDefaults();
  }

  void ApplyCheapestDefaults() {
    if (kind_bit_ == kOpenAi && IsGptImage(m_.model)) {
      if (node_.Find("quality") == nullptr) {
        m_.quality = "low";
      }
      if (node_.Find("size") == nullptr) {
        m_.size = "1024x1024";
      }
    }
    if ((kind_bit_ == kGemini || kind_bit_ == kOpenRouter) && node_.Find("size") == nullptr &&
        TakesImageSize(m_.model)) {
      m_.size = "1K";
    }
  }

  void ReadCost() {
    if (const Node* n = node_.Find("cost_per_call"); n != nullptr && Applies(kImage | kHttp)) {
      m_.cost_per_call = ReadNumber(scope_, *n, 0, 1e6, false);
    }
    if (const Node* n = node_.Find("full_every")) {
      ReadFullEvery(*n);
    }
  }

  // `full_every: N`, a whole number from 1: one check in N generates.
  void ReadFullEvery(const Node& n) {
    Scope at = scope_.Child("full_every");
    if (n.IsScalar() && !n.interpolation_failed && !n.value.empty() &&
        std::isalpha(static_cast<unsigned char>(n.value.back()))) {
      at.Error(n.mark, fmt::format("\"{}\" is not a count: full_every is N, one check in N is a "
                                   "real generation (e.g. full_every: 6)",
                                   n.value));
      return;
    }
    std::optional<double> v = ReadNumber(scope_, n, 1, 10000, false);
    if (!v) {
      return;
    }
    if (*v != static_cast<double>(static_cast<int>(*v))) {
      at.Error(n.mark, fmt::format("{} is not a whole number (one check in N is a real generation)",
                                   n.value));
      return;
    }
    m_.full_every = static_cast<int>(*v);
  }

  // A push monitor's token authenticates its reports; model is for labels.
  void ReadPushFields() {
    if (const Node* n = node_.Find("token")) {
      m_.token = ReadSecret(scope_, *n).value_or(Secret());
      if (n->IsScalar() && !n->interpolation_failed && m_.token.reveal().size() < 16) {
        scope_.Child("token").Error(n->mark, "is too short (at least 16 characters)");
      }
    } else {
      scope_.Error(node_.mark, "missing required key \"token\" for kind push");
    }
    if (const Node* n = node_.Find("model")) {
      m_.model = ReadNonEmpty(*n);
    }
  }

  void ReadProvider(const Node& n) {
    std::optional<std::string> name = ReadString(scope_, n);
    if (!name) {
      return;
    }
    for (const ProviderEntry& p : providers_) {
      if (p.provider.name == *name) {
        m_.provider = *name;
        provider_ = &p;
        return;
      }
    }
    std::vector<std::string_view> names;
    for (const ProviderEntry& p : providers_) {
      names.push_back(p.provider.name);
    }
    std::string hint = DidYouMean(*name, names);
    if (hint.empty()) {
      hint = names.empty() ? " (there is no providers section)"
                           : fmt::format(" (defined: {})", OneOf(names));
    }
    scope_.Child("provider")
        .Error(n.mark, fmt::format("\"{}\" is not defined under providers{}", *name, hint));
  }

  void ReadSize(const Node& n) {
    std::optional<std::string> v = ReadString(scope_, n);
    if (!v) {
      return;
    }
    Scope size = scope_.Child("size");
    if (kind_bit_ == kOpenAi) {
      if (*v == "auto" || IsPair(*v, 'x')) {
        m_.size = *v;
      } else {
        size.Error(n.mark,
                   fmt::format("\"{}\" is not WIDTHxHEIGHT (e.g. 1024x1024) or \"auto\"", *v));
      }
    } else if (kind_bit_ == kFlux) {
      if (IsPair(*v, 'x')) {
        m_.size = *v;
      } else {
        size.Error(n.mark, fmt::format("\"{}\" is not WIDTHxHEIGHT (e.g. 1024x1024)", *v));
      }
    } else if (kind_bit_ == kGemini || kind_bit_ == kOpenRouter || kind_bit_ == kVertex) {
      if (std::find(kImageSizes.begin(), kImageSizes.end(), *v) != kImageSizes.end()) {
        m_.size = *v;
      } else {
        size.Error(n.mark, fmt::format("\"{}\" is not one of {} (the image size for kind {})", *v,
                                       OneOf(kImageSizes), m_.kind));
      }
    }
  }

  // A required string such as model; empty is reported like a wrong type.
  std::string ReadNonEmpty(const Node& n) {
    std::optional<std::string> v = ReadString(scope_, n);
    if (v && v->empty()) {
      scope_.Child(n.key).Error(n.mark, "must not be empty");
    }
    return v.value_or("");
  }

  // Interval from the monitor's tier or interval, else the defaults' tier or
  // interval, else the standard tier; then the timeout must fit inside it.
  void ResolveSchedule() {
    if (interval_) {
      m_.interval = *interval_;
    } else if (tier_) {
      m_.tier = tier_;
      m_.interval = TierInterval(*tier_);
    } else if (node_.Find("interval") != nullptr || node_.Find("tier") != nullptr) {
      return;  // written but invalid: reported already
    } else if (defaults_.interval) {
      m_.interval = *defaults_.interval;
    } else {
      m_.tier = defaults_.tier.value_or(Tier::kStandard);
      m_.interval = TierInterval(*m_.tier);
    }
    bool timeout_invalid = timeout_node_ != nullptr && !timeout_read_;
    if (m_.timeout > m_.interval && !timeout_invalid) {
      const std::string times = fmt::format("{} is longer than the interval {} (checks would overlap)",
                                      FormatDuration(m_.timeout), FormatDuration(m_.interval));
      if (timeout_node_ != nullptr) {
        scope_.Child("timeout").Error(timeout_node_->mark, times);
      } else {
        // An inherited timeout (60s by default) shrinks to fit a short
        // interval; only one written on the monitor itself is a mistake.
        m_.timeout_shrunk_from = m_.timeout;
        m_.timeout = m_.interval;
      }
    }
  }

  // base_url and api_key: the monitor's, else its provider's, else (base_url
  // only) the kind's public endpoint. Then what the kind requires.
  void ResolveEndpoint() {
    if (kind_ == nullptr) {
      return;
    }
    if (!tls_written_) {
      m_.tls = provider_ != nullptr && provider_->provider.has_tls ? provider_->provider.tls
                                                                    : defaults_.tls;
    }
    if (kind_bit_ & kKeyed) {
      if (m_.base_url.empty() && node_.Find("base_url") == nullptr) {
        m_.base_url = provider_ != nullptr && !provider_->provider.base_url.empty()
                          ? provider_->provider.base_url
                          : std::string(kind_->default_base_url);
      }
      if (api_key_node_ == nullptr && provider_ != nullptr) {
        m_.api_key = provider_->provider.api_key;
      }
      bool key_written = api_key_node_ != nullptr || (provider_ && provider_->has_api_key);
      if (!key_written && node_.Find("provider") == nullptr) {
        scope_.Error(node_.mark, fmt::format("missing required key \"api_key\" for kind {} "
                                             "(set it here or on a provider)",
                                             m_.kind));
      } else if (!key_written && provider_ != nullptr) {
        scope_.Error(node_.mark, fmt::format("missing required key \"api_key\" for kind {} "
                                             "(provider \"{}\" has none either)",
                                             m_.kind, m_.provider));
      } else if (api_key_node_ != nullptr && api_key_node_->IsScalar() &&
                 !api_key_node_->interpolation_failed && m_.api_key.empty()) {
        scope_.Child("api_key").Error(api_key_node_->mark,
                                      "is empty (is its environment variable set to \"\"?)");
      }
      if (node_.Find("model") == nullptr && kind_bit_ != kStability) {
        scope_.Error(node_.mark,
                     fmt::format("missing required key \"model\" for kind {}", m_.kind));
      }
    }
    if (kind_bit_ == kHttp && node_.Find("url") == nullptr) {
      scope_.Error(node_.mark, "missing required key \"url\" for kind http");
    }
  }

  const Node& node_;
  Scope scope_;
  const std::vector<ProviderEntry>& providers_;
  const Defaults& defaults_;
  const Alerts& alerts_;
  Monitor m_;
  unsigned kind_bit_ = 0;
  const KindInfo* kind_ = nullptr;  // null: kind missing or unknown
  const ProviderEntry* provider_ = nullptr;
  bool tls_written_ = false;
  const Node* api_key_node_ = nullptr;
  const Node* timeout_node_ = nullptr;
  bool timeout_read_ = false;
  std::optional<Tier> tier_;
  std::optional<milliseconds> interval_;
};

}  // namespace

Monitor ParseMonitor(Diagnostics& diag, const Node& node, size_t index,
                     const std::vector<ProviderEntry>& providers, const Defaults& defaults,
                     const Alerts& alerts) {
  return MonitorParser(diag, node, index, providers, defaults, alerts).Parse();
}

}  // namespace modelwatch::config
