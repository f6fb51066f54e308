#include "cli/validate_conditions.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <tuple>

#include "config/diagnostics.h"
#include "config/suggest.h"
#include "probe/condition.h"

namespace modelwatch::cli {
namespace {

constexpr std::array<std::string_view, 7> kOperators = {"==", "!=", "<", "<=", ">", ">=", "exists"};

// " (did you mean "exists"?)" when the word after the subject is a near miss
// of an operator ("exist", "exits").
std::string OperatorHint(std::string_view text) {
  size_t start = text.find_first_not_of(' ');
  size_t gap = start == std::string_view::npos ? start : text.find(' ', start);
  if (gap == std::string_view::npos) {
    return "";
  }
  size_t word = text.find_first_not_of(' ', gap);
  if (word == std::string_view::npos) {
    return "";
  }
  std::string_view w = text.substr(word, text.find(' ', word) - word);
  if (std::find(kOperators.begin(), kOperators.end(), w) != kOperators.end()) {
    return "";
  }
  return config::DidYouMean(w, kOperators);
}

void Check(const config::Node& n, const std::string& where, config::Diagnostics& diag) {
  if (!n.IsScalar() || n.value.find("${") != std::string::npos) {
    return;  // not a condition the load accepts, or one it interpolates: the load says
  }
  Result<probe::Condition> parsed = probe::Condition::Parse(n.value);
  if (!parsed.has_value()) {
    diag.Add(n.mark, fmt::format("{} \"{}\": {}{}", where, n.value, parsed.error().message(),
                                 OperatorHint(n.value)));
  }
}

}  // namespace

std::vector<std::string> ConditionProblems(const config::Node& root) {
  config::Diagnostics diag;
  const config::Node* monitors = root.Find("monitors");
  if (monitors == nullptr || !monitors->IsSequence()) {
    return {};
  }
  for (size_t i = 0; i < monitors->items.size(); ++i) {
    const config::Node& m = monitors->items[i];
    const config::Node* kind = m.Find("kind");
    if (kind == nullptr || kind->value != "http") {
      continue;
    }
    const config::Node* name = m.Find("name");
    std::string prefix = fmt::format("monitors[{}]", i);
    if (name != nullptr && name->IsScalar()) {
      prefix += fmt::format(" \"{}\"", name->value);
    }
    if (const config::Node* conds = m.Find("conditions"); conds != nullptr && conds->IsSequence()) {
      for (size_t j = 0; j < conds->items.size(); ++j) {
        Check(conds->items[j], fmt::format("{}: conditions[{}]", prefix, j), diag);
      }
    }
    if (const config::Node* poll = m.Find("poll"); poll != nullptr) {
      if (const config::Node* until = poll->Find("until")) {
        Check(*until, prefix + ": poll: until", diag);
      }
    }
  }
  return diag.Lines();
}

std::vector<std::string> InFileOrder(std::vector<std::string> lines) {
  // "FILE:LINE:COL: ..." -> (LINE, COL); a line without that form sorts last.
  auto place = [](const std::string& l) -> std::pair<long, long> {
    size_t sep = l.find(": ");
    if (sep == std::string::npos) {
      return {LONG_MAX, LONG_MAX};
    }
    std::string head = l.substr(0, sep);
    size_t c2 = head.rfind(':');
    size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : head.rfind(':', c2 - 1);
    if (c1 == std::string::npos) {
      return {LONG_MAX, LONG_MAX};
    }
    char* end = nullptr;
    long line = std::strtol(head.c_str() + c1 + 1, &end, 10);
    if (end != head.c_str() + c2) {
      return {LONG_MAX, LONG_MAX};
    }
    long col = std::strtol(head.c_str() + c2 + 1, &end, 10);
    if (*end != '\0') {
      return {LONG_MAX, LONG_MAX};
    }
    return {line, col};
  };
  std::stable_sort(lines.begin(), lines.end(),
                   [&](const std::string& a, const std::string& b) { return place(a) < place(b); });
  return lines;
}

}  // namespace modelwatch::cli
