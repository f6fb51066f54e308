#include "sim/response.h"

#include <fmt/format.h>

namespace modelwatch::sim {
namespace {

std::string_view Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

}  // namespace

std::string SerializeHead(const HttpReply& reply, bool keep_alive) {
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", reply.status, Reason(reply.status));
  for (const auto& [name, value] : reply.headers) {
    head += fmt::format("{}: {}\r\n", name, value);
  }
  head += fmt::format("Content-Length: {}\r\nConnection: {}\r\n\r\n", reply.body.size(),
                      keep_alive ? "keep-alive" : "close");
  return head;
}

}  // namespace modelwatch::sim
