#include "config/prices.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "config/fields.h"
#include "config/yaml_edge.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 9> kKeys = {
    "currency",  "usd_per_unit", "input_per_mtok", "output_per_mtok", "image_output_per_mtok",
    "per_image", "per_image_by", "date",           "source"};

bool IsCurrencyCode(std::string_view c) {
  return c.size() == 3 &&
         std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

// A price written in another currency is converted to USD with its entry's
// usd_per_unit, once, here: everything after works in USD.
void ConvertToUsd(Price& p, double rate) {
  for (std::optional<double>* slot :
       {&p.input_per_mtok, &p.output_per_mtok, &p.image_output_per_mtok, &p.per_image}) {
    if (*slot) {
      **slot *= rate;
    }
  }
  for (auto& [shape, v] : p.per_image_by) {
    v *= rate;
  }
  p.source += fmt::format("{}converted from {} at {} USD per {}", p.source.empty() ? "" : "; ",
                          p.currency, rate, p.currency);
}

constexpr double kMaxPrice = 1e6;

Price ParseOne(const Scope& parent, const Node& entry) {
  Price p;
  p.model = entry.key;
  p.mark = entry.key_mark;
  Scope scope = parent.Child(fmt::format("\"{}\"", entry.key));
  if (entry.IsNull() || !entry.IsMap()) {
    if (!entry.interpolation_failed) {
      scope.Error(entry.mark, fmt::format("must be a map of unit prices (per_image, "
                                          "image_output_per_mtok, ...), not {}",
                                          Describe(entry.type)));
    }
    return p;
  }
  CheckKeys(scope, entry, kKeys);
  const Node* rate_node = entry.Find("usd_per_unit");
  double rate = 0;  // 0: none (a plain double: GCC 12 misreads an optional here)
  if (rate_node != nullptr) {
    rate = ReadNumber(scope, *rate_node, 1e-6, 1e6, false).value_or(0);
  }
  if (const Node* n = entry.Find("currency")) {
    if (auto c = ReadString(scope, *n)) {
      if (!IsCurrencyCode(*c)) {
        scope.Child("currency")
            .Error(n->mark, fmt::format("\"{}\" is not a currency code such as USD or EUR", *c));
      } else if (*c != "USD" && rate_node == nullptr) {
        scope.Child("currency")
            .Error(n->mark,
                   fmt::format("\"{}\": costs are kept in USD, so a {} price needs its rate: "
                               "add usd_per_unit (USD for one {}, e.g. usd_per_unit: 1.16) or "
                               "write the price in USD",
                               *c, *c, *c));
      } else {
        p.currency = *c;
      }
    }
  }
  if (rate_node != nullptr && p.currency == "USD") {
    scope.Child("usd_per_unit")
        .Error(rate_node->key_mark, "applies only to a price in another currency (currency: EUR)");
    rate = 0;
  }
  auto number = [&](std::string_view key, std::optional<double>& slot) {
    if (const Node* n = entry.Find(key)) {
      if (auto v = ReadNumber(scope, *n, 0, kMaxPrice, false)) {
        slot = *v;
      }
    }
  };
  number("input_per_mtok", p.input_per_mtok);
  number("output_per_mtok", p.output_per_mtok);
  number("image_output_per_mtok", p.image_output_per_mtok);
  number("per_image", p.per_image);
  if (const Node* n = entry.Find("per_image_by"); n != nullptr && ExpectMap(scope, *n)) {
    Scope by = scope.Child("per_image_by");
    CheckRepeatedKeys(by, *n);
    for (const Node& shape : n->items) {
      if (auto v = ReadNumber(by, shape, 0, kMaxPrice, false)) {
        p.per_image_by[shape.key] = *v;
      }
    }
  }
  for (auto [key, slot] : {std::pair{"date", &p.date}, std::pair{"source", &p.source}}) {
    if (const Node* n = entry.Find(key)) {
      if (auto v = ReadString(scope, *n)) {
        *slot = *v;
      }
    }
  }
  // Written but unreadable prices are reported already.
  bool priced = false;
  for (std::string_view key : {"input_per_mtok", "output_per_mtok", "image_output_per_mtok",
                               "per_image", "per_image_by"}) {
    priced = priced || entry.Find(key) != nullptr;
  }
  if (!priced) {
    scope.Error(entry.mark, "has no price (set per_image, per_image_by or the per-token prices)");
  }
  if (rate > 0 && p.currency != "USD") {
    ConvertToUsd(p, rate);
  }
  return p;
}

PriceTable ParseBuiltin() {
  PriceTable table;
  Result<Node> root = ParseYaml(BuiltinPricesYaml(), "data/prices.yaml");
  if (!root) {
    // A broken built-in table is a bug of this build, not a user error.
    std::fprintf(stderr, "modelwatch: data/prices.yaml: %s\n", root.error().message().c_str());
    std::abort();
  }
  Diagnostics diag;
  Scope top(diag, "");
  if (const Node* n = root->Find("prices")) {
    ParsePrices(top, *n, table);
  }
  if (!diag.empty()) {
    std::fprintf(stderr, "modelwatch: %s\n", diag.ToString().c_str());
    std::abort();
  }
  return table;
}

std::string_view WithoutPrefix(std::string_view model) {
  size_t slash = model.rfind('/');
  return slash == std::string_view::npos ? model : model.substr(slash + 1);
}

}  // namespace

const Price* PriceTable::Find(std::string_view model) const {
  auto exact = [&](std::string_view m) -> const Price* {
    auto it = std::lower_bound(entries.begin(), entries.end(), m,
                               [](const Price& p, std::string_view k) { return p.model < k; });
    return it != entries.end() && it->model == m ? &*it : nullptr;
  };
  if (const Price* p = exact(model)) {
    return p;
  }
  std::string_view m = model;
  if (m.starts_with("models/")) {
    m.remove_prefix(7);
    if (const Price* p = exact(m)) {
      return p;
    }
  }
  return exact(WithoutPrefix(m));
}

void PriceTable::Put(Price p) {
  auto it = std::lower_bound(entries.begin(), entries.end(), p.model,
                             [](const Price& e, const std::string& k) { return e.model < k; });
  if (it != entries.end() && it->model == p.model) {
    *it = std::move(p);
  } else {
    entries.insert(it, std::move(p));
  }
}

const PriceTable& BuiltinPrices() {
  static const PriceTable table = ParseBuiltin();
  return table;
}

void ParsePrices(const Scope& parent, const Node& entry, PriceTable& table) {
  if (entry.IsNull()) {
    return;
  }
  if (!ExpectMap(parent, entry)) {
    return;
  }
  Scope scope = parent.Child(entry.key);
  CheckRepeatedKeys(scope, entry);
  // An entry replaces the built-in one of the same model as a whole, so
  // what it says is all that is charged.
  for (const Node& model : entry.items) {
    Price p = ParseOne(scope, model);
    if (p.source.empty()) {
      p.source = "config";
    }
    table.Put(std::move(p));
  }
}

}  // namespace modelwatch::config
