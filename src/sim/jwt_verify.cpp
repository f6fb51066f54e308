#include "sim/jwt_verify.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace modelwatch::sim {
namespace {

template <auto Free>
struct CFree {
  void operator()(auto* p) const noexcept { Free(p); }
};
using Bio = std::unique_ptr<BIO, CFree<BIO_free>>;
using PKey = std::unique_ptr<EVP_PKEY, CFree<EVP_PKEY_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, CFree<EVP_MD_CTX_free>>;

bool VerifyRs256(std::string_view signed_part, const std::string& signature,
                 const std::string& public_pem) {
  Bio bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())));
  if (!bio) {
    return false;
  }
  PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  MdCtx ctx(EVP_MD_CTX_new());
  if (!key || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

}  // namespace

Status VerifyServiceAccountJwt(std::string_view jwt, const std::string& public_pem) {
  size_t a = jwt.find('.');
  size_t b = a == std::string_view::npos ? a : jwt.find('.', a + 1);
  if (b == std::string_view::npos) {
    return Status::InvalidArgument("Invalid JWT: not three parts");
  }
  auto header = DecodeBase64(jwt.substr(0, a));
  auto claims = DecodeBase64(jwt.substr(a + 1, b - a - 1));
  auto signature = DecodeBase64(jwt.substr(b + 1));
  if (!header || !claims || !signature) {
    return Status::InvalidArgument("Invalid JWT: not base64url");
  }
  auto h = nlohmann::json::parse(*header, nullptr, false);
  auto c = nlohmann::json::parse(*claims, nullptr, false);
  if (!h.is_object() || !c.is_object() || h.value("alg", "") != "RS256") {
    return Status::InvalidArgument("Invalid JWT: header or claims malformed");
  }
  if (!VerifyRs256(jwt.substr(0, b), *signature, public_pem)) {
    return Status::InvalidArgument("Invalid JWT Signature.");
  }
  auto number = [&](const char* k) { return c.contains(k) && c[k].is_number_integer(); };
  if (!c.contains("iss") || !c["iss"].is_string() || !c.contains("scope") || !number("iat") ||
      !number("exp") || c["exp"].get<int64_t>() - c["iat"].get<int64_t>() > 3600 ||
      c["exp"].get<int64_t>() <= c["iat"].get<int64_t>()) {
    return Status::InvalidArgument(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
        "timeframe. Check your iat and exp values in the JWT claim.");
  }
  return Status::Ok();
}

}  // namespace modelwatch::sim
