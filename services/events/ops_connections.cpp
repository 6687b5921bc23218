// Connections (authorization for API destinations) and API destinations (HTTP endpoints as targets).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html
#include "errors.hpp"
#include "events_service.hpp"

#include <stratus/ids.hpp>

namespace stratus::events {
namespace {

AwsError connection_missing(const std::string& name) {
  return err::not_found("Failed to describe the connection(s). Connection '" + name + "' does not exist.");
}
AwsError destination_missing(const std::string& name) {
  return err::not_found("Failed to describe the api-destination(s). An api-destination '" + name + "' does not exist.");
}

void check_auth(const std::string& type, const json::object& auth) {
  const char* member = type == "BASIC"     ? "BasicAuthParameters"
                       : type == "API_KEY" ? "ApiKeyAuthParameters"
                                           : "OAuthParameters";
  if (!opt_obj(auth, member))
    throw err::validation("Parameter(s) AuthParameters." + std::string(member) + " must be specified for " + type +
                          " authorization.");
}

// Merges an update into stored auth parameters (secrets not repeated by the caller are kept).
void merge(json::object& into, const json::object& from) {
  for (auto& [k, v] : from) {
    if (v.is_object() && into.contains(k) && into[k].is_object()) merge(into[k].get_object(), v.get_object());
    else into[k] = v;
  }
}

json::object connection_summary(const Connection& c) {
  json::object o{{"ConnectionArn", c.arn},        {"Name", c.name},
                 {"ConnectionState", c.state},    {"AuthorizationType", c.authorization_type},
                 {"CreationTime", c.created},     {"LastModifiedTime", c.modified}};
  if (c.authorized > 0) o["LastAuthorizedTime"] = c.authorized;
  return o;
}

json::object destination_summary(const ApiDestination& a) {
  json::object o{{"ApiDestinationArn", a.arn},
                 {"Name", a.name},
                 {"ApiDestinationState", a.state},
                 {"ConnectionArn", a.connection_arn},
                 {"InvocationEndpoint", a.endpoint},
                 {"HttpMethod", a.method},
                 {"InvocationRateLimitPerSecond", a.rate_limit},
                 {"CreationTime", a.created},
                 {"LastModifiedTime", a.modified}};
  return o;
}

}  // namespace

Output EventsService::create_connection(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  if (r.connections.count(name)) throw err::exists("Connection " + name + " already exists.");
  Connection cn;
  cn.name = name;
  cn.authorization_type = std::string(str_or(c.input, "AuthorizationType"));
  if (auto* a = opt_obj(c.input, "AuthParameters")) cn.auth_parameters = *a;
  check_auth(cn.authorization_type, cn.auth_parameters);
  if (auto* p = opt_obj(c.input, "InvocationConnectivityParameters")) cn.connectivity = *p;
  cn.description = std::string(str_or(c.input, "Description"));
  const std::string uuid = ids::uuid4();
  cn.arn = r.arn("connection/" + name + "/" + uuid);
  cn.secret_arn = "arn:aws:secretsmanager:" + r.region + ":" + r.account + ":secret:events!connection/" + name + "/" +
                  uuid + "-" + ids::random_string(6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  cn.created = cn.modified = cn.authorized = now();
  cn.state = "AUTHORIZED";
  auto& stored = r.connections.emplace(name, std::move(cn)).first->second;
  save(r, stored);
  return json::object{{"ConnectionArn", stored.arn},
                      {"ConnectionState", stored.state},
                      {"CreationTime", stored.created},
                      {"LastModifiedTime", stored.modified}};
}

Output EventsService::update_connection(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.connections.find(name);
  if (it == r.connections.end()) throw connection_missing(name);
  Connection& cn = it->second;
  if (auto d = opt_str(c.input, "Description")) cn.description = *d;
  if (auto t = opt_str(c.input, "AuthorizationType"); t && *t != cn.authorization_type) {
    cn.authorization_type = *t;
    cn.auth_parameters = {};
  }
  if (auto* a = opt_obj(c.input, "AuthParameters")) merge(cn.auth_parameters, *a);
  check_auth(cn.authorization_type, cn.auth_parameters);
  if (auto* p = opt_obj(c.input, "InvocationConnectivityParameters")) cn.connectivity = *p;
  cn.modified = cn.authorized = now();
  cn.state = "AUTHORIZED";
  save(r, cn);
  json::object out = connection_summary(cn);
  out.erase("Name");
  out.erase("AuthorizationType");
  return out;
}

Output EventsService::delete_connection(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.connections.find(name);
  if (it == r.connections.end()) throw connection_missing(name);
  json::object out = connection_summary(it->second);
  out["ConnectionState"] = "DELETING";
  out.erase("Name");
  out.erase("AuthorizationType");
  erase(r, "connection", name);
  r.connections.erase(it);
  return out;
}

Output EventsService::describe_connection(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.connections.find(name);
  if (it == r.connections.end()) throw connection_missing(name);
  const Connection& cn = it->second;
  json::object o = connection_summary(cn);
  o["SecretArn"] = cn.secret_arn;
  // The response shapes have no secret members (Password, ApiKeyValue, ClientSecret): the codec drops them.
  o["AuthParameters"] = cn.auth_parameters;
  if (!cn.description.empty()) o["Description"] = cn.description;
  if (!cn.connectivity.empty()) o["InvocationConnectivityParameters"] = cn.connectivity;
  return o;
}

Output EventsService::list_connections(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  std::string state(str_or(c.input, "ConnectionState"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, cn] : r.connections) {
    if (!name.starts_with(prefix) || (!state.empty() && cn.state != state)) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(connection_summary(cn));
  }
  json::object res{{"Connections", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

Output EventsService::deauthorize_connection(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.connections.find(name);
  if (it == r.connections.end()) throw connection_missing(name);
  Connection& cn = it->second;
  cn.state = "DEAUTHORIZED";
  cn.modified = now();
  save(r, cn);
  json::object out = connection_summary(cn);
  out.erase("Name");
  out.erase("AuthorizationType");
  return out;
}

Output EventsService::create_api_destination(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  if (r.api_destinations.count(name)) throw err::exists("An api-destination '" + name + "' already exists.");
  const std::string conn_arn(str_or(c.input, "ConnectionArn"));
  bool found = false;
  for (auto& [n, cn] : r.connections)
    if (cn.arn == conn_arn) found = true;
  if (!found) {
    auto parts = conn_arn.find("connection/");
    std::string cname = parts == std::string::npos ? conn_arn : conn_arn.substr(parts + 11);
    if (auto slash = cname.find('/'); slash != std::string::npos) cname.resize(slash);
    throw connection_missing(cname);
  }
  ApiDestination a;
  a.name = name;
  a.arn = r.arn("api-destination/" + name + "/" + ids::uuid4());
  a.connection_arn = conn_arn;
  a.endpoint = std::string(str_or(c.input, "InvocationEndpoint"));
  a.method = std::string(str_or(c.input, "HttpMethod"));
  a.rate_limit = opt_int(c.input, "InvocationRateLimitPerSecond").value_or(300);
  a.description = std::string(str_or(c.input, "Description"));
  a.created = a.modified = now();
  auto& stored = r.api_destinations.emplace(name, std::move(a)).first->second;
  save(r, stored);
  return json::object{{"ApiDestinationArn", stored.arn},
                      {"ApiDestinationState", stored.state},
                      {"CreationTime", stored.created},
                      {"LastModifiedTime", stored.modified}};
}

Output EventsService::update_api_destination(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.api_destinations.find(name);
  if (it == r.api_destinations.end()) throw destination_missing(name);
  ApiDestination& a = it->second;
  if (auto v = opt_str(c.input, "Description")) a.description = *v;
  if (auto v = opt_str(c.input, "ConnectionArn")) a.connection_arn = *v;
  if (auto v = opt_str(c.input, "InvocationEndpoint")) a.endpoint = *v;
  if (auto v = opt_str(c.input, "HttpMethod")) a.method = *v;
  if (auto v = opt_int(c.input, "InvocationRateLimitPerSecond")) a.rate_limit = *v;
  a.modified = now();
  save(r, a);
  return json::object{{"ApiDestinationArn", a.arn},
                      {"ApiDestinationState", a.state},
                      {"CreationTime", a.created},
                      {"LastModifiedTime", a.modified}};
}

Output EventsService::delete_api_destination(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.api_destinations.find(name);
  if (it == r.api_destinations.end()) throw destination_missing(name);
  erase(r, "apidest", name);
  r.api_destinations.erase(it);
  return json::object{};
}

Output EventsService::describe_api_destination(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  auto it = r.api_destinations.find(name);
  if (it == r.api_destinations.end()) throw destination_missing(name);
  json::object o = destination_summary(it->second);
  if (!it->second.description.empty()) o["Description"] = it->second.description;
  return o;
}

Output EventsService::list_api_destinations(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  std::string conn(str_or(c.input, "ConnectionArn"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, a] : r.api_destinations) {
    if (!name.starts_with(prefix) || (!conn.empty() && a.connection_arn != conn)) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(destination_summary(a));
  }
  json::object res{{"ApiDestinations", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

}  // namespace stratus::events
