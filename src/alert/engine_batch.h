#pragma once

// Engine's private working set, shared by the files that implement Engine
// (engine.cpp, host_network.cpp). Not for use outside src/alert/.

#include <map>
#include <set>
#include <string>

#include "alert/engine.h"

namespace modelwatch::alert {

// The change one call builds: what it recorded and which states it touched.
struct Engine::Batch {
  store::AlertChange change;
  std::set<std::string> touched;
  bool host_touched = false;
  bool budget_touched = false;
  std::map<std::string, WallTime> fired, resolved;  // for last_alert / last_resolved
};

}  // namespace modelwatch::alert
