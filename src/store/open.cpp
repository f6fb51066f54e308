#include <memory>

#include "store/buffered_store.h"
#include "store/postgres/postgres_backend.h"
#include "store/sqlite/sqlite_backend.h"
#include "store/store.h"

namespace modelwatch::store {

Result<std::unique_ptr<Backend>> MakeBackend(const Options& options) {
  if (!options.postgres_url.empty()) {
    return std::unique_ptr<Backend>(
        std::make_unique<postgres::PostgresBackend>(options.postgres_url, options.postgres_schema));
  }
  if (!options.sqlite_path.empty()) {
    return std::unique_ptr<Backend>(std::make_unique<sqlite::SqliteBackend>(options.sqlite_path));
  }
  return Status::InvalidArgument("storage: set storage.sqlite (a file) or storage.postgres");
}

Result<StorePtr> Open(const Options& options) {
  auto made = MakeBackend(options);
  if (!made) {
    return made.error();
  }
  std::unique_ptr<Backend> backend = std::move(made).value();
  if (Status st = backend->Connect(); !st.ok()) {
    // A schema newer than this binary is never worth waiting for.
    if (!options.start_unavailable || st.code() == Status::Code::kInvalidArgument) {
      return st;
    }
  }
  return StorePtr(std::make_unique<BufferedStore>(std::move(backend), options));
}

std::string RedactUrl(const std::string& url) {
  // postgresql://user:password@host/db -> postgresql://user:***@host/db
  std::string out = url;
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t at = out.find('@', start);
    size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // key=value form and query parameters: password=...
  size_t p = 0;
  while ((p = out.find("password=", p)) != std::string::npos) {
    size_t v = p + 9;
    size_t end = out.find_first_of(" &", v);
    out.replace(v, (end == std::string::npos ? out.size() : end) - v, "***");
    p = v + 3;
  }
  return out;
}

}  // namespace modelwatch::store
