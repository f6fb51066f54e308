// The source kind registry: MakeSource and SourceKinds, declared in source.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "source/source.h"

namespace modelwatch::source {

// Defined in source/kinds/<kind>.cpp.
Result<SourcePtr> MakeGoogleCloudStatus(const config::StatusSource& entry);
Result<SourcePtr> MakeStatuspage(const config::StatusSource& entry);
Result<SourcePtr> MakeOpenRouterSource(const config::StatusSource& entry);
Result<SourcePtr> MakeFeed(const config::StatusSource& entry);
Result<SourcePtr> MakeModelsSource(const config::StatusSource& entry);

namespace {

struct Kind {
  std::string_view name;
  SourceFactory make;
};

// The one list of kinds (config/sources.cpp lists which keys each takes).
constexpr Kind kKinds[] = {
    {"google_cloud_status", MakeGoogleCloudStatus},
    {"statuspage", MakeStatuspage},
    {"openrouter", MakeOpenRouterSource},
    {"feed", MakeFeed},
    {"models", MakeModelsSource},
};

}  // namespace

std::vector<std::string_view> SourceKinds() {
  std::vector<std::string_view> names;
  for (const Kind& k : kKinds) {
    names.push_back(k.name);
  }
  return names;
}

Result<SourcePtr> MakeSource(const config::StatusSource& entry) {
  for (const Kind& k : kKinds) {
    if (k.name == entry.kind) {
      Result<SourcePtr> made = k.make(entry);
      if (!made.has_value()) {
        return made.error().WithContext(fmt::format("{}: source \"{}\" (kind {})",
                                                    entry.mark.ToString(), entry.name, entry.kind));
      }
      return made;
    }
  }
  return Status::InvalidArgument(fmt::format("{}: source \"{}\": unknown kind \"{}\" (known: {})",
                                             entry.mark.ToString(), entry.name, entry.kind,
                                             fmt::join(SourceKinds(), ", ")));
}

}  // namespace modelwatch::source
