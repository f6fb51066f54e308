#include "cost/estimate.h"

#include <fmt/format.h>

namespace modelwatch::cost {

std::string ShapeKey(const config::Monitor& m) {
  if (!m.quality.empty()) {
    return m.size.empty() ? m.quality : fmt::format("{} {}", m.quality, m.size);
  }
  return m.size;
}

namespace {

std::optional<double> PerImage(const config::Monitor& m) {
  if (!m.price) {
    return std::nullopt;
  }
  if (auto it = m.price->per_image_by.find(ShapeKey(m)); it != m.price->per_image_by.end()) {
    return it->second;
  }
  return m.price->per_image;
}

// Usage times token prices; nullopt when a non-zero count has no price.
std::optional<double> FromTokens(const config::Price& p, const Usage& u) {
  double total = 0;
  int64_t text_out = u.output_tokens - u.image_output_tokens;
  struct Term {
    int64_t tokens;
    const std::optional<double>& per_mtok;
  };
  for (const Term& t : {Term{u.input_tokens, p.input_per_mtok},
                        Term{text_out > 0 ? text_out : 0, p.output_per_mtok},
                        Term{u.image_output_tokens, p.image_output_per_mtok}}) {
    if (t.tokens == 0) {
      continue;
    }
    if (!t.per_mtok) {
      return std::nullopt;
    }
    total += static_cast<double>(t.tokens) * *t.per_mtok / 1e6;
  }
  return total;
}

}  // namespace

std::optional<double> PricePerCheck(const config::Monitor& m) {
  if (m.cost_per_call) {
    return m.cost_per_call;
  }
  return PerImage(m);
}

std::optional<double> AveragePerCheck(const config::Monitor& m) {
  std::optional<double> p = PricePerCheck(m);
  if (p && m.full_every > 1) {
    *p /= m.full_every;
  }
  return p;
}

std::optional<double> CostOfCheck(const config::Monitor& m, CheckStatus status,
                                  const Usage* usage) {
  bool billed = IsSuccess(status) || usage != nullptr;
  if (!billed) {
    return std::nullopt;
  }
  if (m.cost_per_call) {
    return m.cost_per_call;
  }
  if (usage != nullptr && usage->reported_cost) {
    return usage->reported_cost;
  }
  if (usage != nullptr && m.price) {
    if (auto c = FromTokens(*m.price, *usage)) {
      return c;
    }
  }
  if (!IsSuccess(status)) {
    return std::nullopt;  // a refusal whose tokens have no price: unknown, not a whole image
  }
  return PerImage(m);
}

std::string NoPrice(const config::Monitor& m) {
  if (m.kind == "http" || m.kind == "push") {
    return fmt::format("{} check: no price (set cost_per_call if it is billed)", m.kind);
  }
  return fmt::format("no price for {} (add it under prices: or set cost_per_call)",
                     m.model.empty() ? m.name : m.model);
}

}  // namespace modelwatch::cost
