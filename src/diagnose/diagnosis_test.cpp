#include "diagnose/diagnosis.h"

#include <gtest/gtest.h>

namespace modelwatch::diagnose {
namespace {

using namespace std::chrono_literals;
using source::Health;

// 2026-12-01T10:00:00Z
WallTime Now() { return FromUnixMillis(1'796'119'200'000); }

source::Snapshot Official(Health h, std::string name = "gcp-vertex") {
  source::Snapshot s;
  s.source = std::move(name);
  s.kind = "google_cloud_status";
  s.health = h;
  return s;
}

source::Snapshot WithIncident(bool ended = false, bool maintenance = false) {
  source::Snapshot s = Official(Health::kOutage);
  source::Incident i;
  i.id = "abc";
  i.title = "Vertex Gemini API elevated error rates";
  i.severity = "high";
  i.status = "SERVICE_OUTAGE";
  i.link = "https://status.cloud.google.com/incidents/abc";
  i.started = Now() - 25min;
  if (ended) {
    i.ended = Now() - 1min;
  }
  i.maintenance = maintenance;
  s.incidents.push_back(i);
  return s;
}

source::Snapshot OpenRouter(std::vector<std::optional<double>> uptimes,
                            Health h = Health::kOperational) {
  source::Snapshot s;
  s.source = "openrouter-nbp";
  s.kind = "openrouter";
  s.health = h;
  int n = 0;
  for (auto u : uptimes) {
    source::Endpoint e;
    e.provider = "Provider " + std::to_string(++n);
    e.uptime_30m = u;
    s.endpoints.push_back(e);
  }
  return s;
}

source::Snapshot ModelList(std::string model, bool listed) {
  source::Snapshot s;
  s.source = "openai-models";
  s.kind = "models";
  s.health = Health::kOperational;
  s.models.push_back({std::move(model), listed, std::nullopt, ""});
  return s;
}

Failure Fail(CheckStatus s, std::string phase = "") {
  Failure f;
  f.model = "gpt-image-1";
  f.status = s;
  f.phase = std::move(phase);
  f.error = "provider said no";
  return f;
}

struct Case {
  std::string name;
  Failure failure;
  std::vector<source::Snapshot> snapshots;
  Verdict want;
  std::string headline_has;
  std::string advice_has;
  std::string evidence_has;  // in some evidence line; empty: not checked
};

std::vector<Case> Cases() {
  return {
      {"active_incident_confirms",
       Fail(CheckStatus::kServerError),
       {WithIncident()},
       Verdict::kProviderIncident,
       "Provider incident confirmed: Vertex Gemini API elevated error rates (high, since "
       "2026-12-01 09:35 UTC, gcp-vertex) https://status.cloud.google.com/incidents/abc",
       "Wait for the provider to recover and tell your users",
       "25 min ago"},
      {"incident_wins_over_your_side_status",
       Fail(CheckStatus::kAuthError),
       {WithIncident()},
       Verdict::kProviderIncident,
       "Provider incident confirmed",
       "Wait",
       "auth_error"},
      {"official_outage_without_incident",
       Fail(CheckStatus::kTimeout),
       {Official(Health::kOutage)},
       Verdict::kProviderIncident,
       "Provider incident confirmed: gcp-vertex shows outage",
       "Wait",
       ""},
      {"resolved_incident_does_not_confirm",
       Fail(CheckStatus::kAuthError),
       {[] {
         auto s = WithIncident(true);
         s.health = Health::kOperational;
         return s;
       }()},
       Verdict::kYourSide,
       "check your side",
       "API key",
       ""},
      {"openrouter_degraded_everywhere",
       Fail(CheckStatus::kServerError),
       {Official(Health::kOperational), OpenRouter({80.0, 91.5})},
       Verdict::kLikelyProviderWide,
       "Likely provider-wide, not yet acknowledged officially",
       "support",
       "Provider 1 uptime 5m n/a / 30m 80.0%"},
      {"openrouter_one_provider_healthy_is_not_provider_wide",
       Fail(CheckStatus::kServerError),
       {Official(Health::kOperational), OpenRouter({80.0, 99.9})},
       Verdict::kUndetermined,
       "Undetermined",
       "Contact the provider's support",
       ""},
      {"openrouter_says_degraded_itself",
       Fail(CheckStatus::kServerError),
       {OpenRouter({}, Health::kDegraded)},
       Verdict::kLikelyProviderWide,
       "Likely provider-wide",
       "",
       "no provider serves the model"},
      {"openrouter_note_on_rate_limits",
       Fail(CheckStatus::kServerError),
       {OpenRouter({50.0})},
       Verdict::kLikelyProviderWide,
       "",
       "",
       "excludes rate-limited requests"},
      {"normal_auth_error_is_the_key",
       Fail(CheckStatus::kAuthError),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "Official status is normal",
       "Check the API key",
       "gcp-vertex: operational"},
      {"normal_quota_is_billing",
       Fail(CheckStatus::kQuotaExhausted),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "check your side",
       "billing and quota",
       ""},
      {"normal_network_dns",
       Fail(CheckStatus::kNetworkError, "dns"),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "",
       "DNS lookup failed",
       "network_error in the dns phase"},
      {"normal_network_connect",
       Fail(CheckStatus::kNetworkError, "connect"),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "",
       "connection failed",
       ""},
      {"normal_network_tls",
       Fail(CheckStatus::kNetworkError, "tls"),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "",
       "TLS handshake failed",
       ""},
      {"normal_client_error_is_the_request",
       Fail(CheckStatus::kClientError),
       {Official(Health::kOperational)},
       Verdict::kYourSide,
       "",
       "request parameters",
       ""},
      {"normal_model_not_found_is_retired",
       Fail(CheckStatus::kModelNotFound),
       {Official(Health::kOperational), ModelList("gpt-image-1", false)},
       Verdict::kYourSide,
       "",
       "retired or renamed",
       "openai-models: gpt-image-1 is not in the model list"},
      {"normal_server_error_is_undetermined",
       Fail(CheckStatus::kServerError),
       {Official(Health::kOperational)},
       Verdict::kUndetermined,
       "official status is normal but the failure looks like the provider's",
       "support",
       ""},
      {"unknown_sources_are_undetermined",
       Fail(CheckStatus::kAuthError),
       {Official(Health::kUnknown)},
       Verdict::kUndetermined,
       "no status source could be read",
       "Contact the provider's support with the evidence below. Check the API key",
       "gcp-vertex: unknown"},
      {"no_sources_at_all",
       Fail(CheckStatus::kTimeout),
       {},
       Verdict::kUndetermined,
       "Undetermined",
       "support",
       "the monitor fails with timeout"},
      {"maintenance_only_confirms_too",
       Fail(CheckStatus::kServerError),
       {WithIncident(false, true)},
       Verdict::kProviderIncident,
       "Provider incident confirmed",
       "",
       "[scheduled maintenance]"},
  };
}

TEST(Diagnose, FollowsTheDecisionTree) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    Diagnosis d = Diagnose(c.failure, c.snapshots, Now());
    EXPECT_EQ(ToString(d.verdict), ToString(c.want));
    EXPECT_NE(d.headline.find(c.headline_has), std::string::npos) << d.headline;
    EXPECT_NE(d.advice.find(c.advice_has), std::string::npos) << d.advice;
    if (!c.evidence_has.empty()) {
      bool found = false;
      for (const std::string& e : d.evidence) {
        found = found || e.find(c.evidence_has) != std::string::npos;
      }
      EXPECT_TRUE(found) << OneLine(d);
    }
  }
}

TEST(Diagnose, SpeaksChinese) {
  Diagnosis d =
      Diagnose(Fail(CheckStatus::kModelNotFound), {Official(Health::kOperational)}, Now(), "zh");
  EXPECT_EQ(d.verdict, Verdict::kYourSide);
  EXPECT_NE(d.headline.find("官方状态正常"), std::string::npos) << d.headline;
  EXPECT_NE(d.advice.find("模型已下线或改名"), std::string::npos) << d.advice;
  Diagnosis i = Diagnose(Fail(CheckStatus::kServerError), {WithIncident()}, Now(), "zh");
  EXPECT_NE(i.headline.find("服务商故障已确认"), std::string::npos) << i.headline;
}

TEST(Diagnose, OneLineJoinsHeadlineAdviceAndEvidence) {
  Diagnosis d;
  d.headline = "H";
  d.advice = "A";
  d.evidence = {"e1", "e2"};
  EXPECT_EQ(OneLine(d), "H. A (e1; e2)");
  EXPECT_EQ(Lines(d), (std::vector<std::string>{"H", "  e1", "  e2", "Do: A"}));
}

}  // namespace
}  // namespace modelwatch::diagnose
