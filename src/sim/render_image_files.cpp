// GET /sim-images/{file}: the storage behind dall-e's `data[].url`. OpenAI's
// links point at Azure Blob Storage, so errors are Blob Storage's XML
// `<Error><Code>...</Code><Message>...</Message></Error>` body.
#include <fmt/format.h>

#include "sim/image_link.h"
#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

HttpReply BlobError(const RenderContext& ctx, int status, std::string_view code,
                    std::string_view message) {
  std::string request_id = fmt::format("00000000-0000-0000-0000-{:012x}", ctx.sequence);
  HttpReply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/xml"}, {"x-ms-request-id", request_id}};
  r.body = fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{}</Code><Message>{}\n"
      "RequestId:{}</Message></Error>",
      code, message, request_id);
  return r;
}

}  // namespace

HttpReply RenderImageFileNotFound(const RenderContext& ctx) {
  return BlobError(ctx, 404, "BlobNotFound", "The specified blob does not exist.");
}

HttpReply RenderOpenAiImageFile(const RenderContext& ctx, Behaviour behaviour) {
  std::optional<ImageSpec> spec = ParseImageFileName(ctx.file);
  if (!spec) {
    return RenderImageFileNotFound(ctx);
  }
  switch (behaviour) {
    case Behaviour::kNotFound:
      return RenderImageFileNotFound(ctx);
    case Behaviour::kAuth:
      // What an expired link (older than OpenAI's 60 minutes) answers.
      return BlobError(ctx, 403, "AuthenticationFailed",
                       "Server failed to authenticate the request. Make sure the value of "
                       "Authorization header is formed correctly including the signature.");
    case Behaviour::kBadRequest:
      return BlobError(ctx, 400, "InvalidQueryParameterValue",
                       "Value for one of the query parameters specified in the request URI is "
                       "invalid.");
    case Behaviour::kServerError:
      return BlobError(ctx, 500, "InternalError",
                       "Server encountered an internal error. Please try again after some time.");
    case Behaviour::kRateLimit:
    case Behaviour::kQuota:
    case Behaviour::kUnavailable:
      // Blob Storage throttles with 503, not 429.
      return BlobError(ctx, 503, "ServerBusy", "The server is busy.");
    default:
      break;
  }
  HttpReply r;
  r.headers = {{"Content-Type", std::string(MimeType(spec->format))}};
  if (behaviour != Behaviour::kNoImage) {
    r.body = EncodeImage(*spec);
  }
  return r;
}

}  // namespace modelwatch::sim
