// `modelwatch export`: raw results as CSV (a header row, then one row per
// result) or JSON lines, oldest first per monitor, for pandas or a spreadsheet.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/history.h"
#include "core/check_result_json.h"

namespace modelwatch::cli {
namespace {

// RFC 4180: quote when needed, double the quotes inside.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    return s;
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

double Ms(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

std::string CsvRow(const CheckResult& r) {
  std::string row = fmt::format(
      "{},{},{},{},{},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f}", FormatIso8601(r.timestamp),
      CsvField(r.monitor), ToString(r.status), r.latency.count(), r.http_status, CsvField(r.error),
      r.retry_after ? std::to_string(r.retry_after->count()) : "", Ms(r.phases.dns),
      Ms(r.phases.connect), Ms(r.phases.tls), Ms(r.phases.first_byte), Ms(r.phases.total));
  if (r.image) {
    row += fmt::format(",{},{},{},{}", ToString(r.image->format), r.image->width, r.image->height,
                       r.image->bytes);
  } else {
    row += ",,,,";
  }
  row += r.cost ? fmt::format(",{}", *r.cost) : ",";
  return row;
}

}  // namespace

int RunExport(int argc, char** argv) {
  CLI::App app("Writes raw results as CSV or JSON lines to stdout.");
  History history(app, "monitors to export (default: all)");
  std::string since_text = "30d";
  std::string format = "csv";
  app.add_option("--since", since_text, "how far back, e.g. 24h, 7d (default 30d)");
  app.add_option("--format", format, "csv or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  auto since = ParseDurationFlag("export", "--since", since_text);
  if (!since) {
    return 2;
  }
  if (auto code = history.Open()) {
    return *code;
  }
  store::ResultQuery q;
  q.monitors = history.asked();
  q.since = SystemClock().WallNow() - *since;
  bool csv = format == "csv";
  if (csv) {
    std::printf(
        "timestamp,monitor,status,latency_ms,http_status,error,retry_after_s,dns_ms,"
        "connect_ms,tls_ms,first_byte_ms,total_ms,image_format,image_width,image_height,"
        "image_bytes,cost_usd\n");
  }
  Status st = history.store().ScanResults(q, [&](const CheckResult& r) {
    std::string line = csv ? CsvRow(r) : ToJsonLine(r);
    line += '\n';
    return std::fwrite(line.data(), 1, line.size(), stdout) == line.size();
  });
  if (!st.ok()) {
    std::fprintf(stderr, "modelwatch export: %s\n", st.message().c_str());
    return 1;
  }
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "modelwatch export: cannot write to stdout\n");
    return 1;
  }
  return 0;
}

}  // namespace modelwatch::cli
