#pragma once
// The protocol layer: one codec per AWS protocol (json 1.0/1.1, query, rest-json, rest-xml),
// driven by the service model. A request becomes the operation's input document; the output
// document, or an AwsError, is written in the caller's protocol.
//
// Document conventions (all protocols): structures are JSON objects keyed by member name; blobs
// are raw bytes in a JSON string (codecs base64 them on the wire); timestamps are epoch seconds
// as numbers (codecs format them per protocol); absent members are absent (never null).
#include <stratus/aws_error.hpp>
#include <stratus/http.hpp>
#include <stratus/json.hpp>
#include <stratus/model.hpp>
#include <stratus/service.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace stratus::protocol {

struct Decoded {
  const model::Operation* op = nullptr;
  json::object input;
  Payload body;
};

// Finds the operation (X-Amz-Target, Action=, or the URI template) and decodes the input.
// Throws AwsError for unknown operations, malformed bodies and model validation failures.
Decoded decode(const model::Model& m, const ServiceInfo& info, HttpRequest& req);

// Name of the operation a request addresses, without decoding ("" when unknown).
std::string_view operation_name(const model::Model& m, const HttpRequest& req);

HttpResponse encode_output(const model::Model& m, const ServiceInfo& info, const model::Operation& op,
                           Output&& out, const RequestContext& ctx);
// `m` may be null (errors raised before a model was chosen): a generic body for the protocol.
HttpResponse encode_error(const model::Model* m, const ServiceInfo* info, Protocol p, const AwsError& e,
                          const RequestContext& ctx);

// --- pieces shared by the codecs, exposed for tests ---

struct ValidationOptions {
  bool enums = true;
  bool patterns = false;
};
// Coral-style constraint checks ("Value null at 'tableName' failed to satisfy constraint: Member
// must not be null"). Returns the individual messages in model member order.
std::vector<std::string> validate(const model::Shape& shape, const json::object& doc, const ValidationOptions& opt);
// "1 validation error detected: ..." / "N validation errors detected: a; b".
std::string validation_message(const std::vector<std::string>& errors);

// JSON body ⇄ document for a shape: converts base64 blobs and timestamps, drops nulls,
// rejects wrong types with SerializationException.
void json_to_doc(const model::Shape& shape, json::value& v, bool rest_json);
void doc_to_json(const model::Shape& shape, const json::value& v, std::string& out);
void doc_to_json(const model::Ref& ref, const json::value& v, std::string& out);

// Writes a JSON string literal (with quotes).
void json_escape(std::string_view s, std::string& out);

}  // namespace stratus::protocol
