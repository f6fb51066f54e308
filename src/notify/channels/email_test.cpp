#include "notify/channels/email.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/yaml_edge.h"
#include "core/base64.h"
#include "net/loop.h"
#include "net/smtp_test_receiver.h"
#include "notify/render.h"

namespace modelwatch::notify {
namespace {

// The channel built from `yaml` (the map under channels.<name>), and the
// problems reported.
struct Built {
  ChannelPtr channel;
  std::string problems;
};
Built Build(const std::string& yaml) {
  Result<config::Node> root = config::ParseYaml(yaml, "cfg.yaml");
  EXPECT_TRUE(root.has_value());
  config::Diagnostics diag;
  config::Scope scope(diag, "channels \"mail\"");
  Built b;
  b.channel = MakeEmailChannel(scope, "mail", *root);
  b.problems = diag.ToString();
  return b;
}

Notification Sample() {
  Notification n;
  n.title = "DALL·E 3 不可用 <critical>";
  n.level = AlertLevel::kCritical;
  n.dashboard_url = "https://monitor.example/d?a=1&b=2";
  AlertItem a;
  a.monitor = "dalle";
  a.model = "dall-e-3";
  a.provider = "openai";
  a.summary = "3 failures in a row (server_error)";
  a.error = "upstream <timeout> & retry";
  a.http_status = 500;
  n.items.push_back(a);
  return n;
}

// A received message, split: headers unfolded, parts decoded.
struct Parsed {
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> parts;  // content type, decoded body
  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) {
        return v;
      }
    }
    return "";
  }
};

std::vector<std::pair<std::string, std::string>> ParseHeaders(const std::string& block) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string::npos) {
      end = block.size();
    }
    std::string line = block.substr(pos, end - pos);
    pos = end + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
      out.back().second += line;  // folded
      continue;
    }
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  return out;
}

Parsed ParseMessage(const std::string& data) {
  Parsed p;
  size_t split = data.find("\r\n\r\n");
  p.headers = ParseHeaders(data.substr(0, split));
  std::string ct = p.Header("Content-Type");
  size_t b = ct.find("boundary=\"");
  std::string boundary = "--" + ct.substr(b + 10, ct.find('"', b + 10) - b - 10);
  std::string body = data.substr(split + 4);
  size_t pos = body.find(boundary);
  while (pos != std::string::npos) {
    size_t start = pos + boundary.size();
    if (body.compare(start, 2, "--") == 0) {
      break;
    }
    size_t next = body.find(boundary, start);
    std::string part = body.substr(start + 2, next - start - 2);
    size_t ps = part.find("\r\n\r\n");
    auto ph = ParseHeaders(part.substr(0, ps));
    std::string type;
    for (const auto& [k, v] : ph) {
      if (k == "Content-Type") {
        type = v;
      }
    }
    p.parts.emplace_back(type, DecodeBase64(part.substr(ps + 4)).value_or("<bad base64>"));
    pos = next;
  }
  return p;
}

// Joins the RFC 2047 words of a header value, decoded.
std::string DecodeWords(const std::string& v) {
  std::string out;
  size_t pos = 0;
  while ((pos = v.find("=?UTF-8?B?", pos)) != std::string::npos) {
    size_t end = v.find("?=", pos + 10);
    out += DecodeBase64(v.substr(pos + 10, end - pos - 10)).value_or("?");
    pos = end + 2;
  }
  return out;
}

const std::string kConfig =
    "smtp: smtp://127.0.0.1:2525\n"
    "from: Modelwatch <alerts@example.com>\n"
    "to: [ops@example.com, oncall@example.com]\n"
    "username: alerts\n"
    "password: hunter2-secret\n";

TEST(EmailChannel, RendersAnRfc5322MultipartMessage) {
  Built b = Build(kConfig);
  ASSERT_TRUE(b.channel) << b.problems;
  WallTime now = WallTime(std::chrono::seconds(1791379504));  // 2026-10-07 13:25:04 UTC
  Result<net::Request> r = b.channel->Render(Sample(), now);
  ASSERT_TRUE(r.has_value());

  EXPECT_EQ(r->url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(r->mail_from, "<alerts@example.com>");
  EXPECT_EQ(r->mail_rcpt, (std::vector<std::string>{"<ops@example.com>", "<oncall@example.com>"}));
  EXPECT_EQ(r->username, "alerts");
  EXPECT_EQ(r->password, "hunter2-secret");
  EXPECT_TRUE(r->require_tls) << "smtp:// defaults to STARTTLS required";

  // CRLF only, no line over 998 octets.
  const std::string& m = r->body;
  for (size_t pos = 0, end; pos < m.size(); pos = end + 2) {
    end = m.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos) << "message ends in CRLF";
    EXPECT_LE(end - pos, 998u);
    EXPECT_EQ(m.substr(pos, end - pos).find('\n'), std::string::npos) << "bare LF";
  }

  Parsed p = ParseMessage(m);
  EXPECT_EQ(p.Header("Date"), "Wed, 07 Oct 2026 13:25:04 +0000");
  EXPECT_EQ(p.Header("From"), "\"Modelwatch\" <alerts@example.com>");
  EXPECT_EQ(p.Header("To"), "ops@example.com, oncall@example.com");
  EXPECT_EQ(p.Header("MIME-Version"), "1.0");
  EXPECT_TRUE(p.Header("Message-ID").ends_with("@example.com>")) << p.Header("Message-ID");
  EXPECT_TRUE(p.Header("Subject").starts_with("=?UTF-8?B?"));
  EXPECT_EQ(DecodeWords(p.Header("Subject")), "DALL·E 3 不可用 <critical>");
  ASSERT_EQ(p.parts.size(), 2u);
  EXPECT_EQ(p.parts[0].first, "text/plain; charset=UTF-8");
  EXPECT_NE(p.parts[0].second.find("upstream <timeout> & retry"), std::string::npos);
  EXPECT_EQ(p.parts[1].first, "text/html; charset=UTF-8");
  EXPECT_NE(p.parts[1].second.find("<b>DALL·E 3 不可用 &lt;critical&gt;</b>"), std::string::npos);
  EXPECT_NE(p.parts[1].second.find("upstream &lt;timeout&gt; &amp; retry"), std::string::npos);
  EXPECT_NE(p.parts[1].second.find("href=\"https://monitor.example/d?a=1&amp;b=2\""),
            std::string::npos);
  EXPECT_EQ(m.find("hunter2-secret"), std::string::npos);
}

TEST(EmailChannel, LongNonAsciiSubjectIsSplitIntoShortWordsBetweenCharacters) {
  Built b = Build(kConfig);
  ASSERT_TRUE(b.channel) << b.problems;
  Notification n = Sample();
  n.title = "";
  for (int i = 0; i < 40; ++i) {
    n.title += "图像生成服务";
  }
  Result<net::Request> r = b.channel->Render(n, WallTime{});
  ASSERT_TRUE(r.has_value());
  Parsed p = ParseMessage(r->body);
  std::string subject = p.Header("Subject");
  for (size_t pos = 0; (pos = subject.find("=?UTF-8?B?", pos)) != std::string::npos; ++pos) {
    size_t end = subject.find("?=", pos + 10);
    EXPECT_LE(end + 2 - pos, 75u);
    std::string word = DecodeBase64(subject.substr(pos + 10, end - pos - 10)).value();
    EXPECT_EQ(word.size() % 3, 0u) << "whole 3-byte characters";
  }
  EXPECT_EQ(DecodeWords(subject), n.title);
}

TEST(EmailChannel, SubjectCannotInjectHeaders) {
  Built b = Build(kConfig);
  ASSERT_TRUE(b.channel) << b.problems;
  Notification n = Sample();
  n.title = "down\r\nBcc: evil@example.com";
  Result<net::Request> r = b.channel->Render(n, WallTime{});
  ASSERT_TRUE(r.has_value());
  Parsed p = ParseMessage(r->body);
  EXPECT_EQ(p.Header("Bcc"), "");
  EXPECT_EQ(p.Header("Subject"), "down Bcc: evil@example.com");
}

TEST(EmailChannel, ChecksReplyCodes) {
  Built b = Build(kConfig);
  ASSERT_TRUE(b.channel) << b.problems;
  net::Response ok;
  ok.http_status = 250;
  EXPECT_TRUE(b.channel->Check(ok).delivered);

  net::Response busy;
  busy.http_status = 451;
  busy.error = net::TransferError::kOther;
  busy.error_message = "Failed sending data to the peer: RCPT failed: 451";
  Delivery d = b.channel->Check(busy);
  EXPECT_FALSE(d.delivered);
  EXPECT_FALSE(d.permanent);
  EXPECT_EQ(d.error, "SMTP 451: Failed sending data to the peer: RCPT failed: 451");

  net::Response denied;
  denied.http_status = 535;
  denied.error = net::TransferError::kOther;
  denied.error_message = "Login denied for hunter2-secret";
  d = b.channel->Check(denied);
  EXPECT_FALSE(d.delivered);
  EXPECT_TRUE(d.permanent);
  EXPECT_EQ(d.error.find("hunter2-secret"), std::string::npos) << d.error;
}

TEST(EmailChannel, ReportsEveryConfigProblemWithItsPlace) {
  Built b = Build(
      "smtp: http://mail.example.com\n"
      "from: not-an-address\n"
      "to: []\n"
      "username: alerts\n"
      "startls: true\n");
  EXPECT_FALSE(b.channel);
  EXPECT_NE(b.problems.find("cfg.yaml:1:7: channels \"mail\": smtp: \"http://mail.example.com\" "
                            "must start with smtp://"),
            std::string::npos)
      << b.problems;
  EXPECT_NE(b.problems.find("cfg.yaml:2:7: channels \"mail\": from: \"not-an-address\" is not an "
                            "email address"),
            std::string::npos)
      << b.problems;
  EXPECT_NE(b.problems.find("cfg.yaml:3:5: channels \"mail\": to: must name at least one"),
            std::string::npos)
      << b.problems;
  EXPECT_NE(b.problems.find("username and password go together"), std::string::npos) << b.problems;
  EXPECT_NE(b.problems.find("cfg.yaml:5:1: channels \"mail\": unknown key \"startls\""),
            std::string::npos)
      << b.problems;
}

TEST(EmailChannel, LoginInTheUrlIsRefusedWithoutPrintingIt) {
  Built b = Build(
      "smtp: smtps://user:pa55word@mail.example.com:465\n"
      "from: a@example.com\n"
      "to: b@example.com\n");
  EXPECT_FALSE(b.channel);
  EXPECT_NE(b.problems.find("must not hold a login"), std::string::npos) << b.problems;
  EXPECT_EQ(b.problems.find("pa55word"), std::string::npos) << b.problems;
}

TEST(EmailChannel, StarttlsAppliesToSmtpOnly) {
  Built b = Build(
      "smtp: smtps://mail.example.com:465\n"
      "from: a@example.com\n"
      "to: b@example.com\n"
      "starttls: false\n");
  EXPECT_FALSE(b.channel);
  EXPECT_NE(b.problems.find("cfg.yaml:4:1: channels \"mail\": starttls: applies to smtp:// only"),
            std::string::npos)
      << b.problems;
}

TEST(EmailChannel, DeliversToARealSmtpServerThroughTheLoop) {
  net::testing::SmtpReceiver smtp;
  ASSERT_TRUE(smtp.ready()) << smtp.server_log();
  // The test server offers no STARTTLS and no login.
  Built b = Build("smtp: " + smtp.url() +
                  "\n"
                  "from: Modelwatch <alerts@example.com>\n"
                  "to: [ops@example.com, oncall@example.com]\n"
                  "starttls: false\n");
  ASSERT_TRUE(b.channel) << b.problems;
  Result<net::Request> r = b.channel->Render(Sample(), WallTime(std::chrono::seconds(1791379504)));
  ASSERT_TRUE(r.has_value());

  SystemClock clock;
  net::Loop loop(clock);
  net::Response answer;
  loop.Start(std::move(*r), [&](net::Response&& a) {
    answer = std::move(a);
    loop.Stop();
  });
  loop.Run();
  Delivery d = b.channel->Check(answer);
  EXPECT_TRUE(d.delivered) << d.error;

  auto mails = smtp.Received();
  ASSERT_EQ(mails.size(), 1u) << smtp.server_log();
  EXPECT_EQ(mails[0].from, "alerts@example.com");
  EXPECT_EQ(mails[0].rcpt, (std::vector<std::string>{"ops@example.com", "oncall@example.com"}));
  Parsed p = ParseMessage(mails[0].data);
  EXPECT_EQ(p.Header("To"), "ops@example.com, oncall@example.com");
  EXPECT_EQ(p.Header("Date"), "Wed, 07 Oct 2026 13:25:04 +0000");
  EXPECT_EQ(DecodeWords(p.Header("Subject")), "DALL·E 3 不可用 <critical>");
  ASSERT_EQ(p.parts.size(), 2u);
  EXPECT_NE(p.parts[0].second.find("dalle: 3 failures in a row (server_error)"), std::string::npos)
      << p.parts[0].second;
  EXPECT_NE(p.parts[1].second.find("<b>dalle</b>: 3 failures in a row (server_error)"),
            std::string::npos)
      << p.parts[1].second;
}

TEST(EmailChannel, RejectedRecipientIsAPermanentFailure) {
  net::testing::SmtpReceiver smtp;
  ASSERT_TRUE(smtp.ready()) << smtp.server_log();
  Built b = Build("smtp: " + smtp.url() +
                  "\n"
                  "from: alerts@example.com\n"
                  "to: reject@example.com\n"
                  "starttls: false\n");
  ASSERT_TRUE(b.channel) << b.problems;
  Result<net::Request> r = b.channel->Render(Sample(), WallTime{});
  ASSERT_TRUE(r.has_value());
  SystemClock clock;
  net::Loop loop(clock);
  net::Response answer;
  loop.Start(std::move(*r), [&](net::Response&& a) {
    answer = std::move(a);
    loop.Stop();
  });
  loop.Run();
  Delivery d = b.channel->Check(answer);
  EXPECT_FALSE(d.delivered);
  EXPECT_TRUE(d.permanent);
  EXPECT_NE(d.error.find("SMTP 550"), std::string::npos) << d.error;
}

TEST(EmailChannel, BodyIsTheSharedRenderersText) {
  Built b = Build(kConfig);
  ASSERT_TRUE(b.channel) << b.problems;
  Notification n = Sample();
  Result<net::Request> r = b.channel->Render(n, WallTime(std::chrono::seconds(1791379504)));
  ASSERT_TRUE(r.has_value());
  Parsed p = ParseMessage(r->body);
  ASSERT_EQ(p.parts.size(), 2u);
  RenderOptions plain;
  plain.markup = Markup::kPlain;
  EXPECT_EQ(p.parts[0].second, RenderText(n, plain) + "\n");
  RenderOptions html;
  html.markup = Markup::kHtml;
  EXPECT_NE(p.parts[1].second.find(RenderText(n, html)), std::string::npos) << p.parts[1].second;
}

}  // namespace
}  // namespace modelwatch::notify
