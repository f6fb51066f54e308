#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/node.h"
#include "core/status.h"

namespace modelwatch::config {

// Message templates (docs/alerts.md, "Templates"): the text of one alert in a
// message, for one kind of notice, with {{placeholder}}s. `alerts.templates`
// holds them for every channel, a channel's own `templates:` for that channel
// only (over the global ones). Keys are the notice kinds (AlertEventKind's
// names: firing, repeat, resolved, ...); a kind without a template keeps the
// built-in text in `alerts.language`.

// Every placeholder a template may use.
inline constexpr std::array<std::string_view, 19> kTemplatePlaceholders = {"monitor",
                                                                           "model",
                                                                           "provider",
                                                                           "level",
                                                                           "event",
                                                                           "rule",
                                                                           "status",
                                                                           "http_status",
                                                                           "error",
                                                                           "summary",
                                                                           "since",
                                                                           "down_for",
                                                                           "consecutive_failures",
                                                                           "figures",
                                                                           "diagnosis",
                                                                           "actions",
                                                                           "status_pages",
                                                                           "folded",
                                                                           "dashboard"};

// One piece of a template: literal text (kept as written) or a placeholder.
struct TemplatePart {
  bool placeholder = false;
  std::string text;  // the literal text, or the placeholder's name
};

// Splits `text` into its parts. "{{ name }}" may hold spaces around the
// name. An unknown name or a "{{" without "}}" is an error naming it.
Result<std::vector<TemplatePart>> SplitTemplate(std::string_view text);

// Notice kind name -> template text.
using Templates = std::map<std::string, std::string>;

// Reads a `templates:` map. Every problem (not a map, an unknown notice kind,
// an unknown placeholder, not a string) is reported with its FILE:LINE:COL.
Templates ParseTemplates(const Scope& scope, const Node& node);

}  // namespace modelwatch::config
