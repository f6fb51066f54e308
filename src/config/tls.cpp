// The `tls:` section of defaults, providers and monitors.
#include <sys/stat.h>

#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {
namespace {

constexpr std::array<std::string_view, 2> kKeys = {"ca_file", "ca_path"};

// `path` exists and is a directory (want_dir) or a regular file.
bool Is(const std::string& path, bool want_dir) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return false;
  }
  return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

}  // namespace

Tls ParseTls(const Scope& parent, const Node& entry) {
  Tls tls;
  if (!ExpectMap(parent, entry)) {
    return tls;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kKeys);
  if (const Node* n = entry.Find("ca_file")) {
    if (auto v = ReadString(scope, *n)) {
      if (!Is(*v, false)) {
        scope.Error(n->mark, "ca_file: \"" + *v + "\" is not a readable file (a PEM bundle)");
      } else {
        tls.ca_file = *v;
      }
    }
  }
  if (const Node* n = entry.Find("ca_path")) {
    if (auto v = ReadString(scope, *n)) {
      if (!Is(*v, true)) {
        scope.Error(n->mark, "ca_path: \"" + *v + "\" is not a directory (of hashed certificates)");
      } else {
        tls.ca_path = *v;
      }
    }
  }
  return tls;
}

}  // namespace modelwatch::config
