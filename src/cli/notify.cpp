// `modelwatch notify test -c FILE CHANNEL`: sends one realistic sample alert
// through one configured channel and shows what the channel answered.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "config/suggest.h"
#include "core/clock.h"
#include "net/loop.h"
#include "notify/markup.h"
#include "notify/registry.h"
#include "notify/render.h"
#include "notify/sample.h"

namespace modelwatch::cli {
namespace {

std::string RedactFor(const notify::Channel& ch, std::string text) {
  for (const Secret* s : ch.secrets()) {
    text = Redact(std::move(text), *s);
  }
  return text;
}

int SendTest(const notify::Channel& ch, const std::string& language) {
  SystemClock clock;
  WallTime now = clock.WallNow();
  Notification n = notify::SampleNotification(now, language, AlertEventKind::kTest);
  Result<net::Request> req = ch.Render(n, now);
  if (!req) {
    std::fprintf(stderr, "modelwatch notify: channel \"%s\": %s\n", ch.name().c_str(),
                 RedactFor(ch, req.error().message()).c_str());
    return 1;
  }
  std::printf("sending a test alert to \"%s\" (%.*s): %s\n", ch.name().c_str(),
              static_cast<int>(ch.kind().size()), ch.kind().data(), notify::Headline(n).c_str());
  net::Loop loop(clock);
  net::Response response;
  loop.Start(std::move(*req), [&](net::Response&& r) {
    response = std::move(r);
    loop.Stop();
  });
  loop.Run();
  notify::Delivery d = ch.Check(response);
  std::string answer =
      response.error != net::TransferError::kNone
          ? fmt::format("{}: {}", net::ToString(response.error), response.error_message)
          : fmt::format("HTTP {} {}", response.http_status,
                        notify::OneLine(notify::SanitizeUtf8(response.body)));
  answer = notify::TruncateBytes(RedactFor(ch, answer), 500);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(response.phases.total).count();
  if (d.delivered) {
    std::printf("delivered in %lld ms\nanswer: %s\n", static_cast<long long>(ms), answer.c_str());
    return 0;
  }
  std::printf("NOT delivered: %s\n", d.error.c_str());
  if (d.permanent) {
    std::printf("the channel rejected it: check its url, secret and security settings\n");
  }
  if (d.retry_after) {
    std::printf("it asks to wait %lld s before the next message\n",
                static_cast<long long>(d.retry_after->count() / 1000));
  }
  std::printf("answer: %s\n", answer.c_str());
  return 1;
}

}  // namespace

int RunNotify(int argc, char** argv) {
  CLI::App app("Notification channels", "modelwatch notify");
  app.require_subcommand(1);
  CLI::App* test = app.add_subcommand(
      "test", "send a sample alert (a critical Nano Banana Pro server_error) through one channel");
  std::string path = "modelwatch.yaml";
  std::string name;
  std::string language = "en";
  test->add_option("-c,--config", path, "config file")->capture_default_str();
  test->add_option("channel", name, "the channel's name under channels:")->required();
  test->add_option("--language", language, "en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  std::optional<config::Config> cfg = LoadConfigOrExplain(path);
  if (!cfg) {
    return 2;
  }
  config::Diagnostics diag;
  std::map<std::string, notify::ChannelPtr> channels = notify::BuildChannels(cfg->channels, diag);
  if (!diag.empty()) {
    std::fprintf(stderr, "%s\n", diag.ToString().c_str());
    return 2;
  }
  if (name == notify::kLogChannelName) {
    std::fprintf(stderr,
                 "modelwatch notify: \"log\" is the built-in channel that writes to the "
                 "daemon's log; there is nothing to send\n");
    return 2;
  }
  auto it = channels.find(name);
  if (it == channels.end()) {
    std::vector<std::string_view> names;
    for (const auto& [n, ch] : channels) {
      names.push_back(n);
    }
    std::string known =
        names.empty() ? "it has no channels: section" : "channels: " + config::OneOf(names);
    std::fprintf(stderr, "modelwatch notify: no channel \"%s\" in %s%s (%s)\n", name.c_str(),
                 path.c_str(), config::DidYouMean(name, names).c_str(), known.c_str());
    return 2;
  }
  return SendTest(*it->second, language);
}

}  // namespace modelwatch::cli
