#include "net/json_clip.h"

#include <algorithm>
#include <cstring>

namespace modelwatch::net {

namespace {

// How many of the last bytes of `s` are an incomplete UTF-8 sequence.
size_t IncompleteUtf8Tail(std::string_view s) {
  size_t n = s.size();
  for (size_t back = 1; back <= std::min<size_t>(3, n); ++back) {
    auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) {
      continue;  // a continuation byte: its lead is further back
    }
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

void KeepTail(ClippedString& c, std::string_view data) {
  if (data.size() >= 2) {
    c.tail[0] = data[data.size() - 2];
    c.tail[1] = data.back();
  } else if (data.size() == 1) {
    c.tail[0] = c.tail[1];
    c.tail[1] = data[0];
  }
}

}  // namespace

size_t ClippedString::DecodedBase64Size(size_t symbols) const {
  size_t padding = (tail[1] == '=') + (tail[0] == '=' && tail[1] == '=');
  size_t data = symbols - std::min(symbols, padding);
  return data / 4 * 3 + (data % 4 == 0 ? 0 : data % 4 - 1);
}

size_t JsonClipper::FindClosingQuote(std::string_view data) {
  size_t from = 0;
  while (from < data.size()) {
    const void* q = std::memchr(data.data() + from, '"', data.size() - from);
    if (q == nullptr) {
      break;
    }
    size_t at = static_cast<const char*>(q) - data.data();
    size_t slashes = 0;
    while (at - slashes > from && data[at - slashes - 1] == '\\') {
      ++slashes;
    }
    if (at - slashes == 0) {
      slashes += run_;  // the run reaches back into the previous chunk
    }
    run_ = 0;
    if (slashes % 2 == 0) {
      return at;
    }
    from = at + 1;
  }
  // No closing quote: remember the backslashes that end the data.
  std::string_view rest = data.substr(from);
  size_t slashes = 0;
  while (slashes < rest.size() && rest[rest.size() - slashes - 1] == '\\') {
    ++slashes;
  }
  run_ = slashes == rest.size() && from == 0 ? run_ + slashes : slashes;
  return std::string_view::npos;
}

void JsonClipper::Feed(std::string_view chunk, std::string& out,
                       std::vector<ClippedString>& clipped) {
  while (!chunk.empty()) {
    switch (state_) {
      case State::kOutside: {
        // Outside strings JSON has no escapes: the next quote opens one.
        const void* q = std::memchr(chunk.data(), '"', chunk.size());
        size_t n = q == nullptr ? chunk.size() : static_cast<const char*>(q) - chunk.data() + 1;
        out.append(chunk.data(), n);
        chunk.remove_prefix(n);
        if (q != nullptr) {
          state_ = State::kString;
          start_ = out.size();
          run_ = 0;
          keep_whole_ = false;
        }
        break;
      }
      case State::kString: {
        size_t held = out.size() - start_;
        size_t window = keep_whole_ ? chunk.size() : std::min(chunk.size(), cap_ - held);
        std::string_view part = chunk.substr(0, window);
        size_t at = FindClosingQuote(part);
        if (at != std::string_view::npos) {
          out.append(part.data(), at + 1);
          chunk.remove_prefix(at + 1);
          state_ = State::kOutside;
          break;
        }
        out.append(part.data(), part.size());
        chunk.remove_prefix(part.size());
        if (keep_whole_ || out.size() - start_ < cap_) {
          break;
        }
        std::string_view content(out.data() + start_, out.size() - start_);
        if (content.find('\\') != std::string_view::npos) {
          keep_whole_ = true;  // kept bytes would not equal the decoded string
          break;
        }
        ClippedString c;
        c.offset = start_;
        c.length = content.size();
        KeepTail(c, content);
        out.resize(out.size() - IncompleteUtf8Tail(content));
        c.kept = out.size() - start_;
        clipped.push_back(c);
        state_ = State::kClipped;
        break;
      }
      case State::kClipped: {
        size_t at = FindClosingQuote(chunk);
        std::string_view content = chunk.substr(0, at);  // all of it when npos
        ClippedString& c = clipped.back();
        c.length += content.size();
        KeepTail(c, content);
        if (at == std::string_view::npos) {
          return;
        }
        out.push_back('"');
        chunk.remove_prefix(at + 1);
        state_ = State::kOutside;
        break;
      }
    }
  }
}

}  // namespace modelwatch::net
