// The YAML edge, on libyaml's event parser (the reference C implementation,
// fuzzed for years). yaml-cpp 0.7, as Debian 12 ships it, hangs on some
// four-byte inputs, lets aliases expand without bound and aborts on merge
// keys; a config is user input, so the tree is built here from events with
// explicit bounds: nesting depth, and the number of values the document
// expands to once aliases are copied.
#include "config/yaml_edge.h"

#include <fmt/format.h>
#include <yaml.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace modelwatch::config {

namespace {

// A config file is never this deep; libyaml itself keeps its state on the
// heap, so the bound is ours, for a clear message.
constexpr int kMaxDepth = 64;
// Values a document may expand to once every alias is copied: a thousand
// monitors take about thirty thousand.
constexpr size_t kMaxValues = 200'000;

size_t CountValues(const Node& n) {
  size_t count = 1;
  for (const Node& c : n.items) {
    count += CountValues(c);
  }
  return count;
}

bool IsMergeKey(const Node& key) { return key.IsScalar() && !key.quoted && key.value == "<<"; }

// One open sequence or map.
struct Frame {
  Node node;
  std::string anchor;
  // Maps: the key read and waiting for its value.
  std::optional<Node> key;
  std::vector<size_t> merges;  // indices in node.items of `<<` entries
};

class Builder {
 public:
  explicit Builder(const std::string& file) : file_(file) {}

  Result<Node> Parse(std::string_view text) {
    text_ = text;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      return Status::Internal(file_ + ": cannot start the YAML parser (out of memory)");
    }
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    bool done = false;
    while (!done && error_.ok()) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        error_ = SyntaxError(parser);
        break;
      }
      done = ev.type == YAML_STREAM_END_EVENT;
      OnEvent(ev);
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!error_.ok()) {
      return error_;
    }
    if (!root_) {
      Node empty;
      empty.mark = Mark{file_, 1, 1};
      return empty;
    }
    return std::move(*root_);
  }

 private:
  Mark MarkOf(const yaml_mark_t& m) const {
    return Mark{file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  }

  // Whether only spaces and tabs precede byte `offset` on its line.
  bool Indents(size_t offset) const {
    size_t line_start = text_.rfind('\n', offset);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    return text_.substr(line_start, offset - line_start).find_first_not_of(" \t") ==
           std::string_view::npos;
  }

  // The syntax errors people make most, in plain words, at the place to fix:
  // a tab (YAML indents with spaces only) and a quote that is never closed.
  std::optional<Status> CommonSyntaxError(const yaml_parser_t& p) {
    auto error = [&](const yaml_mark_t& at, std::string_view message) {
      return Status::InvalidArgument(
          fmt::format("{}: YAML syntax error: {}", MarkOf(at).ToString(), message));
    };
    if (p.problem != nullptr) {
      size_t offset = ByteOffset(p.problem_mark.index);
      if (offset < text_.size() && text_[offset] == '\t') {
        return error(p.problem_mark, Indents(offset)
                                         ? "tab characters are not allowed for indentation "
                                           "in YAML; use spaces"
                                         : "a tab character is not allowed here in YAML; "
                                           "use spaces");
      }
    }
    if (p.problem != nullptr && p.context != nullptr &&
        std::string_view(p.context) == "while scanning a quoted scalar" &&
        std::string_view(p.problem).find("end of stream") != std::string_view::npos) {
      size_t offset = ByteOffset(p.context_mark.index);
      char quote = offset < text_.size() ? text_[offset] : '"';
      std::string place = MarkOf(p.context_mark).ToString().substr(file_.size() + 1);
      return error(p.context_mark,
                   fmt::format("unterminated quoted string starting at {}: the closing {} is "
                               "missing",
                               place, quote));
    }
    return std::nullopt;
  }

  Status SyntaxError(const yaml_parser_t& p) {
    if (std::optional<Status> common = CommonSyntaxError(p)) {
      return *common;
    }
    const yaml_mark_t& at = p.problem ? p.problem_mark : p.context_mark;
    std::string message = p.problem ? p.problem : "malformed YAML";
    if (p.context) {
      message += fmt::format(" ({} that starts at {})", p.context,
                             MarkOf(p.context_mark).ToString().substr(file_.size() + 1));
    }
    return Status::InvalidArgument(
        fmt::format("{}: YAML syntax error: {}", MarkOf(at).ToString(), message));
  }

  // libyaml counts characters; Node::offset is a byte offset into the text.
  // Asked in mostly increasing order, so a cursor makes this linear.
  size_t ByteOffset(size_t char_index) {
    if (char_index < cursor_chars_) {
      cursor_chars_ = 0;
      cursor_bytes_ = 0;
    }
    while (cursor_chars_ < char_index && cursor_bytes_ < text_.size()) {
      ++cursor_bytes_;
      while (cursor_bytes_ < text_.size() &&
             (static_cast<unsigned char>(text_[cursor_bytes_]) & 0xC0) == 0x80) {
        ++cursor_bytes_;
      }
      ++cursor_chars_;
    }
    return cursor_bytes_;
  }

  void Fail(const Mark& at, std::string_view message) {
    if (error_.ok()) {
      error_ = Status::InvalidArgument(fmt::format("{}: {}", at.ToString(), message));
    }
  }

  bool Count(size_t values, const Mark& at) {
    values_ += values;
    if (values_ > kMaxValues) {
      Fail(at, fmt::format("the document expands to more than {} values (an alias that repeats "
                           "itself?)",
                           kMaxValues));
      return false;
    }
    return true;
  }

  void Start(Node::Type type, const yaml_event_t& ev, const char* anchor) {
    const Mark at = MarkOf(ev.start_mark);
    if (BeginValue(at) && Count(1, at)) {
      if (stack_.size() >= kMaxDepth) {
        Fail(at, "nesting is too deep");
        return;
      }
      Frame& f = stack_.emplace_back();
      f.node.type = type;
      f.node.mark = at;
      f.node.offset = ByteOffset(ev.start_mark.index);
      f.anchor = anchor ? anchor : "";
    }
  }

  // Before a value starts: refuses a second document.
  bool BeginValue(const Mark& at) {
    if (documents_ > 1 && stack_.empty()) {
      Fail(at, "only one YAML document is allowed (remove the second \"---\")");
      return false;
    }
    return true;
  }

  void OnEvent(const yaml_event_t& ev) {
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        ++documents_;
        return;
      case YAML_SCALAR_EVENT: {
        const Mark at = MarkOf(ev.start_mark);
        if (!BeginValue(at) || !Count(1, at)) {
          return;
        }
        Node n;
        n.mark = at;
        n.offset = ByteOffset(ev.start_mark.index);
        n.value.assign(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
        const bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n.quoted = !plain;
        const bool untagged = ev.data.scalar.tag == nullptr;
        if (plain && untagged &&
            (n.value.empty() || n.value == "~" || n.value == "null" || n.value == "Null" ||
             n.value == "NULL")) {
          n.type = Node::Type::kNull;
          n.value.clear();
        } else {
          n.type = Node::Type::kScalar;
        }
        const bool empty = ev.data.scalar.length == 0 && plain;
        Finish(std::move(n),
               ev.data.scalar.anchor ? reinterpret_cast<const char*>(ev.data.scalar.anchor) : "",
               empty);
        return;
      }
      case YAML_ALIAS_EVENT: {
        const Mark at = MarkOf(ev.start_mark);
        const std::string name = reinterpret_cast<const char*>(ev.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          Fail(at, fmt::format("unknown alias *{} (an anchor is used before its &{} is complete, "
                               "or never defined)",
                               name, name));
          return;
        }
        if (!BeginValue(at) || !Count(it->second.values, at)) {
          return;
        }
        Node copy = it->second.node;
        copy.mark = at;
        copy.offset = ByteOffset(ev.start_mark.index);
        Finish(std::move(copy), "");
        return;
      }
      case YAML_SEQUENCE_START_EVENT:
        Start(Node::Type::kSequence, ev, reinterpret_cast<const char*>(ev.data.sequence_start.anchor));
        return;
      case YAML_MAPPING_START_EVENT:
        Start(Node::Type::kMap, ev, reinterpret_cast<const char*>(ev.data.mapping_start.anchor));
        return;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        if (stack_.empty()) {
          return;
        }
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.node.IsMap() && !f.merges.empty() && !Merge(f)) {
          return;
        }
        Finish(std::move(f.node), f.anchor);
        return;
      }
      default:
        return;
    }
  }

  // A complete value: into its parent, or the document's root.
  void Finish(Node n, const std::string& anchor, bool empty_scalar = false) {
    if (!anchor.empty()) {
      anchors_[anchor] = Anchored{n, CountValues(n)};
    }
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.IsSequence()) {
      parent.node.items.push_back(std::move(n));
      return;
    }
    if (!parent.key) {
      if (n.IsSequence() || n.IsMap()) {
        Fail(n.mark, "a map key must be a plain string");
        return;
      }
      parent.key = std::move(n);
      return;
    }
    Node key = std::move(*parent.key);
    parent.key.reset();
    n.key = key.value;
    n.key_mark = key.mark;
    // `key:` with nothing after it: the key is the place to point at.
    if (n.IsNull() && (empty_scalar || n.mark.line != key.mark.line)) {
      n.mark = key.mark;
      n.offset = key.offset;
    }
    if (IsMergeKey(key)) {
      parent.merges.push_back(parent.node.items.size());
    }
    parent.node.items.push_back(std::move(n));
  }

  // `<<: *defaults` or `<<: [*a, *b]`: entries of the merged maps that the
  // map does not set itself, earlier maps first (YAML's merge key).
  bool Merge(Frame& f) {
    std::vector<Node> sources;
    std::vector<Node> own;
    size_t next = 0;
    for (size_t i = 0; i < f.node.items.size(); ++i) {
      Node& item = f.node.items[i];
      if (next < f.merges.size() && f.merges[next] == i) {
        ++next;
        if (item.IsMap()) {
          sources.push_back(std::move(item));
        } else if (item.IsSequence() &&
                   std::all_of(item.items.begin(), item.items.end(),
                               [](const Node& m) { return m.IsMap(); })) {
          for (Node& m : item.items) {
            sources.push_back(std::move(m));
          }
        } else {
          Fail(item.mark, "'<<' merges a map or a list of maps (e.g. <<: *defaults)");
          return false;
        }
      } else {
        own.push_back(std::move(item));
      }
    }
    for (Node& source : sources) {
      for (Node& entry : source.items) {
        const bool present = std::any_of(own.begin(), own.end(),
                                         [&](const Node& o) { return o.key == entry.key; });
        if (!present) {
          own.push_back(std::move(entry));
        }
      }
    }
    f.node.items = std::move(own);
    return true;
  }

  struct Anchored {
    Node node;
    size_t values = 0;
  };

  const std::string& file_;
  Status error_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchored> anchors_;
  std::optional<Node> root_;
  int documents_ = 0;
  std::string_view text_;
  size_t cursor_chars_ = 0;
  size_t cursor_bytes_ = 0;
  size_t values_ = 0;
};

}  // namespace

Result<Node> ParseYaml(std::string_view text, const std::string& file) {
  Builder builder(file);
  return builder.Parse(text);
}

}  // namespace modelwatch::config
