#include "notify/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/base64.h"

namespace modelwatch::notify {

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() with an empty message must still get a valid pointer.
  static const unsigned char kEmpty = 0;
  const unsigned char* data =
      message.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(message.data());
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, message.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

std::string FeishuSign(int64_t timestamp_s, const Secret& secret) {
  std::string key = std::to_string(timestamp_s) + "\n" + secret.reveal();
  return EncodeBase64(HmacSha256(key, ""));
}

std::string DingTalkSign(int64_t timestamp_ms, const Secret& secret) {
  std::string message = std::to_string(timestamp_ms) + "\n" + secret.reveal();
  return EncodeBase64(HmacSha256(secret.reveal(), message));
}

std::string WebhookSignature(int64_t timestamp_s, std::string_view body, const Secret& secret) {
  std::string message = std::to_string(timestamp_s) + "." + std::string(body);
  return "sha256=" + Hex(HmacSha256(secret.reveal(), message));
}

}  // namespace modelwatch::notify
