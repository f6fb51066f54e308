#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/mark.h"

namespace modelwatch::config {

// A YAML value as the rest of the program sees it: plain data with the place
// it came from, so every later check can say "FILE:LINE:COL". Produced only by
// ParseYaml (yaml_edge.h); nothing outside config/ sees yaml-cpp.
//
// Scalars are kept as text: a reader decides whether "5m" is a duration or
// "true" a bool, and says so with the mark when it is not.
struct Node {
  enum class Type { kNull, kScalar, kSequence, kMap };

  Type type = Type::kNull;
  std::string value;        // kScalar: the text (after ${VAR} interpolation)
  bool quoted = false;      // kScalar written quoted or as a block scalar
  Mark mark;                // where the value starts
  size_t offset = 0;        // byte offset of `mark` in the source text
  std::string key;          // for an entry of a map: its key
  Mark key_mark;            // ... and where that key is written
  std::vector<Node> items;  // kSequence: the elements; kMap: the entries, in file order

  // Set when interpolating this scalar failed; the failure is already
  // reported, so readers skip the value instead of reporting it twice.
  bool interpolation_failed = false;

  bool IsNull() const { return type == Type::kNull; }
  bool IsScalar() const { return type == Type::kScalar; }
  bool IsSequence() const { return type == Type::kSequence; }
  bool IsMap() const { return type == Type::kMap; }

  // The first entry of a map with that key, or nullptr (also for non-maps).
  const Node* Find(std::string_view k) const;
};

// "a string", "a list", "a map", "empty": for "must be X, not Y" messages.
std::string_view Describe(Node::Type t);

}  // namespace modelwatch::config
