#pragma once

#include <string>

#include "core/notification.h"

namespace modelwatch::notify {

// The plain text of `n` for the built-in "log" channel's log line: its title,
// then one line per alert (monitor, model, summary, error, diagnosis), then
// the dashboard link. Pure. (To be replaced by the shared renderer in
// notify/render.h once it lands.)
std::string LogText(const Notification& n);

}  // namespace modelwatch::notify
