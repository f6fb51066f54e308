#include "source/kinds/models.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace modelwatch::source {
namespace {

using Json = nlohmann::json;

enum class Provider { kOpenAi, kGemini, kOpenRouter };

struct Entry {
  std::string id;
  std::optional<WallTime> shutdown;
  std::string pricing;
};

// "2026-12-31", "2026-12-31T00:00:00Z" (the date part counts), or unix seconds.
std::optional<WallTime> ParseDate(const Json* v) {
  if (v == nullptr || v->is_null()) {
    return std::nullopt;
  }
  if (v->is_number_integer()) {
    return WallTime(std::chrono::seconds(v->get<int64_t>()));
  }
  if (!v->is_string()) {
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](size_t at, size_t len, auto& out) {
    auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc() && end == s.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days(ymd);
}

const Json* Member(const Json& j, const char* key) {
  if (!j.is_object()) {
    return nullptr;
  }
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string Text(const Json* v) {
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// OpenRouter's per-unit decimal strings, the ones worth showing.
std::string Pricing(const Json* p) {
  std::string out;
  if (p == nullptr || !p->is_object()) {
    return out;
  }
  for (const char* key : {"prompt", "completion", "image", "request"}) {
    std::string v = Text(Member(*p, key));
    if (!v.empty()) {
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", key, v);
    }
  }
  return out;
}

std::string_view Bare(std::string_view id) { return id.starts_with("models/") ? id.substr(7) : id; }

class ModelsSource final : public Source {
 public:
  ModelsSource(Provider p, std::string url, Secret key, std::vector<std::string> models)
      : provider_(p), url_(std::move(url)), key_(std::move(key)), models_(std::move(models)) {}

  // source::Source
  std::vector<net::Request> BuildRequests() const override { return {Request(url_)}; }

  // Gemini pages its list (up to 1,000 models a page): the next page while
  // the answer names one.
  std::optional<net::Request> NextPage(const net::Response& answer) const override {
    if (provider_ != Provider::kGemini) {
      return std::nullopt;
    }
    Json body = Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
    std::string token = body.is_discarded() ? "" : Text(Member(body, "nextPageToken"));
    if (token.empty()) {
      return std::nullopt;
    }
    return Request(fmt::format("{}&pageToken={}", url_, PercentEncode(token)));
  }

  net::Request Request(std::string url) const {
    net::Request r;
    r.url = std::move(url);
    r.timeout = std::chrono::seconds(30);
    r.headers.emplace_back("Accept", "application/json");
    if (provider_ == Provider::kGemini) {
      r.headers.emplace_back("x-goog-api-key", key_.reveal());
    } else if (!key_.empty()) {
      r.headers.emplace_back("Authorization", "Bearer " + key_.reveal());
    }
    return r;
  }

  Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const override {
    Snapshot s;
    s.kind = "models";
    s.polled = now;
    s.page = Page();
    if (answers.empty()) {
      s.why = "no answer";
      return s;
    }
    const net::Response& a = answers[0];
    if (a.error != net::TransferError::kNone) {
      s.why = Redact(fmt::format("cannot read the model list: {}", a.error_message), key_);
      return s;
    }
    if (a.http_status != 200) {
      s.why = Redact(fmt::format("model list answered HTTP {}{}", a.http_status, ErrorText(a.body)),
                     key_);
      return s;
    }
    Json body = Json::parse(a.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
      s.why = "model list is not JSON (an error page?)";
      return s;
    }
    const Json* list = Member(body, provider_ == Provider::kGemini ? "models" : "data");
    if (list == nullptr || !list->is_array()) {
      s.why = fmt::format("model list has no \"{}\" array",
                          provider_ == Provider::kGemini ? "models" : "data");
      return s;
    }
    std::vector<Entry> entries = Entries(*list);
    bool more_pages = !Text(Member(body, "nextPageToken")).empty();
    // Further pages (Gemini): each must read as the first did.
    for (size_t i = 1; i < answers.size(); ++i) {
      const net::Response& page = answers[i];
      Json more = Json::parse(page.body, nullptr, /*allow_exceptions=*/false);
      const Json* items = more.is_discarded() ? nullptr : Member(more, "models");
      if (page.error != net::TransferError::kNone || page.http_status != 200 || items == nullptr ||
          !items->is_array()) {
        s.why = Redact(
            fmt::format("cannot read page {} of the model list: {}", i + 1,
                        page.error != net::TransferError::kNone
                            ? page.error_message
                            : fmt::format("HTTP {}{}", page.http_status, ErrorText(page.body))),
            key_);
        return s;
      }
      std::vector<Entry> got = Entries(*items);
      entries.insert(entries.end(), std::make_move_iterator(got.begin()),
                     std::make_move_iterator(got.end()));
      more_pages = !Text(Member(more, "nextPageToken")).empty();
    }
    int listed = 0;
    std::vector<std::string> missing;
    for (const std::string& want : models_) {
      ModelListing m;
      m.model = want;
      auto it = std::find_if(entries.begin(), entries.end(),
                             [&](const Entry& e) { return Bare(e.id) == Bare(want); });
      if (it != entries.end()) {
        m.listed = true;
        m.shutdown = it->shutdown;
        m.pricing = it->pricing;
        ++listed;
      } else {
        missing.push_back(want);
      }
      s.models.push_back(std::move(m));
    }
    if (more_pages && !missing.empty()) {
      // Not on the first page is not "gone": the rest was not read.
      s.models.clear();
      s.why = fmt::format(
          "the model list has more pages than the {} read ({} models) and {} is not on them; "
          "the rest was not read",
          answers.size(), entries.size(), missing.front());
      return s;
    }
    s.health = Health::kOperational;
    s.why = fmt::format("{} of {} watched models listed ({} in the list)", listed, models_.size(),
                        entries.size());
    if (!missing.empty()) {
      s.why += "; not listed: " + fmt::format("{}", fmt::join(missing, ", "));
    }
    return s;
  }

 private:
  std::vector<Entry> Entries(const Json& list) const {
    std::vector<Entry> out;
    out.reserve(list.size());
    for (const Json& item : list) {
      Entry e;
      switch (provider_) {
        case Provider::kOpenAi:
          e.id = Text(Member(item, "id"));
          e.shutdown = ParseDate(Member(item, "shutdown_date"));
          break;
        case Provider::kGemini:
          e.id = Text(Member(item, "name"));
          break;
        case Provider::kOpenRouter:
          e.id = Text(Member(item, "id"));
          e.shutdown = ParseDate(Member(item, "expiration_date"));
          e.pricing = Pricing(Member(item, "pricing"));
          break;
      }
      if (!e.id.empty()) {
        out.push_back(std::move(e));
      }
    }
    return out;
  }

  // The provider's own message, when the error body has one.
  static std::string ErrorText(const std::string& body) {
    Json j = Json::parse(body, nullptr, false);
    const Json* err = j.is_discarded() ? nullptr : Member(j, "error");
    std::string msg = err == nullptr ? "" : Text(Member(*err, "message"));
    if (msg.size() > 200) {
      msg.resize(200);
    }
    return msg.empty() ? "" : ": " + msg;
  }

  std::string Page() const {
    switch (provider_) {
      case Provider::kOpenAi:
        return "https://platform.openai.com/docs/deprecations";
      case Provider::kGemini:
        return "https://ai.google.dev/gemini-api/docs/deprecations";
      case Provider::kOpenRouter:
        return "https://openrouter.ai/models";
    }
    return "";
  }

  const Provider provider_;
  const std::string url_;
  const Secret key_;
  const std::vector<std::string> models_;
};

}  // namespace

Result<SourcePtr> MakeModelsSource(std::string_view provider, std::string base_url, Secret key,
                                   std::vector<std::string> models) {
  Provider p;
  // Base URLs as the probe kinds and provider entries write them.
  std::string_view fallback, prefix, path = "/models";
  if (provider == "openai") {
    p = Provider::kOpenAi;
    // With or without /v1, as the openai_images kind takes it.
    fallback = "https://api.openai.com";
    prefix = "/v1";
  } else if (provider == "gemini") {
    p = Provider::kGemini;
    fallback = "https://generativelanguage.googleapis.com";
    prefix = "/v1beta";
    path = "/models?pageSize=1000";
  } else if (provider == "openrouter") {
    p = Provider::kOpenRouter;
    fallback = "https://openrouter.ai";
    prefix = "/api/v1";
  } else {
    return Status::InvalidArgument(
        fmt::format("provider: \"{}\" is not one of openai, gemini, openrouter", provider));
  }
  if (models.empty()) {
    return Status::InvalidArgument("models: list at least one model to watch");
  }
  if (key.empty() && p != Provider::kOpenRouter) {
    return Status::InvalidArgument(fmt::format(
        "api_key: the {} model list needs a key (api_key, or a provider entry's)", provider));
  }
  std::string base = base_url.empty() ? std::string(fallback) : std::move(base_url);
  if (!base.starts_with("https://") && !base.starts_with("http://")) {
    return Status::InvalidArgument("base_url: must start with http:// or https://");
  }
  while (base.ends_with('/')) {
    base.pop_back();
  }
  if (!prefix.empty() && base.ends_with(prefix)) {
    base.resize(base.size() - prefix.size());
  }
  std::string url = fmt::format("{}{}{}", base, prefix, path);
  return SourcePtr(
      std::make_unique<ModelsSource>(p, std::move(url), std::move(key), std::move(models)));
}

Result<SourcePtr> MakeModelsSource(const config::StatusSource& entry) {
  return MakeModelsSource(entry.provider, entry.base_url, entry.api_key, entry.models);
}

}  // namespace modelwatch::source
