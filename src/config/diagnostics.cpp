#include "config/diagnostics.h"

#include <algorithm>
#include <tuple>

namespace modelwatch::config {

void Diagnostics::Add(const Mark& at, std::string message) {
  problems_.push_back({at, std::move(message)});
}

std::vector<std::string> Diagnostics::Lines() const {
  std::vector<const Problem*> sorted;
  for (const Problem& p : problems_) {
    sorted.push_back(&p);
  }
  // Checks run section by section, but a reader fixes a file top to bottom.
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem* a, const Problem* b) {
    return std::tie(a->mark.line, a->mark.col) < std::tie(b->mark.line, b->mark.col);
  });
  std::vector<std::string> lines;
  for (const Problem* p : sorted) {
    std::string line = p->mark.ToString() + ": " + p->message;
    // A value reached through two YAML aliases is checked twice; say it once.
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const std::string& line : Lines()) {
    if (!out.empty()) {
      out += '\n';
    }
    out += line;
  }
  return out;
}

void Scope::Error(const Mark& at, const std::string& message) const {
  diag_->Add(at, prefix_.empty() ? message : prefix_ + ": " + message);
}

Scope Scope::Child(const std::string& part) const {
  return Scope(*diag_, prefix_.empty() ? part : prefix_ + ": " + part);
}

}  // namespace modelwatch::config
