#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <thread>

#include "net/loop.h"
#include "net/smtp_test_receiver.h"

namespace modelwatch::net {
namespace {

// Runs one transfer on `loop` to its end, on this thread.
Response RunOne(Loop& loop, Request request) {
  Response out;
  loop.Start(std::move(request), [&](Response&& r) {
    out = std::move(r);
    loop.Stop();
  });
  loop.Run();
  return out;
}

Request Mail(const testing::SmtpReceiver& smtp, std::vector<std::string> rcpt, std::string body) {
  Request r;
  r.url = smtp.url();
  r.mail_from = "<monitor@example.com>";
  r.mail_rcpt = std::move(rcpt);
  r.body = std::move(body);
  r.timeout = std::chrono::seconds(10);
  return r;
}

class LoopSmtpTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(smtp_.ready()) << smtp_.server_log(); }
  SystemClock clock_;
  Loop loop_{clock_};
  testing::SmtpReceiver smtp_;
};

TEST_F(LoopSmtpTest, SendsTheMessageToEveryRecipientAndReadsTheReplyCode) {
  std::string body = "Subject: hi\r\n\r\n.a line starting with a dot\r\nlast line\r\n";
  Response r = RunOne(loop_, Mail(smtp_, {"<a@example.com>", "<b@example.com>"}, body));

  EXPECT_EQ(r.error, TransferError::kNone) << r.error_message;
  EXPECT_EQ(r.http_status, 250);
  auto mails = smtp_.Received();
  ASSERT_EQ(mails.size(), 1u) << smtp_.server_log();
  EXPECT_EQ(mails[0].from, "monitor@example.com");
  EXPECT_EQ(mails[0].rcpt, (std::vector<std::string>{"a@example.com", "b@example.com"}));
  EXPECT_EQ(mails[0].data, body);  // the leading dot survived the dialogue
}

TEST_F(LoopSmtpTest, RejectedRecipientGivesTheServersCodeAndText) {
  Response r = RunOne(loop_, Mail(smtp_, {"<reject@example.com>"}, "Subject: x\r\n\r\nx\r\n"));
  EXPECT_NE(r.error, TransferError::kNone);
  EXPECT_EQ(r.http_status, 550);
  EXPECT_NE(r.error_message.find("550"), std::string::npos) << r.error_message;
  EXPECT_TRUE(smtp_.Received().empty());
}

TEST_F(LoopSmtpTest, TransientRejectionGivesA4xxCode) {
  Response r = RunOne(loop_, Mail(smtp_, {"<busy@example.com>"}, "Subject: x\r\n\r\nx\r\n"));
  EXPECT_NE(r.error, TransferError::kNone);
  EXPECT_EQ(r.http_status, 451);
}

TEST_F(LoopSmtpTest, RequiredTlsFailsWhenTheServerOffersNoStartTls) {
  Request req = Mail(smtp_, {"<a@example.com>"}, "Subject: x\r\n\r\nx\r\n");
  req.require_tls = true;
  Response r = RunOne(loop_, std::move(req));
  EXPECT_NE(r.error, TransferError::kNone);
  EXPECT_TRUE(smtp_.Received().empty()) << "nothing sent in clear text";
}

TEST_F(LoopSmtpTest, HttpTransfersAfterMailUseTheHandleAsBefore) {
  httplib::Server http;
  http.set_keep_alive_max_count(1);
  http.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.method + " " + req.body, "text/plain");
  });
  http.Get("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.method + " " + req.body, "text/plain");
  });
  int port = http.bind_to_any_port("127.0.0.1");
  std::thread server([&] { http.listen_after_bind(); });

  Response mail = RunOne(loop_, Mail(smtp_, {"<a@example.com>"}, "Subject: x\r\n\r\nx\r\n"));
  ASSERT_EQ(mail.http_status, 250) << mail.error_message;
  ASSERT_EQ(loop_.in_flight(), 0u);

  Request post;
  post.method = "POST";
  post.url = fmt::format("http://127.0.0.1:{}/echo", port);
  post.body = "payload";
  Response p = RunOne(loop_, post);
  Request get;
  get.url = post.url;
  Response g = RunOne(loop_, get);
  http.stop();
  server.join();

  EXPECT_EQ(p.error, TransferError::kNone) << p.error_message;
  EXPECT_EQ(p.http_status, 200);
  EXPECT_EQ(p.body, "POST payload");
  EXPECT_EQ(g.http_status, 200);
  EXPECT_EQ(g.body, "GET ");
}

}  // namespace
}  // namespace modelwatch::net
