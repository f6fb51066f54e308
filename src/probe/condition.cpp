#include "probe/condition.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/duration.h"
#include "core/text.h"

namespace modelwatch::probe {
namespace {

// A literal value: number, quoted string, true, false or null.
std::optional<Json> ParseLiteral(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return Json(std::string(s.substr(1, s.size() - 2)));
  }
  if (s == "true" || s == "false") {
    return Json(s == "true");
  }
  if (s == "null") {
    return Json(nullptr);
  }
  std::string num(s);
  char* end = nullptr;
  double v = std::strtod(num.c_str(), &end);
  if (num.empty() || end != num.c_str() + num.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return Json(v);
}

// How a seen value reads in a failure message; long values are cut.
std::string Show(const Json& v) {
  std::string s = DumpJson(v);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

}  // namespace

Result<Condition> Condition::Parse(std::string_view text) {
  Condition c;
  c.text_ = std::string(TrimSpace(text));
  std::string_view s = c.text_;
  // The subject runs to the first space or operator character outside a
  // quoted path key.
  size_t i = 0;
  char quote = 0;
  for (; i < s.size(); ++i) {
    char ch = s[i];
    if (quote != 0) {
      quote = ch == quote ? 0 : quote;
    } else if (ch == '"' || ch == '\'') {
      quote = ch;
    } else if (std::isspace(static_cast<unsigned char>(ch)) || ch == '=' || ch == '!' ||
               ch == '<' || ch == '>') {
      break;
    }
  }
  c.subject_text_ = std::string(s.substr(0, i));
  std::string_view rest = TrimSpace(s.substr(i));
  if (c.subject_text_ == "status") {
    c.subject_ = Subject::kStatus;
  } else if (c.subject_text_ == "latency") {
    c.subject_ = Subject::kLatency;
  } else if (c.subject_text_.starts_with("body")) {
    c.subject_ = Subject::kBody;
    Result<JsonPath> path = JsonPath::Parse(std::string_view(c.subject_text_).substr(4));
    if (!path.has_value()) {
      return path.error();
    }
    c.path_ = *path;
  } else {
    return Status::InvalidArgument(fmt::format(
        "unknown subject \"{}\" (use status, latency or body.<path>)", c.subject_text_));
  }

  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"==", Op::kEq}, {"!=", Op::kNe}, {"<=", Op::kLe},        {">=", Op::kGe},
      {"<", Op::kLt},  {">", Op::kGt},  {"exists", Op::kExists}};
  bool found = false;
  for (auto [word, op] : kOps) {
    if (rest.starts_with(word)) {
      c.op_ = op;
      rest = TrimSpace(rest.substr(word.size()));
      found = true;
      break;
    }
  }
  if (!found) {
    return Status::InvalidArgument(
        fmt::format("expected an operator (== != < <= > >= exists) after \"{}\"", c.subject_text_));
  }
  if (c.op_ == Op::kExists) {
    if (c.subject_ != Subject::kBody) {
      return Status::InvalidArgument("`exists` applies only to body paths");
    }
    if (!rest.empty()) {
      return Status::InvalidArgument(fmt::format("unexpected \"{}\" after exists", rest));
    }
    return c;
  }
  if (rest.empty()) {
    return Status::InvalidArgument("missing a value to compare with");
  }
  bool ordering = c.op_ != Op::kEq && c.op_ != Op::kNe;
  switch (c.subject_) {
    case Subject::kLatency: {
      Result<std::chrono::milliseconds> d = ParseDuration(rest);
      if (!d.has_value()) {
        return d.error();
      }
      c.latency_ = *d;
      break;
    }
    case Subject::kStatus: {
      std::optional<Json> v = ParseLiteral(rest);
      if (!v || !v->is_number()) {
        return Status::InvalidArgument(fmt::format("status needs a number, not \"{}\"", rest));
      }
      c.expected_ = *v;
      break;
    }
    case Subject::kBody: {
      std::optional<Json> v = ParseLiteral(rest);
      if (!v) {
        return Status::InvalidArgument(fmt::format(
            "bad value \"{}\" (use a number, a \"quoted string\", true, false or null)", rest));
      }
      if (ordering && !v->is_number()) {
        return Status::InvalidArgument(fmt::format("< <= > >= need a number, not {}", rest));
      }
      c.expected_ = *v;
      break;
    }
  }
  return c;
}

bool Condition::Holds(double actual) const {
  double want = subject_ == Subject::kLatency ? static_cast<double>(latency_.count())
                                              : expected_.get<double>();
  switch (op_) {
    case Op::kEq:
      return actual == want;
    case Op::kNe:
      return actual != want;
    case Op::kLt:
      return actual < want;
    case Op::kLe:
      return actual <= want;
    case Op::kGt:
      return actual > want;
    case Op::kGe:
      return actual >= want;
    case Op::kExists:
      return true;
  }
  return false;
}

std::optional<std::string> Condition::Check(const ConditionInput& in) const {
  switch (subject_) {
    case Subject::kStatus:
      if (Holds(in.http_status)) {
        return std::nullopt;
      }
      return fmt::format("status is {}", in.http_status);
    case Subject::kLatency:
      if (Holds(static_cast<double>(in.latency.count()))) {
        return std::nullopt;
      }
      return fmt::format("latency is {}", FormatDuration(in.latency));
    case Subject::kBody:
      break;
  }
  if (in.body == nullptr) {
    return std::string("body is not JSON");
  }
  const Json* v = path_.Find(*in.body);
  if (v == nullptr) {
    return fmt::format("{} is missing", subject_text_);
  }
  if (op_ == Op::kExists) {
    return std::nullopt;
  }
  bool holds;
  if (expected_.is_number()) {
    if (!v->is_number() && op_ != Op::kEq && op_ != Op::kNe) {
      return fmt::format("{} is {}, not a number", subject_text_, Show(*v));
    }
    // 3 and 3.0 are equal: compare numbers as numbers, whatever their JSON type.
    holds = v->is_number() ? Holds(v->get<double>()) : op_ == Op::kNe;
  } else {
    holds = (*v == expected_) == (op_ == Op::kEq);
  }
  if (holds) {
    return std::nullopt;
  }
  return fmt::format("{} is {}", subject_text_, Show(*v));
}

}  // namespace modelwatch::probe
