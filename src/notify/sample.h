#pragma once

#include <string>

#include "core/clock.h"
#include "core/notification.h"

namespace modelwatch::notify {

// A realistic alert for `modelwatch notify test` and for tests: Nano Banana
// Pro (gemini-3-pro-image) failing with Google's 503 "model is overloaded",
// three in a row, critical, with 1h/24h figures and the status page.
// `event` kTest marks it as a test in the message.
Notification SampleNotification(WallTime now, std::string language = "en",
                                AlertEventKind event = AlertEventKind::kFiring);

// The same alert resolved after 12 minutes down.
Notification SampleResolved(WallTime now, std::string language = "en");

}  // namespace modelwatch::notify
