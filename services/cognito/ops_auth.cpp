// Authentication: InitiateAuth / AdminInitiateAuth, challenges (PASSWORD_VERIFIER of USER_SRP_AUTH,
// NEW_PASSWORD_REQUIRED), refresh tokens, sign-out and revocation.
#include "cognito_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <boost/regex.hpp>
#include <set>

namespace stratus::cognito {

namespace {

// The flows a client allows. Without ExplicitAuthFlows Cognito allows SRP, refresh and custom auth;
// the legacy names (no ALLOW_ prefix) always imply SRP and refresh.
std::set<std::string> allowed_flows(const Client& cl) {
  std::set<std::string> out;
  const json::array* flows = opt_arr(cl.doc, "ExplicitAuthFlows");
  if (!flows || flows->empty()) return {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"};
  for (auto& f : *flows) {
    std::string s(f.as_string());
    if (s.starts_with("ALLOW_")) {
      out.insert(s);
      continue;
    }
    out.insert("ALLOW_USER_SRP_AUTH");
    out.insert("ALLOW_REFRESH_TOKEN_AUTH");
    if (s == "ADMIN_NO_SRP_AUTH") out.insert("ALLOW_ADMIN_USER_PASSWORD_AUTH");
    if (s == "USER_PASSWORD_AUTH") out.insert("ALLOW_USER_PASSWORD_AUTH");
    if (s != "CUSTOM_AUTH_FLOW_ONLY") out.insert("ALLOW_CUSTOM_AUTH");
  }
  return out;
}

const json::object kEmpty;

const json::object& params_of(const json::object& in, const char* member) {
  auto* p = opt_obj(in, member);
  return p ? *p : kEmpty;
}

std::string required(const json::object& params, const char* name) {
  auto v = opt_str(params, name);
  if (!v || v->empty()) throw errors::invalid_parameter(std::string("Missing required parameter ") + name);
  return *v;
}

std::string user_attributes_json(const User& u) {
  json::object o;
  if (auto* a = opt_obj(u.doc, "attrs"))
    for (auto& [k, v] : *a)
      if (k != "sub") o[k] = v;
  return json::serialize(o);
}

bool valid_timestamp(const std::string& ts) {
  static const boost::regex re(
      "^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{1,2} "
      "[0-9]{2}:[0-9]{2}:[0-9]{2} UTC [0-9]{4}$");
  return boost::regex_match(ts, re);
}

}  // namespace

namespace {
AwsError missing_user(const Client& cl) {
  if (str_or(cl.doc, "PreventUserExistenceErrors") == "ENABLED") return errors::not_authorized();
  return errors::user_not_found();
}
}  // namespace

boost::asio::awaitable<Output> CognitoService::initiate_auth(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string flow(str_or(c.input, "AuthFlow"));
  json::object params = params_of(c.input, "AuthParameters");
  co_return co_await authenticate(p, cl, flow, params, false);
}

boost::asio::awaitable<Output> CognitoService::admin_initiate_auth(Call& c) {
  Pool p = pool_for(c);
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  if (cl.pool_id != p.id) throw errors::client_not_found(cl.id);
  std::string flow(str_or(c.input, "AuthFlow"));
  json::object params = params_of(c.input, "AuthParameters");
  co_return co_await authenticate(p, cl, flow, params, true);
}

boost::asio::awaitable<json::object> CognitoService::authenticate(const Pool& p, const Client& cl, const std::string& flow,
                                                                  const json::object& params, bool admin) {
  auto flows = allowed_flows(cl);
  if (flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH") {
    if (!admin) throw errors::invalid_parameter("Initiate Auth method not supported.");
    if (!flows.contains("ALLOW_ADMIN_USER_PASSWORD_AUTH")) throw errors::invalid_parameter("Auth flow not enabled for this client");
  } else if (flow == "USER_PASSWORD_AUTH") {
    if (admin) throw errors::invalid_parameter("Initiate Auth method not supported.");
    if (!flows.contains("ALLOW_USER_PASSWORD_AUTH"))
      throw errors::invalid_parameter("USER_PASSWORD_AUTH flow not enabled for this client");
  } else if (flow == "USER_SRP_AUTH") {
    if (!flows.contains("ALLOW_USER_SRP_AUTH")) throw errors::invalid_parameter("USER_SRP_AUTH is not enabled for the client.");
  } else if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN") {
    if (!flows.contains("ALLOW_REFRESH_TOKEN_AUTH"))
      throw errors::invalid_parameter("REFRESH_TOKEN_AUTH is not enabled for the client.");
    co_return co_await refresh_auth(p, cl, params);
  } else {
    throw errors::unsupported("The auth flow " + flow + " is not supported by Stratus yet.");
  }

  std::string username = required(params, "USERNAME");
  check_secret_hash(cl, username, &params);
  auto u = find_login(p, username);
  if (!u) throw missing_user(cl);
  if (!opt_bool(u->doc, "enabled").value_or(true)) throw errors::not_authorized("User is disabled.");
  json::object validation;
  if (auto* vd = opt_obj(params, "VALIDATION_DATA")) validation = *vd;
  TriggerCall trigger{cl.id, "PreAuthentication", "PreAuthentication_Authentication", u->username,
                       json::object{{"userAttributes", trigger_attributes(*u)}, {"validationData", validation},
                                    {"userNotFound", false}},
                       json::object{}};
  co_await run_trigger(p, std::move(trigger));

  if (flow == "USER_SRP_AUTH") {
    std::string A = required(params, "SRP_A");
    auto eph = srp::server_ephemeral(str_or(u->doc, "srp_verifier"));
    Pending pd;
    pd.pool_id = p.id;
    pd.client_id = cl.id;
    pd.username = u->username;
    pd.challenge = "PASSWORD_VERIFIER";
    pd.srp_b = eph.b_hex;
    pd.srp_B = eph.B_hex;
    pd.srp_A = A;
    pd.secret_block = crypto::base64(crypto::random_bytes(192));
    pd.expires = now() + 180;
    std::erase_if(pending_, [t = now()](auto& kv) { return kv.second.expires < t; });
    std::string block = pd.secret_block;
    pending_[block] = std::move(pd);
    co_return json::object{{"ChallengeName", "PASSWORD_VERIFIER"},
                        {"ChallengeParameters", json::object{{"SALT", str_or(u->doc, "srp_salt")},
                                                              {"SECRET_BLOCK", block},
                                                              {"SRP_B", eph.B_hex},
                                                              {"USERNAME", u->username},
                                                              {"USER_ID_FOR_SRP", u->username}}}};
  }
  if (!password_matches(*u, required(params, "PASSWORD"))) throw errors::not_authorized();
  check_temporary_password(p, *u);
  std::string source = "TokenGeneration_Authentication";
  co_return co_await after_password(p, cl, *u, std::move(source));
}

// A temporary password (AdminCreateUser, AdminSetUserPassword without Permanent) is good for the
// policy's TemporaryPasswordValidityDays.
void CognitoService::check_temporary_password(const Pool& p, const User& u) {
  if (str_or(u.doc, "status") != "FORCE_CHANGE_PASSWORD") return;
  int64_t days = opt_int(password_policy(opt_obj(p.doc, "Policies")), "TemporaryPasswordValidityDays").value_or(7);
  double set_at = u.doc.contains("pw_set") ? u.doc.at("pw_set").to_number<double>() : 0;
  if (days > 0 && set_at > 0 && set_at + static_cast<double>(days) * 86400 < now())
    throw errors::not_authorized("Temporary password has expired and must be reset by an administrator.");
}

boost::asio::awaitable<json::object> CognitoService::after_password(const Pool& p, const Client& cl, const User& u,
                                                                    std::string token_source) {
  std::string status(str_or(u.doc, "status"));
  if (status == "UNCONFIRMED") throw errors::not_confirmed();
  if (status == "RESET_REQUIRED")
    throw AwsError("PasswordResetRequiredException", "Password reset required for the user", 400);
  if (status == "FORCE_CHANGE_PASSWORD") {
    co_return json::object{{"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                        {"Session", new_session(p, cl, u.username, "NEW_PASSWORD_REQUIRED")},
                        {"ChallengeParameters", json::object{{"USER_ID_FOR_SRP", u.username},
                                                              {"requiredAttributes", "[]"},
                                                              {"userAttributes", user_attributes_json(u)}}}};
  }
  // TOTP MFA: pools with MFA ON or OPTIONAL ask users who enabled a software token for a code.
  std::string mfa(str_or(p.doc, "MfaConfiguration", "OFF"));
  if (mfa != "OFF" && opt_bool(u.doc, "totp_enabled").value_or(false)) {
    co_return json::object{{"ChallengeName", "SOFTWARE_TOKEN_MFA"},
                           {"Session", new_session(p, cl, u.username, "SOFTWARE_TOKEN_MFA")},
                           {"ChallengeParameters", json::object{}}};
  }
  co_return co_await finish_auth(p, cl, u, std::move(token_source));
}

boost::asio::awaitable<json::object> CognitoService::finish_auth(const Pool& p, const Client& cl, const User& u,
                                                                 std::string token_source) {
  std::string no_origin;
  json::object tokens = co_await tokens_for(p, cl, u, now(), true, std::move(no_origin), std::move(token_source));
  TriggerCall trigger{cl.id, "PostAuthentication", "PostAuthentication_Authentication", u.username,
                       json::object{{"userAttributes", trigger_attributes(u)}, {"newDeviceUsed", false}},
                       json::object{}};
  co_await run_trigger(p, std::move(trigger));
  co_return json::object{{"ChallengeParameters", json::object{}}, {"AuthenticationResult", std::move(tokens)}};
}

boost::asio::awaitable<json::object> CognitoService::tokens_for(const Pool& p, const Client& cl, const User& u,
                                                                double auth_time, bool with_refresh,
                                                                std::string origin_jti, std::string source) {
  json::array groups;
  for (auto& g : store_->groups_of(p, u.username)) groups.push_back(json::value(g));
  TriggerCall trigger{cl.id, "PreTokenGeneration", source, u.username,
                       json::object{{"userAttributes", trigger_attributes(u)},
                   {"groupConfiguration",
                    json::object{{"groupsToOverride", std::move(groups)}, {"iamRolesToOverride", json::array{}},
                                 {"preferredRole", nullptr}}}},
                       json::object{{"claimsOverrideDetails", nullptr}}};
  auto answer = co_await run_trigger(p, std::move(trigger));
  const json::object* overrides = answer ? opt_obj(*answer, "claimsOverrideDetails") : nullptr;
  co_return issue_tokens(p, cl, u, auth_time, with_refresh, std::move(origin_jti), overrides);
}

boost::asio::awaitable<json::object> CognitoService::refresh_auth(const Pool& p, const Client& cl,
                                                                  const json::object& params, bool secret_checked) {
  std::string token = required(params, "REFRESH_TOKEN");
  auto rt = store_->refresh(token);
  if (!rt || rt->client_id != cl.id || rt->pool_id != p.id) throw errors::not_authorized("Invalid Refresh Token");
  if (rt->revoked) throw errors::not_authorized("Refresh Token has been revoked");
  int64_t ttl = opt_int(cl.doc, "RefreshTokenValidity").value_or(30);
  std::string unit = "days";
  if (auto* units = opt_obj(cl.doc, "TokenValidityUnits")) unit = std::string(str_or(*units, "RefreshToken", "days"));
  double seconds = static_cast<double>(ttl) * (unit == "seconds" ? 1 : unit == "minutes" ? 60 : unit == "hours" ? 3600 : 86400);
  if (rt->issued + seconds < now()) throw errors::not_authorized("Refresh Token has expired");
  auto u = store_->user(p, rt->username);
  if (!u) throw errors::not_authorized("Invalid Refresh Token");
  if (!secret_checked && !str_or(cl.doc, "ClientSecret").empty()) {
    std::string given(str_or(params, "SECRET_HASH"));
    std::string secret(str_or(cl.doc, "ClientSecret"));
    if (given.empty())
      throw errors::not_authorized("Client " + cl.id + " is configured with secret but SECRET_HASH was not received");
    bool ok = given == secret_hash(secret, u->username, cl.id) ||
              given == secret_hash(secret, u->sub, cl.id) ||
              given == secret_hash(secret, str_or(params, "USERNAME"), cl.id);
    if (!ok) throw errors::not_authorized("Unable to verify secret hash for client " + cl.id);
  }
  if (!opt_bool(u->doc, "enabled").value_or(true)) throw errors::not_authorized("User is disabled.");
  // Refresh token rotation (the client's RefreshTokenRotation): a new refresh token replaces the old one.
  bool rotate = false;
  if (auto* rot = opt_obj(cl.doc, "RefreshTokenRotation")) rotate = str_or(*rot, "Feature") == "ENABLED";
  // Arguments as named locals: GCC 12 mishandles conditional-expression temporaries inside co_await.
  std::string origin = rotate ? std::string() : rt->origin_jti;
  std::string source = "TokenGeneration_RefreshTokens";
  json::object tokens = co_await tokens_for(p, cl, *u, rt->issued, rotate, std::move(origin), std::move(source));
  if (rotate) store_->revoke_refresh(token);
  co_return json::object{{"ChallengeParameters", json::object{}}, {"AuthenticationResult", std::move(tokens)}};
}

// The user answering a challenge: the session must be pending, unexpired, for this challenge and
// app client; USERNAME and the secret hash are checked. The session stays pending until the
// caller accepts the answer.
std::optional<User> CognitoService::challenge_user(const Pool& p, const Client& cl, const std::string& challenge,
                                                   const std::string& session, const json::object& responses) {
  auto it = pending_.find(session);
  if (session.empty() || it == pending_.end() || it->second.expires < now() || it->second.challenge != challenge ||
      it->second.client_id != cl.id)
    throw errors::not_authorized("Invalid session for the user, session is expired.");
  std::string username = required(responses, "USERNAME");
  check_secret_hash(cl, username, &responses);
  auto u = store_->user(p, it->second.username);
  if (!u) throw missing_user(cl);
  return u;
}

boost::asio::awaitable<json::object> CognitoService::respond(const Pool& p, const Client& cl, const std::string& challenge,
                                                             const json::object& responses, const std::string& session) {
  if (challenge == "PASSWORD_VERIFIER") {
    std::string block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    std::string signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
    std::string timestamp = required(responses, "TIMESTAMP");
    std::string username = required(responses, "USERNAME");
    if (!valid_timestamp(timestamp))
      throw errors::invalid_parameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
    check_secret_hash(cl, username, &responses);
    auto it = pending_.find(block);
    if (it == pending_.end() || it->second.expires < now() || it->second.client_id != cl.id)
      throw errors::not_authorized("Incorrect username or password.");
    Pending pd = it->second;
    pending_.erase(it);
    auto u = store_->user(p, pd.username);
    if (!u) throw missing_user(cl);
    auto key = srp::server_key(pd.srp_A, pd.srp_B, pd.srp_b, str_or(u->doc, "srp_verifier"));
    std::string pool_name = p.id.substr(p.id.find('_') + 1);
    if (!key || !crypto::constant_time_equal(srp::claim_signature(*key, pool_name, u->username, block, timestamp), signature))
      throw errors::not_authorized();
    if (!opt_bool(u->doc, "enabled").value_or(true)) throw errors::not_authorized("User is disabled.");
    check_temporary_password(p, *u);
    std::string source = "TokenGeneration_Authentication";
    co_return co_await after_password(p, cl, *u, std::move(source));
  }
  if (challenge == "NEW_PASSWORD_REQUIRED") {
    auto u = challenge_user(p, cl, challenge, session, responses);
    std::string password = required(responses, "NEW_PASSWORD");
    json::object changes;
    for (auto& [k, v] : responses)
      if (k.starts_with("userAttributes.") && v.is_string()) changes[k.substr(15)] = v;
    check_attributes(p, changes, false);
    set_password(p, *u, password);
    auto& attrs = u->doc["attrs"].as_object();
    for (auto& [k, v] : changes) attrs[k] = v;
    u->doc["status"] = "CONFIRMED";
    save_user(p, *u);
    pending_.erase(session);
    std::string source = "TokenGeneration_NewPasswordChallenge";
    co_return co_await after_password(p, cl, *u, std::move(source));
  }
  if (challenge == "SOFTWARE_TOKEN_MFA") {
    auto u = challenge_user(p, cl, challenge, session, responses);
    std::string code = required(responses, "SOFTWARE_TOKEN_MFA_CODE");
    if (!totp_matches(str_or(u->doc, "totp_secret"), code))
      throw AwsError("CodeMismatchException", "Invalid code received for user", 400);
    pending_.erase(session);
    std::string source = "TokenGeneration_Authentication";
    co_return co_await finish_auth(p, cl, *u, std::move(source));
  }
  throw errors::unsupported("The challenge " + challenge + " is not supported by Stratus yet.");
}

boost::asio::awaitable<Output> CognitoService::respond_to_auth_challenge(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string challenge(str_or(c.input, "ChallengeName")), session(str_or(c.input, "Session"));
  json::object responses = params_of(c.input, "ChallengeResponses");
  co_return co_await respond(p, cl, challenge, responses, session);
}

boost::asio::awaitable<Output> CognitoService::admin_respond_to_auth_challenge(Call& c) {
  Pool p = pool_for(c);
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  if (cl.pool_id != p.id) throw errors::client_not_found(cl.id);
  std::string challenge(str_or(c.input, "ChallengeName")), session(str_or(c.input, "Session"));
  json::object responses = params_of(c.input, "ChallengeResponses");
  co_return co_await respond(p, cl, challenge, responses, session);
}

Output CognitoService::global_sign_out(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  store_->revoke_user_tokens(p, u.username);
  return json::object{};
}

Output CognitoService::admin_user_global_sign_out(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  store_->revoke_user_tokens(p, u.username);
  return json::object{};
}

Output CognitoService::revoke_token(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  std::string secret(str_or(cl.doc, "ClientSecret"));
  if (!secret.empty() && str_or(c.input, "ClientSecret") != secret)
    throw AwsError("UnauthorizedException", "Invalid client secret.", 400);
  if (!opt_bool(cl.doc, "EnableTokenRevocation").value_or(true))
    throw errors::unsupported("Token revocation is not enabled for this client.");
  std::string token(str_or(c.input, "Token"));
  auto rt = store_->refresh(token);
  if (!rt) {
    if (split(token, '.').size() == 3) throw AwsError("UnsupportedTokenTypeException", "Unsupported token type", 400);
    return json::object{};
  }
  if (rt->client_id != cl.id) throw AwsError("UnauthorizedException", "Token was not issued to this client.", 400);
  store_->revoke_refresh(token);
  return json::object{};
}

boost::asio::awaitable<Output> CognitoService::get_tokens_from_refresh_token(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string secret(str_or(cl.doc, "ClientSecret"));
  if (!secret.empty() && !crypto::constant_time_equal(str_or(c.input, "ClientSecret"), secret))
    throw errors::not_authorized("Unable to verify secret for client " + cl.id);
  if (!allowed_flows(cl).contains("ALLOW_REFRESH_TOKEN_AUTH"))
    throw errors::invalid_parameter("REFRESH_TOKEN_AUTH is not enabled for the client.");
  json::object params{{"REFRESH_TOKEN", str_or(c.input, "RefreshToken")}};
  json::object out = co_await refresh_auth(p, cl, params, true);
  co_return json::object{{"AuthenticationResult", out["AuthenticationResult"]}};
}

}  // namespace stratus::cognito
