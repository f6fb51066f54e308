#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace modelwatch::config {

// The monitor kinds config knows, and which monitor keys belong to which:
// the one table to extend when a probe kind is added.

// Kinds as bits, so a key can name the set of kinds it belongs to.
enum KindBit : unsigned {
  kOpenAi = 1,
  kGemini = 2,
  kOpenRouter = 4,
  kHttp = 8,
  kPush = 16,  // no probe: the application reports its own calls (web API)
  kStability = 32,
  kFlux = 64,
  kVertex = 128,  // authenticates with a service-account key file, not api_key
  kImage = kOpenAi | kGemini | kOpenRouter | kStability | kFlux | kVertex,
  kKeyed = kImage & ~kVertex,  // image kinds that take api_key
  kAny = kImage | kHttp | kPush,
};

struct KindInfo {
  std::string_view name;  // as written in `kind:`
  KindBit bit;
  std::string_view default_base_url;  // the provider's public API; empty for http
};

struct KeyRule {
  std::string_view key;
  unsigned kinds;  // KindBits
};

// nullptr for an unknown name.
const KindInfo* FindKind(std::string_view name);
std::span<const std::string_view> KindNames();

// nullptr for a key no kind has.
const KeyRule* FindMonitorKey(std::string_view key);
std::span<const std::string_view> AllMonitorKeys();

// `"gemini" or "openrouter_image"`: the kinds in `bits`, for messages.
std::string KindsOf(unsigned bits);

}  // namespace modelwatch::config
