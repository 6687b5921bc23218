// AWS query protocol: form parameters (Action=...&Version=...&A.member.1=...) → document, and the
// <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse> reply.
// Mirrors botocore's QuerySerializer so whatever an SDK sends decodes back to the same document.
#include "internal.hpp"

#include <stratus/strings.hpp>

#include <map>

namespace stratus::protocol::detail {
using namespace model;

namespace {

using Params = std::map<std::string, std::string, std::less<>>;

bool has_prefix(const Params& p, const std::string& prefix) {
  auto it = p.lower_bound(prefix);
  if (it == p.end()) return false;
  if (it->first == prefix) return true;
  std::string dotted = prefix + ".";
  it = p.lower_bound(dotted);
  return it != p.end() && it->first.compare(0, dotted.size(), dotted) == 0;
}

std::string lower_first(std::string_view s) {
  std::string r(s);
  if (!r.empty() && r[0] >= 'A' && r[0] <= 'Z') r[0] = static_cast<char>(r[0] + 32);
  return r;
}

struct QueryDecoder {
  const Params& params;
  const std::string& vcode;

  std::optional<json::value> value(const Ref& ref, const std::string& prefix, const std::string& path) {
    const Shape& sh = *ref.shape;
    switch (sh.type) {
      case Type::structure: {
        if (!prefix.empty() && !has_prefix(params, prefix)) return std::nullopt;
        return structure(sh, prefix, path);
      }
      case Type::list: {
        // An empty list is sent as "Prefix=" with no elements.
        auto exact = params.find(prefix);
        std::string list_prefix;
        if (ref.flattened) {
          list_prefix = prefix;
          if (sh.member.has_location_name) {
            auto dot = prefix.rfind('.');
            list_prefix = (dot == std::string::npos ? std::string() : prefix.substr(0, dot + 1)) +
                          sh.member.location_name;
          }
        } else {
          list_prefix = prefix + "." + (sh.member.has_location_name ? sh.member.location_name : "member");
        }
        json::array arr;
        for (int i = 1;; ++i) {
          std::string ep = list_prefix + "." + std::to_string(i);
          if (!has_prefix(params, ep)) break;
          auto v = value(sh.member, ep, path + "." + std::to_string(i) + ".member");
          if (!v) break;
          arr.push_back(std::move(*v));
        }
        if (arr.empty() && exact == params.end()) return std::nullopt;
        return json::value(std::move(arr));
      }
      case Type::map: {
        std::string full = ref.flattened ? prefix : prefix + ".entry";
        std::string kname = sh.key.has_location_name ? sh.key.location_name : "key";
        std::string vname = sh.value.has_location_name ? sh.value.location_name : "value";
        json::object mo;
        for (int i = 1;; ++i) {
          std::string ep = full + "." + std::to_string(i);
          auto k = params.find(ep + "." + kname);
          if (k == params.end()) break;
          auto v = value(sh.value, ep + "." + vname, path + "." + k->second + ".member");
          mo[k->second] = v ? std::move(*v) : json::value("");
        }
        if (mo.empty()) return std::nullopt;
        return json::value(std::move(mo));
      }
      default: {
        auto it = params.find(prefix);
        if (it == params.end()) return std::nullopt;
        return scalar_from_text(sh, it->second, effective_format(ref, TimestampFormat::iso8601), vcode, path);
      }
    }
  }

  json::object structure(const Shape& sh, const std::string& prefix, const std::string& path) {
    json::object o;
    for (auto& m : sh.members) {
      const std::string& wire = m.location_name;
      std::string p = prefix.empty() ? wire : prefix + "." + wire;
      std::string vp = path.empty() ? lower_first(m.name) : path + "." + lower_first(m.name);
      if (auto v = value(m, p, vp)) o[m.name] = std::move(*v);
    }
    return o;
  }
};

}  // namespace

void decode_query(const Model& m, const ServiceInfo& info, HttpRequest& req, Decoded& d) {
  Params params;
  for (auto& [k, v] : req.query) params.emplace(k, v);
  auto ct = req.header_or("content-type");
  if (req.method == "POST" && (ct.empty() || ct.find("x-www-form-urlencoded") != std::string_view::npos)) {
    std::string body = req.body.read_all();
    for (auto& [k, v] : parse_query_string(body, true)) params[k] = v;
  }
  auto action = params.find("Action");
  if (action == params.end())
    throw AwsError("MissingAction", "Missing Action", 400);  // query services answer this way
  d.op = m.operation(action->second);
  if (!d.op)
    throw AwsError("InvalidAction", "The action " + action->second + " is not valid for this web service.", 400);
  if (d.op->input) {
    QueryDecoder dec{params, info.validation_error_code};
    d.input = dec.structure(*d.op->input, "", "");
  }
}

HttpResponse encode_query(const Model& m, const Operation& op, Output&& out, const RequestContext& ctx) {
  HttpResponse r;
  r.status = out.status ? out.status : 200;
  std::string body;
  body.reserve(512);
  XmlWriter w(body);
  std::string root = op.name + "Response";
  w.open_start(root);
  if (!m.metadata().xml_namespace.empty()) w.attr("xmlns", m.metadata().xml_namespace);
  w.end_open();
  if (op.output) {
    std::string result = op.result_wrapper.empty() ? op.name + "Result" : op.result_wrapper;
    w.open(result);
    write_xml_members(w, *op.output, out.doc, TimestampFormat::iso8601, false);
    w.close(result);
  }
  w.open("ResponseMetadata");
  w.element("RequestId", ctx.request_id);
  w.close("ResponseMetadata");
  w.close(root);
  r.headers.add("Content-Type", "text/xml");
  for (auto& h : out.headers) r.headers.push_back(h);
  r.body = Payload(std::move(body));
  return r;
}

}  // namespace stratus::protocol::detail
