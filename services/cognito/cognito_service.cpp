#include "cognito_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

#include <cmath>
#include <set>

namespace stratus::cognito {

CognitoService::CognitoService()
    : Service(ServiceInfo{
          .name = "cognito-idp",
          .models = {{"cognito-idp", Protocol::json}},
          .target_prefixes = {"AWSCognitoIdentityProviderService"},
          .signing_names = {"cognito-idp"},
          .json_error_prefix = "",
          .validation_error_code = "InvalidParameterException",
          // The model's patterns use Java's \p{..} classes; identifiers are checked in the handlers.
          .validate_patterns = false,
      }) {
  on("CreateUserPool", &CognitoService::create_user_pool);
  on("DescribeUserPool", &CognitoService::describe_user_pool);
  on("ListUserPools", &CognitoService::list_user_pools);
  on("UpdateUserPool", &CognitoService::update_user_pool);
  on("DeleteUserPool", &CognitoService::delete_user_pool);
  on("CreateUserPoolClient", &CognitoService::create_user_pool_client);
  on("DescribeUserPoolClient", &CognitoService::describe_user_pool_client);
  on("ListUserPoolClients", &CognitoService::list_user_pool_clients);
  on("UpdateUserPoolClient", &CognitoService::update_user_pool_client);
  on("DeleteUserPoolClient", &CognitoService::delete_user_pool_client);
  on("AddCustomAttributes", &CognitoService::add_custom_attributes);
  on("CreateResourceServer", &CognitoService::create_resource_server);
  on("DescribeResourceServer", &CognitoService::describe_resource_server);
  on("ListResourceServers", &CognitoService::list_resource_servers);
  on("UpdateResourceServer", &CognitoService::update_resource_server);
  on("DeleteResourceServer", &CognitoService::delete_resource_server);
  on("CreateUserPoolDomain", &CognitoService::create_user_pool_domain);
  on("DescribeUserPoolDomain", &CognitoService::describe_user_pool_domain);
  on("DeleteUserPoolDomain", &CognitoService::delete_user_pool_domain);
  on("GetUserPoolMfaConfig", &CognitoService::get_user_pool_mfa_config);
  on("SetUserPoolMfaConfig", &CognitoService::set_user_pool_mfa_config);
  on("TagResource", &CognitoService::tag_resource);
  on("UntagResource", &CognitoService::untag_resource);
  on("ListTagsForResource", &CognitoService::list_tags_for_resource);
  on("SignUp", &CognitoService::sign_up);
  on("ConfirmSignUp", &CognitoService::confirm_sign_up);
  on("ResendConfirmationCode", &CognitoService::resend_confirmation_code);
  on("AdminCreateUser", &CognitoService::admin_create_user);
  on("AdminConfirmSignUp", &CognitoService::admin_confirm_sign_up);
  on("AdminGetUser", &CognitoService::admin_get_user);
  on("GetUser", &CognitoService::get_user);
  on("AdminDeleteUser", &CognitoService::admin_delete_user);
  on("DeleteUser", &CognitoService::delete_user);
  on("AdminSetUserPassword", &CognitoService::admin_set_user_password);
  on("AdminUpdateUserAttributes", &CognitoService::admin_update_user_attributes);
  on("UpdateUserAttributes", &CognitoService::update_user_attributes);
  on("AdminDeleteUserAttributes", &CognitoService::admin_delete_user_attributes);
  on("DeleteUserAttributes", &CognitoService::delete_user_attributes);
  on("AdminDisableUser", &CognitoService::admin_disable_user);
  on("AdminEnableUser", &CognitoService::admin_enable_user);
  on("AdminResetUserPassword", &CognitoService::admin_reset_user_password);
  on("ListUsers", &CognitoService::list_users);
  on("ChangePassword", &CognitoService::change_password);
  on("GetUserAttributeVerificationCode", &CognitoService::get_user_attribute_verification_code);
  on("VerifyUserAttribute", &CognitoService::verify_user_attribute);
  on("ForgotPassword", &CognitoService::forgot_password);
  on("ConfirmForgotPassword", &CognitoService::confirm_forgot_password);
  on("CreateGroup", &CognitoService::create_group);
  on("GetGroup", &CognitoService::get_group);
  on("ListGroups", &CognitoService::list_groups);
  on("UpdateGroup", &CognitoService::update_group);
  on("DeleteGroup", &CognitoService::delete_group);
  on("AdminAddUserToGroup", &CognitoService::admin_add_user_to_group);
  on("AdminRemoveUserFromGroup", &CognitoService::admin_remove_user_from_group);
  on("AdminListGroupsForUser", &CognitoService::admin_list_groups_for_user);
  on("ListUsersInGroup", &CognitoService::list_users_in_group);
  on("InitiateAuth", &CognitoService::initiate_auth);
  on("AdminInitiateAuth", &CognitoService::admin_initiate_auth);
  on("RespondToAuthChallenge", &CognitoService::respond_to_auth_challenge);
  on("AdminRespondToAuthChallenge", &CognitoService::admin_respond_to_auth_challenge);
  on("GlobalSignOut", &CognitoService::global_sign_out);
  on("AdminUserGlobalSignOut", &CognitoService::admin_user_global_sign_out);
  on("RevokeToken", &CognitoService::revoke_token);
  on("GetTokensFromRefreshToken", &CognitoService::get_tokens_from_refresh_token);
  on("AssociateSoftwareToken", &CognitoService::associate_software_token);
  on("VerifySoftwareToken", &CognitoService::verify_software_token);
  on("SetUserMFAPreference", &CognitoService::set_user_mfa_preference);
  on("AdminSetUserMFAPreference", &CognitoService::admin_set_user_mfa_preference);
}

CognitoService::~CognitoService() = default;

void CognitoService::start(Env& env) {
  Service::start(env);
  store_ = std::make_unique<Store>();
  store_->open(env.storage.database("cognito-idp"));
}

void CognitoService::reset() {
  store_->wipe();
  pending_.clear();
}

double CognitoService::now() const { return env().clock.now_seconds(); }

// --- lookups ---

Pool CognitoService::pool_by_id(const std::string& id) {
  auto us = id.find('_');
  if (us == std::string::npos || us == 0 || us + 1 == id.size() || id.size() > 55)
    throw errors::invalid_parameter("1 validation error detected: Value '" + id +
                                    "' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular "
                                    "expression pattern: [\\w-]+_[0-9a-zA-Z]+");
  auto p = store_->pool(id);
  if (!p) throw errors::pool_not_found(id);
  return std::move(*p);
}

Pool CognitoService::pool_for(const Call& c) {
  std::string id(str_or(c.input, "UserPoolId"));
  Pool p = pool_by_id(id);
  if (p.account != c.ctx.account_id || p.region != c.ctx.region) throw errors::pool_not_found(id);
  return p;
}

Client CognitoService::client_for(const std::string& id) {
  auto cl = store_->client(id);
  if (!cl) throw errors::client_not_found(id);
  return std::move(*cl);
}

User CognitoService::user_for(const Pool& p, const std::string& username) {
  if (auto u = find_login(p, username)) return std::move(*u);
  throw errors::user_not_found();
}

void CognitoService::save_user(const Pool& p, User& u) {
  u.doc["modified"] = now();
  store_->put_user(p, u);
}

std::optional<User> CognitoService::find_login(const Pool& p, const std::string& name) {
  if (auto u = store_->user(p, name)) return u;
  // UsernameConfiguration.CaseSensitive false: usernames (and aliases) match in any case.
  bool case_sensitive = true;
  if (auto* cfg = opt_obj(p.doc, "UsernameConfiguration")) case_sensitive = opt_bool(*cfg, "CaseSensitive").value_or(true);
  if (!case_sensitive)
    for (auto& u : store_->users(p))
      if (iequals(u.username, name)) return u;
  // Pools whose usernames are emails/phones keep a generated username; sign-in uses the attribute.
  // Aliases work the same way once verified.
  std::vector<std::string> attrs;
  if (auto* a = opt_arr(p.doc, "UsernameAttributes"))
    for (auto& x : *a) attrs.emplace_back(x.as_string());
  bool alias = false;
  if (auto* a = opt_arr(p.doc, "AliasAttributes"))
    for (auto& x : *a) {
      alias = true;
      attrs.emplace_back(x.as_string() == "preferred_username" ? "preferred_username" : std::string(x.as_string()));
    }
  if (attrs.empty()) return std::nullopt;
  if (auto u = store_->user_by_sub(p, name)) return u;
  for (auto& u : store_->users(p)) {
    auto* at = opt_obj(u.doc, "attrs");
    if (!at) continue;
    for (auto& a : attrs) {
      std::string_view value = str_or(*at, a);
      if (name.empty() || (case_sensitive ? value != name : !iequals(value, name))) continue;
      if (alias && a != "preferred_username" && str_or(*at, a + "_verified") != "true") continue;
      return u;
    }
  }
  return std::nullopt;
}

void CognitoService::access_session(const std::string& token, Pool& pool, User& user, json::object& claims) {
  auto parts = split(token, '.');
  std::optional<std::string> payload = parts.size() == 3 ? crypto::base64url_decode(parts[1]) : std::nullopt;
  boost::system::error_code ec;
  json::value pv = payload ? json::parse(*payload, ec) : json::value();
  if (!payload || ec || !pv.is_object()) throw errors::not_authorized("Invalid Access Token");
  std::string iss(str_or(pv.as_object(), "iss"));
  auto p = store_->pool(iss.substr(iss.rfind('/') + 1));
  if (!p || iss.find("https://cognito-idp.") != 0) throw errors::not_authorized("Invalid Access Token");
  auto verified = verify_jwt(p->key_pem, token);
  if (!verified || str_or(*verified, "token_use") != "access") throw errors::not_authorized("Invalid Access Token");
  if (opt_int(*verified, "exp").value_or(0) <= static_cast<int64_t>(now()))
    throw errors::not_authorized("Access Token has expired");
  if (store_->origin_revoked(std::string(str_or(*verified, "origin_jti"))))
    throw errors::not_authorized("Access Token has been revoked");
  auto u = store_->user(*p, std::string(str_or(*verified, "username")));
  if (!u || u->sub != str_or(*verified, "sub")) throw errors::not_authorized("User does not exist.");
  if (opt_int(*verified, "iat").value_or(0) < opt_int(u->doc, "signout").value_or(0))
    throw errors::not_authorized("Access Token has been revoked");
  if (!opt_bool(u->doc, "enabled").value_or(true)) throw errors::not_authorized("User is disabled.");
  pool = std::move(*p);
  user = std::move(*u);
  claims = std::move(*verified);
}

void CognitoService::check_secret_hash(const Client& cl, const std::string& username, const json::object* params,
                                       std::string_view member) {
  std::string secret(str_or(cl.doc, "ClientSecret"));
  if (secret.empty()) return;
  std::string given = params ? std::string(str_or(*params, member)) : std::string();
  if (given.empty())
    throw errors::not_authorized("Client " + cl.id + " is configured with secret but SECRET_HASH was not received");
  if (!crypto::constant_time_equal(given, secret_hash(secret, username, cl.id)))
    throw errors::not_authorized("Unable to verify secret hash for client " + cl.id);
}

void CognitoService::set_password(const Pool& p, User& u, const std::string& password) {
  json::object policy = password_policy(opt_obj(p.doc, "Policies"));
  if (auto why = password_violation(policy, password); !why.empty()) throw errors::invalid_password(why);
  std::string salt = crypto::hex(crypto::random_bytes(16));
  u.doc["pw_salt"] = salt;
  u.doc["pw_digest"] = password_digest(salt, password);
  auto v = srp::make_verifier(p.id.substr(p.id.find('_') + 1), u.username, password);
  u.doc["srp_salt"] = v.salt_hex;
  u.doc["srp_verifier"] = v.verifier_hex;
  u.doc["pw_set"] = now();
}

bool CognitoService::password_matches(const User& u, const std::string& password) const {
  std::string salt(str_or(u.doc, "pw_salt"));
  return !salt.empty() && crypto::constant_time_equal(password_digest(salt, password), str_or(u.doc, "pw_digest"));
}

void CognitoService::check_attributes(const Pool& p, const json::object& attrs, bool creating) {
  static const std::set<std::string, std::less<>> kStandard = {
      "name",   "given_name", "family_name", "middle_name", "nickname",     "preferred_username",    "profile",
      "picture", "website",   "email",       "email_verified", "gender",    "birthdate", "zoneinfo", "locale",
      "phone_number", "phone_number_verified", "address", "updated_at"};
  for (auto& [k, v] : attrs) {
    std::string_view name = k;
    if (name == "sub") {
      if (!creating) throw errors::invalid_parameter("Cannot modify the non-mutable attribute sub");
      continue;
    }
    bool known = kStandard.contains(name);
    if (!known)
      if (auto* schema = opt_arr(p.doc, "SchemaAttributes"))
        for (auto& s : *schema) known = known || (s.is_object() && str_or(s.as_object(), "Name") == name);
    if (!known)
      throw errors::invalid_parameter("Attributes did not conform to the schema: Type for attribute {" + std::string(name) +
                                      "} could not be determined");
    (void)v;
  }
  if (creating)
    if (auto* schema = opt_arr(p.doc, "SchemaAttributes"))
      for (auto& s : *schema) {
        if (!s.is_object() || !opt_bool(s.as_object(), "Required").value_or(false)) continue;
        std::string_view n = str_or(s.as_object(), "Name");
        if (n == "sub" || attrs.contains(n)) continue;
        throw errors::invalid_parameter("Attributes did not conform to the schema: " + std::string(n) +
                                        ": The attribute " + std::string(n) + " is required");
      }
}

namespace {
std::string mask_email(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size()) return "***";
  return std::string(1, e[0]) + "***@" + std::string(1, e[at + 1]) + "***";
}
std::string mask_phone(std::string_view ph) {
  return ph.size() <= 4 ? std::string(ph) : "+*******" + std::string(ph.substr(ph.size() - 4));
}
}  // namespace

json::object CognitoService::send_code(const Pool& p, const User& u, const std::string& purpose, bool deliver) {
  Code code{p.account, p.region, p.id, u.username, purpose, new_code(), "", now()};
  json::object details;
  auto* attrs = opt_obj(u.doc, "attrs");
  std::string email = attrs ? std::string(str_or(*attrs, "email")) : "";
  std::string phone = attrs ? std::string(str_or(*attrs, "phone_number")) : "";
  bool auto_email = false, auto_phone = false;
  if (auto* av = opt_arr(p.doc, "AutoVerifiedAttributes"))
    for (auto& a : *av) {
      auto_email |= a.as_string() == "email";
      auto_phone |= a.as_string() == "phone_number";
    }
  if (purpose == "FORGOT_PASSWORD") auto_email = auto_phone = true;
  if (auto_email && !email.empty()) {
    code.destination = email;
    details = json::object{{"Destination", mask_email(email)}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}};
  } else if (auto_phone && !phone.empty()) {
    code.destination = phone;
    details = json::object{{"Destination", mask_phone(phone)}, {"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}};
  }
  store_->put_code(code);
  spdlog::info("cognito-idp: {} code for user {} of pool {}: {}{}", purpose, u.username, p.id, code.code,
               code.destination.empty() ? "" : " (to " + code.destination + ")");
  if (!deliver) return {};
  return details;
}

json::object CognitoService::verification_code(const Pool& p, const User& u, const std::string& attribute) {
  auto* attrs = opt_obj(u.doc, "attrs");
  std::string value = attrs ? std::string(str_or(*attrs, attribute)) : "";
  if ((attribute != "email" && attribute != "phone_number") || value.empty())
    throw errors::invalid_parameter("Invalid attribute name: " + attribute);
  Code code{p.account, p.region, p.id, u.username, "VERIFY_" + attribute, new_code(), value, now()};
  store_->put_code(code);
  spdlog::info("cognito-idp: {} verification code for user {} of pool {}: {} (to {})", attribute, u.username, p.id,
               code.code, value);
  if (attribute == "email")
    return json::object{{"Destination", mask_email(value)}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}};
  return json::object{{"Destination", mask_phone(value)}, {"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}};
}

std::string CognitoService::new_session(const Pool& p, const Client& cl, const std::string& username,
                                        const std::string& challenge) {
  std::string s = crypto::base64url(crypto::random_bytes(96));
  Pending pd;
  pd.pool_id = p.id;
  pd.client_id = cl.id;
  pd.username = username;
  pd.challenge = challenge;
  pd.expires = now() + 180;
  std::erase_if(pending_, [t = now()](auto& kv) { return kv.second.expires < t; });
  pending_[s] = std::move(pd);
  return s;
}

json::object CognitoService::user_type(const User& u, const char* attrs_member) const {
  json::array attrs;
  if (auto* at = opt_obj(u.doc, "attrs"))
    for (auto& [k, v] : *at) attrs.push_back(json::object{{"Name", k}, {"Value", v}});
  return json::object{{"Username", u.username},
                      {attrs_member, std::move(attrs)},
                      {"UserCreateDate", u.doc.at("created")},
                      {"UserLastModifiedDate", u.doc.at("modified")},
                      {"Enabled", opt_bool(u.doc, "enabled").value_or(true)},
                      {"UserStatus", str_or(u.doc, "status")}};
}

namespace {
// A client's validity for one token type, in seconds (TokenValidityUnits default: hours, days for refresh).
int64_t validity(const json::object& client, const char* member, const char* unit_member, int64_t def_value,
                 const char* def_unit) {
  int64_t v = opt_int(client, member).value_or(def_value);
  std::string unit(def_unit);
  if (auto* units = opt_obj(client, "TokenValidityUnits")) unit = std::string(str_or(*units, unit_member, def_unit));
  if (unit == "seconds") return v;
  if (unit == "minutes") return v * 60;
  if (unit == "hours") return v * 3600;
  return v * 86400;
}
}  // namespace

json::object CognitoService::issue_tokens(const Pool& p, const Client& cl, const User& u, double auth_time,
                                          bool with_refresh, std::string origin_jti, const json::object* overrides) {
  const int64_t iat = static_cast<int64_t>(std::floor(now()));
  const std::string iss = "https://cognito-idp." + p.region + ".amazonaws.com/" + p.id;
  if (origin_jti.empty()) origin_jti = ids::uuid4();
  const std::string event_id = ids::uuid4();
  const int64_t access_ttl = validity(cl.doc, "AccessTokenValidity", "AccessToken", 1, "hours");
  const int64_t id_ttl = validity(cl.doc, "IdTokenValidity", "IdToken", 1, "hours");
  auto groups = store_->groups_of(p, u.username);
  if (overrides)
    if (auto* go = opt_obj(*overrides, "groupOverrideDetails"))
      if (auto* list = opt_arr(*go, "groupsToOverride")) {
        groups.clear();
        for (auto& g : *list)
          if (g.is_string()) groups.emplace_back(g.as_string());
      }
  json::array group_arr;
  for (auto& g : groups) group_arr.push_back(json::value(g));
  const std::string sub = u.sub;
  const auto at = static_cast<int64_t>(auth_time);

  json::object access{{"sub", sub}};
  if (!groups.empty()) access["cognito:groups"] = group_arr;
  access["iss"] = iss;
  access["client_id"] = cl.id;
  access["origin_jti"] = origin_jti;
  access["event_id"] = event_id;
  access["token_use"] = "access";
  access["scope"] = "aws.cognito.signin.user.admin";
  access["auth_time"] = at;
  access["exp"] = iat + access_ttl;
  access["iat"] = iat;
  access["jti"] = ids::uuid4();
  access["username"] = u.username;

  json::object id{{"sub", sub}};
  if (!groups.empty()) id["cognito:groups"] = group_arr;
  const json::object empty;
  const json::object& attrs = opt_obj(u.doc, "attrs") ? *opt_obj(u.doc, "attrs") : empty;
  if (auto* ev = find(attrs, "email_verified")) id["email_verified"] = ev->as_string() == "true";
  id["iss"] = iss;
  if (auto* pv = find(attrs, "phone_number_verified")) id["phone_number_verified"] = pv->as_string() == "true";
  id["cognito:username"] = u.username;
  id["origin_jti"] = origin_jti;
  id["aud"] = cl.id;
  id["event_id"] = event_id;
  id["token_use"] = "id";
  id["auth_time"] = at;
  id["exp"] = iat + id_ttl;
  id["iat"] = iat;
  id["jti"] = ids::uuid4();
  for (auto& [k, v] : attrs) {
    if (k == "sub" || k == "email_verified" || k == "phone_number_verified") continue;
    if (k == "updated_at") {
      if (auto n = parse_int(v.as_string())) {
        id[k] = *n;
        continue;
      }
    }
    id[k] = v;
  }

  // PreTokenGeneration (V1) changes the ID token only; the token's reserved claims stay.
  if (overrides) {
    static const std::set<std::string, std::less<>> kReserved = {
        "acr", "amr", "at_hash", "auth_time", "azp", "c_hash", "exp", "iat", "iss", "jti", "nbf", "nonce",
        "origin_jti", "sub", "token_use", "aud", "cognito:username", "event_id"};
    if (auto* add = opt_obj(*overrides, "claimsToAddOrOverride"))
      for (auto& [k, v] : *add)
        if (!kReserved.contains(k) && !std::string_view(k).starts_with("cognito:")) id[k] = v;
    if (auto* drop = opt_arr(*overrides, "claimsToSuppress"))
      for (auto& k : *drop)
        if (k.is_string() && !kReserved.contains(k.as_string())) id.erase(k.as_string());
  }
  json::object out{{"AccessToken", sign_jwt(p.key_pem, p.kid, access)},
                   {"ExpiresIn", access_ttl},
                   {"TokenType", "Bearer"}};
  if (with_refresh) {
    // Opaque to clients, shaped like Cognito's (a five-part JWE).
    std::string token = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ." +
                        crypto::base64url(crypto::random_bytes(256)) + "." + crypto::base64url(crypto::random_bytes(12)) +
                        "." + crypto::base64url(crypto::random_bytes(384)) + "." + crypto::base64url(crypto::random_bytes(16));
    store_->put_refresh(p, RefreshToken{token, p.id, cl.id, u.username, origin_jti, now(), false});
    out["RefreshToken"] = token;
  }
  out["IdToken"] = sign_jwt(p.key_pem, p.kid, id);
  return out;
}

// --- HTTP: JWKS, OpenID configuration, codes ---

namespace {
bool well_known(std::string_view path, std::string& pool, std::string& doc) {
  if (!path.starts_with("/")) return false;
  auto slash = path.find('/', 1);
  if (slash == std::string_view::npos) return false;
  std::string_view id = path.substr(1, slash - 1), rest = path.substr(slash);
  if (rest != "/.well-known/jwks.json" && rest != "/.well-known/openid-configuration") return false;
  auto us = id.find('_');
  if (us == std::string_view::npos || us == 0 || us + 1 == id.size()) return false;
  for (char ch : id)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) return false;
  pool = std::string(id);
  doc = std::string(rest.substr(13));
  return true;
}

HttpResponse json_reply(int status, const json::value& v) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Payload(json::serialize(v));
  return r;
}
}  // namespace

Service::Claim CognitoService::claim(HttpRequest& req) const {
  if (req.path.starts_with("/_stratus/cognito-idp/") || req.path.starts_with("/_aws/cognito-idp/")) return Claim::http;
  std::string pool, doc;
  if ((req.method == "GET" || req.method == "HEAD") && well_known(req.path, pool, doc)) return Claim::http;
  return Claim::none;
}

boost::asio::awaitable<HttpResponse> CognitoService::handle_http(RequestContext& ctx, HttpRequest& req) {
  std::string pool_id, doc;
  if (well_known(req.path, pool_id, doc)) {
    auto p = store_->pool(pool_id);
    if (!p) co_return json_reply(404, json::object{{"message", "User pool " + pool_id + " does not exist."}});
    if (doc == "jwks.json") co_return json_reply(200, json::object{{"keys", json::array{jwk_of(p->key_pem, p->kid)}}});
    const std::string iss = "https://cognito-idp." + p->region + ".amazonaws.com/" + p->id;
    co_return json_reply(200, json::object{
                                  {"authorization_endpoint", iss + "/oauth2/authorize"},
                                  {"id_token_signing_alg_values_supported", json::array{"RS256"}},
                                  {"issuer", iss},
                                  {"jwks_uri", ctx.endpoint + "/" + p->id + "/.well-known/jwks.json"},
                                  {"response_types_supported", json::array{"code", "token"}},
                                  {"scopes_supported", json::array{"openid", "email", "phone", "profile"}},
                                  {"subject_types_supported", json::array{"public"}},
                                  {"token_endpoint", iss + "/oauth2/token"},
                                  {"token_endpoint_auth_methods_supported",
                                   json::array{"client_secret_basic", "client_secret_post"}},
                                  {"userinfo_endpoint", iss + "/oauth2/userInfo"},
                              });
  }
  std::string_view path = req.path;
  if ((path == "/_aws/cognito-idp/oauth2/token" || path == "/_stratus/cognito-idp/oauth2/token") && req.method == "POST")
    co_return co_await oauth_token(req);
  if (path == "/_stratus/cognito-idp/codes" && req.method == "GET") {
    const std::string* pool = req.query_param("userPoolId");
    const std::string* user = req.query_param("username");
    json::array list;
    for (auto& c : store_->codes(pool ? *pool : "")) {
      if (user && *user != c.username) continue;
      list.push_back(json::object{{"userPoolId", c.pool_id},
                                  {"username", c.username},
                                  {"purpose", c.purpose},
                                  {"code", c.code},
                                  {"destination", c.destination},
                                  {"created", c.created}});
    }
    co_return json_reply(200, json::object{{"codes", std::move(list)}});
  }
  co_return json_reply(404, json::object{{"message", "Not Found: " + std::string(path)}});
}

// The OAuth 2.0 token endpoint (Cognito developer guide, "The token issuer endpoint"). Errors are
// {"error": "<code>"} with status 400, as AWS answers them.
boost::asio::awaitable<HttpResponse> CognitoService::oauth_token(const HttpRequest& req) {
  std::vector<std::pair<std::string, std::string>> form = parse_query_string(req.body.read_all(), true);
  auto get = [&](std::string_view k) {
    for (auto& [name, value] : form)
      if (name == k) return value;
    return std::string();
  };
  auto oauth_error = [](const char* code) { return json_reply(400, json::object{{"error", code}}); };
  std::string client_id = get("client_id"), secret = get("client_secret");
  if (const std::string* auth = req.header("authorization"); auth && auth->size() > 6 && iequals(auth->substr(0, 6), "Basic ")) {
    auto decoded = crypto::base64_decode(trim(std::string_view(*auth).substr(6)));
    if (!decoded || decoded->find(':') == std::string::npos) co_return oauth_error("invalid_client");
    client_id = decoded->substr(0, decoded->find(':'));
    secret = decoded->substr(decoded->find(':') + 1);
  }
  auto cl = store_->client(client_id);
  std::optional<Pool> p = cl ? store_->pool(cl->pool_id) : std::nullopt;
  if (!cl || !p) co_return oauth_error("invalid_client");
  std::string real(str_or(cl->doc, "ClientSecret"));
  if (!real.empty() && !crypto::constant_time_equal(secret, real)) co_return oauth_error("invalid_client");
  std::string grant = get("grant_type");
  if (grant == "client_credentials") {
    if (real.empty()) co_return oauth_error("invalid_client");
    bool allowed = opt_bool(cl->doc, "AllowedOAuthFlowsUserPoolClient").value_or(false);
    bool has_flow = false;
    if (auto* flows = opt_arr(cl->doc, "AllowedOAuthFlows"))
      for (auto& f : *flows) has_flow |= f.is_string() && f.as_string() == "client_credentials";
    if (!allowed || !has_flow) co_return oauth_error("unauthorized_client");
    std::vector<std::string> permitted;
    if (auto* scopes = opt_arr(cl->doc, "AllowedOAuthScopes"))
      for (auto& sc : *scopes)
        if (sc.is_string() && sc.as_string().find('/') != json::string::npos) permitted.emplace_back(sc.as_string());
    std::vector<std::string> granted;
    const std::string requested = get("scope");  // split() views into it: it must outlive the loop
    for (auto part : split(requested, ' ')) {
      if (part.empty()) continue;
      if (std::find(permitted.begin(), permitted.end(), part) == permitted.end()) co_return oauth_error("invalid_scope");
      granted.emplace_back(part);
    }
    if (granted.empty()) granted = permitted;
    if (granted.empty()) co_return oauth_error("invalid_scope");
    std::string scope;
    for (auto& g : granted) scope += (scope.empty() ? "" : " ") + g;
    const int64_t iat = static_cast<int64_t>(std::floor(now()));
    const int64_t ttl = validity(cl->doc, "AccessTokenValidity", "AccessToken", 1, "hours");
    json::object claims{{"sub", cl->id},
                        {"token_use", "access"},
                        {"scope", scope},
                        {"auth_time", iat},
                        {"iss", "https://cognito-idp." + p->region + ".amazonaws.com/" + p->id},
                        {"exp", iat + ttl},
                        {"iat", iat},
                        {"version", 2},
                        {"jti", ids::uuid4()},
                        {"client_id", cl->id}};
    co_return json_reply(200, json::object{{"access_token", sign_jwt(p->key_pem, p->kid, claims)},
                                           {"expires_in", ttl},
                                           {"token_type", "Bearer"}});
  }
  if (grant == "refresh_token") {
    json::object params{{"REFRESH_TOKEN", get("refresh_token")}};
    bool failed = false;
    json::object result;
    try {
      result = co_await refresh_auth(*p, *cl, params, true);
    } catch (const AwsError&) {
      failed = true;
    }
    if (failed) co_return oauth_error("invalid_grant");
    const json::object& r = result["AuthenticationResult"].as_object();
    json::object out{{"id_token", r.at("IdToken")}, {"access_token", r.at("AccessToken")}};
    if (auto* rt = find(r, "RefreshToken")) out["refresh_token"] = *rt;
    out["expires_in"] = r.at("ExpiresIn");
    out["token_type"] = "Bearer";
    co_return json_reply(200, out);
  }
  co_return oauth_error("unsupported_grant_type");
}

}  // namespace stratus::cognito
