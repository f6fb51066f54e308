#include "probe/json_body.h"

#include <simdjson.h>

#include "net/request.h"

namespace modelwatch::probe {

namespace {

// Builds the nlohmann tree the kinds read from simdjson's DOM. Strings are
// copied whole (a memcpy), so a multi-megabyte base64 image costs little.
Json Convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Json arr = Json::array();
      for (simdjson::dom::element child : simdjson::dom::array(e)) {
        arr.push_back(Convert(child));
      }
      return arr;
    }
    case simdjson::dom::element_type::OBJECT: {
      Json obj = Json::object();
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(e)) {
        obj[std::string(field.key)] = Convert(field.value);
      }
      return obj;
    }
    case simdjson::dom::element_type::INT64:
      return Json(int64_t(e));
    case simdjson::dom::element_type::UINT64:
      return Json(uint64_t(e));
    case simdjson::dom::element_type::DOUBLE:
      return Json(double(e));
    case simdjson::dom::element_type::STRING:
      return Json(std::string(std::string_view(e)));
    case simdjson::dom::element_type::BOOL:
      return Json(bool(e));
    case simdjson::dom::element_type::NULL_VALUE:
      return Json(nullptr);
  }
  return Json(nullptr);
}

// nlohmann's lexer reads strings a character at a time, which made parsing a
// 20 KB base64 image the largest cost of a probe; simdjson validates and
// tokenizes with SIMD, and the kinds keep nlohmann's convenient tree.
std::optional<Json> Parse(const char* data, size_t size, bool padded) {
  // One parser per thread keeps its buffers between probes; probes run on
  // the network thread, tests on theirs.
  thread_local simdjson::dom::parser parser;
  try {
    simdjson::dom::element doc;
    if (parser.parse(data, size, /*realloc_if_needed=*/!padded).get(doc) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    return Convert(doc);
  } catch (...) {
    // Allocation failures on absurd inputs must not end the network thread.
    return std::nullopt;
  }
}

}  // namespace

std::optional<Json> ParseJson(std::string_view text) {
  return Parse(text.data(), text.size(), false);
}

static_assert(net::kBodyPadding >= simdjson::SIMDJSON_PADDING);

std::optional<Json> ParseJson(const std::string& text) {
  return Parse(text.data(), text.size(), text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING);
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
