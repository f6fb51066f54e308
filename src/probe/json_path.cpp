#include "probe/json_path.h"

#include <fmt/format.h>

#include <cctype>

namespace modelwatch::probe {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' ||
         c == '@';
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  JsonPath path;
  size_t i = 0;
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("bad body path at \"{}\": {}", text.substr(i), why));
  };
  while (i < text.size()) {
    if (text[i] == '.') {
      size_t start = ++i;
      while (i < text.size() && IsNameChar(text[i])) {
        ++i;
      }
      if (i == start) {
        return bad("expected a name after '.'");
      }
      path.steps_.emplace_back(std::string(text.substr(start, i - start)));
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
        char quote = text[i++];
        size_t end = text.find(quote, i);
        if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']') {
          return bad("unterminated quoted key");
        }
        path.steps_.emplace_back(std::string(text.substr(i, end - i)));
        i = end + 2;
        continue;
      }
      size_t start = i;
      size_t index = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        index = index * 10 + static_cast<size_t>(text[i] - '0');
        if (index > 1'000'000'000) {
          return bad("index too large");
        }
        ++i;
      }
      if (i == start || i >= text.size() || text[i] != ']') {
        return bad("expected [index] or [\"key\"]");
      }
      ++i;
      path.steps_.emplace_back(index);
    } else {
      return bad("expected '.' or '['");
    }
  }
  return path;
}

const Json* JsonPath::Find(const Json& root) const {
  const Json* at = &root;
  for (const auto& step : steps_) {
    if (const auto* name = std::get_if<std::string>(&step)) {
      at = Member(at, *name);
    } else {
      at = Element(at, std::get<size_t>(step));
    }
    if (at == nullptr) {
      return nullptr;
    }
  }
  return at;
}

}  // namespace modelwatch::probe
