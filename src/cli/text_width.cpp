#include "cli/text_width.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace modelwatch::cli {
namespace {

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

int TerminalWidth() {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return 80;
}

int TerminalHeight() {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
    return ws.ws_row;
  }
  return 0;
}

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    n += Continuation(c) ? 0 : 1;
  }
  return n;
}

std::string Ellipsize(std::string_view s, size_t width) {
  if (Columns(s) <= width) {
    return std::string(s);
  }
  if (width == 0) {
    return "";
  }
  // Keep width-1 code points, then the ellipsis.
  size_t kept = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (!Continuation(s[i])) {
      if (kept == width - 1) {
        break;
      }
      ++kept;
    }
    ++i;
  }
  return std::string(s.substr(0, i)) + "\u2026";
}

}  // namespace modelwatch::cli
