#pragma once

#include <string>

#include "config/diagnostics.h"
#include "config/node.h"
#include "notify/channel.h"

namespace modelwatch::notify {

// The `email` channel (a notify::ChannelFactory): sends each notification as
// one multipart/alternative message (text and HTML) over SMTP. Keys:
//   smtp:      smtp://host:587 (STARTTLS) or smtps://host:465 (TLS), required
//   from:      "alerts@example.com" or "Alerts <alerts@example.com>", required
//   to:        one address or a list, required
//   username, password: the login (both or neither); password is a secret
//   starttls:  smtp:// only; true (default) refuses to send without STARTTLS,
//              false uses it when the server offers it
// Answers: SMTP 250 after DATA is delivered; 4xx transient, 5xx permanent.
ChannelPtr MakeEmailChannel(const config::Scope& scope, const std::string& name,
                            const config::Node& node);

}  // namespace modelwatch::notify
