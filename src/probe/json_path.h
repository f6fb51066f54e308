#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "probe/json_body.h"

namespace modelwatch::probe {

// A path into a JSON body as written in an `http` condition:
// `body.data[0].id`, `body["odd key"].x`. Parsed once, evaluated per check.
class JsonPath {
 public:
  // Parses what follows "body" (may be empty: the whole body).
  static Result<JsonPath> Parse(std::string_view text);

  // The value at the path, or nullptr when any step is absent. Borrows from
  // `root`.
  const Json* Find(const Json& root) const;

 private:
  std::vector<std::variant<std::string, size_t>> steps_;
};

}  // namespace modelwatch::probe
