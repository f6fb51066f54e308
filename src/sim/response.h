#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace modelwatch::sim {

using Header = std::pair<std::string, std::string>;

// What a provider would put on the wire, before the simulator decides how
// (and whether) to deliver it.
struct HttpReply {
  int status = 200;
  std::vector<Header> headers;  // besides Content-Length and Connection
  std::string body;
};

// How the server delivers a reply. Delays are real time, already scaled.
enum class Action {
  kRespond,  // after `delay`, send the whole reply
  kDrip,     // after `delay`, send the head, then the body spread over `drip`
  kHang,     // never answer; close only when the client does
  kReset,    // after `delay`, abort the connection with a TCP RST
};

struct SimResponse {
  Action action = Action::kRespond;
  HttpReply reply;
  std::chrono::microseconds delay{0};
  std::chrono::microseconds drip{0};
};

// "HTTP/1.1 200 OK\r\n...\r\n\r\n" with Content-Length and Connection added.
std::string SerializeHead(const HttpReply& reply, bool keep_alive);

}  // namespace modelwatch::sim
