#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/notification.h"

namespace modelwatch::alert {

// The group a monitor's alerts go out in: "<group_by>=<value>" from the
// monitor's label `group_by` (for "provider", else its provider entry), or
// "monitor=<name>" when it has neither.
std::string GroupKey(const config::Monitor& m, const std::string& group_by);

// The identity of one notice: monitor/rule/fire-sequence/event[/repeat].
std::string NoticeId(const std::string& monitor, const std::string& rule, int seq,
                     AlertEventKind event, int repeat);

// The outbox idempotency key of a message carrying `notice_ids` to
// `channel`: the notice id itself for one notice, else the group and a hash
// of the sorted ids. The same notices always give the same key, so a message
// made again after a restart is not inserted twice; different notices never
// share one.
std::string MessageKey(const std::string& group, std::vector<std::string> notice_ids,
                       const std::string& channel);

}  // namespace modelwatch::alert
