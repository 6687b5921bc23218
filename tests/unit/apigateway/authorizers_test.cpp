// Authorizer building blocks: IAM policy evaluation for Lambda authorizers
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html)
// and RS256 JWT validation against a JWKS.
#include "services/apigateway/authorizers.hpp"

#include <stratus/crypto.hpp>

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace stratus;
using namespace stratus::apigateway;

TEST(ApigwPolicy, WildcardsAndExplicitDeny) {
  const std::string arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/pets/1";
  auto policy = [](std::string effect, std::string resource) {
    return json::value(json::object{
        {"Version", "2012-10-17"},
        {"Statement", json::array{json::object{{"Action", "execute-api:Invoke"}, {"Effect", effect}, {"Resource", resource}}}}});
  };
  EXPECT_EQ(evaluate_policy(policy("Allow", arn), arn), PolicyResult::allow);
  EXPECT_EQ(evaluate_policy(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/*"), arn), PolicyResult::allow);
  EXPECT_EQ(evaluate_policy(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/*"), arn),
            PolicyResult::implicit_deny);
  EXPECT_EQ(evaluate_policy(policy("Deny", "*"), arn), PolicyResult::deny);
  json::value both = json::parse(R"({"Statement": [
      {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"},
      {"Action": ["execute-api:*"], "Effect": "Deny", "Resource": ["arn:aws:execute-api:*:*:abc123/dev/GET/pets/*"]}]})");
  EXPECT_EQ(evaluate_policy(both, arn), PolicyResult::deny);
  EXPECT_TRUE(wildcard_match("a?c*", "abcdef"));
  EXPECT_FALSE(wildcard_match("a?c", "ac"));
}

namespace {

struct Key {
  EVP_PKEY* pkey = nullptr;
  Key() {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048);
    EVP_PKEY_generate(ctx, &pkey);
    EVP_PKEY_CTX_free(ctx);
  }
  ~Key() { EVP_PKEY_free(pkey); }
  std::string param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(pkey, name, &bn);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }
  json::object jwks(std::string kid) const {
    return json::object{{"keys", json::array{json::object{{"kty", "RSA"}, {"kid", kid}, {"alg", "RS256"}, {"use", "sig"},
                                                          {"n", crypto::base64url(param(OSSL_PKEY_PARAM_RSA_N))},
                                                          {"e", crypto::base64url(param(OSSL_PKEY_PARAM_RSA_E))}}}}};
  }
  std::string sign(const json::object& claims, std::string kid) const {
    std::string head = crypto::base64url(json::serialize(json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}));
    std::string body = crypto::base64url(json::serialize(claims));
    std::string input = head + "." + body;
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, pkey);
    size_t len = 0;
    EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    EVP_MD_CTX_free(md);
    sig.resize(len);
    return input + "." + crypto::base64url(sig);
  }
};

}  // namespace

TEST(ApigwJwt, VerifiesSignatureAndExpiry) {
  Key key, other;
  json::object claims{{"iss", "http://issuer"}, {"aud", "client"}, {"sub", "u1"}, {"exp", 2000}, {"scope", "read write"}};
  std::string token = key.sign(claims, "k1");
  json::object out;
  EXPECT_EQ(verify_jwt(token, key.jwks("k1"), 1000, out), "");
  EXPECT_EQ(out["sub"], "u1");
  EXPECT_EQ(jwt_kid(token), "k1");
  EXPECT_EQ(verify_jwt(token, key.jwks("k1"), 3000, out), "the token has expired");
  EXPECT_EQ(verify_jwt(token, other.jwks("k1"), 1000, out), "signature verification failed");
  EXPECT_EQ(verify_jwt(token, key.jwks("k2"), 1000, out), "the signing key was not found in the JWKS");
  EXPECT_EQ(verify_jwt("abc", key.jwks("k1"), 1000, out), "the token is malformed");
  // Tampered payload.
  auto dot = token.find('.');
  std::string forged = token.substr(0, dot + 1) +
                       crypto::base64url(json::serialize(json::object{{"iss", "http://issuer"}, {"exp", 9999}})) +
                       token.substr(token.rfind('.'));
  EXPECT_EQ(verify_jwt(forged, key.jwks("k1"), 1000, out), "signature verification failed");
}
