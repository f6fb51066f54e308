// How the server shares its threads between connections (server.h): many
// kept-alive connections served at once, the request bound per connection,
// the keep-alive timeout and the listen backlog.
#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "web/server.h"
#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using testing::WebTest;

// One HTTP/1.1 connection over a plain socket, so the test (not a client
// library reconnecting behind its back) decides when it closes.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};  // a server that never answers fails the test, not hangs it
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawConnection() { close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  struct Answer {
    int status = 0;        // 0: no answer (closed, timed out)
    bool closing = false;  // the server said Connection: close
  };

  // Sends GET `path` (keep-alive) and reads its whole answer.
  Answer Get(const std::string& path) {
    Answer a;
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (!connected_ || send(fd_, req.data(), req.size(), MSG_NOSIGNAL) < 0) {
      return a;
    }
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Read()) {
        return a;
      }
    }
    std::string head = buf_.substr(0, end);
    size_t length = 0;
    for (size_t at = head.find("\r\n"); at != std::string::npos; at = head.find("\r\n", at + 2)) {
      std::string line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
      std::string lower;
      for (char c : line) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (lower.starts_with("content-length:")) {
        length = std::stoul(lower.substr(15));
      }
      if (lower.starts_with("connection:") && lower.find("close") != std::string::npos) {
        a.closing = true;
      }
    }
    while (buf_.size() < end + 4 + length) {
      if (!Read()) {
        return a;
      }
    }
    buf_.erase(0, end + 4 + length);
    a.status = std::stoi(head.substr(9, 3));
    return a;
  }

  // Whether the server has closed its side: the next read is the end of
  // the stream (waits up to the 5 s receive timeout).
  bool ClosedByServer() {
    char c;
    return recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Read() {
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

TEST_F(WebTest, TwentyKeptAliveConnectionsAreAllAnsweredWhileAllStayOpen) {
  StartServer(false, false);
  constexpr int kClients = 20;
  std::mutex mu;
  std::condition_variable all_answered;
  int answered = 0;
  std::vector<int> first(kClients), second(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      RawConnection c(server_->port());
      first[i] = c.Get("/healthz").status;
      {
        // Each holds its connection open until every client has an answer.
        std::unique_lock lock(mu);
        ++answered;
        all_answered.notify_all();
        all_answered.wait_for(lock, std::chrono::seconds(5), [&] { return answered == kClients; });
      }
      second[i] = c.Get("/healthz").status;  // on the same connection
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(first[i], 200) << "client " << i;
    EXPECT_EQ(second[i], 200) << "client " << i;
  }
}

TEST_F(WebTest, AKeptAliveConnectionIsClosedAfterItsRequestBound) {
  StartServer(false, false);
  RawConnection c(server_->port());
  for (size_t i = 1; i < kRequestsPerConnection; ++i) {
    RawConnection::Answer a = c.Get("/healthz");
    ASSERT_EQ(a.status, 200) << "request " << i;
    ASSERT_FALSE(a.closing) << "request " << i;
  }
  RawConnection::Answer last = c.Get("/healthz");
  EXPECT_EQ(last.status, 200);
  EXPECT_TRUE(last.closing);
  EXPECT_TRUE(c.ClosedByServer());
}

TEST_F(WebTest, AnIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeout) {
  StartServer(false, false);
  RawConnection c(server_->port());
  ASSERT_EQ(c.Get("/healthz").status, 200);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByServer());  // within the 5 s receive timeout
  auto idle = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(idle, std::chrono::milliseconds(500 * kKeepAliveSeconds));  // not closed at once
  EXPECT_LE(idle, std::chrono::seconds(kKeepAliveSeconds + 1));
}

// This process's TCP descriptors bound to local `port`: `listening` picks
// the listening socket or the accepted ones.
std::vector<int> SocketsOnPort(int port, bool listening) {
  std::vector<int> out;
  DIR* d = opendir("/proc/self/fd");
  while (dirent* e = d ? readdir(d) : nullptr) {
    int fd = std::atoi(e->d_name);
    int accepting = 0;
    socklen_t len = sizeof accepting;
    sockaddr_in a{};
    socklen_t alen = sizeof a;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 &&
        (accepting != 0) == listening &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &alen) == 0 && a.sin_family == AF_INET &&
        ntohs(a.sin_port) == port) {
      out.push_back(fd);
    }
  }
  if (d) {
    closedir(d);
  }
  return out;
}

// The accept queue's length as the kernel holds it (TCP_INFO of a listening
// socket gives its backlog in tcpi_sacked); -1 without a listener on `port`.
int ListenBacklogOfPort(int port) {
  for (int fd : SocketsOnPort(port, true)) {
    tcp_info info{};
    socklen_t ilen = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &ilen) == 0) {
      return static_cast<int>(info.tcpi_sacked);
    }
  }
  return -1;
}

TEST_F(WebTest, TheListenerQueuesABurstOfNewConnections) {
  StartServer(false, false);
  int somaxconn = kListenBacklog;
  std::ifstream("/proc/sys/net/core/somaxconn") >> somaxconn;
  EXPECT_EQ(ListenBacklogOfPort(server_->port()), std::min(kListenBacklog, somaxconn));
}

TEST_F(WebTest, AnsweredConnectionsSendWithoutNaglesDelay) {
  StartServer(false, false);
  RawConnection c(server_->port());
  ASSERT_EQ(c.Get("/healthz").status, 200);  // accepted and served: the socket is open
  std::vector<int> accepted = SocketsOnPort(server_->port(), false);
  ASSERT_FALSE(accepted.empty());
  for (int fd : accepted) {
    int nodelay = 0;
    socklen_t len = sizeof nodelay;
    ASSERT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
    EXPECT_NE(nodelay, 0) << "descriptor " << fd;
  }
}

}  // namespace
}  // namespace modelwatch::web
