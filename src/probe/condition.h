#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "probe/json_body.h"
#include "probe/json_path.h"

namespace modelwatch::probe {

// What a condition is checked against: one HTTP answer.
struct ConditionInput {
  int http_status = 0;
  std::chrono::milliseconds latency{0};
  const Json* body = nullptr;  // null when the body is not JSON; borrowed
};

// One condition of an `http` monitor, parsed once when the probe is made:
//   status == 200          status < 500          latency < 2s
//   body.status == "ok"    body.count > 3        body.data[0].id exists
// Subjects: status, latency (a duration, core/duration.h), body<path>.
// Operators: == != < <= > >= and `exists` (body paths only). Values: numbers,
// "strings" or 'strings', true, false, null; ordering needs a number.
class Condition {
 public:
  // The error names no condition; the caller adds which one and where.
  static Result<Condition> Parse(std::string_view text);

  // nullopt when the condition holds; otherwise what was seen instead, e.g.
  // "status is 503", "body.count is missing", "body is not JSON".
  std::optional<std::string> Check(const ConditionInput& in) const;

  const std::string& text() const { return text_; }
  // True when Check needs ConditionInput::body; lets the probe skip parsing.
  bool reads_body() const { return subject_ == Subject::kBody; }

 private:
  enum class Subject { kStatus, kLatency, kBody };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kExists };

  bool Holds(double actual) const;

  std::string text_;
  Subject subject_ = Subject::kStatus;
  std::string subject_text_;  // "body.data[0].id" as written, for messages
  JsonPath path_;
  Op op_ = Op::kEq;
  Json expected_;  // status and body: a number, string, bool or null
  std::chrono::milliseconds latency_{0};
};

}  // namespace modelwatch::probe
