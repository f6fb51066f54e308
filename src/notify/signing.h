#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/secret.h"
#include "core/text.h"  // PercentEncode, used with the signatures

namespace modelwatch::notify {

// Signatures that chat webhooks ask for, written once. Pure functions;
// OpenSSL underneath.

// The 32 raw bytes of HMAC-SHA256(key, message).
std::string HmacSha256(std::string_view key, std::string_view message);

// Lower-case hex of `bytes`.
std::string Hex(std::string_view bytes);

// Feishu/Lark: base64(HMAC-SHA256(key = timestamp + "\n" + secret, message
// = "")). `timestamp_s` is Unix time in seconds.
std::string FeishuSign(int64_t timestamp_s, const Secret& secret);

// DingTalk: base64(HMAC-SHA256(key = secret, message = timestamp + "\n" +
// secret)), not yet URL-encoded. `timestamp_ms` is Unix time in milliseconds.
std::string DingTalkSign(int64_t timestamp_ms, const Secret& secret);

// Generic webhook: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)),
// sent as X-Modelwatch-Signature with X-Modelwatch-Timestamp: <timestamp>
// (Unix seconds). Covering the timestamp stops replays of an old body.
std::string WebhookSignature(int64_t timestamp_s, std::string_view body, const Secret& secret);

}  // namespace modelwatch::notify
