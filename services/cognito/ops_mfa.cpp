// TOTP software-token MFA: AssociateSoftwareToken, VerifySoftwareToken, (Admin)SetUserMFAPreference,
// and the SOFTWARE_TOKEN_MFA sign-in challenge (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).
#include "cognito_service.hpp"

#include "errors.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>

#include <cmath>

namespace stratus::cognito {

namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 31];
  return out;
}

std::string unbase32(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    auto pos = kBase32.find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (pos == std::string_view::npos) continue;
    buffer = (buffer << 5) | static_cast<uint32_t>(pos);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string totp(std::string_view key, int64_t counter) {
  std::string msg(8, '\0');
  for (int i = 7; i >= 0; --i) {
    msg[static_cast<size_t>(i)] = static_cast<char>(counter & 0xff);
    counter >>= 8;
  }
  std::string mac = crypto::hmac_sha1(key, msg);
  int offset = mac[19] & 0x0f;
  uint32_t code = ((static_cast<uint32_t>(mac[offset]) & 0x7f) << 24) |
                  ((static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 1]))) << 16) |
                  ((static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 2]))) << 8) |
                  static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  std::string digits = std::to_string(code % 1000000);
  return std::string(6 - digits.size(), '0') + digits;
}

}  // namespace

// One step of clock drift either way is accepted.
bool CognitoService::totp_matches(std::string_view secret_b32, std::string_view code) const {
  std::string key = unbase32(secret_b32);
  if (key.empty() || code.size() != 6) return false;
  int64_t step = static_cast<int64_t>(std::floor(now() / 30));
  for (int64_t d = -1; d <= 1; ++d)
    if (crypto::constant_time_equal(totp(key, step + d), code)) return true;
  return false;
}

json::object CognitoService::mfa_fields(const User& u) const {
  json::object out;
  if (opt_bool(u.doc, "totp_enabled").value_or(false)) {
    out["UserMFASettingList"] = json::array{"SOFTWARE_TOKEN_MFA"};
    if (opt_bool(u.doc, "totp_preferred").value_or(false)) out["PreferredMfaSetting"] = "SOFTWARE_TOKEN_MFA";
  }
  return out;
}

Output CognitoService::associate_software_token(Call& c) {
  if (!opt_str(c.input, "AccessToken"))
    throw errors::unsupported("AssociateSoftwareToken with a Session (MFA_SETUP) is not supported by Stratus yet.");
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  std::string secret = base32(crypto::random_bytes(20));
  u.doc["totp_pending"] = secret;
  store_->put_user(p, u);
  return json::object{{"SecretCode", secret}};
}

Output CognitoService::verify_software_token(Call& c) {
  if (!opt_str(c.input, "AccessToken"))
    throw errors::unsupported("VerifySoftwareToken with a Session (MFA_SETUP) is not supported by Stratus yet.");
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  std::string secret(str_or(u.doc, "totp_pending", str_or(u.doc, "totp_secret")));
  if (secret.empty()) throw errors::invalid_parameter("User has not associated a software token.");
  if (!totp_matches(secret, str_or(c.input, "UserCode")))
    throw AwsError("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA mode", 400);
  u.doc["totp_secret"] = secret;
  u.doc.erase("totp_pending");
  store_->put_user(p, u);
  return json::object{{"Status", "SUCCESS"}};
}

void CognitoService::set_mfa_preference(const Pool& p, User& u, const json::object& in) {
  if (auto* totp_settings = opt_obj(in, "SoftwareTokenMfaSettings")) {
    bool enabled = opt_bool(*totp_settings, "Enabled").value_or(false);
    if (enabled && str_or(u.doc, "totp_secret").empty())
      throw errors::invalid_parameter("User has not verified software token mfa");
    u.doc["totp_enabled"] = enabled;
    u.doc["totp_preferred"] = enabled && opt_bool(*totp_settings, "PreferredMfa").value_or(false);
  }
  save_user(p, u);
}

Output CognitoService::set_user_mfa_preference(Call& c) {
  Pool p;
  User u;
  json::object claims;
  access_session(std::string(str_or(c.input, "AccessToken")), p, u, claims);
  set_mfa_preference(p, u, c.input);
  return json::object{};
}

Output CognitoService::admin_set_user_mfa_preference(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  set_mfa_preference(p, u, c.input);
  return json::object{};
}

}  // namespace stratus::cognito
