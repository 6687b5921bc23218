// STS operations. AWS documents each at
// https://docs.aws.amazon.com/STS/latest/APIReference/API_<Operation>.html
#include "sts_service.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/identity.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::sts {
namespace {

AwsError validation(std::string msg) { return AwsError("ValidationError", std::move(msg), 400); }

// A stable, role-specific unique id: AWS role ids are "AROA" + 17 characters and never change for a role.
std::string role_id(std::string_view role_arn) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string h = crypto::sha256(role_arn);
  std::string id = "AROA";
  for (int i = 0; i < 17; ++i) id += kAlphabet[static_cast<unsigned char>(h[i]) % kAlphabet.size()];
  return id;
}

struct RoleRef {
  std::string account, name;  // name without the path
};

RoleRef parse_role_arn(std::string_view role_arn) {
  auto arn = Arn::parse(role_arn);
  if (!arn || arn->service != "iam" || !arn->resource.starts_with("role/") || !Identities::is_account_id(arn->account))
    throw validation(std::string(role_arn) + " is invalid");
  std::string_view res = arn->resource;
  auto slash = res.rfind('/');
  return {arn->account, std::string(res.substr(slash + 1))};
}

int64_t duration(const json::object& in, int64_t def, int64_t max) {
  int64_t d = opt_int(in, "DurationSeconds").value_or(def);
  if (d > max)
    throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  return d;
}

// Claims of a JWT (not verified: the caller's IdP is not Stratus's to check).
json::object jwt_claims(std::string_view token) {
  auto parts = split(token, '.');
  if (parts.size() < 2) throw AwsError("InvalidIdentityToken", "Couldn't parse the provided web identity token", 400);
  auto payload = crypto::base64url_decode(parts[1]);
  boost::system::error_code ec;
  json::value v = payload ? json::parse(*payload, ec) : json::value();
  if (!payload || ec || !v.is_object())
    throw AwsError("InvalidIdentityToken", "Couldn't parse the provided web identity token", 400);
  return v.as_object();
}

}  // namespace

Output StsService::get_caller_identity(Call& c) {
  auto& ctx = c.ctx;
  if (const Principal* p = env().identities.find(ctx.access_key_id))
    return json::object{{"UserId", p->user_id}, {"Account", p->account_id}, {"Arn", p->arn}};
  return json::object{{"UserId", ctx.account_id}, {"Account", ctx.account_id}, {"Arn", ctx.principal_arn}};
}

Output StsService::assume_role(Call& c) {
  const auto& in = c.input;
  std::string role_arn(str_or(in, "RoleArn"));
  std::string session(str_or(in, "RoleSessionName"));
  RoleRef role = parse_role_arn(role_arn);
  int64_t secs = duration(in, 3600, 43200);
  Principal p;
  p.account_id = role.account;
  p.user_id = role_id(role_arn) + ":" + session;
  p.arn = "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + session;
  json::object out{{"Credentials", issue(p, secs)},
                   {"AssumedRoleUser", json::object{{"AssumedRoleId", p.user_id}, {"Arn", p.arn}}}};
  if (auto* policy = find(in, "Policy"); policy && policy->is_string())
    out["PackedPolicySize"] = static_cast<int64_t>(std::min<size_t>(100, policy->get_string().size() * 100 / 2048));
  if (auto si = opt_str(in, "SourceIdentity")) out["SourceIdentity"] = *si;
  return out;
}

Output StsService::assume_role_with_web_identity(Call& c) {
  const auto& in = c.input;
  std::string role_arn(str_or(in, "RoleArn"));
  std::string session(str_or(in, "RoleSessionName"));
  RoleRef role = parse_role_arn(role_arn);
  json::object claims = jwt_claims(str_or(in, "WebIdentityToken"));
  int64_t secs = duration(in, 3600, 43200);
  Principal p;
  p.account_id = role.account;
  p.user_id = role_id(role_arn) + ":" + session;
  p.arn = "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + session;
  json::object out{{"Credentials", issue(p, secs)},
                   {"AssumedRoleUser", json::object{{"AssumedRoleId", p.user_id}, {"Arn", p.arn}}},
                   {"SubjectFromWebIdentityToken", std::string(str_or(claims, "sub"))},
                   {"Provider", std::string(str_or(in, "ProviderId", str_or(claims, "iss")))}};
  if (auto* aud = find(claims, "aud")) {
    if (aud->is_string()) out["Audience"] = aud->get_string();
    else if (aud->is_array() && !aud->get_array().empty() && aud->get_array()[0].is_string())
      out["Audience"] = aud->get_array()[0].get_string();
  }
  return out;
}

Output StsService::assume_role_with_saml(Call& c) {
  const auto& in = c.input;
  std::string role_arn(str_or(in, "RoleArn"));
  RoleRef role = parse_role_arn(role_arn);
  int64_t secs = duration(in, 3600, 43200);
  std::string session = "saml-session";
  Principal p;
  p.account_id = role.account;
  p.user_id = role_id(role_arn) + ":" + session;
  p.arn = "arn:aws:sts::" + role.account + ":assumed-role/" + role.name + "/" + session;
  return json::object{{"Credentials", issue(p, secs)},
                      {"AssumedRoleUser", json::object{{"AssumedRoleId", p.user_id}, {"Arn", p.arn}}},
                      {"Subject", session},
                      {"SubjectType", "transient"},
                      {"Issuer", "https://signin.aws.amazon.com/saml"},
                      {"Audience", "https://signin.aws.amazon.com/saml"},
                      {"NameQualifier", crypto::base64(crypto::sha1(role_arn))}};
}

Output StsService::get_session_token(Call& c) {
  int64_t secs = duration(c.input, 43200, 129600);
  Principal p;
  p.account_id = c.ctx.account_id;
  if (const Principal* caller = env().identities.find(c.ctx.access_key_id)) {
    if (caller->arn.find(":assumed-role/") != std::string::npos)
      throw AwsError("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
    p.arn = caller->arn;
    p.user_id = caller->user_id;
  } else {
    p.arn = c.ctx.principal_arn;
    p.user_id = c.ctx.account_id;
  }
  return json::object{{"Credentials", issue(p, secs)}};
}

Output StsService::get_federation_token(Call& c) {
  const auto& in = c.input;
  std::string name(str_or(in, "Name"));
  int64_t secs = duration(in, 43200, 129600);
  Principal p;
  p.account_id = c.ctx.account_id;
  p.user_id = c.ctx.account_id + ":" + name;
  p.arn = "arn:aws:sts::" + c.ctx.account_id + ":federated-user/" + name;
  json::object out{{"Credentials", issue(p, secs)},
                   {"FederatedUser", json::object{{"FederatedUserId", p.user_id}, {"Arn", p.arn}}}};
  if (auto* policy = find(in, "Policy"); policy && policy->is_string())
    out["PackedPolicySize"] = static_cast<int64_t>(std::min<size_t>(100, policy->get_string().size() * 100 / 2048));
  return out;
}

Output StsService::get_access_key_info(Call& c) {
  return json::object{{"Account", env().identities.account_for(str_or(c.input, "AccessKeyId"))}};
}

}  // namespace stratus::sts
