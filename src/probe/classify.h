#pragma once

#include <span>
#include <string_view>
#include <variant>

#include "core/check_status.h"
#include "core/secret.h"
#include "net/request.h"
#include "probe/json_body.h"
#include "probe/probe.h"
#include "probe/provider_error.h"

namespace modelwatch::probe {

// The secrets an error text must never show: the monitor's key and, for
// `http` monitors, its header values. Borrowed for the duration of a call.
using Secrets = std::span<const Secret* const>;

inline bool IsHttpSuccess(int http_status) { return http_status >= 200 && http_status < 300; }

// DESIGN.md's status table as one decision over the HTTP code and, when the
// body had one, the provider's error (may be null). Shared by every kind.
CheckStatus ClassifyHttpStatus(int http_status, const ProviderError* error);

// The verdict for a complete answer with a non-2xx status: the status from
// ClassifyHttpStatus over the parsed error body, the provider's message
// cleaned (CleanErrorText), and Retry-After.
Verdict ClassifyHttpError(const net::Response& response, Secrets secrets);

// The verdict for an error object inside a 2xx body (OpenRouter reports
// failures after generation started this way): error.code stands in for the
// HTTP status; without a usable code it is invalid_response.
Verdict ClassifyBodyError(const net::Response& response, const ProviderError& error,
                          Secrets secrets);

// A 2xx answer without a usable result: invalid_response with `why` cleaned.
Verdict InvalidResponse(std::string_view why, Secrets secrets);

// How every image kind starts reading an answer: a non-2xx status, a body
// that is not JSON, or a provider error inside a 2xx body each decide the
// check (the Verdict); otherwise the parsed body is the kind's to read.
std::variant<Json, Verdict> ReadAnswer(const net::Response& response, Secrets secrets);

}  // namespace modelwatch::probe
