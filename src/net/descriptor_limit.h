#pragma once

namespace modelwatch::net {

// Raises this process's soft limit on open descriptors to its hard limit.
// Every check in flight holds a socket; the usual soft limit of 1024 would
// refuse connections long before the loop is busy. Call once at start.
void RaiseDescriptorLimit();

}  // namespace modelwatch::net
