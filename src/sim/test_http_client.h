#pragma once

// A blocking HTTP/1.1 client on plain POSIX sockets, for the simulator's
// tests only (the tests may not link libcurl). Header-only so that the
// library does not carry it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace modelwatch::sim::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Connects to 127.0.0.1:port; returns the fd or -1.
inline int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline std::string BuildRequest(const std::string& method, const std::string& path,
                                const std::string& body = "",
                                const std::string& extra_headers = "") {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (method == "POST") {
    r +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return r + "\r\n" + body;
}

inline bool SendAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

// Waits up to `timeout` for bytes; appends them. Returns recv's result (0 on
// EOF, -1 with errno on error or timeout: errno ETIMEDOUT).
inline ssize_t RecvSome(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (r == 0) {
    errno = ETIMEDOUT;
    return -1;
  }
  char buf[65536];
  ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  if (n > 0) {
    into.append(buf, static_cast<size_t>(n));
  }
  return n;
}

// Reads one response (Content-Length framed). nullopt on EOF, error or timeout.
inline std::optional<ClientResponse> ReadResponse(
    int fd, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  std::string buf;
  size_t head_end;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (RecvSome(fd, buf, timeout) <= 0) {
      return std::nullopt;
    }
  }
  ClientResponse r;
  std::string head = buf.substr(0, head_end);
  r.status = std::stoi(head.substr(9, 3));
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& ch : name) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = next;
  }
  size_t length = std::stoul(r.headers["content-length"]);
  r.body = buf.substr(head_end + 4);
  while (r.body.size() < length) {
    if (RecvSome(fd, r.body, timeout) <= 0) {
      return std::nullopt;
    }
  }
  return r;
}

// One request on a fresh connection.
inline std::optional<ClientResponse> Fetch(int port, const std::string& request) {
  int fd = Connect(port);
  if (fd < 0) {
    return std::nullopt;
  }
  std::optional<ClientResponse> r;
  if (SendAll(fd, request)) {
    r = ReadResponse(fd);
  }
  ::close(fd);
  return r;
}

}  // namespace modelwatch::sim::testing
