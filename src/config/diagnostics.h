#pragma once

#include <string>
#include <vector>

#include "config/mark.h"

namespace modelwatch::config {

// Collects every problem found in a config file, so that one run of
// `modelwatch validate` shows them all instead of the first only.
class Diagnostics {
 public:
  void Add(const Mark& at, std::string message);
  bool empty() const { return problems_.empty(); }
  size_t size() const { return problems_.size(); }

  // Every problem as "FILE:LINE:COL: message", ordered by place in the file.
  std::vector<std::string> Lines() const;
  // Lines() joined with '\n'.
  std::string ToString() const;

 private:
  struct Problem {
    Mark mark;
    std::string message;
  };
  std::vector<Problem> problems_;
};

// A prefix for the messages about one part of the file, such as
// `monitors[2] "dalle"`, plus where to report them. Cheap to copy; the
// Diagnostics must outlive it.
class Scope {
 public:
  Scope(Diagnostics& diag, std::string prefix) : diag_(&diag), prefix_(std::move(prefix)) {}

  // Adds "<prefix>: <message>" at `at`.
  void Error(const Mark& at, const std::string& message) const;
  // A scope for a part of this one: `monitors[2] "dalle": thresholds`.
  Scope Child(const std::string& part) const;
  const std::string& prefix() const { return prefix_; }
  Diagnostics& diag() const { return *diag_; }

 private:
  Diagnostics* diag_;
  std::string prefix_;
};

}  // namespace modelwatch::config
