#pragma once

// The generateContent request body and the reading of its answer, shared by
// the kinds that speak it: gemini (the Gemini API) and vertex (Gemini on
// Vertex AI, formats/vertex-ai.md: the same bodies). Pure.

#include <string>

#include "config/config.h"
#include "net/request.h"
#include "probe/classify.h"
#include "probe/probe.h"

namespace modelwatch::probe {

// {"contents":[{"parts":[{"text": prompt}]}], "generationConfig": {...}} with
// IMAGE among the response modalities and the monitor's aspect ratio;
// `with_role` adds contents[0].role "user" (Vertex asks for it).
std::string GenerateContentBody(const config::Monitor& m, bool with_role);

// The verdict for a generateContent answer: success with the first image
// part that decodes; safety blocks (blockReason, finishReason) and answers
// without an image are invalid_response with the reason up front.
Verdict InterpretGenerateContent(const net::Response& response, Secrets secrets);

}  // namespace modelwatch::probe
