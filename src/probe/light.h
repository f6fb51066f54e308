#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/text.h"
#include "net/request.h"
#include "probe/classify.h"
#include "probe/json_body.h"
#include "probe/probe.h"

namespace modelwatch::probe {

// What the image kinds' free light checks share (Probe::BuildLightRequest,
// `full_every`, docs/cost.md).

// A GET of `url` carrying `headers` (the kind's auth), within the monitor's
// timeout, with a small body limit: a metadata answer is a few kilobytes.
net::Request LightRequest(const config::Monitor& m, std::string url,
                          std::vector<std::pair<std::string, std::string>> headers);

// Reads a light answer: a non-2xx status, a body that is not JSON or an
// error inside a 2xx body decide it as for a generation (ReadAnswer);
// otherwise `expect` looks at the parsed body and returns why it does not
// show what a light check proves (empty: success). "light check: " starts
// every error text, so a log reader never mistakes it for a generation's.
Verdict InterpretLightAnswer(const net::Response& response, Secrets secrets,
                             const std::function<std::string(const Json&)>& expect);

// A prepaid balance answer {"credits": N} (Stability's /v1/user/balance,
// BFL's /v1/credits), 2xx: success while credits are left; none left is
// quota_exhausted (the next generation would be refused with 402).
Verdict InterpretCreditsAnswer(const net::Response& response, Secrets secrets);

// Marks an error text as a light check's ("light check: ...").
void MarkLight(Verdict& v);

}  // namespace modelwatch::probe
