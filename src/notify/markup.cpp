#include "notify/markup.h"

#include <cstdint>
#include <vector>

#include "core/text.h"

namespace modelwatch::notify {
namespace {

// Length of the valid UTF-8 sequence starting at `s[i]`, or 0 when invalid.
size_t SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (c < 0x80) {
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest cut <= `max` that does not split a code point of valid UTF-8.
size_t BoundaryAtOrBefore(std::string_view s, size_t max) {
  if (max >= s.size()) {
    return s.size();
  }
  while (max > 0 && IsContinuation(s[max])) {
    --max;
  }
  return max;
}

void AppendBackslashed(std::string& out, char c, std::string_view specials) {
  if (specials.find(c) != std::string_view::npos) {
    out += '\\';
  }
  out += c;
}

std::string EscapeWith(std::string_view text, std::string_view backslashed,
                       bool entities_for_angles) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    if (entities_for_angles && c == '<') {
      out += "&lt;";
    } else if (entities_for_angles && c == '>') {
      out += "&gt;";
    } else if (entities_for_angles && c == '&') {
      out += "&amp;";
    } else {
      AppendBackslashed(out, c, backslashed);
    }
  }
  return out;
}

std::string EscapeLarkMd(std::string_view text) {
  // Feishu's card markdown takes HTML numeric entities for its special
  // characters; backslashes would show.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&#38;";
        break;
      case '<':
        out += "&#60;";
        break;
      case '>':
        out += "&#62;";
        break;
      case '*':
        out += "&#42;";
        break;
      case '_':
        out += "&#95;";
        break;
      case '~':
        out += "&#126;";
        break;
      case '`':
        out += "&#96;";
        break;
      case '[':
        out += "&#91;";
        break;
      case ']':
        out += "&#93;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeSlack(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string EscapeHtml(std::string_view text) { return XmlEscaped(text); }

std::string Escape(std::string_view text, Markup m) {
  switch (m) {
    case Markup::kPlain:
      return std::string(text);
    case Markup::kSlack:
      return EscapeSlack(text);
    case Markup::kCommonMark:
      return EscapeWith(text, "\\`*_~[]()#<>|!", /*entities_for_angles=*/false);
    case Markup::kDingTalk:
    case Markup::kWeCom: {
      // Their renderers are not known to honour every backslash escape, so
      // only the characters that start formatting are escaped, and a
      // "](" that would make a link is broken apart.
      std::string out = EscapeWith(text, "\\`*~", /*entities_for_angles=*/true);
      for (size_t p = out.find("]("); p != std::string::npos; p = out.find("](", p + 3)) {
        out.insert(p + 1, " ");
      }
      return out;
    }
    case Markup::kLarkMd:
      return EscapeLarkMd(text);
    case Markup::kHtml:
      return EscapeHtml(text);
  }
  return std::string(text);
}

std::string Bold(std::string_view escaped, Markup m) {
  switch (m) {
    case Markup::kPlain:
      return std::string(escaped);
    case Markup::kSlack:
      return "*" + std::string(escaped) + "*";
    case Markup::kHtml:
      return "<b>" + std::string(escaped) + "</b>";
    default:
      return "**" + std::string(escaped) + "**";
  }
}

std::string Literal(std::string_view raw, Markup m) {
  switch (m) {
    case Markup::kSlack: {
      // Inside a code span mrkdwn formats nothing; only a backtick could end it.
      std::string s = EscapeSlack(raw);
      for (char& c : s) {
        if (c == '`') {
          c = '\'';
        }
      }
      return "`" + s + "`";
    }
    case Markup::kHtml:
      return "<code>" + EscapeHtml(raw) + "</code>";
    default:
      return "\u201C" + Escape(raw, m) + "\u201D";  // “…”
  }
}

std::string Link(std::string_view url, std::string_view label, Markup m) {
  switch (m) {
    case Markup::kPlain:
      return label.empty() || label == url ? std::string(url)
                                           : std::string(label) + " " + std::string(url);
    case Markup::kSlack: {
      std::string u = EscapeSlack(url);
      std::string l = EscapeSlack(label);
      for (char& c : l) {
        if (c == '|') {
          c = '/';
        }
      }
      return "<" + u + "|" + l + ">";
    }
    case Markup::kHtml:
      return "<a href=\"" + EscapeHtml(url) + "\">" + EscapeHtml(label) + "</a>";
    default: {
      // A URL with a ')' or a space would end the link early.
      std::string u;
      for (char c : url) {
        if (c == ')') {
          u += "%29";
        } else if (c == ' ') {
          u += "%20";
        } else {
          u += c;
        }
      }
      return "[" + Escape(label, m) + "](" + u + ")";
    }
  }
}

std::string_view LineBreak(Markup m) { return m == Markup::kDingTalk ? "\n\n" : "\n"; }

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = SequenceLength(text, i);
    if (n == 0) {
      out += "\uFFFD";
      ++i;
      continue;
    }
    if (n == 1) {
      char c = text[i];
      unsigned char u = static_cast<unsigned char>(c);
      if (c == '\r') {
        if (i + 1 >= text.size() || text[i + 1] != '\n') {
          out += '\n';
        }
      } else if (c == '\n' || c == '\t' || (u >= 0x20 && u != 0x7F)) {
        out += c;
      }
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
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

std::string TruncateBytes(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  if (max_bytes < kEllipsis.size()) {
    return std::string(text.substr(0, BoundaryAtOrBefore(text, max_bytes)));
  }
  size_t cut = BoundaryAtOrBefore(text, max_bytes - kEllipsis.size());
  // A cut right after a space reads better without the space.
  while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\n')) {
    --cut;
  }
  return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsContinuation(text[i])) {
      continue;
    }
    units += (c >= 0xF0) ? 2 : 1;
  }
  return units;
}

std::string TruncateUtf16(std::string_view text, size_t max_units) {
  if (Utf16Length(text) <= max_units) {
    return std::string(text);
  }
  // Bytes of the longest prefix of at most max_units - 1 units (one for "…").
  size_t units = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t w = (c >= 0xF0) ? 2 : 1;
    if (units + w + 1 > max_units) {
      break;
    }
    units += w;
    ++i;
    while (i < text.size() && IsContinuation(text[i])) {
      ++i;
    }
  }
  return TruncateBytes(text, i + kEllipsis.size());
}

std::string TruncateMarkup(std::string_view text, size_t max_bytes, Markup m) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  if (m != Markup::kHtml) {
    return TruncateBytes(text, max_bytes);
  }
  // Room for the ellipsis and for closing what is open (the tags we make
  // nest at most three deep: <b><a><code>, "</code></a></b>" is 15 bytes).
  constexpr size_t kClosing = 16;
  size_t budget =
      max_bytes > kClosing + kEllipsis.size() ? max_bytes - kClosing - kEllipsis.size() : 0;
  std::string_view cut = text.substr(0, BoundaryAtOrBefore(text, budget));
  size_t lt = cut.rfind('<');
  if (lt != std::string_view::npos && cut.find('>', lt) == std::string_view::npos) {
    cut = cut.substr(0, lt);
  }
  size_t amp = cut.rfind('&');
  if (amp != std::string_view::npos && cut.find(';', amp) == std::string_view::npos) {
    cut = cut.substr(0, amp);
  }
  std::vector<std::string> open;
  for (size_t i = cut.find('<'); i != std::string_view::npos; i = cut.find('<', i + 1)) {
    size_t end = cut.find_first_of(" >", i + 1);
    std::string_view name = cut.substr(i + 1, end - i - 1);
    if (!name.empty() && name[0] == '/') {
      if (!open.empty()) {
        open.pop_back();
      }
    } else {
      open.emplace_back(name);
    }
  }
  std::string out(cut);
  out += kEllipsis;
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    out += "</" + *it + ">";
  }
  return out;
}

}  // namespace modelwatch::notify
