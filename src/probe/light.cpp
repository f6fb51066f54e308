#include "probe/light.h"

#include <algorithm>

#include "probe/monitor_request.h"

namespace modelwatch::probe {
namespace {

constexpr size_t kLightBodyBytes = 1024 * 1024;

}  // namespace

net::Request LightRequest(const config::Monitor& m, std::string url,
                          std::vector<std::pair<std::string, std::string>> headers) {
  net::Request r = MonitorRequest(m, "GET", std::move(url));
  for (auto& [name, value] : headers) {
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  r.headers.emplace_back("Accept", "application/json");
  r.max_body_bytes = std::min(r.max_body_bytes, kLightBodyBytes);
  return r;
}

Verdict InterpretCreditsAnswer(const net::Response& response, Secrets secrets) {
  Verdict v = InterpretLightAnswer(response, secrets, [](const Json& body) -> std::string {
    const Json* credits = Member(&body, "credits");
    return credits != nullptr && credits->is_number() ? "" : "no numeric credits in the balance";
  });
  if (v.status == CheckStatus::kSuccess) {
    auto body = ParseJson(response.body);
    const Json* credits = body ? Member(&*body, "credits") : nullptr;
    if (credits != nullptr && credits->get<double>() <= 0) {
      v.status = CheckStatus::kQuotaExhausted;
      v.error = "light check: the account has no credits left";
    }
  }
  return v;
}

void MarkLight(Verdict& v) {
  if (!v.error.empty()) {
    v.error = "light check: " + v.error;
  }
}

Verdict InterpretLightAnswer(const net::Response& response, Secrets secrets,
                             const std::function<std::string(const Json&)>& expect) {
  auto answer = ReadAnswer(response, secrets);
  Verdict v;
  if (auto* decided = std::get_if<Verdict>(&answer)) {
    v = std::move(*decided);
  } else if (std::string why = expect(std::get<Json>(answer)); !why.empty()) {
    v = InvalidResponse(why, secrets);
  }
  v.usage.reset();  // metadata calls are not billed
  MarkLight(v);
  return v;
}

}  // namespace modelwatch::probe
