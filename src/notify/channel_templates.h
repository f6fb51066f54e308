#pragma once

#include "config/alerts_templates.h"
#include "notify/channel.h"

namespace modelwatch::notify {

// `inner` with its own message templates (a channel entry's `templates:`):
// each notification it renders carries `templates` over those it came with
// (alerts.templates), kind by kind. Everything else is `inner`'s.
ChannelPtr WithTemplates(ChannelPtr inner, config::Templates templates);

}  // namespace modelwatch::notify
