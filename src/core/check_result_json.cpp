#include "core/check_result_json.h"

#include <cmath>

namespace modelwatch {
namespace {

double Ms(std::chrono::microseconds us) { return std::round(us.count() / 10.0) / 100.0; }

}  // namespace

nlohmann::ordered_json ToJson(const CheckResult& r) {
  nlohmann::ordered_json j;
  j["monitor"] = r.monitor;
  j["status"] = ToString(r.status);
  j["latency_ms"] = r.latency.count();
  j["http_status"] = r.http_status;
  j["error"] = r.error;
  j["retry_after_s"] =
      r.retry_after ? nlohmann::ordered_json(r.retry_after->count()) : nlohmann::ordered_json();
  j["phases"] = {{"dns_ms", Ms(r.phases.dns)},
                 {"connect_ms", Ms(r.phases.connect)},
                 {"tls_ms", Ms(r.phases.tls)},
                 {"first_byte_ms", Ms(r.phases.first_byte)},
                 {"total_ms", Ms(r.phases.total)}};
  if (r.image) {
    j["image"] = {{"format", ToString(r.image->format)},
                  {"width", r.image->width},
                  {"height", r.image->height},
                  {"bytes", r.image->bytes}};
  } else {
    j["image"] = nullptr;
  }
  if (r.async) {
    j["async"] = {{"accept_ms", r.async->accept.count()},
                  {"queue_ms", r.async->queue.count()},
                  {"fetch_ms", r.async->fetch.count()},
                  {"polls", r.async->polls}};
  }
  j["cost_usd"] = r.cost ? nlohmann::json(*r.cost) : nlohmann::json(nullptr);
  j["check"] = ToString(r.mode);
  j["timestamp"] = FormatIso8601(r.timestamp);
  return j;
}

std::string ToJsonLine(const CheckResult& r) {
  // Provider messages may hold invalid UTF-8; replace rather than throw.
  return ToJson(r).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace modelwatch
