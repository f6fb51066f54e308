// The host's own connectivity, judged from the canaries (Engine::OnCanary).
#include <algorithm>

#include "alert/actions.h"
#include "alert/engine.h"
#include "alert/engine_batch.h"
#include "alert/grouping.h"
#include "alert/messages.h"
#include "alert/rules.h"

namespace modelwatch::alert {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

const std::string kHost(kHostNetwork);
const std::string kFlap(kFlapping);

}  // namespace

store::AlertChange Engine::OnCanary(const std::string& url, bool ok, States& states, WallTime now) {
  last_now_ = now;
  Batch b;
  host_.canaries[url] = ok;
  b.host_touched = true;
  const auto& canaries = cfg_.alerts.canaries;
  bool all_down = !canaries.empty() && std::all_of(canaries.begin(), canaries.end(), [&](auto& c) {
    auto it = host_.canaries.find(c);
    return it != host_.canaries.end() && !it->second;
  });
  if (all_down != host_.down) {
    AlertEventKind kind = all_down ? AlertEventKind::kHostNetwork : AlertEventKind::kHostNetworkOk;
    milliseconds down_for =
        all_down ? milliseconds(0) : duration_cast<milliseconds>(now - host_.since);
    if (all_down) {
      host_.since = now;
      ++host_.seq;
    }
    host_.down = all_down;
    AlertItem item;
    item.rule = kHost;
    item.level = AlertLevel::kCritical;
    item.event = kind;
    item.since = host_.since;
    item.summary = HostSummary(all_down, canaries.size(), down_for, Language());
    item.actions = SuggestedActions(kHost, std::nullopt, "", false, Language());
    if (!all_down) {
      item.down_for = down_for;
    }
    bool quiet = SuppressedUntil("", kHost, now).has_value();
    Record(b, "", kHost, item.level, kind, now, item.summary, quiet);
    if (!quiet) {
      Emit(b, "host", item.level, {item},
           {NoticeId(std::string(kHostState), kHost, host_.seq, kind, 0)}, now);
    }
    if (!all_down) {
      // Alerts held while offline were the host's doing: drop them and let
      // fresh results decide.
      for (auto& [name, s] : st_) {
        const config::Monitor* m = Find(name);
        for (auto& [rule, rs] : s.rules) {
          if (m != nullptr && rs.firing && !rs.announced && rule != kFlap) {
            rs.pending.reset();
            Resolve(b, *m, rule, Rule::kOther, now);
          }
        }
        s.fails = 0;
        b.touched.insert(name);
      }
    }
  }
  Dispatch(b, now);
  return Finish(b, states);
}

}  // namespace modelwatch::alert
