#include <stratus/json.hpp>
#include <stratus/model.hpp>
#include <stratus/strings.hpp>

#include <mutex>
#include <stdexcept>

namespace stratus {

std::string_view protocol_name(Protocol p) {
  switch (p) {
    case Protocol::json: return "json";
    case Protocol::query: return "query";
    case Protocol::rest_json: return "rest-json";
    case Protocol::rest_xml: return "rest-xml";
  }
  return "?";
}

namespace model {
namespace {

Type type_of(std::string_view t) {
  if (t == "structure") return Type::structure;
  if (t == "list") return Type::list;
  if (t == "map") return Type::map;
  if (t == "string") return Type::string;
  if (t == "integer") return Type::integer;
  if (t == "long") return Type::long_;
  if (t == "float") return Type::float_;
  if (t == "double") return Type::double_;
  if (t == "boolean") return Type::boolean;
  if (t == "blob") return Type::blob;
  if (t == "timestamp") return Type::timestamp;
  if (t == "bigdecimal") return Type::bigdecimal;
  if (t == "biginteger") return Type::biginteger;
  if (t == "document") return Type::document;
  return Type::unknown;
}

TimestampFormat ts_format(std::string_view f) {
  if (f == "iso8601") return TimestampFormat::iso8601;
  if (f == "unixTimestamp") return TimestampFormat::unix_timestamp;
  if (f == "rfc822") return TimestampFormat::rfc822;
  return TimestampFormat::none;
}

Location location_of(std::string_view l) {
  if (l == "header") return Location::header;
  if (l == "headers") return Location::headers;
  if (l == "querystring") return Location::querystring;
  if (l == "uri") return Location::uri;
  if (l == "statusCode") return Location::status_code;
  return Location::body;
}

std::string s(const json::object& o, std::string_view k) {
  auto* v = find(o, k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
bool b(const json::object& o, std::string_view k) {
  auto* v = find(o, k);
  return v && v->is_bool() && v->get_bool();
}
std::optional<double> num(const json::object& o, std::string_view k) {
  auto* v = find(o, k);
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return std::nullopt;
}

}  // namespace

const Ref* Shape::find_member(std::string_view n) const {
  for (auto& m : members)
    if (m.name == n) return &m;
  return nullptr;
}

bool Shape::is_required(std::string_view n) const {
  for (auto& r : required)
    if (r == n) return true;
  return false;
}

const Operation* Model::operation(std::string_view name) const {
  auto it = op_index_.find(name);
  return it == op_index_.end() ? nullptr : it->second;
}

const Shape* Model::shape(std::string_view name) const {
  auto it = shape_index_.find(name);
  return it == shape_index_.end() ? nullptr : it->second;
}

std::unique_ptr<Model> Model::parse(std::string_view name, std::string_view text) {
  auto m = std::make_unique<Model>();
  m->name_ = std::string(name);
  json::value root = json::parse(text);
  const auto& doc = root.as_object();
  const auto& meta = doc.at("metadata").as_object();
  m->meta_.protocol = s(meta, "protocol");
  m->meta_.api_version = s(meta, "apiVersion");
  m->meta_.target_prefix = s(meta, "targetPrefix");
  m->meta_.json_version = s(meta, "jsonVersion");
  m->meta_.signing_name = s(meta, "signingName");
  m->meta_.endpoint_prefix = s(meta, "endpointPrefix");
  m->meta_.xml_namespace = s(meta, "xmlNamespace");
  m->meta_.service_id = s(meta, "serviceId");
  m->meta_.aws_query_compatible = meta.contains("awsQueryCompatible");
  if (m->meta_.signing_name.empty()) m->meta_.signing_name = m->meta_.endpoint_prefix;
  const auto& p = m->meta_.protocol;
  m->protocol_ = p == "query" ? Protocol::query
                 : p == "rest-json" ? Protocol::rest_json
                 : p == "rest-xml" ? Protocol::rest_xml
                                   : Protocol::json;

  const auto& shapes = doc.at("shapes").as_object();
  // Pass 1: every shape exists, so references resolve regardless of order.
  for (auto& [k, v] : shapes) {
    m->shapes_.emplace_back();
    Shape& sh = m->shapes_.back();
    sh.name = std::string(k);
    sh.type = type_of(s(v.as_object(), "type"));
    m->shape_index_.emplace(sh.name, &sh);
  }
  auto make_ref = [&](std::string_view member_name, const json::object& r) {
    Ref ref;
    ref.name = std::string(member_name);
    auto target = s(r, "shape");
    ref.shape = m->shape(target);
    if (!ref.shape) throw std::runtime_error("model " + m->name_ + ": unknown shape " + target);
    const auto& so = shapes.at(target).as_object();
    ref.location = location_of(s(r, "location"));
    ref.location_name = s(r, "locationName");
    ref.has_location_name = !ref.location_name.empty();
    if (!ref.has_location_name) {
      ref.location_name = s(so, "locationName");
      ref.has_location_name = !ref.location_name.empty();
    }
    if (!ref.has_location_name) ref.location_name = ref.name;
    ref.flattened = b(r, "flattened") || b(so, "flattened");
    ref.xml_attribute = b(r, "xmlAttribute") || b(so, "xmlAttribute");
    ref.streaming = b(r, "streaming") || b(so, "streaming");
    ref.jsonvalue = b(r, "jsonvalue") || b(so, "jsonvalue");
    ref.host_label = b(r, "hostLabel");
    ref.idempotency_token = b(r, "idempotencyToken");
    ref.event_payload = b(r, "eventpayload");
    ref.query_name = s(r, "queryName");
    auto tf = s(r, "timestampFormat");
    if (tf.empty()) tf = s(so, "timestampFormat");
    ref.timestamp_format = ts_format(tf);
    const json::object* ns = opt_obj(r, "xmlNamespace");
    if (!ns) ns = opt_obj(so, "xmlNamespace");
    if (ns) {
      ref.xml_namespace_uri = s(*ns, "uri");
      ref.xml_namespace_prefix = s(*ns, "prefix");
    }
    return ref;
  };
  // Pass 2: members, constraints, traits.
  for (auto& [k, v] : shapes) {
    Shape& sh = *m->shape_index_.at(std::string_view(k));
    const auto& o = v.as_object();
    if (auto* mem = opt_obj(o, "members"))
      for (auto& [mn, mr] : *mem) sh.members.push_back(make_ref(mn, mr.as_object()));
    if (auto* req = opt_arr(o, "required"))
      for (auto& r : *req) sh.required.emplace_back(r.as_string());
    sh.payload = s(o, "payload");
    sh.exception = b(o, "exception");
    sh.is_union = b(o, "union");
    sh.event_stream = b(o, "eventstream");
    sh.streaming = b(o, "streaming");
    sh.sensitive = b(o, "sensitive");
    sh.document = b(o, "document");
    sh.flattened = b(o, "flattened");
    if (auto* r = opt_obj(o, "member")) sh.member = make_ref("", *r);
    if (auto* r = opt_obj(o, "key")) sh.key = make_ref("", *r);
    if (auto* r = opt_obj(o, "value")) sh.value = make_ref("", *r);
    sh.min = num(o, "min");
    sh.max = num(o, "max");
    if (auto* e = opt_arr(o, "enum"))
      for (auto& x : *e) sh.enum_values.emplace_back(x.as_string());
    sh.pattern = s(o, "pattern");
    sh.timestamp_format = ts_format(s(o, "timestampFormat"));
    sh.location_name = s(o, "locationName");
    if (auto* ns = opt_obj(o, "xmlNamespace")) sh.xml_namespace_uri = s(*ns, "uri");
    if (auto* err = opt_obj(o, "error")) {
      sh.error_code = s(*err, "code");
      if (auto n = num(*err, "httpStatusCode")) sh.error_status = static_cast<int>(*n);
      if (auto* sf = find(*err, "senderFault"); sf && sf->is_bool()) sh.error_sender_fault = sf->get_bool();
    }
  }
  for (auto& [k, v] : doc.at("operations").as_object()) {
    const auto& o = v.as_object();
    m->ops_.emplace_back();
    Operation& op = m->ops_.back();
    op.name = std::string(k);
    if (auto* http = opt_obj(o, "http")) {
      if (auto mth = s(*http, "method"); !mth.empty()) op.http_method = mth;
      if (auto uri = s(*http, "requestUri"); !uri.empty()) op.request_uri = uri;
      if (auto rc = num(*http, "responseCode")) op.response_code = static_cast<int>(*rc);
    }
    if (auto* in = opt_obj(o, "input")) {
      op.input = m->shape(s(*in, "shape"));
      op.input_location_name = s(*in, "locationName");
      if (auto* ns = opt_obj(*in, "xmlNamespace")) op.input_xml_namespace = s(*ns, "uri");
    }
    if (auto* out = opt_obj(o, "output")) {
      op.output = m->shape(s(*out, "shape"));
      op.result_wrapper = s(*out, "resultWrapper");
    }
    if (auto* errs = opt_arr(o, "errors"))
      for (auto& e : *errs)
        if (auto* es = m->shape(s(e.as_object(), "shape"))) op.errors.push_back(es);
    op.unsigned_ok = s(o, "authtype") == "none";
    if (auto* auth = opt_arr(o, "auth"))
      for (auto& a : *auth)
        if (a.is_string() && a.get_string() == "smithy.api#noAuth") op.unsigned_ok = true;
    op.deprecated = b(o, "deprecated");
    // Compile the URI template: "/{Bucket}/{Key+}?uploadId" → parts + literal query.
    std::string_view uri = op.request_uri;
    std::string_view path = uri, qs;
    if (auto q = uri.find('?'); q != std::string_view::npos) {
      path = uri.substr(0, q);
      qs = uri.substr(q + 1);
    }
    for (auto seg : split(path, '/')) {
      if (seg.empty()) continue;
      op.path_segments_raw.emplace_back(seg);
      UriPart part;
      if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
        part.literal = false;
        std::string_view label = seg.substr(1, seg.size() - 2);
        if (!label.empty() && label.back() == '+') {
          part.greedy = true;
          label.remove_suffix(1);
        }
        part.text = std::string(label);
      } else {
        part.text = std::string(seg);
      }
      op.path.push_back(std::move(part));
    }
    if (path.size() > 1 && path.back() == '/') op.path.push_back(UriPart{true, "", false});
    for (auto kv : split(qs, '&')) {
      if (kv.empty()) continue;
      auto eq = kv.find('=');
      if (eq == std::string_view::npos)
        op.literal_query.emplace_back(std::string(kv), std::string());
      else
        op.literal_query.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    m->op_index_.emplace(op.name, &op);
    m->op_list_.push_back(&op);
  }
  return m;
}

}  // namespace model
}  // namespace stratus
