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

constexpr std::array<std::string_view, 8> kKeys = {
    "currency",     "input_per_mtok", "output_per_mtok", "image_output_per_mtok", "per_image",
    "per_image_by", "date",           "source"};

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
  if (const Node* n = entry.Find("currency")) {
    if (auto c = ReadString(scope, *n)) {
      if (*c != "USD") {
        scope.Child("currency").Error(n->mark, fmt::format("\"{}\": only USD is supported", *c));
      }
      p.currency = "USD";
    }
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
