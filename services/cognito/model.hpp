#pragma once
// Cognito user pools: identifiers, password policy, ListUsers filters, the SRP-6a math Cognito
// uses for USER_SRP_AUTH, and RS256 token signing. Pure logic, no I/O.
#include <stratus/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace stratus::cognito {

std::string new_pool_id(std::string_view region);  // us-east-1_AbCdEfGhI
std::string new_client_id();                       // 26 [a-z0-9]
std::string new_client_secret();                   // 51 [a-z0-9]
std::string new_code();                            // 6 digits
// Base64(HMAC-SHA256(client secret, username + client id)).
std::string secret_hash(std::string_view secret, std::string_view username, std::string_view client_id);

// The pool's PasswordPolicy with AWS's defaults filled in.
json::object password_policy(const json::object* policies);
// The first rule `password` breaks, in AWS's wording (after "Password did not conform with policy: "),
// or empty.
std::string password_violation(const json::object& policy, std::string_view password);
// Salted digest kept for password checks.
std::string password_digest(std::string_view salt, std::string_view password);

// ListUsers Filter: `attr = "value"` or `attr ^= "prefix"`.
struct Filter {
  std::string attribute;
  bool prefix = false;
  std::string value;
};
std::optional<Filter> parse_filter(std::string_view text);

// The standard attributes AWS lists in SchemaAttributes.
json::array standard_schema();

namespace srp {
// The password verifier v = g^x mod N for user `user_id` of pool `pool_name` (the id after '_').
struct Verifier {
  std::string salt_hex, verifier_hex;
};
Verifier make_verifier(std::string_view pool_name, std::string_view user_id, std::string_view password);
// Server ephemeral: b, B = k·v + g^b mod N.
struct Ephemeral {
  std::string b_hex, B_hex;
};
Ephemeral server_ephemeral(std::string_view verifier_hex);
// The 16-byte key both sides derive (HKDF "Caldera Derived Key"), or nullopt when A is invalid.
std::optional<std::string> server_key(std::string_view A_hex, std::string_view B_hex, std::string_view b_hex,
                                      std::string_view verifier_hex);
// Base64(HMAC-SHA256(key, pool_name + user_id + secret block + timestamp)).
std::string claim_signature(std::string_view key, std::string_view pool_name, std::string_view user_id,
                            std::string_view secret_block_b64, std::string_view timestamp);
}  // namespace srp

// RSA signing keys (2048-bit, PEM-encoded private key) and their JWK.
struct SigningKey {
  std::string private_pem, kid;
  json::object jwk;
};
SigningKey generate_signing_key();
json::object jwk_of(std::string_view private_pem, std::string_view kid);
std::string sign_jwt(std::string_view private_pem, std::string_view kid, const json::object& claims);
// Verifies signature (against the pool's key) and returns the claims; nullopt when forged or malformed.
std::optional<json::object> verify_jwt(std::string_view private_pem, std::string_view token);

}  // namespace stratus::cognito
