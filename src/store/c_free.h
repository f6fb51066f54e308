#pragma once

namespace modelwatch::store {

// Deleter calling a C library's free function, for std::unique_ptr handles.
template <auto Free>
struct CFree {
  void operator()(auto* p) const noexcept { Free(p); }
};

}  // namespace modelwatch::store
