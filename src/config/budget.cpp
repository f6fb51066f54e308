#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 3> kKeys = {"monthly", "currency", "action"};
constexpr std::array<std::string_view, 2> kActions = {"stretch", "warn"};

}  // namespace

Budget ParseBudget(const Scope& parent, const Node& entry) {
  Budget b;
  b.mark = entry.key_mark;
  if (!ExpectMap(parent, entry) || entry.IsNull()) {
    return b;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kKeys);
  if (const Node* n = entry.Find("monthly")) {
    b.monthly = ReadNumber(scope, *n, 0, 1e9, false);
  } else {
    scope.Error(entry.mark,
                "missing required key \"monthly\" (what monitoring may spend a month, "
                "e.g. monthly: 300)");
  }
  if (const Node* n = entry.Find("currency")) {
    if (auto c = ReadString(scope, *n); c && *c != "USD") {
      scope.Child("currency").Error(n->mark, fmt::format("\"{}\": only USD is supported", *c));
    }
  }
  if (const Node* n = entry.Find("action")) {
    if (auto a = ReadEnum(scope, *n, kActions)) {
      b.action = *a == "warn" ? BudgetAction::kWarn : BudgetAction::kStretch;
    }
  }
  return b;
}

}  // namespace modelwatch::config
