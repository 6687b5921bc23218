#pragma once
// The AWS API model (botocore format) compiled into lookup structures: the single source of truth
// for URI templates, header/query/payload bindings, XML names, timestamp formats and validation.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stratus {

enum class Protocol : uint8_t { json, query, rest_json, rest_xml };
std::string_view protocol_name(Protocol p);

namespace model {

enum class Type : uint8_t {
  structure, list, map, string, integer, long_, float_, double_, boolean, blob, timestamp,
  bigdecimal, biginteger, document, unknown
};
enum class Location : uint8_t { body, header, headers, querystring, uri, status_code };
enum class TimestampFormat : uint8_t { none, iso8601, unix_timestamp, rfc822 };

struct Shape;

// A reference to a shape with the traits of the reference merged over the shape's own
// (botocore's resolve_shape_ref): what a serializer needs about one member / element.
struct Ref {
  std::string name;            // member name in the document ("" for list members, map keys)
  const Shape* shape = nullptr;
  Location location = Location::body;
  std::string location_name;   // header name, query key, URI label, XML element name
  bool has_location_name = false;
  bool flattened = false;
  bool xml_attribute = false;
  bool streaming = false;
  bool jsonvalue = false;
  bool host_label = false;
  bool idempotency_token = false;
  bool event_payload = false;
  TimestampFormat timestamp_format = TimestampFormat::none;
  std::string xml_namespace_uri, xml_namespace_prefix;
  std::string query_name;      // ec2 only
};

struct Shape {
  std::string name;
  Type type = Type::unknown;
  // structure
  std::vector<Ref> members;
  std::vector<std::string> required;
  std::string payload;         // member bound to the HTTP body
  bool exception = false;
  bool is_union = false;
  bool event_stream = false;
  bool streaming = false;      // blob/string shape itself marked streaming
  bool sensitive = false;
  bool document = false;
  // list / map
  Ref member, key, value;
  bool flattened = false;
  // constraints
  std::optional<double> min, max;
  std::vector<std::string> enum_values;
  std::string pattern;
  TimestampFormat timestamp_format = TimestampFormat::none;
  std::string location_name;   // XML name of the shape (root elements)
  std::string xml_namespace_uri;
  // error trait
  std::string error_code;
  int error_status = 0;
  bool error_sender_fault = true;

  const Ref* find_member(std::string_view n) const;
  bool is_required(std::string_view n) const;
};

struct UriPart {
  bool literal = true;
  std::string text;            // literal text, or label name
  bool greedy = false;         // {Key+}
};

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";
  int response_code = 200;
  const Shape* input = nullptr;
  const Shape* output = nullptr;
  std::string result_wrapper;  // query: <XResult>
  std::string input_location_name, input_xml_namespace;  // rest-xml input root
  std::vector<const Shape*> errors;
  bool unsigned_ok = false;    // authtype none (Cognito InitiateAuth, STS AssumeRoleWithWebIdentity)
  bool deprecated = false;
  // compiled requestUri
  std::vector<UriPart> path;   // split on '/', each part literal text or a label (may mix: "{Id}.json")
  std::vector<std::pair<std::string, std::string>> literal_query;  // "?uploads" → {"uploads",""}
  std::vector<std::string> path_segments_raw;
};

struct Metadata {
  std::string protocol, api_version, target_prefix, json_version, signing_name, endpoint_prefix;
  std::string xml_namespace, service_id;
  bool aws_query_compatible = false;
};

class Model {
 public:
  // Parses botocore-format JSON; throws std::runtime_error when malformed.
  static std::unique_ptr<Model> parse(std::string_view name, std::string_view json_text);

  const std::string& name() const { return name_; }
  const Metadata& metadata() const { return meta_; }
  Protocol protocol() const { return protocol_; }
  const Operation* operation(std::string_view name) const;
  const std::vector<const Operation*>& operations() const { return op_list_; }
  const Shape* shape(std::string_view name) const;

 private:
  std::string name_;
  Metadata meta_;
  Protocol protocol_ = Protocol::json;
  std::deque<Shape> shapes_;
  std::unordered_map<std::string_view, Shape*> shape_index_;
  std::deque<Operation> ops_;
  std::unordered_map<std::string_view, const Operation*> op_index_;
  std::vector<const Operation*> op_list_;
};

// The models compiled into the binary (models/*.json), parsed on first use.
const Model* find_model(std::string_view name);
std::vector<std::string_view> embedded_model_names();

}  // namespace model
}  // namespace stratus
