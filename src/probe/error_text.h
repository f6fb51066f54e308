#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/secret.h"

namespace modelwatch::probe {

// The longest error text kept in a CheckResult; providers' messages beyond
// this are boilerplate (links, remedies) not worth storing on every check.
inline constexpr size_t kMaxErrorChars = 300;

// Makes a provider's or library's text safe to store and show: collapses
// whitespace runs to one space, replaces every `secrets` value with "***",
// masks anything shaped like an API key (sk-..., AIza..., Bearer ...,
// key=...) even when it is not ours, then cuts to kMaxErrorChars on a UTF-8
// boundary with a trailing "...". Secrets are removed before cutting, so a
// key straddling the cut cannot leak half of itself.
std::string CleanErrorText(std::string_view text, std::span<const Secret* const> secrets = {});

}  // namespace modelwatch::probe
