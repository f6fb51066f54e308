#include "config/interpolate.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace modelwatch::config {

namespace {

bool IsValidName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// The index of the "}" closing the "${" at `start`, or npos. Braces nest so
// that a default may itself hold ${OTHER}.
size_t FindClose(std::string_view text, size_t start) {
  int depth = 0;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] == '{') {
      ++depth;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The place in `source` of the "${" found at `offset` in a scalar's value:
// the same count of "${" precedes it in both, since escapes and folding
// never make or break one.
Mark PlaceOf(const Node& node, std::string_view value, size_t offset, std::string_view source) {
  size_t before = 0;
  for (size_t p = value.find("${"); p != std::string_view::npos && p < offset;
       p = value.find("${", p + 1)) {
    ++before;
  }
  size_t pos =
      node.offset > source.size() ? std::string_view::npos : source.find("${", node.offset);
  for (size_t i = 0; i < before && pos != std::string_view::npos; ++i) {
    pos = source.find("${", pos + 1);
  }
  if (pos == std::string_view::npos) {
    return node.mark;
  }
  Mark m = node.mark;
  for (size_t i = node.offset; i < pos; ++i) {
    if (source[i] == '\n') {
      ++m.line;
      m.col = 1;
    } else {
      ++m.col;
    }
  }
  return m;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) {
      return std::nullopt;
    }
    return std::string(v);
  };
}

namespace {

// A key, token or password has no sensible default: say how to set it.
bool LooksSecret(std::string_view name) {
  for (std::string_view part : {"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"}) {
    if (name.find(part) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string UnsetText(std::string_view name) {
  if (LooksSecret(name)) {
    return fmt::format(
        "environment variable {} is not set (export it, or put it in the service's environment "
        "file; `modelwatch validate --allow-missing-env` checks the rest without it)",
        name);
  }
  return fmt::format("environment variable {0} is not set (use ${{{0}:-default}} to give a "
                     "default)",
                     name);
}

// ${A:-${B:-x}} nests; no real config goes deeper than a few levels, and a
// bound keeps a hostile one from exhausting the stack.
constexpr int kMaxDefaultDepth = 8;

Interpolated InterpolateAt(std::string_view text, const EnvLookup& env, int depth) {
  Interpolated out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size() || (text[i + 1] != '$' && text[i + 1] != '{')) {
      out.text += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out.text += '$';
      i += 2;
      continue;
    }
    size_t close = FindClose(text, i + 1);
    if (close == std::string_view::npos) {
      out.problems.push_back({i,
                              "unterminated \"${\" (close it with \"}\", or write $$ for a "
                              "literal $)"});
      out.text += text.substr(i);
      break;
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    size_t sep = inner.find(":-");
    std::string_view name = inner.substr(0, sep);
    if (!IsValidName(name)) {
      out.problems.push_back(
          {i, fmt::format("invalid variable reference \"${{{}}}\": use ${{NAME}} or "
                          "${{NAME:-default}} with a name of letters, digits and _ "
                          "(write $$ for a literal $)",
                          inner)});
      i = close + 1;
      continue;
    }
    std::optional<std::string> value = env(std::string(name));
    if (sep != std::string_view::npos) {
      if (value && !value->empty()) {
        out.text += *value;
      } else {
        size_t default_start = i + 2 + sep + 2;
        if (depth >= kMaxDefaultDepth) {
          out.problems.push_back(
              {i, fmt::format("defaults nested more than {} deep (\"${{A:-${{B:-...}}}}\")",
                              kMaxDefaultDepth)});
          i = close + 1;
          continue;
        }
        Interpolated def = InterpolateAt(inner.substr(sep + 2), env, depth + 1);
        out.text += def.text;
        for (InterpolationProblem& p : def.problems) {
          out.problems.push_back({p.offset + default_start, std::move(p.message), p.unset_variable});
        }
      }
    } else if (value) {
      out.text += *value;
    } else {
      out.problems.push_back({i, UnsetText(name), true});
    }
    i = close + 1;
  }
  return out;
}

}  // namespace

Interpolated Interpolate(std::string_view text, const EnvLookup& env) {
  return InterpolateAt(text, env, 0);
}

namespace {

void InterpolateNode(Node& root, std::string_view source, const EnvLookup& env, bool allow_unset,
                     Diagnostics& diag) {
  if (root.IsScalar()) {
    if (root.value.find('$') == std::string::npos) {
      return;
    }
    Interpolated result = Interpolate(root.value, env);
    for (const InterpolationProblem& p : result.problems) {
      if (!(allow_unset && p.unset_variable)) {
        diag.Add(PlaceOf(root, root.value, p.offset, source), p.message);
      }
    }
    root.interpolation_failed = !result.problems.empty();
    root.value = std::move(result.text);
    return;
  }
  for (Node& child : root.items) {
    InterpolateNode(child, source, env, allow_unset, diag);
  }
}

void FindUnset(const Node& root, std::string_view source, const EnvLookup& env,
               Diagnostics& diag) {
  if (root.IsScalar()) {
    if (root.value.find('$') == std::string::npos) {
      return;
    }
    for (const InterpolationProblem& p : Interpolate(root.value, env).problems) {
      if (p.unset_variable) {
        std::string_view ref = std::string_view(root.value).substr(p.offset + 2);
        std::string_view name = ref.substr(0, ref.find_first_of(":}"));
        diag.Add(PlaceOf(root, root.value, p.offset, source),
                 fmt::format("warning: environment variable {} is not set; checked without it "
                             "(--allow-missing-env)",
                             name));
      }
    }
    return;
  }
  for (const Node& child : root.items) {
    FindUnset(child, source, env, diag);
  }
}

}  // namespace

void InterpolateTree(Node& root, std::string_view source, const EnvLookup& env, Diagnostics& diag) {
  std::optional<std::string> allow = env(kAllowMissingEnv);
  InterpolateNode(root, source, env, allow && *allow == "1", diag);
}

std::vector<std::string> UnsetVariables(const Node& root, std::string_view source,
                                        const EnvLookup& env) {
  Diagnostics diag;
  FindUnset(root, source, env, diag);
  return diag.Lines();
}

}  // namespace modelwatch::config
