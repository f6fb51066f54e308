#include "probe/kinds/gemini_content.h"

#include <fmt/format.h>

#include "probe/image_data.h"
#include "probe/json_body.h"
#include "probe/provider_error.h"
#include "probe/usage_block.h"

namespace modelwatch::probe {
namespace {

// Google answers camelCase, some proxies snake_case: accept both.
const Json* EitherMember(const Json* j, std::string_view camel, std::string_view snake) {
  const Json* v = Member(j, camel);
  return v != nullptr ? v : Member(j, snake);
}

// What the candidates held, for the verdict.
struct Scan {
  std::optional<ImageInfo> image;
  std::string bad_image;      // why the first image part did not decode
  std::string finish_reason;  // first candidate's, when not STOP
  std::string text;           // what the model said instead, if anything
};

Scan ScanCandidates(const Json& body, const net::Response& response) {
  Scan scan;
  const Json* candidates = Member(&body, "candidates");
  if (candidates == nullptr || !candidates->is_array()) {
    return scan;
  }
  for (const Json& c : *candidates) {
    std::string_view reason = StringOf(EitherMember(&c, "finishReason", "finish_reason"));
    if (scan.finish_reason.empty() && !reason.empty() && reason != "STOP") {
      scan.finish_reason = reason;
    }
    const Json* parts = Member(Member(&c, "content"), "parts");
    if (parts == nullptr || !parts->is_array()) {
      continue;
    }
    // Image parts are found by scanning, not by index: text, thought
    // signatures and drafts come in any order.
    for (const Json& p : *parts) {
      const Json* thought = Member(&p, "thought");
      if (thought != nullptr && thought->is_boolean() && thought->get<bool>()) {
        continue;  // a draft from thinking, not the answer
      }
      if (scan.text.empty()) {
        scan.text = StringOf(Member(&p, "text"));
      }
      const Json* inline_data = EitherMember(&p, "inlineData", "inline_data");
      std::string_view mime = StringOf(EitherMember(inline_data, "mimeType", "mime_type"));
      if (inline_data == nullptr || !mime.starts_with("image/")) {
        continue;
      }
      Result<ImageInfo> image = DecodeImageBase64(StringOf(Member(inline_data, "data")), &response);
      if (image.has_value()) {
        scan.image = *image;
        return scan;
      }
      if (scan.bad_image.empty()) {
        scan.bad_image = image.error().message();
      }
    }
  }
  return scan;
}

}  // namespace

std::string GenerateContentBody(const config::Monitor& m, bool with_role) {
  // Without IMAGE in responseModalities an image model may answer in text.
  Json config = {{"responseModalities", Json::array({"TEXT", "IMAGE"})}};
  Json image_config = Json::object();
  if (!m.aspect_ratio.empty()) {
    image_config["aspectRatio"] = m.aspect_ratio;
  }
  if (!m.size.empty()) {  // "1K" unless set: the cheapest (config/monitor.cpp)
    image_config["imageSize"] = m.size;
  }
  if (!image_config.empty()) {
    config["imageConfig"] = image_config;
  }
  Json part = {{"text", m.prompt}};
  Json content = {{"parts", Json::array({part})}};
  if (with_role) {
    content["role"] = "user";
  }
  Json body = {{"contents", Json::array({content})}, {"generationConfig", config}};
  return DumpJson(body);
}

Verdict InterpretGenerateContent(const net::Response& response, Secrets secrets) {
  auto answer = ReadAnswer(response, secrets);
  if (auto* decided = std::get_if<Verdict>(&answer)) {
    return std::move(*decided);
  }
  const Json& body = std::get<Json>(answer);
  Scan scan = ScanCandidates(body, response);
  if (scan.image) {
    Verdict v;
    v.image = scan.image;
    v.usage = ReadGeminiUsage(body);
    return v;
  }
  // Safety and other refusals are content outcomes: invalid_response, with
  // the reason up front so the alert reader sees it is not an outage.
  std::string_view block = StringOf(EitherMember(
      EitherMember(&body, "promptFeedback", "prompt_feedback"), "blockReason", "block_reason"));
  std::string why;
  if (!scan.bad_image.empty()) {
    why = "image part: " + scan.bad_image;
  } else if (!block.empty()) {
    why = fmt::format("no image: blockReason {}", block);
  } else if (!scan.finish_reason.empty()) {
    why = fmt::format("no image: finishReason {}", scan.finish_reason);
  } else if (Member(&body, "candidates") == nullptr) {
    why = "no image: no candidates in response";
  } else {
    why = "no image in response";
  }
  if (!scan.text.empty()) {
    why += fmt::format(" (model said: {})", scan.text);
  }
  Verdict v = InvalidResponse(why, secrets);
  v.usage = ReadGeminiUsage(body);  // a refusal can still be billed
  return v;
}

}  // namespace modelwatch::probe
