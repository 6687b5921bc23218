#pragma once
// Declarations shared by the codecs (not part of the public interface).
#include <stratus/protocol.hpp>

#include <map>
#include <string>
#include <string_view>

namespace stratus::protocol::detail {

// --- XML ---
class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}
  void declaration() { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"; }
  void open(std::string_view name) {
    out_ += '<';
    out_ += name;
    out_ += '>';
  }
  // Opens "<name" for attributes; finish with end_open().
  void open_start(std::string_view name) {
    out_ += '<';
    out_ += name;
  }
  void attr(std::string_view name, std::string_view value);
  void end_open() { out_ += '>'; }
  void close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
  }
  void text(std::string_view s);
  void element(std::string_view name, std::string_view text_value) {
    open(name);
    text(text_value);
    close(name);
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
};
void xml_escape(std::string_view s, std::string& out, bool attribute);

// Shape value → XML element named `name` (query results, rest-xml bodies, error fields).
void write_xml(XmlWriter& w, const model::Ref& ref, const json::value& v, std::string_view name,
               model::TimestampFormat default_ts);
// Members of a structure (children only, attributes ignored), for wrapper elements.
void write_xml_members(XmlWriter& w, const model::Shape& sh, const json::object& o, model::TimestampFormat default_ts,
                       bool body_only);
// Attributes (xmlAttribute members) of a structure.
void write_xml_attributes(XmlWriter& w, const model::Shape& sh, const json::object& o);
// XML text → document for a shape (rest-xml request bodies).
json::value parse_xml_body(const model::Shape& sh, std::string_view xml, bool body_only);

// --- scalars ---
std::string scalar_text(const model::Shape& sh, const json::value& v, model::TimestampFormat fmt);
// Text → typed value for a scalar shape (query params, headers, URI labels). Throws AwsError.
json::value scalar_from_text(const model::Shape& sh, std::string_view text, model::TimestampFormat fmt,
                             const std::string& validation_code, std::string_view where);
model::TimestampFormat effective_format(const model::Ref& ref, model::TimestampFormat protocol_default);
void append_double(double d, std::string& out);

// --- JSON protocol pieces ---
std::string_view json_content_type(const model::Model& m);
// A structure's members as a JSON object; `body_only` skips members bound to headers/URI/query.
void write_json_struct(const model::Shape& sh, const json::object& o, std::string& out, bool body_only);

// --- operation lookup for REST protocols ---
struct RestMatch {
  const model::Operation* op = nullptr;
  std::vector<std::pair<std::string, std::string>> labels;  // decoded
};
RestMatch match_rest(const model::Model& m, const HttpRequest& req);

void decode_query(const model::Model& m, const ServiceInfo& info, HttpRequest& req, Decoded& d);
void decode_rest(const model::Model& m, const ServiceInfo& info, HttpRequest& req, Decoded& d, const RestMatch& match);
HttpResponse encode_query(const model::Model& m, const model::Operation& op, Output&& out, const RequestContext& ctx);
HttpResponse encode_rest(const model::Model& m, const ServiceInfo& info, const model::Operation& op, Output&& out,
                         const RequestContext& ctx);

// Builds the model-level validation error and throws it when `errors` is non-empty.
void throw_if_invalid(const ServiceInfo& info, const model::Shape* shape, const json::object& doc);

}  // namespace stratus::protocol::detail
