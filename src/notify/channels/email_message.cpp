#include "notify/channels/email_message.h"

#include <fmt/format.h>

#include <ctime>

#include "core/base64.h"

namespace modelwatch::notify {
namespace {

// Encoded words hold at most 75 characters: "=?UTF-8?B?" + base64 + "?=",
// so at most 45 bytes of text (60 base64 characters) each.
constexpr size_t kWordBytes = 45;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string Rfc5322Date(WallTime t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday],
                     tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

std::string EncodeHeaderText(std::string_view text) {
  std::string clean(text);
  bool ascii = true;
  for (char& c : clean) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      c = ' ';
    } else if (u >= 0x80) {
      ascii = false;
    }
  }
  if (ascii && clean.size() <= 900 && clean.find("=?") == std::string::npos) {
    return clean;
  }
  std::string out;
  size_t pos = 0;
  while (pos < clean.size()) {
    size_t len = std::min(kWordBytes, clean.size() - pos);
    // Never split a UTF-8 character between two words.
    while (pos + len < clean.size() && len > 1 &&
           IsContinuation(static_cast<unsigned char>(clean[pos + len]))) {
      --len;
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?" + EncodeBase64(std::string_view(clean).substr(pos, len)) + "?=";
    pos += len;
  }
  return out;
}

std::string WrappedBase64(std::string_view bytes) {
  std::string b64 = EncodeBase64(bytes);
  std::string out;
  out.reserve(b64.size() + b64.size() / 76 * 2 + 2);
  for (size_t pos = 0; pos < b64.size(); pos += 76) {
    out.append(b64, pos, 76);
    out += "\r\n";
  }
  return out;
}

std::string MultipartMessage(const std::vector<std::string>& headers, std::string_view boundary,
                             const std::vector<MimePart>& parts) {
  std::string out;
  for (const std::string& h : headers) {
    out += h + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += fmt::format("Content-Type: multipart/alternative; boundary=\"{}\"\r\n\r\n", boundary);
  for (const MimePart& p : parts) {
    out += fmt::format("--{}\r\n", boundary);
    out += "Content-Type: " + p.content_type + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += WrappedBase64(p.body);
  }
  out += fmt::format("--{}--\r\n", boundary);
  return out;
}

}  // namespace modelwatch::notify
