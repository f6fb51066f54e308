#pragma once

// The factories of the channel kinds, one per file in notify/channels/;
// registry.cpp lists them. Each has the type ChannelFactory.

#include <string>

#include "config/diagnostics.h"
#include "config/node.h"
#include "notify/channel.h"

namespace modelwatch::notify {

ChannelPtr MakeFeishuChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeWeComChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeDingTalkChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeSlackChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeDiscordChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeTelegramChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeTeamsChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeWebhookChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakePagerDutyChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeAlertmanagerChannel(const config::Scope&, const std::string&, const config::Node&);
ChannelPtr MakeEmailChannel(const config::Scope&, const std::string&, const config::Node&);

}  // namespace modelwatch::notify
