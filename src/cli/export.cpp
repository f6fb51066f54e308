// `modelwatch export`: raw results as CSV (a header row, then one row per
// result) or JSON lines, oldest first per monitor, for pandas or a spreadsheet.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/history.h"
#include "cli/monitor_meta.h"
#include "core/check_result_json.h"

namespace modelwatch::cli {
namespace {

double Ms(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

std::string CsvRow(const CheckResult& r, const MonitorMeta& meta) {
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
  row += "," + CsvField(TierText(meta)) + "," + CsvField(LabelsText(meta));
  row += fmt::format(",{}", ToString(r.mode));  // full or light (docs/cost.md)
  return row;
}

}  // namespace

int RunExport(int argc, char** argv) {
  CLI::App app("Writes raw results as CSV or JSON lines to stdout.");
  History history(app, "monitors to export (default: all)");
  std::string since_text = "30d";
  std::string format = "csv";
  app.add_option("--since", since_text,
                 "results newer than this, e.g. 30m, 24h, 7d (exact: raw results, not rounded)")
      ->capture_default_str();
  app.add_option("--format", format, "csv or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
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
        "image_bytes,cost_usd,tier,labels,check\n");
  }
  // Tier and labels come from the config; results are stored without them.
  std::map<std::string, MonitorMeta> metas;
  Status st = history.store().ScanResults(q, [&](const CheckResult& r) {
    auto it = metas.find(r.monitor);
    if (it == metas.end()) {
      it = metas.emplace(r.monitor, MetaOf(history.config(), r.monitor)).first;
    }
    std::string line;
    if (csv) {
      line = CsvRow(r, it->second);
    } else {
      nlohmann::ordered_json j = ToJson(r);
      AddMetaJson(j, it->second);
      line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
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
