#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/secret.h"

namespace modelwatch::engine {

// Bearer tokens fetched by checks (probe::TokenSource), keyed by the
// source's cache_key(): monitors that share a key file share a token. A token
// is handed out only while it has more than its refresh margin left (5 min,
// or half its lifetime when that is shorter), so it is renewed before the
// provider would refuse it. Loop thread only; owned by the CheckRunner.
class TokenCache {
 public:
  // The token for `key` still fresh at `now`, or nullptr. The pointer is
  // valid until the next Put or Drop.
  const Secret* Find(const std::string& key, MonoTime now) const;
  void Put(const std::string& key, Secret token, MonoTime now, std::chrono::seconds lifetime);
  // Forgets the token (the provider refused it: revoked or expired early).
  void Drop(const std::string& key);

 private:
  struct Entry {
    Secret token;
    MonoTime refresh_at;
  };
  std::unordered_map<std::string, Entry> tokens_;
};

}  // namespace modelwatch::engine
