#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace modelwatch::sim {

// Checks a service-account assertion as Google's token endpoint does: three
// base64url parts, header alg RS256, an RS256 signature over
// "header.claims" that `public_pem` (a PEM public key) verifies, and claims
// with iss, scope and exp - iat at most 3600 s. The message is the
// error_description Google would send. Pure; any thread.
Status VerifyServiceAccountJwt(std::string_view jwt, const std::string& public_pem);

}  // namespace modelwatch::sim
