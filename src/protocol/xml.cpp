// Shapes ⇄ XML for the query and rest-xml protocols, following botocore's serializers and
// parsers (flattened lists and maps, locationName, xmlAttribute, xmlNamespace).
#include "internal.hpp"

#include <pugixml.hpp>

namespace stratus::protocol::detail {
using namespace model;

void xml_escape(std::string_view s, std::string& out, bool attribute) {
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;  // S3 and the query services escape quotes in text too
      case '\r': out += "&#xD;"; break;
      case '\n':
        if (attribute) out += "&#xA;";
        else out += '\n';
        break;
      case '\t': out += '\t'; break;
      default:
        if (c < 0x20) {
          out += "&#x";
          if (c >= 16) out += kHex[c >> 4];
          out += kHex[c & 15];
          out += ';';
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

void XmlWriter::attr(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  xml_escape(value, out_, true);
  out_ += '"';
}

void XmlWriter::text(std::string_view s) { xml_escape(s, out_, false); }

void write_xml_attributes(XmlWriter& w, const Shape& sh, const json::object& o) {
  for (auto& m : sh.members) {
    if (!m.xml_attribute) continue;
    auto it = o.find(m.name);
    if (it == o.end() || it->value().is_null()) continue;
    w.attr(m.location_name, scalar_text(*m.shape, it->value(), effective_format(m, TimestampFormat::iso8601)));
  }
}

void write_xml_members(XmlWriter& w, const Shape& sh, const json::object& o, TimestampFormat default_ts,
                       bool body_only) {
  for (auto& m : sh.members) {
    if (m.xml_attribute) continue;
    if (body_only && m.location != Location::body) continue;
    auto it = o.find(m.name);
    if (it == o.end() || it->value().is_null()) continue;
    write_xml(w, m, it->value(), m.location_name, default_ts);
  }
}

void write_xml(XmlWriter& w, const Ref& ref, const json::value& v, std::string_view name, TimestampFormat default_ts) {
  const Shape& sh = *ref.shape;
  switch (sh.type) {
    case Type::structure: {
      w.open_start(name);
      if (!ref.xml_namespace_uri.empty())
        w.attr(ref.xml_namespace_prefix.empty() ? std::string("xmlns") : "xmlns:" + ref.xml_namespace_prefix,
               ref.xml_namespace_uri);
      if (v.is_object()) write_xml_attributes(w, sh, v.get_object());
      w.end_open();
      if (v.is_object()) write_xml_members(w, sh, v.get_object(), default_ts, false);
      w.close(name);
      break;
    }
    case Type::list: {
      if (!v.is_array()) break;
      if (ref.flattened) {
        std::string_view item = sh.member.has_location_name ? std::string_view(sh.member.location_name) : name;
        for (auto& x : v.get_array()) write_xml(w, sh.member, x, item, default_ts);
      } else {
        std::string_view item = sh.member.has_location_name ? std::string_view(sh.member.location_name) : "member";
        w.open(name);
        for (auto& x : v.get_array()) write_xml(w, sh.member, x, item, default_ts);
        w.close(name);
      }
      break;
    }
    case Type::map: {
      if (!v.is_object()) break;
      std::string_view kname = sh.key.has_location_name ? std::string_view(sh.key.location_name) : "key";
      std::string_view vname = sh.value.has_location_name ? std::string_view(sh.value.location_name) : "value";
      if (!ref.flattened) w.open(name);
      for (auto& [k, x] : v.get_object()) {
        w.open(ref.flattened ? name : "entry");
        w.element(kname, k);
        write_xml(w, sh.value, x, vname, default_ts);
        w.close(ref.flattened ? name : "entry");
      }
      if (!ref.flattened) w.close(name);
      break;
    }
    default:
      w.element(name, scalar_text(sh, v, effective_format(ref, default_ts)));
      break;
  }
}

namespace {

json::value parse_node(const Ref& ref, const pugi::xml_node& node);

json::object parse_struct(const Shape& sh, const pugi::xml_node& node, bool body_only) {
  json::object o;
  for (auto& m : sh.members) {
    if (body_only && m.location != Location::body) continue;
    if (m.xml_attribute) {
      auto a = node.attribute(m.location_name.c_str());
      if (a) o[m.name] = scalar_from_text(*m.shape, a.value(), TimestampFormat::iso8601, "MalformedXML", m.name);
      continue;
    }
    const Shape& ms = *m.shape;
    if (ms.type == Type::list && m.flattened) {
      std::string item = ms.member.has_location_name ? ms.member.location_name : m.location_name;
      json::array arr;
      for (auto c : node.children(item.c_str())) arr.push_back(parse_node(ms.member, c));
      if (!arr.empty()) o[m.name] = std::move(arr);
      continue;
    }
    if (ms.type == Type::map && m.flattened) {
      json::object mo;
      std::string kname = ms.key.has_location_name ? ms.key.location_name : "key";
      std::string vname = ms.value.has_location_name ? ms.value.location_name : "value";
      for (auto c : node.children(m.location_name.c_str()))
        mo[c.child(kname.c_str()).text().get()] = parse_node(ms.value, c.child(vname.c_str()));
      if (!mo.empty()) o[m.name] = std::move(mo);
      continue;
    }
    auto c = node.child(m.location_name.c_str());
    if (c) o[m.name] = parse_node(m, c);
  }
  return o;
}

json::value parse_node(const Ref& ref, const pugi::xml_node& node) {
  const Shape& sh = *ref.shape;
  switch (sh.type) {
    case Type::structure: return parse_struct(sh, node, false);
    case Type::list: {
      json::array arr;
      std::string item = sh.member.has_location_name ? sh.member.location_name : "member";
      for (auto c : node.children(item.c_str())) arr.push_back(parse_node(sh.member, c));
      return arr;
    }
    case Type::map: {
      json::object mo;
      std::string kname = sh.key.has_location_name ? sh.key.location_name : "key";
      std::string vname = sh.value.has_location_name ? sh.value.location_name : "value";
      for (auto e : node.children("entry")) mo[e.child(kname.c_str()).text().get()] = parse_node(sh.value, e.child(vname.c_str()));
      return mo;
    }
    default:
      return scalar_from_text(sh, node.text().get(), effective_format(ref, TimestampFormat::iso8601), "MalformedXML",
                              ref.name.empty() ? std::string_view(node.name()) : std::string_view(ref.name));
  }
}

}  // namespace

json::value parse_xml_body(const Shape& sh, std::string_view xml, bool body_only) {
  pugi::xml_document doc;
  auto res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!res || !doc.document_element())
    throw AwsError("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our published schema", 400);
  auto root = doc.document_element();
  if (sh.type == Type::structure) return parse_struct(sh, root, body_only);
  Ref r;
  r.shape = &sh;
  return parse_node(r, root);
}

}  // namespace stratus::protocol::detail
