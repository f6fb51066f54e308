#include "notify/channels/email.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "config/fields.h"
#include "notify/channel_config.h"
#include "notify/channels/email_message.h"
#include "notify/markup.h"
#include "notify/render.h"

namespace modelwatch::notify {
namespace {

constexpr std::array<std::string_view, 6> kKeys = {"smtp",     "from",     "to",
                                                   "username", "password", "starttls"};

// "Name <a@b>" or "a@b", split; nullopt when it is not an address.
struct Address {
  std::string display;  // may be empty
  std::string addr;     // a@b
};

std::optional<Address> ParseAddress(std::string_view text) {
  Address a;
  std::string_view s = text;
  size_t lt = s.rfind('<');
  if (lt != std::string_view::npos) {
    if (!s.ends_with('>')) {
      return std::nullopt;
    }
    std::string_view name = s.substr(0, lt);
    while (!name.empty() && name.back() == ' ') {
      name.remove_suffix(1);
    }
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    a.display = std::string(name);
    s = s.substr(lt + 1, s.size() - lt - 2);
  }
  size_t at = s.find('@');
  if (s.empty() || at == 0 || at == std::string_view::npos || at + 1 == s.size() ||
      s.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos ||
      a.display.find_first_of("\r\n\"") != std::string::npos) {
    return std::nullopt;
  }
  a.addr = std::string(s);
  return a;
}

std::string HeaderAddress(const Address& a) {
  if (a.display.empty()) {
    return a.addr;
  }
  std::string name = EncodeHeaderText(a.display);
  bool encoded = name.starts_with("=?");
  return encoded ? fmt::format("{} <{}>", name, a.addr) : fmt::format("\"{}\" <{}>", name, a.addr);
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h = (h ^ c) * 1099511628211ull;
  }
  return h;
}

// Both parts come from the shared renderer (notify/render.h), so an email
// says what every other channel says. The HTML part is the renderer's HTML
// dialect (escaped text, <b>, <code>, <a href>) with its line breaks kept.
std::string TextBody(const Notification& n) {
  RenderOptions o;
  o.markup = Markup::kPlain;
  return RenderText(n, o) + "\n";
}

std::string HtmlBody(const Notification& n) {
  RenderOptions o;
  o.markup = Markup::kHtml;
  return "<!DOCTYPE html>\n<html><body>\n<div style=\"font-family:sans-serif;"
         "white-space:pre-wrap\">" +
         RenderText(n, o) + "</div>\n</body></html>\n";
}

class EmailChannel final : public Channel {
 public:
  EmailChannel(std::string name, std::string url, Address from, std::vector<Address> to,
               std::string username, Secret password, bool starttls)
      : name_(std::move(name)),
        url_(std::move(url)),
        from_(std::move(from)),
        to_(std::move(to)),
        username_(std::move(username)),
        password_(std::move(password)),
        starttls_(starttls) {}

  // notify::Channel
  const std::string& name() const override { return name_; }
  std::string_view kind() const override { return "email"; }

  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    net::Request r;
    r.url = url_;
    r.mail_from = "<" + from_.addr + ">";
    for (const Address& a : to_) {
      r.mail_rcpt.push_back("<" + a.addr + ">");
    }
    r.username = username_;
    r.password = password_.reveal();
    r.require_tls = starttls_;
    // Stable over retries of one notification, so a receiver may drop a
    // copy it already has.
    uint64_t h = Fnv1a(ToJson(n).dump());
    std::string domain = from_.addr.substr(from_.addr.find('@') + 1);
    std::string to;
    for (const Address& a : to_) {
      to += (to.empty() ? "" : ",\r\n ") + HeaderAddress(a);
    }
    std::vector<std::string> headers = {
        "From: " + HeaderAddress(from_),
        "To: " + to,
        "Date: " + Rfc5322Date(now),
        "Subject: " + EncodeHeaderText(Headline(n)),
        fmt::format("Message-ID: <{:016x}.modelwatch@{}>", h, domain),
        "X-Modelwatch-Level: " + std::string(ToString(n.level)),
    };
    r.body = MultipartMessage(
        headers, fmt::format("=_mw_{:016x}", h),
        {{"text/plain; charset=UTF-8", TextBody(n)}, {"text/html; charset=UTF-8", HtmlBody(n)}});
    return r;
  }

  Delivery Check(const net::Response& response) const override {
    Delivery d;
    int code = response.http_status;
    if (response.error == net::TransferError::kNone && code >= 200 && code < 300) {
      d.delivered = true;
      return d;
    }
    d.error = code != 0 ? fmt::format("SMTP {}: {}", code, response.error_message)
                        : fmt::format("SMTP: {}", response.error_message);
    d.error = Redact(std::move(d.error), password_);
    d.permanent = code >= 500;
    return d;
  }

  std::vector<const Secret*> secrets() const override { return {&password_}; }

 private:
  std::string name_;
  std::string url_;
  Address from_;
  std::vector<Address> to_;
  std::string username_;
  Secret password_;
  bool starttls_;
};

std::optional<Address> ReadAddress(const config::Scope& scope, const config::Node& entry,
                                   const std::string& where) {
  if (entry.interpolation_failed) {
    return std::nullopt;
  }
  if (!entry.IsScalar()) {
    scope.Child(where).Error(
        entry.mark, fmt::format("must be an email address, not {}", config::Describe(entry.type)));
    return std::nullopt;
  }
  std::optional<Address> a = ParseAddress(entry.value);
  if (!a) {
    scope.Child(where).Error(entry.mark,
                             fmt::format("\"{}\" is not an email address (expected e.g. "
                                         "alerts@example.com or \"Alerts <alerts@example.com>\")",
                                         entry.value));
  }
  return a;
}

}  // namespace

ChannelPtr MakeEmailChannel(const config::Scope& scope, const std::string& name,
                            const config::Node& node) {
  size_t before = scope.diag().size();
  if (!config::ExpectMap(scope, node)) {
    return nullptr;
  }
  // `kind` and `templates` too, as every channel.
  CheckChannelKeys(scope, node, kKeys);
  auto missing = [&](std::string_view key) {
    scope.Error(node.mark, fmt::format("missing key \"{}\"", key));
  };

  std::string url;
  bool implicit_tls = false;
  if (const config::Node* e = node.Find("smtp")) {
    if (std::optional<std::string> s = config::ReadString(scope, *e)) {
      std::string_view v = *s;
      implicit_tls = v.starts_with("smtps://");
      std::string_view rest =
          v.substr(v.find("://") == std::string_view::npos ? 0 : v.find("://") + 3);
      if (!v.starts_with("smtp://") && !implicit_tls) {
        scope.Child("smtp").Error(e->mark, fmt::format("\"{}\" must start with smtp:// (port "
                                                       "587, STARTTLS) or smtps:// (port 465)",
                                                       v));
      } else if (rest.empty() || rest[0] == '/' || rest[0] == ':' ||
                 rest.find_first_of(" \t\r\n") != std::string_view::npos) {
        scope.Child("smtp").Error(e->mark, fmt::format("\"{}\" names no host", v));
      } else if (rest.substr(0, rest.find('/')).find('@') != std::string_view::npos) {
        // Never print it: it holds a login.
        scope.Child("smtp").Error(e->mark,
                                  "must not hold a login: use the username and password keys");
      } else {
        url = *s;
      }
    }
  } else {
    missing("smtp");
  }

  std::optional<Address> from;
  if (const config::Node* e = node.Find("from")) {
    from = ReadAddress(scope, *e, "from");
  } else {
    missing("from");
  }

  std::vector<Address> to;
  if (const config::Node* e = node.Find("to")) {
    if (e->IsSequence()) {
      if (e->items.empty()) {
        scope.Child("to").Error(e->mark, "must name at least one address");
      }
      for (size_t i = 0; i < e->items.size(); ++i) {
        if (auto a = ReadAddress(scope, e->items[i], fmt::format("to[{}]", i))) {
          to.push_back(*a);
        }
      }
    } else if (auto a = ReadAddress(scope, *e, "to")) {
      to.push_back(*a);
    }
  } else {
    missing("to");
  }

  std::string username;
  Secret password;
  const config::Node* user_node = node.Find("username");
  const config::Node* pass_node = node.Find("password");
  if (user_node != nullptr) {
    username = config::ReadString(scope, *user_node).value_or("");
  }
  if (pass_node != nullptr) {
    password = config::ReadSecret(scope, *pass_node).value_or(Secret());
  }
  if ((user_node == nullptr) != (pass_node == nullptr)) {
    const config::Node* given = user_node != nullptr ? user_node : pass_node;
    scope.Error(given->key_mark, "username and password go together: give both or neither");
  }

  bool starttls = !implicit_tls;
  if (const config::Node* e = node.Find("starttls")) {
    if (implicit_tls) {
      scope.Child("starttls")
          .Error(e->key_mark, "applies to smtp:// only (smtps:// is TLS from the start)");
    } else if (std::optional<bool> b = config::ReadBool(scope, *e)) {
      starttls = *b;
    }
  }

  if (scope.diag().size() != before || !from || to.empty() || url.empty()) {
    return nullptr;
  }
  return std::make_unique<EmailChannel>(name, std::move(url), std::move(*from), std::move(to),
                                        std::move(username), std::move(password), starttls);
}

}  // namespace modelwatch::notify
