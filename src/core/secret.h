#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace modelwatch {

// A value that must never reach a log, the database, a page or an error
// message. It formats as "***"; reveal() is called only where a header or a
// signature is built.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// Replaces every occurrence of each secret of 4+ characters in `text` with
// "***", and every run of 8 or more characters taken from one (a key echoed
// in part). For a URL secret only its path and query count as fragments:
// the scheme and host are public.
std::string Redact(std::string text, std::initializer_list<const Secret*> secrets);
std::string Redact(std::string text, const Secret& secret);

}  // namespace modelwatch

template <>
struct fmt::formatter<modelwatch::Secret> : fmt::formatter<std::string_view> {
  auto format(const modelwatch::Secret&, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format("***", ctx);
  }
};
