// rest-json and rest-xml: operations found by URI template, members bound to the URI, query
// string, headers, status code and body as the model's http traits say.
#include "internal.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

namespace stratus::protocol::detail {
using namespace model;

namespace {

// -1: no match; otherwise a specificity score (literal query keys, then literal segments).
int match_op(const Operation& op, const HttpRequest& req, std::vector<std::pair<std::string, std::string>>& labels) {
  if (op.http_method != req.method) return -1;
  std::string_view raw = req.path;
  if (raw.empty() || raw.front() != '/') return -1;
  size_t pos = 1;
  int literal_segments = 0;
  labels.clear();
  for (size_t i = 0; i < op.path.size(); ++i) {
    const UriPart& part = op.path[i];
    if (part.greedy) {
      if (pos > raw.size()) return -1;
      std::string_view rest = raw.substr(pos);
      if (rest.empty()) return -1;
      labels.emplace_back(part.text, url_decode(rest));
      pos = raw.size() + 1;
      continue;
    }
    if (pos > raw.size()) {
      // Template "/{Bucket}/" style trailing empty literal.
      if (part.literal && part.text.empty()) continue;
      return -1;
    }
    size_t end = raw.find('/', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view seg = raw.substr(pos, end - pos);
    if (part.literal) {
      if (seg != part.text) return -1;
      ++literal_segments;
    } else {
      if (seg.empty()) return -1;
      labels.emplace_back(part.text, url_decode(seg));
    }
    pos = end + 1;
  }
  // Everything consumed (a single trailing '/' is tolerated: "/bucket/").
  if (pos < raw.size()) return -1;
  int literal_query = 0;
  for (auto& [k, v] : op.literal_query) {
    if (k == "x-id") continue;  // a hint some SDKs add; never required
    auto* q = req.query_param(k);
    if (!q) return -1;
    if (!v.empty() && *q != v) return -1;
    ++literal_query;
  }
  int score = literal_query * 1000 + literal_segments * 10 + static_cast<int>(op.path.size());
  // Same template (S3 PutObject/CopyObject/UploadPart/UploadPartCopy): the operation whose
  // required header and query members the request carries is the one the client meant.
  if (op.input)
    for (auto& m : op.input->members) {
      if (!op.input->is_required(m.name)) continue;
      bool present;
      if (m.location == Location::header) present = req.header(to_lower(m.location_name)) != nullptr;
      else if (m.location == Location::querystring && m.shape->type != Type::map) present = req.query_param(m.location_name) != nullptr;
      else continue;
      score += present ? 50 : -500;
    }
  if (auto* xid = req.query_param("x-id"); xid && *xid == op.name) score += 100000;
  return score;
}

json::value header_value(const Ref& m, std::string_view text, const std::string& vcode) {
  const Shape& sh = *m.shape;
  if (sh.type == Type::list) {
    json::array arr;
    for (auto part : split(text, ',')) {
      auto t = trim(part);
      arr.push_back(scalar_from_text(*sh.member.shape, t, TimestampFormat::rfc822, vcode, m.name));
    }
    return arr;
  }
  if (m.jsonvalue) {
    auto raw = crypto::base64_decode(text);
    return json::string(raw ? *raw : std::string(text));
  }
  return scalar_from_text(sh, text, effective_format(m, TimestampFormat::rfc822), vcode, m.name);
}

}  // namespace

RestMatch match_rest(const Model& m, const HttpRequest& req) {
  RestMatch best;
  if (!req.operation_hint.empty()) {
    if (auto* op = m.operation(req.operation_hint)) {
      best.op = op;
      std::vector<std::pair<std::string, std::string>> labels;
      if (match_op(*op, req, labels) >= 0) best.labels = std::move(labels);
      return best;
    }
  }
  int best_score = -1;
  std::vector<std::pair<std::string, std::string>> labels;
  for (const Operation* op : m.operations()) {
    int s = match_op(*op, req, labels);
    if (s > best_score) {
      best_score = s;
      best.op = op;
      best.labels = labels;
    }
  }
  return best;
}

void decode_rest(const Model& m, const ServiceInfo& info, HttpRequest& req, Decoded& d, const RestMatch& match) {
  d.op = match.op;
  const Shape* in = d.op->input;
  if (!in) return;
  const bool xml = m.protocol() == Protocol::rest_xml;
  const std::string& vcode = info.validation_error_code;
  json::object& o = d.input;
  std::vector<std::string> bound_query_keys;
  const Ref* query_map = nullptr;
  for (auto& mem : in->members) {
    switch (mem.location) {
      case Location::uri:
        for (auto& [k, v] : match.labels)
          if (k == mem.location_name) o[mem.name] = scalar_from_text(*mem.shape, v, TimestampFormat::iso8601, vcode, mem.name);
        break;
      case Location::querystring: {
        if (mem.shape->type == Type::map) {
          query_map = &mem;
          break;
        }
        bound_query_keys.push_back(mem.location_name);
        if (mem.shape->type == Type::list) {
          json::array arr;
          for (auto& [k, v] : req.query)
            if (k == mem.location_name)
              arr.push_back(scalar_from_text(*mem.shape->member.shape, v, TimestampFormat::iso8601, vcode, mem.name));
          if (!arr.empty()) o[mem.name] = std::move(arr);
        } else if (auto* v = req.query_param(mem.location_name)) {
          o[mem.name] = scalar_from_text(*mem.shape, *v, effective_format(mem, TimestampFormat::iso8601), vcode, mem.name);
        }
        break;
      }
      case Location::header:
        if (auto* v = req.header(to_lower(mem.location_name))) o[mem.name] = header_value(mem, *v, vcode);
        break;
      case Location::headers: {
        std::string prefix = to_lower(mem.location_name);
        json::object mo;
        for (auto& [k, v] : req.headers)
          if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0) mo[k.substr(prefix.size())] = v;
        if (!mo.empty()) o[mem.name] = std::move(mo);
        break;
      }
      default: break;
    }
  }
  if (query_map) {
    // A map bound to the query string takes every parameter no other member claimed.
    json::object mo;
    for (auto& [k, v] : req.query) {
      bool claimed = false;
      for (auto& b : bound_query_keys) claimed = claimed || b == k;
      if (claimed) continue;
      if (query_map->shape->value.shape && query_map->shape->value.shape->type == Type::list) {
        auto& slot = mo[k];
        if (!slot.is_array()) slot = json::array();
        slot.as_array().push_back(json::string(v));
      } else {
        mo[k] = v;
      }
    }
    if (!mo.empty()) o[query_map->name] = std::move(mo);
  }
  // Body.
  if (!in->payload.empty()) {
    const Ref* pm = in->find_member(in->payload);
    if (!pm) return;
    const Shape& ps = *pm->shape;
    if (ps.type == Type::blob || ps.type == Type::string) {
      if (pm->streaming || ps.streaming) {
        d.body = std::move(req.body);
      } else if (!req.body.empty()) {
        o[pm->name] = json::string(req.body.read_all());
      }
      return;
    }
    if (req.body.empty()) return;
    std::string text = req.body.read_all();
    if (ps.type == Type::structure || ps.type == Type::list || ps.type == Type::map) {
      if (xml) {
        o[pm->name] = parse_xml_body(ps, text, false);
      } else {
        json::value v;
        try {
          v = json::parse(text);
        } catch (const std::exception&) {
          throw AwsError::serialization("Could not parse request body into json");
        }
        json_to_doc(ps, v, true);
        o[pm->name] = std::move(v);
      }
    } else if (ps.type == Type::document) {
      try {
        o[pm->name] = json::parse(text);
      } catch (const std::exception&) {
        throw AwsError::serialization("Could not parse request body into json");
      }
    }
    return;
  }
  bool has_body_members = false;
  for (auto& mem : in->members) has_body_members = has_body_members || mem.location == Location::body;
  if (!has_body_members || req.body.empty()) return;
  std::string text = req.body.read_all();
  if (trim(text).empty()) return;
  if (xml) {
    json::value v = parse_xml_body(*in, text, true);
    for (auto& [k, val] : v.as_object()) o[k] = std::move(val);
  } else {
    json::value v;
    try {
      v = json::parse(text);
    } catch (const std::exception&) {
      throw AwsError::serialization("Could not parse request body into json");
    }
    if (!v.is_object()) throw AwsError::serialization("Start of structure or map found where not expected.");
    // Drop members that belong elsewhere before converting.
    auto& bo = v.as_object();
    for (auto& mem : in->members)
      if (mem.location != Location::body) bo.erase(mem.location_name);
    json_to_doc(*in, v, true);
    for (auto& [k, val] : bo) o[k] = std::move(val);
  }
}

HttpResponse encode_rest(const Model& m, const ServiceInfo& info, const Operation& op, Output&& out,
                         const RequestContext& ctx) {
  HttpResponse r;
  r.status = out.status ? out.status : op.response_code;
  const bool xml = m.protocol() == Protocol::rest_xml;
  const Shape* sh = op.output;
  const json::object& o = out.doc;
  if (sh) {
    for (auto& mem : sh->members) {
      auto it = o.find(mem.name);
      if (it == o.end() || it->value().is_null()) continue;
      const json::value& v = it->value();
      switch (mem.location) {
        case Location::header: {
          std::string text;
          if (mem.shape->type == Type::list && v.is_array()) {
            for (auto& x : v.get_array()) {
              if (!text.empty()) text += ",";
              text += scalar_text(*mem.shape->member.shape, x, TimestampFormat::rfc822);
            }
          } else if (mem.jsonvalue) {
            text = crypto::base64(v.is_string() ? std::string(v.get_string()) : json::serialize(v));
          } else {
            text = scalar_text(*mem.shape, v, effective_format(mem, TimestampFormat::rfc822));
          }
          r.headers.add(mem.location_name, std::move(text));
          break;
        }
        case Location::headers:
          if (v.is_object())
            for (auto& [k, x] : v.get_object())
              r.headers.add(mem.location_name + std::string(k), x.is_string() ? std::string(x.get_string()) : json::serialize(x));
          break;
        case Location::status_code:
          if (v.is_int64()) r.status = static_cast<int>(v.get_int64());
          break;
        default: break;
      }
    }
  }
  for (auto& h : out.headers) r.headers.set(h.first, h.second);
  if (!sh) {
    r.body = std::move(out.body);
    return r;
  }
  if (!sh->payload.empty()) {
    const Ref* pm = sh->find_member(sh->payload);
    if (!pm) return r;
    const Shape& ps = *pm->shape;
    if (ps.type == Type::blob || ps.type == Type::string) {
      if (out.body.kind() != Payload::Kind::memory || !out.body.empty()) {
        r.body = std::move(out.body);
      } else if (auto it = o.find(pm->name); it != o.end() && it->value().is_string()) {
        r.body = Payload(std::string(it->value().get_string()));
      }
      return r;
    }
    auto it = o.find(pm->name);
    if (it == o.end() || it->value().is_null()) return r;
    std::string body;
    if (xml) {
      XmlWriter w(body);
      w.declaration();
      std::string name = pm->has_location_name ? pm->location_name
                         : !ps.location_name.empty() ? ps.location_name
                                                     : ps.name;
      Ref root = *pm;
      if (root.xml_namespace_uri.empty()) root.xml_namespace_uri = info.xml_namespace;
      write_xml(w, root, it->value(), name, TimestampFormat::iso8601);
      if (!r.headers.get("Content-Type")) r.headers.add("Content-Type", "application/xml");
    } else {
      doc_to_json(*pm, it->value(), body);
      if (!r.headers.get("Content-Type")) r.headers.add("Content-Type", "application/json");
    }
    r.body = Payload(std::move(body));
    return r;
  }
  bool has_body_members = false;
  for (auto& mem : sh->members) has_body_members = has_body_members || mem.location == Location::body;
  // A service may answer with a body of its own for the rare response the shape cannot express
  // (S3 GetBucketLocation's bare <LocationConstraint>text</LocationConstraint>).
  if (!has_body_members || out.body.kind() != Payload::Kind::memory || !out.body.empty()) {
    r.body = std::move(out.body);
    return r;
  }
  std::string body;
  if (xml) {
    XmlWriter w(body);
    w.declaration();
    std::string name = sh->location_name;
    if (name.empty()) {
      auto it = info.xml_root_names.find(sh->name);
      name = it != info.xml_root_names.end() ? it->second : sh->name;
    }
    w.open_start(name);
    const std::string& ns = sh->xml_namespace_uri.empty() ? info.xml_namespace : sh->xml_namespace_uri;
    if (!ns.empty()) w.attr("xmlns", ns);
    write_xml_attributes(w, *sh, o);
    w.end_open();
    write_xml_members(w, *sh, o, TimestampFormat::iso8601, true);
    w.close(name);
    if (!r.headers.get("Content-Type")) r.headers.add("Content-Type", "application/xml");
  } else {
    write_json_struct(*sh, o, body, true);
    if (!r.headers.get("Content-Type")) r.headers.add("Content-Type", "application/json");
  }
  r.body = Payload(std::move(body));
  (void)ctx;
  return r;
}

}  // namespace stratus::protocol::detail
