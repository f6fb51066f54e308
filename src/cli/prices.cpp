// `modelwatch prices [-c FILE]`: the price table in effect (the built-in
// data/prices.yaml, with the config's `prices:` laid over it).
#include "config/prices.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "config/config.h"

namespace modelwatch::cli {
namespace {

std::string Usd(const std::optional<double>& v) { return v ? fmt::format("${:g}", *v) : "-"; }

}  // namespace

int RunPrices(int argc, char** argv) {
  CLI::App app("Print the price table: what one call of each model costs", "modelwatch prices");
  std::string path;
  app.add_option("-c,--config", path, "Config file whose prices: section is laid over the table");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  config::PriceTable table = config::BuiltinPrices();
  if (!path.empty()) {
    Result<config::Config> cfg = config::Load(path);
    if (!cfg) {
      std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
      return 2;
    }
    table = cfg->prices;
  }
  size_t wm = 5;
  for (const config::Price& p : table.entries) {
    wm = std::max(wm, p.model.size());
  }
  std::printf("%s", fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>9}  {:<10}  {}\n", "model", wm,
                                "per image", "in /M", "out /M", "image /M", "date",
                                "per image by shape; source")
                        .c_str());
  for (const config::Price& p : table.entries) {
    std::string shapes;
    for (const auto& [shape, usd] : p.per_image_by) {
      shapes += fmt::format("{}{} ${:g}", shapes.empty() ? "" : ", ", shape, usd);
    }
    std::string tail = shapes.empty() ? p.source : shapes + "; " + p.source;
    std::printf("%s", fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>9}  {:<10}  {}\n", p.model, wm,
                                  Usd(p.per_image), Usd(p.input_per_mtok), Usd(p.output_per_mtok),
                                  Usd(p.image_output_per_mtok), p.date.empty() ? "-" : p.date, tail)
                          .c_str());
  }
  std::printf(
      "prices in USD; token prices per million tokens; a model not listed has no "
      "estimate (add it under prices: or set cost_per_call)\n");
  return 0;
}

}  // namespace modelwatch::cli
