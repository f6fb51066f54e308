#include <array>

#include "config/config.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

struct TierInfo {
  Tier tier;
  std::string_view name;
  std::chrono::milliseconds interval;
};

using std::chrono::minutes;

constexpr std::array<TierInfo, 4> kTiers = {{
    {Tier::kCritical, "critical", minutes(1)},
    {Tier::kImportant, "important", minutes(5)},
    {Tier::kStandard, "standard", minutes(15)},
    {Tier::kTest, "test", minutes(30)},
}};

constexpr std::array<std::string_view, 4> kTierNames = {"critical", "important", "standard",
                                                        "test"};

}  // namespace

std::span<const std::string_view> TierNames() { return kTierNames; }

std::chrono::milliseconds TierInterval(Tier t) { return kTiers[static_cast<size_t>(t)].interval; }

std::string_view ToString(Tier t) { return kTiers[static_cast<size_t>(t)].name; }

std::optional<Tier> ParseTier(std::string_view s) {
  for (const TierInfo& info : kTiers) {
    if (info.name == s) {
      return info.tier;
    }
  }
  return std::nullopt;
}

}  // namespace modelwatch::config
