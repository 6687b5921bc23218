// Users: sign-up and confirmation, admin management, attributes, passwords, ListUsers.
#include "cognito_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

#include <set>

namespace stratus::cognito {

namespace {

constexpr double kCodeLifetime = 24 * 3600;

// [{Name, Value}] → {name: value}, in order.
json::object attrs_from(const json::object& in, std::string_view member) {
  json::object out;
  if (auto* list = opt_arr(in, member))
    for (auto& a : *list) {
      if (!a.is_object()) continue;
      std::string name(str_or(a.as_object(), "Name"));
      out[name] = std::string(str_or(a.as_object(), "Value"));
    }
  return out;
}

bool looks_like_email(std::string_view s) {
  auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string_view::npos;
}
bool looks_like_phone(std::string_view s) {
  if (s.size() < 2 || s[0] != '+') return false;
  for (char ch : s.substr(1))
    if (ch < '0' || ch > '9') return false;
  return true;
}

bool has(const json::object& o, std::string_view member, std::string_view value) {
  if (auto* a = opt_arr(o, member))
    for (auto& x : *a)
      if (x.is_string() && x.as_string() == value) return true;
  return false;
}

json::object& attrs_of(User& u) {
  if (!u.doc.contains("attrs") || !u.doc["attrs"].is_object()) u.doc["attrs"] = json::object{};
  return u.doc["attrs"].as_object();
}

std::string temporary_password() {
  return ids::random_string(2, "ABCDEFGHJKLMNPQRSTUVWXYZ") + ids::random_string(2, "abcdefghijkmnopqrstuvwxyz") +
         ids::random_string(2, "23456789") + ids::random_string(1, "!#%&*+=?") +
         ids::random_string(5, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
}

// What ForgotPassword / ResendConfirmationCode answer for an unknown user when the client hides
// whether users exist (PreventUserExistenceErrors ENABLED): a plausible, made-up delivery.
json::object simulated_delivery(const Pool& p) {
  if (has(p.doc, "AutoVerifiedAttributes", "phone_number") && !has(p.doc, "AutoVerifiedAttributes", "email"))
    return json::object{{"Destination", "+*******0000"}, {"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}};
  return json::object{{"Destination", "u***@e***"}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}};
}

}  // namespace

namespace {
// The stored username for a sign-up name: pools with UsernameAttributes keep a generated one and
// store the email / phone as an attribute.
std::string resolve_username(const Pool& p, const std::string& given, json::object& attrs, const std::string& sub) {
  const bool by_email = has(p.doc, "UsernameAttributes", "email");
  const bool by_phone = has(p.doc, "UsernameAttributes", "phone_number");
  if (!by_email && !by_phone) return given;
  if (by_email && looks_like_email(given)) {
    attrs["email"] = given;
    return sub;
  }
  if (by_phone && looks_like_phone(given)) {
    attrs["phone_number"] = given;
    return sub;
  }
  if (by_email && by_phone) throw errors::invalid_parameter("Username should be either an email or a phone number.");
  throw errors::invalid_parameter(by_email ? "Username should be an email." : "Username should be a phone number.");
}
}  // namespace

boost::asio::awaitable<Output> CognitoService::sign_up(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string given(str_or(c.input, "Username"));
  check_secret_hash(cl, given, &c.input, "SecretHash");
  if (auto* admin = opt_obj(p.doc, "AdminCreateUserConfig"); admin && opt_bool(*admin, "AllowAdminCreateUserOnly").value_or(false))
    throw errors::not_authorized("SignUp is not permitted for this user pool");
  json::object attrs = attrs_from(c.input, "UserAttributes");
  check_attributes(p, attrs, true);
  User u;
  u.sub = ids::uuid4();
  u.username = resolve_username(p, given, attrs, u.sub);
  if (find_login(p, given) || store_->user(p, u.username)) {
    if (u.username != given) throw errors::email_exists();
    throw AwsError("UsernameExistsException", "User already exists", 400);
  }
  json::object stored{{"sub", u.sub}};
  for (auto& [k, v] : attrs)
    if (k != "sub") stored[k] = v;
  double t = now();
  u.doc = json::object{{"attrs", std::move(stored)}, {"status", "UNCONFIRMED"}, {"enabled", true}, {"created", t}, {"modified", t}};
  set_password(p, u, std::string(str_or(c.input, "Password")));
  json::object validation = attrs_from(c.input, "ValidationData");
  json::object request{{"userAttributes", attrs_of(u)}, {"validationData", validation}};
  if (auto* meta = opt_obj(c.input, "ClientMetadata")) request["clientMetadata"] = *meta;
  TriggerCall trigger{cl.id, "PreSignUp", "PreSignUp_SignUp", u.username,
                       std::move(request),
                       json::object{{"autoConfirmUser", false}, {"autoVerifyEmail", false}, {"autoVerifyPhone", false}}};
  auto pre = co_await run_trigger(p, std::move(trigger));
  const bool auto_confirm = pre && opt_bool(*pre, "autoConfirmUser").value_or(false);
  if (pre && opt_bool(*pre, "autoVerifyEmail").value_or(false) && attrs_of(u).contains("email"))
    attrs_of(u)["email_verified"] = "true";
  if (pre && opt_bool(*pre, "autoVerifyPhone").value_or(false) && attrs_of(u).contains("phone_number"))
    attrs_of(u)["phone_number_verified"] = "true";
  if (auto_confirm) u.doc["status"] = "CONFIRMED";
  store_->put_user(p, u);
  json::object out{{"UserConfirmed", auto_confirm}};
  if (!auto_confirm) {
    json::object details = send_code(p, u, "SIGN_UP");
    std::string message_source = "CustomMessage_SignUp", message_purpose = "SIGN_UP";
    co_await custom_message(p, cl.id, u, std::move(message_source), std::move(message_purpose));
    if (!details.empty()) out["CodeDeliveryDetails"] = std::move(details);
  }
  out["UserSub"] = u.sub;
  co_return out;
}

boost::asio::awaitable<Output> CognitoService::confirm_sign_up(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string given(str_or(c.input, "Username"));
  check_secret_hash(cl, given, &c.input, "SecretHash");
  auto u = find_login(p, given);
  if (!u && str_or(cl.doc, "PreventUserExistenceErrors") == "ENABLED") throw errors::code_mismatch();
  if (!u) throw AwsError("UserNotFoundException", "Username/client id combination not found.", 400);
  if (str_or(u->doc, "status") != "UNCONFIRMED")
    throw errors::not_authorized("User cannot be confirmed. Current status is " + std::string(str_or(u->doc, "status")));
  auto code = store_->code(p, u->username, "SIGN_UP");
  if (!code || code->code != str_or(c.input, "ConfirmationCode")) throw errors::code_mismatch();
  if (code->created + kCodeLifetime < now()) throw errors::expired_code();
  store_->delete_code(p, u->username, "SIGN_UP");
  u->doc["status"] = "CONFIRMED";
  auto& attrs = attrs_of(*u);
  if (!code->destination.empty()) {
    if (code->destination == str_or(attrs, "email")) attrs["email_verified"] = "true";
    else if (code->destination == str_or(attrs, "phone_number")) attrs["phone_number_verified"] = "true";
  }
  save_user(p, *u);
  TriggerCall trigger{cl.id, "PostConfirmation", "PostConfirmation_ConfirmSignUp", u->username,
                       json::object{{"userAttributes", trigger_attributes(*u)}},
                       json::object{}};
  co_await run_trigger(p, std::move(trigger));
  co_return json::object{};
}

boost::asio::awaitable<Output> CognitoService::resend_confirmation_code(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string given(str_or(c.input, "Username"));
  check_secret_hash(cl, given, &c.input, "SecretHash");
  auto u = find_login(p, given);
  if (!u && str_or(cl.doc, "PreventUserExistenceErrors") == "ENABLED")
    co_return json::object{{"CodeDeliveryDetails", simulated_delivery(p)}};
  if (!u) throw AwsError("UserNotFoundException", "Username/client id combination not found.", 400);
  if (str_or(u->doc, "status") != "UNCONFIRMED") throw errors::invalid_parameter("User is already confirmed.");
  json::object details = send_code(p, *u, "SIGN_UP");
  std::string message_source = "CustomMessage_ResendCode", message_purpose = "SIGN_UP";
  co_await custom_message(p, cl.id, *u, std::move(message_source), std::move(message_purpose));
  json::object out;
  if (!details.empty()) out["CodeDeliveryDetails"] = std::move(details);
  co_return out;
}

boost::asio::awaitable<Output> CognitoService::admin_create_user(Call& c) {
  Pool p = pool_for(c);
  std::string given(str_or(c.input, "Username"));
  std::string action(str_or(c.input, "MessageAction"));
  if (action == "RESEND") {
    User u = user_for(p, given);
    if (str_or(u.doc, "status") != "FORCE_CHANGE_PASSWORD")
      throw errors::unsupported("Resend not possible. " + u.username + " status is not FORCE_CHANGE_PASSWORD.");
    co_return json::object{{"User", user_type(u, "Attributes")}};
  }
  json::object attrs = attrs_from(c.input, "UserAttributes");
  check_attributes(p, attrs, false);
  User u;
  u.sub = ids::uuid4();
  u.username = resolve_username(p, given, attrs, u.sub);
  if (find_login(p, given) || store_->user(p, u.username)) {
    if (u.username != given) throw errors::email_exists();
    throw errors::username_exists();
  }
  json::object stored{{"sub", u.sub}};
  for (auto& [k, v] : attrs)
    if (k != "sub") stored[k] = v;
  double t = now();
  u.doc = json::object{{"attrs", std::move(stored)}, {"status", "FORCE_CHANGE_PASSWORD"}, {"enabled", true}, {"created", t}, {"modified", t}};
  std::string temp = opt_str(c.input, "TemporaryPassword").value_or(temporary_password());
  set_password(p, u, temp);
  json::object request{{"userAttributes", attrs_of(u)}, {"validationData", attrs_from(c.input, "ValidationData")}};
  if (auto* meta = opt_obj(c.input, "ClientMetadata")) request["clientMetadata"] = *meta;
  TriggerCall trigger{"CLIENT_ID_NOT_APPLICABLE", "PreSignUp", "PreSignUp_AdminCreateUser", u.username,
                       std::move(request),
                       json::object{{"autoConfirmUser", false}, {"autoVerifyEmail", false}, {"autoVerifyPhone", false}}};
  co_await run_trigger(p, std::move(trigger));
  store_->put_user(p, u);
  if (action != "SUPPRESS")
    spdlog::info("cognito-idp: temporary password for user {} of pool {}: {}", u.username, p.id, temp);
  co_return json::object{{"User", user_type(u, "Attributes")}};
}

boost::asio::awaitable<Output> CognitoService::admin_confirm_sign_up(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  if (str_or(u.doc, "status") != "UNCONFIRMED")
    throw errors::not_authorized("User cannot be confirmed. Current status is " + std::string(str_or(u.doc, "status")));
  u.doc["status"] = "CONFIRMED";
  store_->delete_code(p, u.username, "SIGN_UP");
  save_user(p, u);
  TriggerCall trigger{"CLIENT_ID_NOT_APPLICABLE", "PostConfirmation", "PostConfirmation_ConfirmSignUp", u.username,
                       json::object{{"userAttributes", trigger_attributes(u)}},
                       json::object{}};
  co_await run_trigger(p, std::move(trigger));
  co_return json::object{};
}

Output CognitoService::admin_get_user(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  json::object out = user_type(u, "UserAttributes");
  for (auto& [k, v] : mfa_fields(u)) out[k] = v;
  return out;
}

Output CognitoService::get_user(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  json::object full = user_type(u, "UserAttributes");
  json::object out{{"Username", u.username}, {"UserAttributes", full["UserAttributes"]}};
  for (auto& [k, v] : mfa_fields(u)) out[k] = v;
  return out;
}

Output CognitoService::admin_delete_user(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  store_->delete_user(p, u.username);
  return json::object{};
}

Output CognitoService::delete_user(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  store_->delete_user(p, u.username);
  return json::object{};
}

Output CognitoService::admin_set_user_password(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  set_password(p, u, std::string(str_or(c.input, "Password")));
  u.doc["status"] = opt_bool(c.input, "Permanent").value_or(false) ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
  save_user(p, u);
  return json::object{};
}

namespace {
// Applies attribute changes; a changed email / phone is unverified again unless the request says otherwise.
void apply_attributes(User& u, const json::object& changes) {
  auto& attrs = attrs_of(u);
  for (auto& [k, v] : changes) {
    std::string name = k;
    if ((name == "email" || name == "phone_number") && str_or(attrs, name) != v.as_string() &&
        !changes.contains(name + "_verified") && attrs.contains(name + "_verified"))
      attrs[name + "_verified"] = "false";
    attrs[name] = v;
  }
}
}  // namespace

Output CognitoService::admin_update_user_attributes(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  json::object changes = attrs_from(c.input, "UserAttributes");
  check_attributes(p, changes, false);
  apply_attributes(u, changes);
  save_user(p, u);
  return json::object{};
}

Output CognitoService::update_user_attributes(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  json::object changes = attrs_from(c.input, "UserAttributes");
  check_attributes(p, changes, false);
  for (auto& [k, v] : changes)
    if (k == "email_verified" || k == "phone_number_verified")
      throw errors::invalid_parameter("Cannot modify the non-mutable attribute " + std::string(k));
  apply_attributes(u, changes);
  save_user(p, u);
  json::array details;
  for (const char* a : {"email", "phone_number"})
    if (changes.contains(a) && has(p.doc, "AutoVerifiedAttributes", a)) details.push_back(verification_code(p, u, a));
  return json::object{{"CodeDeliveryDetailsList", std::move(details)}};
}

Output CognitoService::get_user_attribute_verification_code(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  return json::object{{"CodeDeliveryDetails", verification_code(p, u, std::string(str_or(c.input, "AttributeName")))}};
}

Output CognitoService::verify_user_attribute(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  std::string attribute(str_or(c.input, "AttributeName"));
  auto code = store_->code(p, u.username, "VERIFY_" + attribute);
  auto& attrs = attrs_of(u);
  if (!code || code->code != str_or(c.input, "Code") || code->destination != str_or(attrs, attribute))
    throw errors::code_mismatch();
  if (code->created + kCodeLifetime < now()) throw errors::expired_code();
  store_->delete_code(p, u.username, "VERIFY_" + attribute);
  attrs[attribute + "_verified"] = "true";
  save_user(p, u);
  return json::object{};
}

namespace {
void remove_attributes(const Pool& p, User& u, const json::object& in) {
  (void)p;
  auto& attrs = attrs_of(u);
  if (auto* names = opt_arr(in, "UserAttributeNames"))
    for (auto& n : *names) {
      if (!n.is_string()) continue;
      if (n.as_string() == "sub") throw errors::invalid_parameter("Cannot modify the non-mutable attribute sub");
      attrs.erase(n.as_string());
    }
}
}  // namespace

Output CognitoService::admin_delete_user_attributes(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  remove_attributes(p, u, c.input);
  save_user(p, u);
  return json::object{};
}

Output CognitoService::delete_user_attributes(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  remove_attributes(p, u, c.input);
  save_user(p, u);
  return json::object{};
}

Output CognitoService::admin_disable_user(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  u.doc["enabled"] = false;
  save_user(p, u);
  return json::object{};
}

Output CognitoService::admin_enable_user(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  u.doc["enabled"] = true;
  save_user(p, u);
  return json::object{};
}

Output CognitoService::admin_reset_user_password(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  u.doc["status"] = "RESET_REQUIRED";
  save_user(p, u);
  send_code(p, u, "FORGOT_PASSWORD");
  return json::object{};
}

Output CognitoService::list_users(Call& c) {
  Pool p = pool_for(c);
  std::optional<Filter> filter;
  if (auto f = opt_str(c.input, "Filter"); f && !f->empty()) {
    filter = parse_filter(*f);
    if (!filter) throw errors::invalid_parameter("Error while parsing filter.");
    static const std::set<std::string, std::less<>> kSearchable = {
        "username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username",
        "cognito:user_status", "status", "sub"};
    if (!kSearchable.contains(filter->attribute))
      throw errors::invalid_parameter("Invalid search attribute: " + filter->attribute);
  }
  auto* to_get = opt_arr(c.input, "AttributesToGet");
  int64_t limit = opt_int(c.input, "Limit").value_or(60);
  if (limit > 60 || limit < 0)
    throw errors::invalid_parameter("1 validation error detected: Value '" + std::to_string(limit) +
                                    "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
  if (limit == 0) limit = 60;
  std::vector<User> matched;
  for (auto& u : store_->users(p)) {
    if (filter) {
      std::string value;
      const json::object* attrs = opt_obj(u.doc, "attrs");
      if (filter->attribute == "username") value = u.username;
      else if (filter->attribute == "cognito:user_status") value = std::string(str_or(u.doc, "status"));
      else if (filter->attribute == "status") value = opt_bool(u.doc, "enabled").value_or(true) ? "Enabled" : "Disabled";
      else if (attrs) value = std::string(str_or(*attrs, filter->attribute));
      bool ok = filter->prefix ? (!value.empty() && value.starts_with(filter->value)) : value == filter->value;
      if (!ok) continue;
    }
    matched.push_back(std::move(u));
  }
  size_t start = 0;
  if (auto t = opt_str(c.input, "PaginationToken")) {
    auto raw = crypto::base64_decode(*t);
    auto n = raw ? parse_int(*raw) : std::nullopt;
    if (!n || *n < 0) throw errors::invalid_parameter("Invalid pagination token.");
    start = std::min(static_cast<size_t>(*n), matched.size());
  }
  size_t end = std::min(matched.size(), start + static_cast<size_t>(limit));
  json::array users;
  for (size_t i = start; i < end; ++i) {
    json::object ut = user_type(matched[i], "Attributes");
    if (to_get) {
      json::array kept;
      for (auto& a : ut["Attributes"].as_array())
        for (auto& want : *to_get)
          if (want.is_string() && want.as_string() == a.as_object().at("Name").as_string()) kept.push_back(a);
      ut["Attributes"] = std::move(kept);
    }
    users.push_back(std::move(ut));
  }
  json::object out{{"Users", std::move(users)}};
  if (end < matched.size()) out["PaginationToken"] = crypto::base64(std::to_string(end));
  return out;
}

Output CognitoService::change_password(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  if (!password_matches(u, std::string(str_or(c.input, "PreviousPassword")))) throw errors::not_authorized();
  set_password(p, u, std::string(str_or(c.input, "ProposedPassword")));
  save_user(p, u);
  return json::object{};
}

boost::asio::awaitable<Output> CognitoService::forgot_password(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string given(str_or(c.input, "Username"));
  check_secret_hash(cl, given, &c.input, "SecretHash");
  auto u = find_login(p, given);
  if (!u && str_or(cl.doc, "PreventUserExistenceErrors") == "ENABLED")
    co_return json::object{{"CodeDeliveryDetails", simulated_delivery(p)}};
  if (!u) throw AwsError("UserNotFoundException", "Username/client id combination not found.", 400);
  if (!opt_bool(u->doc, "enabled").value_or(true)) throw errors::not_authorized("User is disabled.");
  const json::object* attrs = opt_obj(u->doc, "attrs");
  if (!attrs || (str_or(*attrs, "email").empty() && str_or(*attrs, "phone_number").empty()))
    throw errors::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
  json::object details = send_code(p, *u, "FORGOT_PASSWORD");
  std::string message_source = "CustomMessage_ForgotPassword", message_purpose = "FORGOT_PASSWORD";
  co_await custom_message(p, cl.id, *u, std::move(message_source), std::move(message_purpose));
  co_return json::object{{"CodeDeliveryDetails", std::move(details)}};
}

boost::asio::awaitable<Output> CognitoService::confirm_forgot_password(Call& c) {
  Client cl = client_for(std::string(str_or(c.input, "ClientId")));
  Pool p = pool_by_id(cl.pool_id);
  std::string given(str_or(c.input, "Username"));
  check_secret_hash(cl, given, &c.input, "SecretHash");
  auto u = find_login(p, given);
  if (!u && str_or(cl.doc, "PreventUserExistenceErrors") == "ENABLED") throw errors::code_mismatch();
  if (!u) throw AwsError("UserNotFoundException", "Username/client id combination not found.", 400);
  auto code = store_->code(p, u->username, "FORGOT_PASSWORD");
  if (!code || code->code != str_or(c.input, "ConfirmationCode")) throw errors::code_mismatch();
  if (code->created + 3600 < now()) throw errors::expired_code();
  set_password(p, *u, std::string(str_or(c.input, "Password")));
  store_->delete_code(p, u->username, "FORGOT_PASSWORD");
  if (str_or(u->doc, "status") == "RESET_REQUIRED" || str_or(u->doc, "status") == "FORCE_CHANGE_PASSWORD")
    u->doc["status"] = "CONFIRMED";
  save_user(p, *u);
  TriggerCall trigger{cl.id, "PostConfirmation", "PostConfirmation_ConfirmForgotPassword", u->username,
                       json::object{{"userAttributes", trigger_attributes(*u)}},
                       json::object{}};
  co_await run_trigger(p, std::move(trigger));
  co_return json::object{};
}

}  // namespace stratus::cognito
