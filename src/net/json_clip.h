#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace modelwatch::net {

// A string value of a JSON body of which only the start was kept.
struct ClippedString {
  size_t offset = 0;      // where the kept content starts in the body
  size_t kept = 0;        // bytes of content kept (then the closing quote)
  size_t length = 0;      // bytes of content the sender sent, as written (escaped)
  char tail[2] = {0, 0};  // the last two bytes of content sent, e.g. base64 padding

  // Bytes a base64 text of `length` symbols ending in `tail` decodes to.
  size_t DecodedBase64Size(size_t symbols) const;
};

// Streams a JSON text into a buffer, keeping at most `cap` bytes of any one
// string value. An image generation answers with its image as one base64
// string (a 1024x1024 PNG is 2 to 4 MB); the checks read only its header, so
// keeping the start and counting the rest saves the copies, the parse and the
// memory of megabytes per check in flight. What is kept is valid JSON with the
// same structure, the long strings shortened; each shortened string is
// recorded. A string is never cut before `cap` bytes, never inside a UTF-8
// sequence, and not at all if an escape appears in its first `cap` bytes (so
// kept bytes equal the decoded string). Text that is not JSON passes through
// unharmed except that a quoted run longer than `cap` is shortened.
//
// Byte-at-a-time state would cost as much as the parse it saves; the scan
// jumps from quote to quote with memchr instead.
class JsonClipper {
 public:
  explicit JsonClipper(size_t cap) : cap_(cap) {}

  void Feed(std::string_view chunk, std::string& out, std::vector<ClippedString>& clipped);

 private:
  enum class State { kOutside, kString, kClipped };

  // Index of the first quote in `data` not escaped by a backslash, counting
  // backslashes carried over from earlier chunks in run_; npos if none (and
  // run_ then holds the backslashes that end `data`).
  size_t FindClosingQuote(std::string_view data);

  size_t cap_;
  State state_ = State::kOutside;
  size_t start_ = 0;         // offset in `out` of the current string's content
  size_t run_ = 0;           // backslashes just before the next byte
  bool keep_whole_ = false;  // the current string has escapes: not clipped
};

}  // namespace modelwatch::net
