#include "core/secret.h"

namespace modelwatch {

std::string Redact(std::string text, std::initializer_list<const Secret*> secrets) {
  for (const Secret* s : secrets) {
    const std::string& v = s->reveal();
    if (v.size() < 4) {
      continue;
    }
    for (size_t pos = text.find(v); pos != std::string::npos; pos = text.find(v, pos + 3)) {
      text.replace(pos, v.size(), "***");
    }
  }
  return text;
}

std::string Redact(std::string text, const Secret& secret) {
  return Redact(std::move(text), {&secret});
}

}  // namespace modelwatch
