#include <fmt/format.h>

#include "web/html.h"
#include "web/pages.h"

namespace modelwatch::web {

namespace {

constexpr std::string_view kCss = R"css(
:root{--bg:#f6f7f9;--fg:#1b1f24;--muted:#5b6470;--card:#fff;--line:#dde1e6;
--ok:#1f9d55;--warn:#d69e2e;--bad:#d64545;--none:#c8cdd3;--accent:#2b6cb0;--p95:#d64545;--avg:#2b6cb0}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e9ed;--muted:#9aa4af;--card:#1a1e24;
--line:#2c323a;--ok:#38b26b;--warn:#e0b040;--bad:#f06060;--none:#3a414a;--accent:#63a4ff;--avg:#63a4ff;--p95:#f06060}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5em 1.5em;align-items:center;padding:.6em 1.2em;background:var(--card);border-bottom:1px solid var(--line)}
header h1{font-size:1.15em;margin:0}header nav a{margin-right:1em}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
main{padding:1em 1.2em;max-width:1500px;margin:0 auto}
h2{font-size:1.05em;margin:1.2em 0 .5em}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8em 1em;margin-bottom:1em;overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{padding:.35em .6em;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap}
th{color:var(--muted);font-weight:600;font-size:.85em}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.h-normal{color:var(--ok)}.h-warning{color:var(--warn)}.h-alert{color:var(--bad);font-weight:600}.h-unknown{color:var(--muted)}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em;vertical-align:-.05em}
.s-up .dot{background:var(--ok)}.s-down .dot{background:var(--bad)}.s-limited .dot{background:var(--warn)}.s-unknown .dot{background:var(--none)}
.muted{color:var(--muted)}.err{color:var(--bad);white-space:pre-wrap;word-break:break-word}
svg.bars{display:block;width:100%;min-width:180px;height:22px}svg.bars .b0{fill:var(--ok)}svg.bars .b1{fill:var(--warn)}svg.bars .b2{fill:var(--bad)}svg.bars .bn{fill:var(--none)}
svg.chart{width:100%;height:260px;display:block}svg.chart .avg{stroke:var(--avg);fill:none;stroke-width:1.5}
svg.chart .p95{stroke:var(--p95);fill:none;stroke-width:1.5}svg.chart .thr{stroke:var(--warn);stroke-dasharray:6 4;stroke-width:1}
svg.chart text{fill:var(--muted);font-size:11px}svg.chart .grid{stroke:var(--line);stroke-width:1}
details.group>summary{cursor:pointer;font-weight:600;padding:.3em 0;list-style-position:inside}
details.group>summary .muted{font-weight:400}
.toolbar{display:flex;gap:.8em;align-items:center;flex-wrap:wrap;margin-bottom:.8em}
.toolbar input{font:inherit;padding:.4em .6em;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg);min-width:16em}
.pill{display:inline-block;padding:.05em .5em;border-radius:999px;border:1px solid var(--line);font-size:.85em}
.legend span{margin-right:1em}.legend i{display:inline-block;width:1.2em;height:3px;vertical-align:middle;margin-right:.3em}
#tip{position:fixed;pointer-events:none;background:var(--card);color:var(--fg);border:1px solid var(--line);border-radius:6px;padding:.3em .6em;font-size:.85em;display:none;z-index:9;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:1em}
.sbar{display:flex;height:14px;border-radius:4px;overflow:hidden;background:var(--none)}
table.ov td:nth-child(2){color:var(--muted)}table.ov td:nth-child(3){color:var(--muted)}
table.ov td:nth-child(n+3):nth-child(-n+6),table.ov th:nth-child(n+3):nth-child(-n+6){text-align:right;font-variant-numeric:tabular-nums}
table.ov td.b9{width:30%}table.ov td.b2{width:14%}
.srcs td:nth-child(4){white-space:normal;word-break:break-word;min-width:16em}
.kpi{display:flex;flex-wrap:wrap;gap:1.5em}.kpi div b{display:block;font-size:1.4em}
@media (max-width:700px){main{padding:.6em}th,td{padding:.3em .35em}.hide-s{display:none}
table.ov td:nth-child(2),table.ov th:nth-child(2),table.ov td:nth-child(5),table.ov th:nth-child(5),table.ov td:nth-child(n+7),table.ov th:nth-child(n+7){display:none}}
)css";

}  // namespace

std::string_view ContentSecurityPolicy() {
  return "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
         "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

std::string RenderPage(const config::Config& cfg, std::string_view page_title,
                       const std::string& body) {
  std::string out;
  out.reserve(body.size() + kCss.size() + 1024);
  out +=
      "<!doctype html><html lang=en><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>";
  AppendEscaped(out, page_title);
  out += " · ";
  AppendEscaped(out, cfg.web.title);
  out += "</title><style>";
  out += kCss;
  out += "</style></head><body><header><h1><a href=\"/\">";
  AppendEscaped(out, cfg.web.title);
  out +=
      "</a></h1><nav><a href=\"/\">Overview</a><a href=\"/compare\">Compare</a>"
      "<a href=\"/api/v1/dashboard\">API</a><a href=\"/metrics\">Metrics</a></nav>"
      "<span class=muted id=updated></span></header><main>";
  out += body;
  out += "</main><div id=tip></div><script src=\"/static/app.js\"></script></body></html>";
  return out;
}

std::string_view StatusClass(std::optional<CheckStatus> s) {
  if (!s) {
    return "s-unknown";
  }
  if (IsSuccess(*s)) {
    return "s-up";
  }
  if (*s == CheckStatus::kRateLimited) {
    return "s-limited";
  }
  return "s-down";
}

}  // namespace modelwatch::web
