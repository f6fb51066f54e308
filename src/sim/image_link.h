#pragma once

// Links to simulated images, as dall-e answers with `data[0].url`. The link is
// stateless: its file name carries the format and size, so the server rebuilds
// the same bytes on every GET and stores nothing. Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario.h"

namespace modelwatch::sim {

// The path under which image files are served.
inline constexpr std::string_view kImageLinkPath = "/sim-images/";

// "img-<16 hex digits of sequence>-<W>x<H>.<png|jpg|webp>".
std::string ImageFileName(const ImageSpec& spec, uint64_t sequence);

// The image named by `file` (the part after kImageLinkPath), or nullopt when
// `file` is not exactly a name that ImageFileName makes, with the size in the
// scenario's range 1..4096.
std::optional<ImageSpec> ParseImageFileName(std::string_view file);

// "host:port" for links in answers to a request that carried `host_header`:
// the header as sent when it names a port; with the simulator's own port added
// when it names only a host (curl always sends the port unless it is the
// scheme's default); "own_host:own_port" when it is empty or not a plain
// host[:port].
std::string LinkAuthority(std::string_view host_header, std::string_view own_host, int own_port);

}  // namespace modelwatch::sim
