#include "probe/json_body.h"

#include <simdjson.h>

#include "net/request.h"

namespace modelwatch::probe {

namespace {

// Values one answer may have: real answers have hundreds; millions would
// cost the network thread seconds and gigabytes in the tree below.
constexpr size_t kMaxValues = 1'000'000;
// Documents up to this size use the thread's parser, which keeps its
// buffers (several times the document's size) between probes; a larger one
// gets a parser of its own, freed with it.
constexpr size_t kKeptParserBytes = 8 * 1024 * 1024;

// Builds the nlohmann tree the kinds read from simdjson's DOM. Strings are
// copied whole (a memcpy), so a multi-megabyte base64 image costs little.
// False once `budget` values are spent.
bool Convert(simdjson::dom::element e, Json& out, size_t& budget) {
  if (budget == 0) {
    return false;
  }
  --budget;
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      out = Json::array();
      for (simdjson::dom::element child : simdjson::dom::array(e)) {
        Json& slot = out.emplace_back();
        if (!Convert(child, slot, budget)) {
          return false;
        }
      }
      return true;
    }
    case simdjson::dom::element_type::OBJECT: {
      out = Json::object();
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(e)) {
        if (!Convert(field.value, out[std::string(field.key)], budget)) {
          return false;
        }
      }
      return true;
    }
    case simdjson::dom::element_type::INT64:
      out = int64_t(e);
      return true;
    case simdjson::dom::element_type::UINT64:
      out = uint64_t(e);
      return true;
    case simdjson::dom::element_type::DOUBLE:
      out = double(e);
      return true;
    case simdjson::dom::element_type::STRING:
      out = std::string(std::string_view(e));
      return true;
    case simdjson::dom::element_type::BOOL:
      out = bool(e);
      return true;
    case simdjson::dom::element_type::NULL_VALUE:
      out = nullptr;
      return true;
  }
  out = nullptr;
  return true;
}

// nlohmann's lexer reads strings a character at a time, which made parsing a
// 20 KB base64 image the largest cost of a probe; simdjson validates and
// tokenizes with SIMD, and the kinds keep nlohmann's convenient tree.
std::optional<Json> Parse(const char* data, size_t size, bool padded) {
  // One parser per thread keeps its buffers between probes; probes run on
  // the network thread, tests on theirs.
  thread_local simdjson::dom::parser kept;
  try {
    std::optional<simdjson::dom::parser> own;
    simdjson::dom::parser* parser = &kept;
    if (size > kKeptParserBytes) {
      parser = &own.emplace();
    }
    simdjson::dom::element doc;
    if (parser->parse(data, size, /*realloc_if_needed=*/!padded).get(doc) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    Json out;
    size_t budget = kMaxValues;
    if (!Convert(doc, out, budget)) {
      return std::nullopt;
    }
    return out;
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
  return Parse(text.data(), text.size(),
               text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING);
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
