#include "engine/token_cache.h"

#include <algorithm>

namespace modelwatch::engine {

const Secret* TokenCache::Find(const std::string& key, MonoTime now) const {
  auto it = tokens_.find(key);
  if (it == tokens_.end() || now >= it->second.refresh_at) {
    return nullptr;
  }
  return &it->second.token;
}

void TokenCache::Put(const std::string& key, Secret token, MonoTime now,
                     std::chrono::seconds lifetime) {
  std::chrono::milliseconds margin =
      std::min<std::chrono::milliseconds>(std::chrono::minutes(5), lifetime / 2);
  tokens_[key] = Entry{std::move(token), now + (lifetime - margin)};
}

void TokenCache::Drop(const std::string& key) { tokens_.erase(key); }

}  // namespace modelwatch::engine
