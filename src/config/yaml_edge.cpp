#include "config/yaml_edge.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <exception>
#include <vector>

namespace modelwatch::config {

namespace {

// An alias can make yaml-cpp hand back a node that contains itself; a config
// file is never this deep.
constexpr int kMaxDepth = 64;
// yaml-cpp shares the node an alias names, so "billion laughs" (aliases of
// aliases of lists) costs it little, but copying it out into our tree would
// take gigabytes. A config with 1,000 monitors has about 30,000 nodes.
constexpr size_t kMaxNodes = 1'000'000;

Mark ToMark(const YAML::Mark& m, const std::string& file) {
  // yaml-cpp counts from 0 and uses -1 for "unknown".
  return Mark{file, m.line < 0 ? 1 : m.line + 1, m.column < 0 ? 1 : m.column + 1};
}

class Converter {
 public:
  explicit Converter(const std::string& file) : file_(file) {}

  // Fills `out` from `in`; returns false (with error_ set) on a shape we refuse.
  bool Convert(const YAML::Node& in, int depth, Node& out) {
    if (depth > kMaxDepth) {
      return Fail(in.Mark(), "nesting is too deep (a recursive alias?)");
    }
    if (++nodes_ > kMaxNodes) {
      return Fail(in.Mark(),
                  fmt::format("more than {} values (aliases that expand without end?)", kMaxNodes));
    }
    out.mark = ToMark(in.Mark(), file_);
    out.offset = in.Mark().pos < 0 ? 0 : static_cast<size_t>(in.Mark().pos);
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.type = Node::Type::kNull;
        return true;
      case YAML::NodeType::Scalar:
        out.type = Node::Type::kScalar;
        out.value = in.Scalar();
        // yaml-cpp tags quoted and block scalars "!", plain ones "?".
        out.quoted = in.Tag() == "!";
        return true;
      case YAML::NodeType::Sequence:
        out.type = Node::Type::kSequence;
        for (const YAML::Node& item : in) {
          Node& child = out.items.emplace_back();
          if (!Convert(item, depth + 1, child)) {
            return false;
          }
        }
        return true;
      case YAML::NodeType::Map:
        out.type = Node::Type::kMap;
        for (const auto& kv : in) {
          if (!kv.first.IsScalar()) {
            return Fail(kv.first.Mark(), "a map key must be a plain string");
          }
          Node& child = out.items.emplace_back();
          if (!Convert(kv.second, depth + 1, child)) {
            return false;
          }
          child.key = kv.first.Scalar();
          child.key_mark = ToMark(kv.first.Mark(), file_);
          // For `key:` with nothing after it yaml-cpp marks the next token,
          // often on a later line; the key is the place to point at.
          if (child.IsNull() && child.mark.line != child.key_mark.line) {
            child.mark = child.key_mark;
            child.offset = static_cast<size_t>(kv.first.Mark().pos);
          }
        }
        return true;
    }
    return true;
  }

  const Status& error() const { return error_; }

 private:
  bool Fail(const YAML::Mark& at, std::string_view message) {
    error_ = Status::InvalidArgument(fmt::format("{}: {}", ToMark(at, file_).ToString(), message));
    return false;
  }

  const std::string& file_;
  Status error_;
  size_t nodes_ = 0;
};

// yaml-cpp 0.7 (Debian 12) allocates without end on a "," that starts a
// line outside any [ ] or { } ("," alone, ", x", "- a\n,": upstream
// jbeder/yaml-cpp#1040). No config can hold one (a plain value cannot start
// with ","), so such a line is refused before the library sees it. Quotes,
// comments and brackets are followed just enough to find those lines.
Status RefuseLeadingCommas(std::string_view text, const std::string& file) {
  int flow = 0;    // depth of [ ] and { }
  char quote = 0;  // inside '...' or "..."
  bool at_line_start = true;
  int line = 1;
  int col = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++col;
    if (c == '\n') {
      ++line;
      col = 0;
      at_line_start = true;
      continue;
    }
    if (quote != 0) {
      if (c == '\\' && quote == '"' && i + 1 < text.size()) {
        ++i;
        ++col;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (at_line_start && (c == ' ' || c == '\t' || c == '\r')) {
      continue;
    }
    bool first = at_line_start;
    at_line_start = false;
    if (first && c == ',' && flow == 0) {
      return Status::InvalidArgument(
          fmt::format("{}:{}:{}: a line cannot start with \",\" outside [ ] or {{ }} (quote "
                      "the value if the comma belongs to it)",
                      file, line, col));
    }
    if (c == '#' && (first || i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') {
        ++i;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++flow;
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Node> ParseYaml(std::string_view text, const std::string& file) {
  if (Status st = RefuseLeadingCommas(text, file); !st.ok()) {
    return st;
  }
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(
        fmt::format("{}: YAML syntax error: {}", ToMark(e.mark, file).ToString(), e.msg));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("{}: cannot parse YAML: {}", file, e.what()));
  }
  if (docs.empty()) {
    Node empty;
    empty.mark = Mark{file, 1, 1};
    return empty;
  }
  if (docs.size() > 1) {
    return Status::InvalidArgument(
        fmt::format("{}: only one YAML document is allowed (remove the second \"---\")",
                    ToMark(docs[1].Mark(), file).ToString()));
  }
  Converter converter(file);
  Node root;
  try {
    if (!converter.Convert(docs[0], 0, root)) {
      return converter.error();
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("{}: cannot read YAML: {}", file, e.what()));
  }
  return root;
}

}  // namespace modelwatch::config
