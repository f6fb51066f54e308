// SVG badges for READMEs: /badge/{monitor}/uptime?window=7d, /latency, /status.
#include <fmt/format.h>

#include "web/html.h"
#include "web/routes.h"

namespace modelwatch::web {

namespace {

std::string_view Colour(store::Health h) {
  switch (h) {
    case store::Health::kNormal:
      return "#4c1";
    case store::Health::kWarning:
      return "#dfb317";
    case store::Health::kAlert:
      return "#e05d44";
    case store::Health::kUnknown:
      break;
  }
  return "#9f9f9f";
}

// Verdana 11px is about 6.5 px a character on average.
int TextWidth(std::string_view s) { return static_cast<int>(s.size() * 6.5) + 10; }

std::string Svg(std::string_view label, std::string_view value, std::string_view colour) {
  int lw = TextWidth(label), vw = TextWidth(value);
  std::string l = EscapeHtml(label), v = EscapeHtml(value);
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"20\" role=\"img\" "
      "aria-label=\"{1}: {2}\"><title>{1}: {2}</title><rect width=\"{3}\" height=\"20\" "
      "fill=\"#555\"/><rect x=\"{3}\" width=\"{4}\" height=\"20\" fill=\"{5}\"/>"
      "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
      "font-size=\"11\"><text x=\"{6}\" y=\"14\">{1}</text><text x=\"{7}\" y=\"14\">{2}</text>"
      "</g></svg>",
      lw + vw, l, v, lw, vw, colour, lw / 2, lw + vw / 2);
}

}  // namespace

Response Badge(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  const MonitorView* m = data->Find(req.params.at(0));
  if (m == nullptr) {
    return JsonError(404, fmt::format("no monitor named \"{}\"", req.params[0].substr(0, 200)));
  }
  const std::string& what = req.params.at(1);
  std::string window = req.Query("window", what == "latency" ? "24h" : "7d");
  int wi = -1;
  for (int i = 0; i < store::kWindowCount; ++i) {
    if (store::WindowName(i) == window) {
      wi = i;
    }
  }
  if (wi < 0) {
    return JsonError(400, "window must be one of 1h, 6h, 24h, 7d, 30d");
  }
  const store::WindowStats& w = m->windows.windows[wi];
  Response r;
  r.content_type = "image/svg+xml";
  r.headers.emplace_back("Cache-Control", "max-age=60");
  if (what == "uptime") {
    r.body = Svg(fmt::format("uptime {}", window), FormatPercent(w.availability),
                 Colour(w.availability_health));
  } else if (what == "latency") {
    r.body = Svg(fmt::format("p95 {}", window),
                 FormatMillis(w.latency ? std::optional<double>(w.latency->p95) : std::nullopt),
                 Colour(w.latency_health));
  } else {
    auto live = env.live != nullptr ? env.live->Get() : nullptr;
    Current c = CurrentOf(*m, live.get());
    std::string_view text = !c.status                                ? "unknown"
                            : IsSuccess(*c.status)                   ? "up"
                            : *c.status == CheckStatus::kRateLimited ? "rate limited"
                                                                     : "down";
    store::Health h = !c.status                                ? store::Health::kUnknown
                      : IsSuccess(*c.status)                   ? store::Health::kNormal
                      : *c.status == CheckStatus::kRateLimited ? store::Health::kWarning
                                                               : store::Health::kAlert;
    r.body = Svg(m->name, text, Colour(h));
  }
  return r;
}

}  // namespace modelwatch::web
