// The probe kind registry: MakeProbe and ProbeKinds, declared in probe.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "probe/monitor_request.h"
#include "probe/probe.h"

namespace modelwatch::probe {

// Defined in probe/kinds/<kind>.cpp.
Result<ProbePtr> MakeOpenAiImagesProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeGeminiProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeOpenRouterImageProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeHttpProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeStabilityProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeFluxProbe(const config::Monitor& monitor);
Result<ProbePtr> MakeVertexProbe(const config::Monitor& monitor);

namespace {

struct Kind {
  std::string_view name;
  ProbeFactory make;
};

// The one list of kinds. Explicit rather than self-registering: static
// registrars vanish when linked from a static library.
constexpr Kind kKinds[] = {
    {"openai_images", MakeOpenAiImagesProbe},
    {"gemini", MakeGeminiProbe},
    {"openrouter_image", MakeOpenRouterImageProbe},
    {"stability", MakeStabilityProbe},
    {"flux", MakeFluxProbe},
    {"vertex", MakeVertexProbe},
    {"http", MakeHttpProbe},
};

}  // namespace

std::vector<std::string_view> ProbeKinds() {
  std::vector<std::string_view> names;
  for (const Kind& k : kKinds) {
    names.push_back(k.name);
  }
  return names;
}

Result<ProbePtr> MakeProbe(const config::Monitor& monitor) {
  for (const Kind& k : kKinds) {
    if (k.name == monitor.kind) {
      Result<ProbePtr> probe = k.make(monitor);
      if (!probe.has_value()) {
        return probe.error().WithContext(
            fmt::format("{}: kind {}", DescribeMonitor(monitor), monitor.kind));
      }
      return probe;
    }
  }
  return Status::InvalidArgument(fmt::format("{}: unknown kind \"{}\" (known: {})",
                                             DescribeMonitor(monitor), monitor.kind,
                                             fmt::join(ProbeKinds(), ", ")));
}

}  // namespace modelwatch::probe
