#include "cli/log_format.h"

namespace modelwatch::cli {
namespace {

using nlohmann::ordered_json;

constexpr auto kReplace = ordered_json::error_handler_t::replace;

std::string TextValue(const ordered_json& v) {
  if (!v.is_string()) {
    return v.dump(-1, ' ', false, kReplace);
  }
  const std::string& s = v.get_ref<const std::string&>();
  if (!s.empty() && s.find_first_of(" \"=\t\n\r") == std::string::npos) {
    return s;
  }
  return v.dump(-1, ' ', false, kReplace);  // quoted, with JSON escapes
}

}  // namespace

std::string JsonLogLine(const ordered_json& event) { return event.dump(-1, ' ', false, kReplace); }

std::string TextLogLine(const ordered_json& event, WallTime now) {
  std::string line = FormatIso8601(now).substr(11, 8);
  if (auto e = event.find("event"); e != event.end() && e->is_string()) {
    line += " " + e->get<std::string>();
  }
  for (auto it = event.begin(); it != event.end(); ++it) {
    if (it.key() == "event" || it->is_null() || (it->is_object() && it->empty())) {
      continue;
    }
    line += " " + it.key() + "=" + TextValue(*it);
  }
  return line;
}

}  // namespace modelwatch::cli
