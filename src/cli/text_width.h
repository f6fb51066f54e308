#pragma once

#include <string>
#include <string_view>

namespace modelwatch::cli {

// Columns of the terminal on stdout; 80 when stdout is not a terminal (a
// pipe, a file), so tables stay readable wherever they are pasted.
int TerminalWidth();
// Rows of the terminal on stdout, 0 when stdout is not a terminal.
int TerminalHeight();

// Display columns of UTF-8 text (one per code point; good enough for the
// ASCII and Latin texts of error messages).
size_t Columns(std::string_view s);

// `s` cut to at most `width` columns, ending in "…" when cut. Never splits
// a UTF-8 sequence. A width below 1 gives "".
std::string Ellipsize(std::string_view s, size_t width);

}  // namespace modelwatch::cli
