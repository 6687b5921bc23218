// User pools, app clients and tags.
#include "cognito_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <set>

namespace stratus::cognito {

namespace {

const std::set<std::string, std::less<>> kStandardNames = {
    "sub",     "name",    "given_name", "family_name",    "middle_name", "nickname",  "preferred_username",
    "profile", "picture", "website",    "email",          "email_verified", "gender", "birthdate", "zoneinfo",
    "locale",  "phone_number", "phone_number_verified", "address", "updated_at"};

// Settings UpdateUserPool may change; everything else is fixed at creation.
constexpr const char* kUpdatable[] = {
    "Policies",           "DeletionProtection",       "LambdaConfig",           "AutoVerifiedAttributes",
    "SmsVerificationMessage", "EmailVerificationMessage", "EmailVerificationSubject", "VerificationMessageTemplate",
    "SmsAuthenticationMessage", "UserAttributeUpdateSettings", "MfaConfiguration", "DeviceConfiguration",
    "EmailConfiguration", "SmsConfiguration",         "UserPoolTags",           "AdminCreateUserConfig",
    "UserPoolAddOns",     "AccountRecoverySetting",   "UserPoolTier"};

// The updatable settings with AWS's defaults for the ones not given.
json::object settings_from(const json::object& in) {
  json::object d;
  for (const char* k : kUpdatable)
    if (auto* v = find(in, k); v && !v->is_null()) d[k] = *v;
  json::object policies = opt_obj(in, "Policies") ? *opt_obj(in, "Policies") : json::object{};
  policies["PasswordPolicy"] = password_policy(opt_obj(in, "Policies"));
  if (!policies.contains("SignInPolicy"))
    policies["SignInPolicy"] = json::object{{"AllowedFirstAuthFactors", json::array{"PASSWORD"}}};
  d["Policies"] = std::move(policies);
  if (!d.contains("DeletionProtection")) d["DeletionProtection"] = "INACTIVE";
  if (!d.contains("LambdaConfig")) d["LambdaConfig"] = json::object{};
  if (!d.contains("MfaConfiguration")) d["MfaConfiguration"] = "OFF";
  if (!d.contains("VerificationMessageTemplate"))
    d["VerificationMessageTemplate"] = json::object{{"DefaultEmailOption", "CONFIRM_WITH_CODE"}};
  if (!d.contains("EmailConfiguration")) d["EmailConfiguration"] = json::object{{"EmailSendingAccount", "COGNITO_DEFAULT"}};
  json::object admin{{"AllowAdminCreateUserOnly", false}, {"UnusedAccountValidityDays", 7}};
  if (auto* given = opt_obj(in, "AdminCreateUserConfig"))
    for (auto& [k, v] : *given) admin[k] = v;
  d["AdminCreateUserConfig"] = std::move(admin);
  if (!d.contains("UserPoolTier")) d["UserPoolTier"] = "ESSENTIALS";
  return d;
}

json::array schema_from(const json::object& in) {
  json::array schema = standard_schema();
  if (auto* given = opt_arr(in, "Schema"))
    for (auto& s : *given) {
      if (!s.is_object()) continue;
      const json::object& a = s.as_object();
      std::string name(str_or(a, "Name"));
      if (kStandardNames.contains(name)) {
        for (auto& x : schema)
          if (str_or(x.as_object(), "Name") == name)
            for (auto& [k, v] : a)
              if (k != "Name") x.as_object()[k] = v;
        continue;
      }
      std::string type(str_or(a, "AttributeDataType", "String"));
      json::object attr{{"Name", "custom:" + name},
                        {"AttributeDataType", type},
                        {"DeveloperOnlyAttribute", opt_bool(a, "DeveloperOnlyAttribute").value_or(false)},
                        {"Mutable", opt_bool(a, "Mutable").value_or(true)},
                        {"Required", false}};
      if (auto* c = opt_obj(a, "StringAttributeConstraints")) attr["StringAttributeConstraints"] = *c;
      else if (type == "String") attr["StringAttributeConstraints"] = json::object{};
      if (auto* c = opt_obj(a, "NumberAttributeConstraints")) attr["NumberAttributeConstraints"] = *c;
      else if (type == "Number") attr["NumberAttributeConstraints"] = json::object{};
      if (opt_bool(a, "Required").value_or(false))
        throw errors::invalid_parameter("Required custom attributes are not supported currently.");
      schema.push_back(std::move(attr));
    }
  return schema;
}

std::string pool_arn(const Pool& p) { return "arn:aws:cognito-idp:" + p.region + ":" + p.account + ":userpool/" + p.id; }

json::object pool_type(const Pool& p, size_t users) {
  json::object o{{"Id", p.id}, {"Name", p.name}};
  for (auto& [k, v] : p.doc) o[k] = v;
  o["EstimatedNumberOfUsers"] = static_cast<int64_t>(users);
  o["Arn"] = pool_arn(p);
  return o;
}

// Pagination over an ordered list: the token is the index of the next item.
template <class T>
std::pair<size_t, size_t> page(const std::vector<T>& items, const json::object& in, const char* token_member,
                               const char* limit_member, int64_t def_limit) {
  size_t start = 0;
  if (auto t = opt_str(in, token_member)) {
    auto raw = crypto::base64_decode(*t);
    auto n = raw ? parse_int(*raw) : std::nullopt;
    if (!n || *n < 0) throw errors::invalid_parameter("Invalid pagination token.");
    start = static_cast<size_t>(*n);
  }
  size_t limit = static_cast<size_t>(opt_int(in, limit_member).value_or(def_limit));
  if (limit == 0) limit = static_cast<size_t>(def_limit);
  return {std::min(start, items.size()), std::min(items.size(), start + limit)};
}

std::string next_token(size_t end, size_t total) { return end < total ? crypto::base64(std::to_string(end)) : ""; }

// UserPoolClientType from input (defaults as CreateUserPoolClient documents them).
json::object client_settings(const json::object& in) {
  json::object d;
  for (const char* k : {"ClientName", "RefreshTokenValidity", "RefreshTokenRotation", "AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits",
                        "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows", "SupportedIdentityProviders",
                        "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes",
                        "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration", "PreventUserExistenceErrors",
                        "EnableTokenRevocation", "EnablePropagateAdditionalUserContextData", "AuthSessionValidity"})
    if (auto* v = find(in, k); v && !v->is_null()) d[k] = *v;
  if (!d.contains("RefreshTokenValidity")) d["RefreshTokenValidity"] = 30;
  if (!d.contains("AllowedOAuthFlowsUserPoolClient")) d["AllowedOAuthFlowsUserPoolClient"] = false;
  if (!d.contains("EnableTokenRevocation")) d["EnableTokenRevocation"] = true;
  if (!d.contains("EnablePropagateAdditionalUserContextData")) d["EnablePropagateAdditionalUserContextData"] = false;
  if (!d.contains("AuthSessionValidity")) d["AuthSessionValidity"] = 3;
  static const std::set<std::string, std::less<>> kFlows = {
      "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_AUTH"};
  if (auto* flows = opt_arr(d, "ExplicitAuthFlows")) {
    bool legacy = false, modern = false;
    for (auto& f : *flows) {
      std::string_view s = f.is_string() ? std::string_view(f.as_string()) : "";
      if (!kFlows.contains(s))
        throw errors::invalid_parameter("1 validation error detected: Value '[" + std::string(s) +
                                        "]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy "
                                        "constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, "
                                        "ALLOW_ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, ALLOW_USER_PASSWORD_AUTH, "
                                        "ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH, CUSTOM_AUTH_FLOW_ONLY, "
                                        "ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]");
      (s.starts_with("ALLOW_") ? modern : legacy) = true;
    }
    if (legacy && modern)
      throw errors::invalid_parameter("The combination of explicit auth flows is not allowed. ExplicitAuthFlows can be either "
                                      "legacy flows (without ALLOW_ prefix) or new flows (with ALLOW_ prefix) but not both.");
  }
  return d;
}

json::object client_type(const Client& c) {
  json::object o{{"UserPoolId", c.pool_id}, {"ClientName", str_or(c.doc, "ClientName")}, {"ClientId", c.id}};
  for (auto& [k, v] : c.doc)
    if (k != "ClientName") o[k] = v;
  return o;
}

}  // namespace

boost::asio::awaitable<Output> CognitoService::create_user_pool(Call& c) {
  const json::object& in = c.input;
  if (opt_arr(in, "UsernameAttributes") && opt_arr(in, "AliasAttributes"))
    throw errors::invalid_parameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  Pool p;
  p.account = c.ctx.account_id;
  p.region = c.ctx.region;
  p.id = new_pool_id(p.region);
  p.name = std::string(str_or(in, "PoolName"));
  p.created = now();
  p.doc = settings_from(in);
  for (const char* k : {"AliasAttributes", "UsernameAttributes", "UsernameConfiguration"})
    if (auto* v = find(in, k); v && !v->is_null()) p.doc[k] = *v;
  p.doc["SchemaAttributes"] = schema_from(in);
  p.doc["LastModifiedDate"] = p.created;
  p.doc["CreationDate"] = p.created;
  // RSA key generation takes tens of milliseconds: off the event loop.
  SigningKey key = co_await env().pool.run([] { return generate_signing_key(); });
  p.key_pem = std::move(key.private_pem);
  p.kid = std::move(key.kid);
  store_->put_pool(p);
  co_return json::object{{"UserPool", pool_type(p, 0)}};
}

Output CognitoService::describe_user_pool(Call& c) {
  Pool p = pool_for(c);
  return json::object{{"UserPool", pool_type(p, store_->users(p).size())}};
}

Output CognitoService::list_user_pools(Call& c) {
  auto pools = store_->pools(c.ctx.account_id, c.ctx.region);
  auto [start, end] = page(pools, c.input, "NextToken", "MaxResults", 60);
  json::array list;
  for (size_t i = start; i < end; ++i) {
    auto& p = pools[i];
    list.push_back(json::object{{"Id", p.id},
                                {"Name", p.name},
                                {"LambdaConfig", p.doc.contains("LambdaConfig") ? p.doc.at("LambdaConfig") : json::object{}},
                                {"LastModifiedDate", p.doc.at("LastModifiedDate")},
                                {"CreationDate", p.doc.at("CreationDate")}});
  }
  json::object out{{"UserPools", std::move(list)}};
  if (auto t = next_token(end, pools.size()); !t.empty()) out["NextToken"] = t;
  return out;
}

Output CognitoService::update_user_pool(Call& c) {
  Pool p = pool_for(c);
  json::object fresh = settings_from(c.input);
  // Tags survive an update that does not name them (TagResource is their usual route).
  if (!fresh.contains("UserPoolTags") && p.doc.contains("UserPoolTags")) fresh["UserPoolTags"] = p.doc.at("UserPoolTags");
  for (const char* k : {"AliasAttributes", "UsernameAttributes", "UsernameConfiguration", "SchemaAttributes", "CreationDate",
                        "Domain", "CustomDomain", "CustomDomainConfig", "resource_servers", "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration",
                        "EmailMfaConfiguration", "WebAuthnConfiguration"})
    if (auto* v = find(p.doc, k)) fresh[k] = *v;
  fresh["LastModifiedDate"] = now();
  p.doc = std::move(fresh);
  store_->put_pool(p);
  return json::object{};
}

Output CognitoService::delete_user_pool(Call& c) {
  Pool p = pool_for(c);
  if (str_or(p.doc, "DeletionProtection") == "ACTIVE")
    throw errors::invalid_parameter("The user pool cannot be deleted because deletion protection is activated. Deletion "
                                    "protection must be inactivated first.");
  store_->delete_pool(p);
  return json::object{};
}

Output CognitoService::create_user_pool_client(Call& c) {
  Pool p = pool_for(c);
  Client cl;
  cl.account = p.account;
  cl.region = p.region;
  cl.pool_id = p.id;
  cl.id = new_client_id();
  cl.doc = client_settings(c.input);
  if (opt_bool(c.input, "GenerateSecret").value_or(false)) cl.doc["ClientSecret"] = new_client_secret();
  double t = now();
  cl.doc["LastModifiedDate"] = t;
  cl.doc["CreationDate"] = t;
  store_->put_client(cl);
  return json::object{{"UserPoolClient", client_type(cl)}};
}

Output CognitoService::describe_user_pool_client(Call& c) {
  Pool p = pool_for(c);
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  if (cl.pool_id != p.id) throw errors::client_not_found(cl.id);
  return json::object{{"UserPoolClient", client_type(cl)}};
}

Output CognitoService::list_user_pool_clients(Call& c) {
  Pool p = pool_for(c);
  auto clients = store_->clients(p);
  auto [start, end] = page(clients, c.input, "NextToken", "MaxResults", 60);
  json::array list;
  for (size_t i = start; i < end; ++i)
    list.push_back(json::object{{"ClientId", clients[i].id},
                                {"UserPoolId", p.id},
                                {"ClientName", str_or(clients[i].doc, "ClientName")}});
  json::object out{{"UserPoolClients", std::move(list)}};
  if (auto t = next_token(end, clients.size()); !t.empty()) out["NextToken"] = t;
  return out;
}

Output CognitoService::update_user_pool_client(Call& c) {
  Pool p = pool_for(c);
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  if (cl.pool_id != p.id) throw errors::client_not_found(cl.id);
  json::object fresh = client_settings(c.input);
  if (!fresh.contains("ClientName")) fresh["ClientName"] = cl.doc["ClientName"];
  for (const char* k : {"ClientSecret", "CreationDate"})
    if (auto* v = find(cl.doc, k)) fresh[k] = *v;
  fresh["LastModifiedDate"] = now();
  cl.doc = std::move(fresh);
  store_->put_client(cl);
  return json::object{{"UserPoolClient", client_type(cl)}};
}

Output CognitoService::delete_user_pool_client(Call& c) {
  Pool p = pool_for(c);
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  if (cl.pool_id != p.id) throw errors::client_not_found(cl.id);
  store_->delete_client(cl);
  return json::object{};
}

Output CognitoService::add_custom_attributes(Call& c) {
  Pool p = pool_for(c);
  json::array schema = p.doc.contains("SchemaAttributes") ? p.doc["SchemaAttributes"].as_array() : json::array{};
  json::object in{{"Schema", c.input.contains("CustomAttributes") ? c.input.at("CustomAttributes") : json::array{}}};
  json::array added = schema_from(in);
  added.erase(added.begin(), added.begin() + static_cast<std::ptrdiff_t>(standard_schema().size()));
  for (auto& a : added) {
    std::string_view name = str_or(a.as_object(), "Name");
    for (auto& existing : schema)
      if (str_or(existing.as_object(), "Name") == name)
        throw errors::invalid_parameter("Existing attribute already has name " + std::string(name) + ".");
    schema.push_back(a);
  }
  p.doc["SchemaAttributes"] = std::move(schema);
  p.doc["LastModifiedDate"] = now();
  store_->put_pool(p);
  return json::object{};
}

// Resource servers (OAuth scopes), kept in the pool's document under "resource_servers".
namespace {
json::object resource_server_type(const Pool& p, const json::object& rs) {
  json::object o{{"UserPoolId", p.id}};
  for (auto& [k, v] : rs) o[k] = v;
  return o;
}
json::object& servers_of(Pool& p) {
  if (!p.doc.contains("resource_servers") || !p.doc["resource_servers"].is_object()) p.doc["resource_servers"] = json::object{};
  return p.doc["resource_servers"].as_object();
}
}  // namespace

Output CognitoService::create_resource_server(Call& c) {
  Pool p = pool_for(c);
  std::string id(str_or(c.input, "Identifier"));
  auto& servers = servers_of(p);
  if (servers.contains(id)) throw errors::invalid_parameter(id + " already exists in user pool " + p.id + ".");
  json::object rs{{"Identifier", id}, {"Name", str_or(c.input, "Name")}};
  if (auto* scopes = opt_arr(c.input, "Scopes")) rs["Scopes"] = *scopes;
  servers[id] = rs;
  store_->put_pool(p);
  return json::object{{"ResourceServer", resource_server_type(p, rs)}};
}

Output CognitoService::describe_resource_server(Call& c) {
  Pool p = pool_for(c);
  std::string id(str_or(c.input, "Identifier"));
  auto& servers = servers_of(p);
  if (!servers.contains(id)) throw errors::not_found("Resource server " + id + " does not exist.");
  return json::object{{"ResourceServer", resource_server_type(p, servers[id].as_object())}};
}

Output CognitoService::list_resource_servers(Call& c) {
  Pool p = pool_for(c);
  std::vector<json::object> all;
  for (auto& [k, v] : servers_of(p)) all.push_back(resource_server_type(p, v.as_object()));
  auto [start, end] = page(all, c.input, "NextToken", "MaxResults", 50);
  json::array list;
  for (size_t i = start; i < end; ++i) list.push_back(all[i]);
  json::object out{{"ResourceServers", std::move(list)}};
  if (auto t = next_token(end, all.size()); !t.empty()) out["NextToken"] = t;
  return out;
}

Output CognitoService::update_resource_server(Call& c) {
  Pool p = pool_for(c);
  std::string id(str_or(c.input, "Identifier"));
  auto& servers = servers_of(p);
  if (!servers.contains(id)) throw errors::not_found("Resource server " + id + " does not exist.");
  json::object rs{{"Identifier", id}, {"Name", str_or(c.input, "Name")}};
  if (auto* scopes = opt_arr(c.input, "Scopes")) rs["Scopes"] = *scopes;
  servers[id] = rs;
  store_->put_pool(p);
  return json::object{{"ResourceServer", resource_server_type(p, rs)}};
}

Output CognitoService::delete_resource_server(Call& c) {
  Pool p = pool_for(c);
  std::string id(str_or(c.input, "Identifier"));
  auto& servers = servers_of(p);
  if (!servers.contains(id)) throw errors::not_found("Resource server " + id + " does not exist.");
  servers.erase(id);
  store_->put_pool(p);
  return json::object{};
}

// Domains: a prefix domain (<prefix>.auth.<region>.amazoncognito.com) or a custom one, one per pool.
Output CognitoService::create_user_pool_domain(Call& c) {
  Pool p = pool_for(c);
  std::string domain(str_or(c.input, "Domain"));
  const bool custom = opt_obj(c.input, "CustomDomainConfig") != nullptr;
  for (auto& other : store_->pools(c.ctx.account_id, c.ctx.region))
    if (str_or(other.doc, "Domain") == domain || str_or(other.doc, "CustomDomain") == domain)
      throw errors::invalid_parameter("Domain already associated with another user pool.");
  if (p.doc.contains(custom ? "CustomDomain" : "Domain"))
    throw errors::invalid_parameter("User pool already has a domain configured.");
  p.doc[custom ? "CustomDomain" : "Domain"] = domain;
  if (custom) p.doc["CustomDomainConfig"] = c.input.at("CustomDomainConfig");
  store_->put_pool(p);
  json::object out;
  if (custom) out["CloudFrontDomain"] = "d" + crypto::hex(crypto::random_bytes(7)).substr(0, 13) + ".cloudfront.net";
  if (auto v = opt_int(c.input, "ManagedLoginVersion")) out["ManagedLoginVersion"] = *v;
  return out;
}

Output CognitoService::describe_user_pool_domain(Call& c) {
  std::string domain(str_or(c.input, "Domain"));
  for (auto& p : store_->pools(c.ctx.account_id, c.ctx.region)) {
    const bool prefix = str_or(p.doc, "Domain") == domain, custom = str_or(p.doc, "CustomDomain") == domain;
    if (!prefix && !custom) continue;
    json::object d{{"UserPoolId", p.id},
                   {"AWSAccountId", p.account},
                   {"Domain", domain},
                   {"S3Bucket", "aws-cognito-prod-" + p.region.substr(0, p.region.find('-')) + "-assets"},
                   {"CloudFrontDistribution", prefix ? domain + ".auth." + p.region + ".amazoncognito.com"
                                                     : std::string("d1example.cloudfront.net")},
                   {"Version", std::to_string(static_cast<int64_t>(p.created))},
                   {"Status", "ACTIVE"}};
    if (custom)
      if (auto* cfg = opt_obj(p.doc, "CustomDomainConfig")) d["CustomDomainConfig"] = *cfg;
    return json::object{{"DomainDescription", std::move(d)}};
  }
  return json::object{{"DomainDescription", json::object{}}};
}

Output CognitoService::delete_user_pool_domain(Call& c) {
  Pool p = pool_for(c);
  std::string domain(str_or(c.input, "Domain"));
  if (str_or(p.doc, "Domain") == domain) p.doc.erase("Domain");
  else if (str_or(p.doc, "CustomDomain") == domain) {
    p.doc.erase("CustomDomain");
    p.doc.erase("CustomDomainConfig");
  } else {
    throw errors::invalid_parameter("No such domain or user pool exists.");
  }
  store_->put_pool(p);
  return json::object{};
}

Output CognitoService::get_user_pool_mfa_config(Call& c) {
  Pool p = pool_for(c);
  json::object out;
  for (const char* k : {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration", "WebAuthnConfiguration"})
    if (auto* v = find(p.doc, k)) out[k] = *v;
  if (!out.contains("SoftwareTokenMfaConfiguration")) out["SoftwareTokenMfaConfiguration"] = json::object{{"Enabled", false}};
  out["MfaConfiguration"] = str_or(p.doc, "MfaConfiguration", "OFF");
  return out;
}

Output CognitoService::set_user_pool_mfa_config(Call& c) {
  Pool p = pool_for(c);
  for (const char* k : {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration", "WebAuthnConfiguration"})
    if (auto* v = find(c.input, k); v && !v->is_null()) p.doc[k] = *v;
  if (auto m = opt_str(c.input, "MfaConfiguration")) p.doc["MfaConfiguration"] = *m;
  p.doc["LastModifiedDate"] = now();
  store_->put_pool(p);
  return get_user_pool_mfa_config(c);
}

namespace {
// arn:aws:cognito-idp:<region>:<account>:userpool/<id> → id, or empty.
std::string pool_id_of_arn(std::string_view arn) {
  auto parts = split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" || !parts[5].starts_with("userpool/")) return "";
  return std::string(parts[5].substr(9));
}
}  // namespace

Output CognitoService::tag_resource(Call& c) {
  std::string arn(str_or(c.input, "ResourceArn"));
  std::string id = pool_id_of_arn(arn);
  if (id.empty()) throw errors::invalid_parameter("Invalid ARN: " + arn);
  auto p = store_->pool(id);
  if (!p || p->account != c.ctx.account_id || pool_arn(*p) != arn) throw errors::not_found("Resource " + arn + " does not exist.");
  json::object tags = opt_obj(p->doc, "UserPoolTags") ? *opt_obj(p->doc, "UserPoolTags") : json::object{};
  if (auto* t = opt_obj(c.input, "Tags"))
    for (auto& [k, v] : *t) tags[k] = v;
  if (tags.size() > 50) throw errors::invalid_parameter("Too many tags. A user pool can have up to 50 tags.");
  p->doc["UserPoolTags"] = std::move(tags);
  store_->put_pool(*p);
  return json::object{};
}

Output CognitoService::untag_resource(Call& c) {
  std::string arn(str_or(c.input, "ResourceArn"));
  std::string id = pool_id_of_arn(arn);
  if (id.empty()) throw errors::invalid_parameter("Invalid ARN: " + arn);
  auto p = store_->pool(id);
  if (!p || p->account != c.ctx.account_id || pool_arn(*p) != arn) throw errors::not_found("Resource " + arn + " does not exist.");
  if (auto* tags = p->doc.if_contains("UserPoolTags"); tags && tags->is_object())
    if (auto* keys = opt_arr(c.input, "TagKeys"))
      for (auto& k : *keys)
        if (k.is_string()) tags->as_object().erase(k.as_string());
  store_->put_pool(*p);
  return json::object{};
}

Output CognitoService::list_tags_for_resource(Call& c) {
  std::string arn(str_or(c.input, "ResourceArn"));
  std::string id = pool_id_of_arn(arn);
  if (id.empty()) throw errors::invalid_parameter("Invalid ARN: " + arn);
  auto p = store_->pool(id);
  if (!p || p->account != c.ctx.account_id || pool_arn(*p) != arn) throw errors::not_found("Resource " + arn + " does not exist.");
  return json::object{{"Tags", opt_obj(p->doc, "UserPoolTags") ? *opt_obj(p->doc, "UserPoolTags") : json::object{}}};
}

}  // namespace stratus::cognito
