#include "probe/error_text.h"

#include <cctype>

#include "core/text.h"

namespace modelwatch::probe {
namespace {

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

std::string CollapseWhitespace(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = false;
  for (char c : in) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

// Replaces the key-like run that follows each `prefix` (at least `min_run`
// key characters long) with "***", keeping the prefix so the reader still
// sees which kind of credential it was.
void MaskAfter(std::string& s, std::string_view prefix, size_t min_run, bool case_fold,
               bool word_start) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t hit = std::string::npos;
    for (size_t i = pos; i + prefix.size() <= s.size(); ++i) {
      bool eq = true;
      for (size_t j = 0; j < prefix.size() && eq; ++j) {
        char a = s[i + j], b = prefix[j];
        eq = case_fold ? std::tolower(static_cast<unsigned char>(a)) == b : a == b;
      }
      // A prefix inside a longer word ("task-1234") is not a key.
      if (eq && (!word_start || i == 0 || !IsKeyChar(s[i - 1]))) {
        hit = i;
        break;
      }
    }
    if (hit == std::string::npos) {
      return;
    }
    size_t start = hit + prefix.size();
    size_t end = start;
    while (end < s.size() && IsKeyChar(s[end])) {
      ++end;
    }
    if (end - start >= min_run) {
      s.replace(start, end - start, "***");
      pos = start + 3;
    } else {
      pos = start;
    }
  }
}

// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
void Truncate(std::string& s, size_t max) {
  if (s.size() <= max) {
    return;
  }
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  s.resize(cut);
  while (!s.empty() && s.back() == ' ') {
    s.pop_back();
  }
  s += "...";
}

}  // namespace

std::string CleanErrorText(std::string_view text, std::span<const Secret* const> secrets) {
  // Only the start can survive the final cut; bounding the work keeps an
  // HTML error page of megabytes cheap.
  // Provider bytes reach terminals, CSV and chat messages: no control
  // characters, valid UTF-8 only.
  std::string s = PrintableText(CollapseWhitespace(text.substr(0, 16 * 1024)));
  for (const Secret* secret : secrets) {
    if (secret != nullptr) {
      s = Redact(std::move(s), *secret);
    }
  }
  // OpenAI (sk-, sk-proj-, sk-or-v1- for OpenRouter) and Google (AIza) keys
  // are recognisable by shape; providers echo them in 401 messages.
  MaskAfter(s, "sk-", 6, false, true);
  MaskAfter(s, "AIza", 10, false, true);
  MaskAfter(s, "bearer ", 8, true, true);
  MaskAfter(s, "key=", 8, true, false);  // also api_key=, x-goog-api-key=
  Truncate(s, kMaxErrorChars);
  return s;
}

}  // namespace modelwatch::probe
