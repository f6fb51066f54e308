#pragma once

// For tests only (header-only, not part of mw_net): a real SMTP server on a
// loopback port, Debian's python3-aiosmtpd (scripts/install-deps.sh), with a
// handler that writes each message received to a folder.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace modelwatch::net::testing {

// Recipients starting "reject" get 550, "busy" get 451; everything else is
// accepted and written as <dir>/msgNNNN.eml: "MAIL FROM: a", one "RCPT TO: b"
// per recipient, an empty line, then the message as received (dots
// unstuffed).
inline constexpr const char* kSmtpHandler = R"(import os
class Handler:
    def __init__(self):
        self.n = 0
        self.dir = os.environ['MW_SMTP_DIR']
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('reject'):
            return '550 5.1.1 no such mailbox'
        if address.startswith('busy'):
            return '451 4.3.0 try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'
    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.dir, 'msg%04d' % self.n)
        with open(base + '.tmp', 'wb') as f:
            f.write(('MAIL FROM: %s\n' % envelope.mail_from).encode())
            for r in envelope.rcpt_tos:
                f.write(('RCPT TO: %s\n' % r).encode())
            f.write(b'\n')
            f.write(envelope.original_content)
        os.rename(base + '.tmp', base + '.eml')
        return '250 Message accepted for delivery'
)";

class SmtpReceiver {
 public:
  struct Mail {
    std::string from;
    std::vector<std::string> rcpt;
    std::string data;  // the message as received
  };

  SmtpReceiver() {
    char tmpl[] = "/tmp/mw-smtp-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::filesystem::create_directory(dir_ + "/mail");
    std::ofstream(dir_ + "/mwsmtp.py") << kSmtpHandler;
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      setenv("PYTHONPATH", dir_.c_str(), 1);
      setenv("MW_SMTP_DIR", (dir_ + "/mail").c_str(), 1);
      std::string log = dir_ + "/server.log";
      freopen(log.c_str(), "w", stdout);
      freopen(log.c_str(), "a", stderr);
      std::string listen = "127.0.0.1:" + std::to_string(port_);
      execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
            "mwsmtp.Handler", static_cast<char*>(nullptr));
      _exit(127);
    }
    ready_ = WaitListening();
  }
  ~SmtpReceiver() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SmtpReceiver(const SmtpReceiver&) = delete;
  SmtpReceiver& operator=(const SmtpReceiver&) = delete;

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string server_log() const {
    std::ifstream in(dir_ + "/server.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // The messages received so far, oldest first.
  std::vector<Mail> Received() const {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_ + "/mail")) {
      if (e.path().extension() == ".eml") {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    std::vector<Mail> out;
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      Mail m;
      size_t pos = 0;
      while (pos < text.size() && text[pos] != '\n') {
        size_t end = text.find('\n', pos);
        std::string line = text.substr(pos, end - pos);
        if (line.starts_with("MAIL FROM: ")) {
          m.from = line.substr(11);
        } else if (line.starts_with("RCPT TO: ")) {
          m.rcpt.push_back(line.substr(9));
        }
        pos = end + 1;
      }
      m.data = text.substr(pos + 1);
      out.push_back(std::move(m));
    }
    return out;
  }

 private:
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }

  // Python's start-up can take several seconds on a loaded machine (two
  // sanitized test shards beside it): wait up to a minute.
  bool WaitListening() const {
    for (int i = 0; i < 2400; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(port_));
      bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (ok) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool ready_ = false;
};

}  // namespace modelwatch::net::testing
