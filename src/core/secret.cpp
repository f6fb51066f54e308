#include "core/secret.h"

#include <string_view>
#include <unordered_set>
#include <vector>

namespace modelwatch {
namespace {

// A provider that echoes a key minus its last few characters must not put
// the rest into a log or the database: any run of this many characters of
// a secret is masked, not only the whole.
constexpr size_t kMinFragment = 8;

// The part of a secret whose fragments are masked. A webhook URL's scheme
// and host are public (and would mask every mention of the service); its
// path and query hold the token.
std::string_view Material(std::string_view v) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (v.starts_with(scheme)) {
      size_t slash = v.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view() : v.substr(slash);
    }
  }
  return v;
}

void MaskWhole(std::string& text, const std::string& v) {
  for (size_t pos = text.find(v); pos != std::string::npos; pos = text.find(v, pos + 3)) {
    text.replace(pos, v.size(), "***");
  }
}

void MaskFragments(std::string& text, std::string_view material) {
  if (material.size() < kMinFragment || text.size() < kMinFragment) {
    return;
  }
  std::unordered_set<std::string_view> windows;
  for (size_t i = 0; i + kMinFragment <= material.size(); ++i) {
    windows.insert(material.substr(i, kMinFragment));
  }
  std::vector<bool> covered(text.size(), false);
  bool any = false;
  for (size_t i = 0; i + kMinFragment <= text.size(); ++i) {
    if (windows.contains(std::string_view(text).substr(i, kMinFragment))) {
      for (size_t j = i; j < i + kMinFragment; ++j) {
        covered[j] = true;
      }
      any = true;
    }
  }
  if (!any) {
    return;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (!covered[i]) {
      out.push_back(text[i++]);
      continue;
    }
    while (i < text.size() && covered[i]) {
      ++i;
    }
    out += "***";
  }
  text = std::move(out);
}

}  // namespace

std::string Redact(std::string text, std::initializer_list<const Secret*> secrets) {
  for (const Secret* s : secrets) {
    const std::string& v = s->reveal();
    if (v.size() < 4) {
      continue;
    }
    MaskWhole(text, v);
    MaskFragments(text, Material(v));
  }
  return text;
}

std::string Redact(std::string text, const Secret& secret) {
  return Redact(std::move(text), {&secret});
}

}  // namespace modelwatch
