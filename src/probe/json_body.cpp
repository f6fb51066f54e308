#include "probe/json_body.h"

namespace modelwatch::probe {

std::optional<Json> ParseJson(std::string_view text) {
  try {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return std::nullopt;
    }
    return j;
  } catch (...) {
    // allow_exceptions=false covers syntax errors; this is for allocation
    // failures on absurd inputs, which must not end the network thread.
    return std::nullopt;
  }
}

const Json* Member(const Json* j, std::string_view key) {
  if (j == nullptr || !j->is_object()) {
    return nullptr;
  }
  auto it = j->find(std::string(key));
  return it == j->end() ? nullptr : &*it;
}

const Json* Element(const Json* j, size_t index) {
  if (j == nullptr || !j->is_array() || index >= j->size()) {
    return nullptr;
  }
  return &(*j)[index];
}

std::string_view StringOf(const Json* j, std::string_view fallback) {
  if (j == nullptr || !j->is_string()) {
    return fallback;
  }
  return j->get_ref<const std::string&>();
}

std::string DumpJson(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace modelwatch::probe
