#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 3> kKeys = {"sqlite", "postgres", "retention"};

}  // namespace

Storage ParseStorage(const Scope& parent, const Node& entry) {
  Storage s;
  if (!ExpectMap(parent, entry)) {
    return s;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kKeys);
  const Node* sqlite = entry.Find("sqlite");
  const Node* postgres = entry.Find("postgres");
  if (sqlite != nullptr && postgres != nullptr) {
    scope.Error(postgres->key_mark, "set either sqlite or postgres, not both");
  }
  if (sqlite != nullptr) {
    if (auto path = ReadString(scope, *sqlite)) {
      if (path->empty()) {
        scope.Child("sqlite").Error(sqlite->mark, "must be a file path, not empty");
      } else {
        s.sqlite_path = *path;
      }
    }
  }
  if (postgres != nullptr) {
    // The URL holds a password: no message below may print it.
    if (auto url = ReadSecret(scope, *postgres)) {
      const std::string& u = url->reveal();
      if (u.starts_with("postgres://") || u.starts_with("postgresql://")) {
        s.postgres_url = u;
      } else {
        scope.Child("postgres")
            .Error(postgres->mark,
                   "must be a URL starting with postgres:// or postgresql:// "
                   "(e.g. postgres://user:${PGPASSWORD}@host:5432/modelwatch)");
      }
    }
  }
  if (const Node* n = entry.Find("retention")) {
    s.retention = ReadDuration(scope, *n, std::chrono::hours(1)).value_or(s.retention);
  }
  return s;
}

}  // namespace modelwatch::config
