// Protocol dispatch: decode a request into (operation, input document), encode an output document
// or an AwsError in the caller's protocol.
#include "internal.hpp"

#include <stratus/strings.hpp>

#include <set>

namespace stratus::protocol {
using namespace model;
using namespace detail;

namespace {

std::string_view json_target_op(const HttpRequest& req) {
  std::string_view t = req.header_or("x-amz-target");
  auto dot = t.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
}

const Shape* error_shape(const Model* m, std::string_view code) {
  if (!m) return nullptr;
  const Shape* s = m->shape(code);
  return s && s->exception ? s : nullptr;
}

// The member name the error shape uses for its message ("message" or "Message").
std::string message_member(const Shape* es, std::string_view fallback) {
  if (es)
    for (auto& mem : es->members)
      if (iequals(mem.name, "message")) return mem.location_name;
  return std::string(fallback);
}

void json_error_fields(const Shape* es, const AwsError& e, std::string& body) {
  for (auto& [k, v] : e.fields) {
    body += ',';
    json_escape(k, body);
    body += ':';
    const Ref* mem = es ? es->find_member(k) : nullptr;
    if (mem) doc_to_json(*mem, v, body);
    else body += json::serialize(v);
  }
}

void xml_error_fields(XmlWriter& w, const Shape* es, const AwsError& e) {
  for (auto& [k, v] : e.fields) {
    const Ref* mem = es ? es->find_member(k) : nullptr;
    if (mem) {
      write_xml(w, *mem, v, mem->location_name, TimestampFormat::iso8601);
    } else if (v.is_string()) {
      w.element(k, v.get_string());
    } else {
      w.element(k, json::serialize(v));
    }
  }
}

}  // namespace

std::string_view operation_name(const Model& m, const HttpRequest& req) {
  switch (m.protocol()) {
    case Protocol::json: return json_target_op(req);
    case Protocol::query: {
      auto* a = req.query_param("Action");
      return a ? std::string_view(*a) : std::string_view();
    }
    default: {
      auto match = match_rest(m, req);
      return match.op ? std::string_view(match.op->name) : std::string_view();
    }
  }
}

Decoded decode(const Model& m, const ServiceInfo& info, HttpRequest& req) {
  Decoded d;
  switch (m.protocol()) {
    case Protocol::json: {
      auto name = json_target_op(req);
      d.op = m.operation(name);
      if (!d.op) throw AwsError("UnknownOperationException", "", 400);
      std::string text = req.body.read_all();
      json::value v;
      if (trim(text).empty()) {
        v = json::object();
      } else {
        boost::system::error_code ec;
        // Deeper than Boost's default of 32: a DynamoDB item may nest 32 attribute values (~66 JSON levels).
        json::parse_options opt;
        opt.max_depth = 128;
        v = json::parse(text, ec, {}, opt);
        if (ec) throw AwsError::serialization("Start of structure or map found where not expected.");
      }
      if (!v.is_object()) throw AwsError::serialization("Start of structure or map found where not expected.");
      if (d.op->input) json_to_doc(*d.op->input, v, false);
      d.input = std::move(v.as_object());
      break;
    }
    case Protocol::query: decode_query(m, info, req, d); break;
    case Protocol::rest_json:
    case Protocol::rest_xml: {
      auto match = match_rest(m, req);
      if (!match.op)
        throw AwsError("UnknownOperationException",
                       "No operation of " + m.metadata().service_id + " matches " + req.method + " " + req.path, 404);
      decode_rest(m, info, req, d, match);
      break;
    }
  }
  throw_if_invalid(info, d.op->input, d.input);
  return d;
}

HttpResponse encode_output(const Model& m, const ServiceInfo& info, const Operation& op, Output&& out,
                           const RequestContext& ctx) {
  switch (m.protocol()) {
    case Protocol::json: {
      HttpResponse r;
      r.status = out.status ? out.status : 200;
      std::string body;
      if (op.output) write_json_struct(*op.output, out.doc, body, false);
      else body = "{}";
      r.headers.add("Content-Type", std::string(json_content_type(m)));
      for (auto& h : out.headers) r.headers.push_back(h);
      r.body = Payload(std::move(body));
      return r;
    }
    case Protocol::query: return encode_query(m, op, std::move(out), ctx);
    default: return encode_rest(m, info, op, std::move(out), ctx);
  }
}

HttpResponse encode_error(const Model* m, const ServiceInfo* info, Protocol p, const AwsError& e,
                          const RequestContext& ctx) {
  HttpResponse r;
  const Shape* es = error_shape(m, e.code);
  r.status = e.status ? e.status : (es && es->error_status ? es->error_status : 400);
  bool sender = e.status ? e.sender_fault : (es ? es->error_sender_fault : e.sender_fault);
  if (r.status >= 500 && !e.status) sender = false;
  std::string body;
  switch (p) {
    case Protocol::json: {
      // Errors raised by AWS's request front end (Coral) rather than the service carry its namespace.
      static const std::set<std::string_view> kCoral = {
          "SerializationException", "UnknownOperationException", "MissingAuthenticationTokenException",
          "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
          "AccessDeniedException", "RequestEntityTooLargeException", "InternalFailure", "NotImplemented"};
      std::string type = e.code;
      if (info) {
        auto it = info->json_error_types.find(e.code);
        if (it != info->json_error_types.end()) type = it->second;
        else if (kCoral.count(e.code)) type = "com.amazon.coral.service#" + e.code;
        else type = info->json_error_prefix + e.code;
      } else if (kCoral.count(e.code)) {
        type = "com.amazon.coral.service#" + e.code;
      }
      body = "{\"__type\":";
      json_escape(type, body);
      if (!e.message.empty()) {
        body += ',';
        json_escape(message_member(es, "message"), body);
        body += ':';
        json_escape(e.message, body);
      }
      json_error_fields(es, e, body);
      body += '}';
      r.headers.add("Content-Type", m ? std::string(json_content_type(*m)) : "application/x-amz-json-1.0");
      if (m && m->metadata().aws_query_compatible) {
        std::string qcode = !e.query_code.empty() ? e.query_code : es && !es->error_code.empty() ? es->error_code : e.code;
        r.headers.add("x-amzn-query-error", qcode + (sender ? ";Sender" : ";Receiver"));
      }
      break;
    }
    case Protocol::rest_json: {
      r.headers.add("x-amzn-ErrorType", e.code);
      body.push_back('{');
      bool first = true;
      if (!e.message.empty()) {
        json_escape(message_member(es, "message"), body);
        body += ':';
        json_escape(e.message, body);
        first = false;
      }
      std::string fields;
      json_error_fields(es, e, fields);  // each field starts with ','
      std::string_view fv = fields;
      if (first && !fv.empty()) fv.remove_prefix(1);
      body += fv;
      body += '}';
      r.headers.add("Content-Type", "application/json");
      break;
    }
    case Protocol::query: {
      std::string code = !e.query_code.empty() ? e.query_code : es && !es->error_code.empty() ? es->error_code : e.code;
      XmlWriter w(body);
      w.open_start("ErrorResponse");
      if (m && !m->metadata().xml_namespace.empty()) w.attr("xmlns", m->metadata().xml_namespace);
      w.end_open();
      w.open("Error");
      w.element("Type", sender ? "Sender" : "Receiver");
      w.element("Code", code);
      w.element("Message", e.message);
      xml_error_fields(w, es, e);
      w.close("Error");
      w.element("RequestId", ctx.request_id);
      w.close("ErrorResponse");
      r.headers.add("Content-Type", "text/xml");
      break;
    }
    case Protocol::rest_xml: {
      XmlWriter w(body);
      w.declaration();
      body += '\n';
      w.open("Error");
      w.element("Code", e.code);
      w.element("Message", e.message);
      xml_error_fields(w, es, e);
      w.element("RequestId", ctx.request_id);
      w.close("Error");
      r.headers.add("Content-Type", "application/xml");
      break;
    }
  }
  for (auto& [k, v] : e.headers) r.headers.set(k, v);
  r.body = Payload(std::move(body));
  return r;
}

}  // namespace stratus::protocol
