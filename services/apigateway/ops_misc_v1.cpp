// Client certificates, VPC links, custom domain names and base path mappings: stored and
// returned as AWS shapes them (custom domains do not change how invoke URLs route locally).
#include "ops_v1.hpp"

#include <stratus/crypto.hpp>

namespace stratus::apigateway::v1 {

namespace {

json::object require_top(const Scope& s, std::string_view k, std::string_view id, const char* what) {
  auto d = db().get(s, k, "", id);
  if (!d) throw err::not_found(std::string("Invalid ") + what + " identifier specified");
  return std::move(*d);
}

std::string fake_pem() {
  return "-----BEGIN CERTIFICATE-----\n" + crypto::base64(crypto::random_bytes(96)) + "\n-----END CERTIFICATE-----";
}

}  // namespace

// --- client certificates ---

Output generate_client_certificate(Call& c) {
  Scope s = Scope::of(c);
  double now = now_seconds();
  json::object d{{"clientCertificateId", new_id(6)}};
  copy_members(c.input, d, {"description"});
  d["pemEncodedCertificate"] = fake_pem();
  d["createdDate"] = now;
  d["expirationDate"] = now + 365 * 86400.0;
  if (auto* tags = opt_obj(c.input, "tags"); tags && !tags->empty()) d["tags"] = *tags;
  db().put(s, kind::client_cert, "", str_or(d, "clientCertificateId"), d);
  return d;
}

Output get_client_certificate(Call& c) {
  return require_top(Scope::of(c), kind::client_cert, str_or(c.input, "clientCertificateId"), "Client Certificate");
}

Output get_client_certificates(Call& c) { return list_page(db().list(Scope::of(c), kind::client_cert, ""), c.input); }

Output update_client_certificate(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "clientCertificateId"));
  json::object d = require_top(s, kind::client_cert, id, "Client Certificate");
  apply_patch(d, c.input, v1_shape("ClientCertificate"), {"description"});
  db().put(s, kind::client_cert, "", id, d);
  return d;
}

Output delete_client_certificate(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "clientCertificateId"));
  require_top(s, kind::client_cert, id, "Client Certificate");
  db().remove(s, kind::client_cert, "", id);
  return json::object{};
}

// --- VPC links ---

Output create_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  json::object d{{"id", new_id(6)}};
  copy_members(c.input, d, {"name", "description", "targetArns"});
  d["status"] = "AVAILABLE";
  d["statusMessage"] = "Your vpc link is ready for use";
  if (auto* tags = opt_obj(c.input, "tags"); tags && !tags->empty()) d["tags"] = *tags;
  db().put(s, kind::vpc_link, "", str_or(d, "id"), d);
  return d;
}

Output get_vpc_link(Call& c) { return require_top(Scope::of(c), kind::vpc_link, str_or(c.input, "vpcLinkId"), "VPC link"); }

Output get_vpc_links(Call& c) { return list_page(db().list(Scope::of(c), kind::vpc_link, ""), c.input); }

Output update_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "vpcLinkId"));
  json::object d = require_top(s, kind::vpc_link, id, "VPC link");
  apply_patch(d, c.input, v1_shape("VpcLink"), {"name", "description"});
  db().put(s, kind::vpc_link, "", id, d);
  return d;
}

Output delete_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "vpcLinkId"));
  require_top(s, kind::vpc_link, id, "VPC link");
  db().remove(s, kind::vpc_link, "", id);
  return json::object{};
}

// --- custom domain names and base path mappings ---

Output create_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "domainName"));
  if (db().get(s, kind::domain_name, "", name)) throw err::conflict("The domain name you provided already exists.");
  json::object d{{"domainName", name}};
  copy_members(c.input, d, {"certificateName", "certificateArn", "regionalCertificateName", "regionalCertificateArn",
                            "securityPolicy", "mutualTlsAuthentication"});
  json::object endpoint{{"types", json::array{"EDGE"}}};
  if (auto* ec = opt_obj(c.input, "endpointConfiguration"))
    if (auto* types = opt_arr(*ec, "types")) endpoint["types"] = *types;
  bool regional = endpoint["types"].as_array()[0] == "REGIONAL";
  if (regional) {
    d["regionalDomainName"] = "d-" + new_id(10) + ".execute-api." + s.region + ".amazonaws.com";
    d["regionalHostedZoneId"] = "Z1UJRXOUMOOFQ8";
  } else {
    d["distributionDomainName"] = new_id(13) + ".cloudfront.net";
    d["distributionHostedZoneId"] = "Z2FDTNDATAQYW2";
  }
  d["endpointConfiguration"] = std::move(endpoint);
  d["domainNameStatus"] = "AVAILABLE";
  if (!d.contains("securityPolicy")) d["securityPolicy"] = "TLS_1_2";
  if (auto* tags = opt_obj(c.input, "tags"); tags && !tags->empty()) d["tags"] = *tags;
  db().put(s, kind::domain_name, "", name, d);
  return d;
}

Output get_domain_name(Call& c) {
  return require_top(Scope::of(c), kind::domain_name, str_or(c.input, "domainName"), "domain name");
}

Output get_domain_names(Call& c) { return list_page(db().list(Scope::of(c), kind::domain_name, ""), c.input); }

Output update_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "domainName"));
  json::object d = require_top(s, kind::domain_name, name, "domain name");
  apply_patch(d, c.input, v1_shape("DomainName"),
              {"certificateName", "certificateArn", "regionalCertificateName", "regionalCertificateArn", "securityPolicy"});
  db().put(s, kind::domain_name, "", name, d);
  return d;
}

Output delete_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "domainName"));
  require_top(s, kind::domain_name, name, "domain name");
  db().remove(s, kind::domain_name, "", name);
  db().remove_children(s, "domain:" + name);
  return json::object{};
}

namespace {
std::string mapping_parent(std::string_view domain) { return "domain:" + std::string(domain); }
std::string base_path_of(const json::object& in) {
  std::string bp(str_or(in, "basePath"));
  return bp.empty() ? "(none)" : bp;
}
}  // namespace

Output create_base_path_mapping(Call& c) {
  Scope s = Scope::of(c);
  std::string domain(str_or(c.input, "domainName"));
  require_top(s, kind::domain_name, domain, "domain name");
  std::string api(str_or(c.input, "restApiId"));
  require_rest_api(s, api);
  std::string bp = base_path_of(c.input);
  if (db().get(s, kind::base_path, mapping_parent(domain), bp)) throw err::conflict("Base path already exists for this domain name");
  json::object d{{"basePath", bp}, {"restApiId", api}};
  copy_members(c.input, d, {"stage"});
  db().put(s, kind::base_path, mapping_parent(domain), bp, d);
  return d;
}

Output get_base_path_mapping(Call& c) {
  Scope s = Scope::of(c);
  auto d = db().get(s, kind::base_path, mapping_parent(str_or(c.input, "domainName")), base_path_of(c.input));
  if (!d) throw err::not_found("Invalid base path mapping identifier specified");
  return std::move(*d);
}

Output get_base_path_mappings(Call& c) {
  Scope s = Scope::of(c);
  std::string domain(str_or(c.input, "domainName"));
  require_top(s, kind::domain_name, domain, "domain name");
  return list_page(db().list(s, kind::base_path, mapping_parent(domain)), c.input);
}

Output update_base_path_mapping(Call& c) {
  Scope s = Scope::of(c);
  std::string parent = mapping_parent(str_or(c.input, "domainName")), bp = base_path_of(c.input);
  auto d = db().get(s, kind::base_path, parent, bp);
  if (!d) throw err::not_found("Invalid base path mapping identifier specified");
  apply_patch(*d, c.input, v1_shape("BasePathMapping"), {"basePath", "restApiId", "stage"});
  db().remove(s, kind::base_path, parent, bp);
  db().put(s, kind::base_path, parent, base_path_of(*d), *d);
  return std::move(*d);
}

Output delete_base_path_mapping(Call& c) {
  Scope s = Scope::of(c);
  if (!db().remove(s, kind::base_path, mapping_parent(str_or(c.input, "domainName")), base_path_of(c.input)))
    throw err::not_found("Invalid base path mapping identifier specified");
  return json::object{};
}

}  // namespace stratus::apigateway::v1
