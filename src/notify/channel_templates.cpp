#include "notify/channel_templates.h"

#include <utility>

namespace modelwatch::notify {
namespace {

class TemplatedChannel final : public Channel {
 public:
  TemplatedChannel(ChannelPtr inner, config::Templates templates)
      : inner_(std::move(inner)), templates_(std::move(templates)) {}

  // notify::Channel
  const std::string& name() const override { return inner_->name(); }
  std::string_view kind() const override { return inner_->kind(); }
  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    Notification own = n;
    for (const auto& [kind, text] : templates_) {
      own.templates[kind] = text;
    }
    return inner_->Render(own, now);
  }
  Delivery Check(const net::Response& response) const override { return inner_->Check(response); }
  RateLimit rate_limit() const override { return inner_->rate_limit(); }
  std::vector<const Secret*> secrets() const override { return inner_->secrets(); }

 private:
  ChannelPtr inner_;
  config::Templates templates_;
};

}  // namespace

ChannelPtr WithTemplates(ChannelPtr inner, config::Templates templates) {
  if (inner == nullptr || templates.empty()) {
    return inner;
  }
  return std::make_unique<TemplatedChannel>(std::move(inner), std::move(templates));
}

}  // namespace modelwatch::notify
