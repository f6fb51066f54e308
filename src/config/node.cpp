#include "config/node.h"

namespace modelwatch::config {

const Node* Node::Find(std::string_view k) const {
  if (type != Type::kMap) {
    return nullptr;
  }
  for (const Node& entry : items) {
    if (entry.key == k) {
      return &entry;
    }
  }
  return nullptr;
}

std::string_view Describe(Node::Type t) {
  switch (t) {
    case Node::Type::kNull:
      return "empty";
    case Node::Type::kScalar:
      return "a string";
    case Node::Type::kSequence:
      return "a list";
    case Node::Type::kMap:
      return "a map";
  }
  return "?";
}

}  // namespace modelwatch::config
