#include "sim/http_request.h"

#include <gtest/gtest.h>

#include "sim/router.h"

namespace modelwatch::sim {
namespace {

TEST(ParseHttpRequest, ParsesGetWithQuery) {
  auto o = ParseHttpRequest("GET /incidents.json?x=1 HTTP/1.1\r\nHost: a\r\nX-Y:  z \r\n\r\nNEXT");
  ASSERT_EQ(o.state, ParseState::kDone);
  EXPECT_EQ(o.request.method, "GET");
  EXPECT_EQ(o.request.path, "/incidents.json");
  EXPECT_EQ(o.request.query, "x=1");
  EXPECT_EQ(o.request.Header("x-y"), "z");
  EXPECT_TRUE(o.request.keep_alive);
  EXPECT_EQ(o.consumed, std::string_view("GET /incidents.json?x=1 HTTP/1.1\r\nHost: a\r\nX-Y:  z "
                                         "\r\n\r\n")
                            .size());
}

TEST(ParseHttpRequest, WaitsForTheWholeBody) {
  std::string req =
      "POST /v1/images/generations HTTP/1.1\r\nContent-Length: 10\r\n"
      "Expect: 100-continue\r\n\r\n01234";
  auto o = ParseHttpRequest(req);
  EXPECT_EQ(o.state, ParseState::kNeedMore);
  EXPECT_TRUE(o.expects_continue);
  o = ParseHttpRequest(req + "56789");
  ASSERT_EQ(o.state, ParseState::kDone);
  EXPECT_EQ(o.request.body, "0123456789");
}

TEST(ParseHttpRequest, ConnectionSemantics) {
  EXPECT_FALSE(ParseHttpRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(ParseHttpRequest("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(
      ParseHttpRequest("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
}

TEST(ParseHttpRequest, RejectsWhatItDoesNotSupport) {
  EXPECT_EQ(ParseHttpRequest("GET / HTTP/2\r\n\r\n").state, ParseState::kError);
  EXPECT_EQ(ParseHttpRequest("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").state,
            ParseState::kError);
  EXPECT_EQ(ParseHttpRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").state,
            ParseState::kError);
  EXPECT_EQ(ParseHttpRequest("garbage\r\n\r\n").state, ParseState::kError);
}

TEST(MatchRoute, MapsEveryServedPath) {
  struct Case {
    const char* method;
    const char* path;
    RouteMatch::Outcome outcome;
    RouteKind route;
    const char* model;
  };
  using O = RouteMatch::Outcome;
  const Case cases[] = {
      {"POST", "/v1/images/generations", O::kFound, RouteKind::kOpenAiImages, ""},
      {"POST", "/images/generations", O::kNotFound, RouteKind::kOpenAiImages, ""},  // no /v1
      {"GET", "/v1/images/generations", O::kWrongMethod, RouteKind::kOpenAiImages, ""},
      {"POST", "/v1beta/models/gemini-3-pro-image:generateContent", O::kFound,
       RouteKind::kGemini, "gemini-3-pro-image"},
      {"POST", "/api/v1/chat/completions", O::kFound, RouteKind::kOpenRouterChat, ""},
      {"GET", "/api/v1/models", O::kFound, RouteKind::kOpenRouterModels, ""},
      {"GET", "/api/v1/models/nex-agi/x%3Afree/endpoints", O::kFound,
       RouteKind::kOpenRouterEndpoints, "nex-agi/x:free"},
      {"GET", "/incidents.json", O::kFound, RouteKind::kGcpIncidents, ""},
      {"GET", "/api/v2/summary.json", O::kFound, RouteKind::kStatuspageSummary, ""},
      {"GET", "/sim-images/img-0000000000000001-64x64.png", O::kFound, RouteKind::kOpenAiImageFiles,
       ""},
      {"POST", "/sim-images/anything.png", O::kWrongMethod, RouteKind::kOpenAiImageFiles, ""},
      {"GET", "/sim-images/", O::kNotFound, RouteKind::kOpenAiImages, ""},
      {"GET", "/sim-images/a/b.png", O::kNotFound, RouteKind::kOpenAiImages, ""},
      {"GET", "/api/v1/models/a/b/c/endpoints", O::kNotFound, RouteKind::kOpenAiImages, ""},
      {"GET", "/nope", O::kNotFound, RouteKind::kOpenAiImages, ""},
      // Light checks (full_every) and Vertex express mode.
      {"GET", "/v1/models/gpt-image-2", O::kFound, RouteKind::kOpenAiModels, "gpt-image-2"},
      {"GET", "/v1beta/models/gemini-3-pro-image", O::kFound, RouteKind::kGeminiModels,
       "gemini-3-pro-image"},
      {"GET", "/v1/user/balance", O::kFound, RouteKind::kCredits, ""},
      {"GET", "/v1/credits", O::kFound, RouteKind::kCredits, ""},
      {"POST", "/v1/publishers/google/models/gemini-3-pro-image:generateContent", O::kFound,
       RouteKind::kVertex, "gemini-3-pro-image"},
  };
  for (const auto& c : cases) {
    RouteMatch m = MatchRoute(c.method, c.path);
    EXPECT_EQ(m.outcome, c.outcome) << c.path;
    if (c.outcome != O::kNotFound) {
      EXPECT_EQ(m.route, c.route) << c.path;
      EXPECT_EQ(m.model, c.model) << c.path;
    }
  }
  EXPECT_EQ(MatchRoute("GET", "/sim-images/img-0000000000000001-64x64.png").file,
            "img-0000000000000001-64x64.png");
}

}  // namespace
}  // namespace modelwatch::sim
