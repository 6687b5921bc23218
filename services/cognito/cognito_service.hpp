#pragma once
// Amazon Cognito user pools (cognito-idp): pools, app clients, users, groups, and the auth flows
// (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, admin flows, NEW_PASSWORD_REQUIRED) that
// issue RS256 tokens signed with a per-pool key. The keys are served unsigned at
// /<poolId>/.well-known/jwks.json (what API Gateway's Cognito and JWT authorizers fetch).
// Confirmation codes are logged and listed at /_stratus/cognito/codes.
#include <stratus/service.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace stratus::cognito {

class Store;
struct Pool;
struct Client;
struct User;

class CognitoService final : public Service {
 public:
  CognitoService();
  ~CognitoService() override;
  void start(Env& env) override;
  void reset() override;
  bool serves_http() const override { return true; }
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;

 private:
  // ops_pools.cpp
  boost::asio::awaitable<Output> create_user_pool(Call& c);
  Output describe_user_pool(Call& c);
  Output list_user_pools(Call& c);
  Output update_user_pool(Call& c);
  Output delete_user_pool(Call& c);
  Output create_user_pool_client(Call& c);
  Output describe_user_pool_client(Call& c);
  Output list_user_pool_clients(Call& c);
  Output update_user_pool_client(Call& c);
  Output delete_user_pool_client(Call& c);
  Output add_custom_attributes(Call& c);
  Output create_resource_server(Call& c);
  Output describe_resource_server(Call& c);
  Output list_resource_servers(Call& c);
  Output update_resource_server(Call& c);
  Output delete_resource_server(Call& c);
  Output create_user_pool_domain(Call& c);
  Output describe_user_pool_domain(Call& c);
  Output delete_user_pool_domain(Call& c);
  Output get_user_pool_mfa_config(Call& c);
  Output set_user_pool_mfa_config(Call& c);
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags_for_resource(Call& c);
  // ops_users.cpp
  boost::asio::awaitable<Output> sign_up(Call& c);
  boost::asio::awaitable<Output> confirm_sign_up(Call& c);
  boost::asio::awaitable<Output> resend_confirmation_code(Call& c);
  boost::asio::awaitable<Output> admin_create_user(Call& c);
  boost::asio::awaitable<Output> admin_confirm_sign_up(Call& c);
  Output admin_get_user(Call& c);
  Output get_user(Call& c);
  Output admin_delete_user(Call& c);
  Output delete_user(Call& c);
  Output admin_set_user_password(Call& c);
  Output admin_update_user_attributes(Call& c);
  Output update_user_attributes(Call& c);
  Output admin_delete_user_attributes(Call& c);
  Output delete_user_attributes(Call& c);
  Output admin_disable_user(Call& c);
  Output admin_enable_user(Call& c);
  Output admin_reset_user_password(Call& c);
  Output list_users(Call& c);
  Output change_password(Call& c);
  Output get_user_attribute_verification_code(Call& c);
  Output verify_user_attribute(Call& c);
  boost::asio::awaitable<Output> forgot_password(Call& c);
  boost::asio::awaitable<Output> confirm_forgot_password(Call& c);
  // ops_groups.cpp
  Output create_group(Call& c);
  Output get_group(Call& c);
  Output list_groups(Call& c);
  Output update_group(Call& c);
  Output delete_group(Call& c);
  Output admin_add_user_to_group(Call& c);
  Output admin_remove_user_from_group(Call& c);
  Output admin_list_groups_for_user(Call& c);
  Output list_users_in_group(Call& c);
  // ops_auth.cpp
  boost::asio::awaitable<Output> initiate_auth(Call& c);
  boost::asio::awaitable<Output> admin_initiate_auth(Call& c);
  boost::asio::awaitable<Output> respond_to_auth_challenge(Call& c);
  boost::asio::awaitable<Output> admin_respond_to_auth_challenge(Call& c);
  Output global_sign_out(Call& c);
  Output admin_user_global_sign_out(Call& c);
  Output revoke_token(Call& c);
  boost::asio::awaitable<Output> get_tokens_from_refresh_token(Call& c);
  // ops_mfa.cpp
  Output associate_software_token(Call& c);
  Output verify_software_token(Call& c);
  Output set_user_mfa_preference(Call& c);
  Output admin_set_user_mfa_preference(Call& c);
  void set_mfa_preference(const Pool& p, User& u, const json::object& in);
  bool totp_matches(std::string_view secret_b32, std::string_view code) const;
  json::object mfa_fields(const User& u) const;  // UserMFASettingList, PreferredMfaSetting
  // Tokens and the PostAuthentication trigger: the end of every successful sign-in.
  boost::asio::awaitable<json::object> finish_auth(const Pool& p, const Client& cl, const User& u, std::string token_source);
  boost::asio::awaitable<json::object> authenticate(const Pool& p, const Client& cl, const std::string& flow,
                                                   const json::object& params, bool admin);
  // Tokens once the password is proven, or the next challenge (NEW_PASSWORD_REQUIRED).
  boost::asio::awaitable<json::object> after_password(const Pool& p, const Client& cl, const User& u,
                                                     std::string token_source);
  // REFRESH_TOKEN_AUTH; `secret_checked`: the caller proved the client secret itself (GetTokensFromRefreshToken).
  boost::asio::awaitable<json::object> refresh_auth(const Pool& p, const Client& cl, const json::object& params,
                                                   bool secret_checked = false);
  std::optional<User> challenge_user(const Pool& p, const Client& cl, const std::string& challenge,
                                     const std::string& session, const json::object& responses);
  boost::asio::awaitable<json::object> respond(const Pool& p, const Client& cl, const std::string& challenge,
                                              const json::object& responses, const std::string& session);
  // Tokens after the PreTokenGeneration trigger (if any) had its say.
  boost::asio::awaitable<json::object> tokens_for(const Pool& p, const Client& cl, const User& u, double auth_time,
                                                 bool with_refresh, std::string origin_jti, std::string source);
  // triggers.cpp: the trigger's response, or nullopt when the pool has none of this name.
  struct TriggerCall {
    std::string client_id, name, source, username;
    json::object request, response;
  };
  boost::asio::awaitable<std::optional<json::object>> run_trigger(const Pool& p, TriggerCall t);
  boost::asio::awaitable<void> custom_message(const Pool& p, std::string client_id, const User& u, std::string source,
                                              std::string purpose);
  json::object trigger_attributes(const User& u) const;

  // Shared (cognito_service.cpp).
  // The pool named by the request's UserPoolId, owned by the caller's account and region.
  Pool pool_for(const Call& c);
  Pool pool_by_id(const std::string& id);
  Client client_for(const std::string& id);
  User user_for(const Pool& p, const std::string& username);
  // Stamps the user's last-modified date (UserLastModifiedDate) and stores it.
  void save_user(const Pool& p, User& u);
  // A user by sign-in name: the username, or an email / phone alias the pool allows.
  std::optional<User> find_login(const Pool& p, const std::string& name);
  // The pool, client and user an access token names; throws NotAuthorizedException when invalid.
  void access_session(const std::string& token, Pool& pool, User& user, json::object& claims);
  void check_secret_hash(const Client& cl, const std::string& username, const json::object* params,
                         std::string_view member = "SECRET_HASH");
  void set_password(const Pool& p, User& u, const std::string& password);
  bool password_matches(const User& u, const std::string& password) const;
  void check_temporary_password(const Pool& p, const User& u);
  // Validates attribute names against the pool's schema.
  void check_attributes(const Pool& p, const json::object& attrs, bool creating);
  // Records and logs a code; returns CodeDeliveryDetails (empty object when nothing is delivered).
  json::object send_code(const Pool& p, const User& u, const std::string& purpose, bool deliver = true);
  // A code verifying one email / phone_number attribute (purpose VERIFY_<attribute>).
  json::object verification_code(const Pool& p, const User& u, const std::string& attribute);
  // `overrides`: a PreTokenGeneration claimsOverrideDetails (claims to add/suppress, groups).
  json::object issue_tokens(const Pool& p, const Client& cl, const User& u, double auth_time, bool with_refresh,
                            std::string origin_jti = {}, const json::object* overrides = nullptr);
  json::object user_type(const User& u, const char* attrs_member) const;
  std::string new_session(const Pool& p, const Client& cl, const std::string& username, const std::string& challenge);
  double now() const;
  // POST /_aws/cognito-idp/oauth2/token (the LocalStack path): client_credentials and refresh_token grants.
  boost::asio::awaitable<HttpResponse> oauth_token(const HttpRequest& req);

  std::unique_ptr<Store> store_;
  // In-flight challenges (auth sessions live minutes, like AWS's Session values).
  struct Pending {
    std::string pool_id, client_id, username, challenge;
    std::string srp_b, srp_B, srp_A, secret_block;
    double expires = 0;
  };
  std::unordered_map<std::string, Pending> pending_;  // by Session / SECRET_BLOCK
};

}  // namespace stratus::cognito
