#include "model.hpp"

#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>

namespace stratus::cognito {

std::string new_pool_id(std::string_view region) {
  return std::string(region) + "_" +
         ids::random_string(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}
std::string new_client_id() { return ids::random_string(26, "abcdefghijklmnopqrstuvwxyz0123456789"); }
std::string new_client_secret() { return ids::random_string(51, "abcdefghijklmnopqrstuvwxyz0123456789"); }
std::string new_code() { return ids::random_string(6, "0123456789"); }

std::string secret_hash(std::string_view secret, std::string_view username, std::string_view client_id) {
  return crypto::base64(crypto::hmac_sha256(secret, std::string(username) + std::string(client_id)));
}

json::object password_policy(const json::object* policies) {
  json::object p{{"MinimumLength", 8},        {"RequireUppercase", true}, {"RequireLowercase", true},
                 {"RequireNumbers", true},    {"RequireSymbols", true},   {"TemporaryPasswordValidityDays", 7}};
  if (policies)
    if (auto* given = opt_obj(*policies, "PasswordPolicy"))
      for (auto& [k, v] : *given) p[k] = v;
  return p;
}

std::string password_violation(const json::object& policy, std::string_view pw) {
  // Symbols as the Cognito developer guide lists them ("User pool password requirements").
  constexpr std::string_view kSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
  bool lower = false, upper = false, digit = false, symbol = false;
  for (char c : pw) {
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
    digit |= c >= '0' && c <= '9';
    symbol |= kSymbols.find(c) != std::string_view::npos;
  }
  if (static_cast<int64_t>(pw.size()) < opt_int(policy, "MinimumLength").value_or(8)) return "Password not long enough";
  if (opt_bool(policy, "RequireLowercase").value_or(true) && !lower) return "Password must have lowercase characters";
  if (opt_bool(policy, "RequireUppercase").value_or(true) && !upper) return "Password must have uppercase characters";
  if (opt_bool(policy, "RequireNumbers").value_or(true) && !digit) return "Password must have numeric characters";
  if (opt_bool(policy, "RequireSymbols").value_or(true) && !symbol) return "Password must have symbol characters";
  return "";
}

std::string password_digest(std::string_view salt, std::string_view password) {
  return crypto::hex(crypto::sha256(std::string(salt) + ":" + std::string(password)));
}

std::optional<Filter> parse_filter(std::string_view t) {
  auto skip = [&] {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  };
  skip();
  Filter f;
  while (!t.empty() && t.front() != ' ' && t.front() != '=' && t.front() != '^') {
    f.attribute += t.front();
    t.remove_prefix(1);
  }
  skip();
  if (t.starts_with("^=")) {
    f.prefix = true;
    t.remove_prefix(2);
  } else if (t.starts_with("=")) {
    t.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  skip();
  if (t.empty() || t.front() != '"') return std::nullopt;
  t.remove_prefix(1);
  auto end = t.find('"');
  if (end == std::string_view::npos) return std::nullopt;
  f.value = std::string(t.substr(0, end));
  t.remove_prefix(end + 1);
  skip();
  if (!t.empty() || f.attribute.empty()) return std::nullopt;
  return f;
}

json::array standard_schema() {
  auto str = [](const char* name, bool mut, bool req, const char* min = "0", const char* max = "2048") {
    return json::object{{"Name", name},
                        {"AttributeDataType", "String"},
                        {"DeveloperOnlyAttribute", false},
                        {"Mutable", mut},
                        {"Required", req},
                        {"StringAttributeConstraints", json::object{{"MinLength", min}, {"MaxLength", max}}}};
  };
  auto boolean = [](const char* name) {
    return json::object{{"Name", name}, {"AttributeDataType", "Boolean"}, {"DeveloperOnlyAttribute", false},
                        {"Mutable", true}, {"Required", false}};
  };
  json::array a;
  a.push_back(str("sub", false, true, "1", "2048"));
  for (const char* n : {"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
                        "picture", "website", "email"})
    a.push_back(str(n, true, false));
  a.push_back(boolean("email_verified"));
  a.push_back(str("gender", true, false));
  a.push_back(str("birthdate", true, false, "10", "10"));
  a.push_back(str("zoneinfo", true, false));
  a.push_back(str("locale", true, false));
  a.push_back(str("phone_number", true, false));
  a.push_back(boolean("phone_number_verified"));
  a.push_back(str("address", true, false));
  a.push_back(json::object{{"Name", "updated_at"},
                           {"AttributeDataType", "Number"},
                           {"DeveloperOnlyAttribute", false},
                           {"Mutable", true},
                           {"Required", false},
                           {"NumberAttributeConstraints", json::object{{"MinValue", "0"}}}});
  return a;
}

// --- SRP-6a as amazon-cognito-identity-js's AuthenticationHelper computes it ---

namespace srp {
namespace {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};

constexpr const char* kN =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

Bn from_hex(std::string_view hex) {
  BIGNUM* b = nullptr;
  std::string h(hex);
  if (h.empty() || BN_hex2bn(&b, h.c_str()) != static_cast<int>(h.size())) {
    BN_free(b);
    return Bn(nullptr);
  }
  return Bn(b);
}

std::string to_hex(const BIGNUM* b) {
  char* s = BN_bn2hex(b);
  std::string out(s);
  OPENSSL_free(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out == "0") return "0";
  return out;
}

// AuthenticationHelper.padHex: even length, and a leading 00 when the high bit is set.
std::string pad_hex(const BIGNUM* b) {
  std::string h = to_hex(b);
  if (h.size() % 2) h = "0" + h;
  if (std::string_view("89abcdef").find(h[0]) != std::string_view::npos) h = "00" + h;
  return h;
}

std::string hex_bytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::string hex_hash(std::string_view hex) { return crypto::hex(crypto::sha256(hex_bytes(hex))); }

struct Group {
  Bn N = from_hex(kN), g = from_hex("2"), k;
  Group() { k = from_hex(hex_hash(pad_hex(N.get()) + pad_hex(g.get()))); }
};
const Group& group() {
  static const Group gr;
  return gr;
}

Bn fresh() { return Bn(BN_new()); }

}  // namespace

Verifier make_verifier(std::string_view pool_name, std::string_view user_id, std::string_view password) {
  const Group& gr = group();
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  std::string salt_raw = crypto::random_bytes(16);
  Bn salt(BN_bin2bn(reinterpret_cast<const unsigned char*>(salt_raw.data()), 16, nullptr));
  std::string up = crypto::hex(crypto::sha256(std::string(pool_name) + std::string(user_id) + ":" + std::string(password)));
  Bn x = from_hex(hex_hash(pad_hex(salt.get()) + up));
  Bn v = fresh();
  BN_mod_exp(v.get(), gr.g.get(), x.get(), gr.N.get(), ctx.get());
  return Verifier{to_hex(salt.get()), to_hex(v.get())};
}

Ephemeral server_ephemeral(std::string_view verifier_hex) {
  const Group& gr = group();
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  Bn v = from_hex(verifier_hex);
  Bn b = fresh(), B = fresh(), kv = fresh(), gb = fresh();
  for (;;) {
    BN_rand(b.get(), 1024, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_mod_mul(kv.get(), gr.k.get(), v.get(), gr.N.get(), ctx.get());
    BN_mod_exp(gb.get(), gr.g.get(), b.get(), gr.N.get(), ctx.get());
    BN_mod_add(B.get(), kv.get(), gb.get(), gr.N.get(), ctx.get());
    if (!BN_is_zero(B.get())) break;
  }
  return Ephemeral{to_hex(b.get()), to_hex(B.get())};
}

std::optional<std::string> server_key(std::string_view A_hex, std::string_view B_hex, std::string_view b_hex,
                                      std::string_view verifier_hex) {
  const Group& gr = group();
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  Bn A = from_hex(A_hex), B = from_hex(B_hex), b = from_hex(b_hex), v = from_hex(verifier_hex);
  if (!A || !B || !b || !v) return std::nullopt;
  Bn r = fresh();
  BN_mod(r.get(), A.get(), gr.N.get(), ctx.get());
  if (BN_is_zero(r.get())) return std::nullopt;
  Bn u = from_hex(hex_hash(pad_hex(A.get()) + pad_hex(B.get())));
  if (!u || BN_is_zero(u.get())) return std::nullopt;
  // S = (A · v^u)^b mod N
  Bn vu = fresh(), base = fresh(), S = fresh();
  BN_mod_exp(vu.get(), v.get(), u.get(), gr.N.get(), ctx.get());
  BN_mod_mul(base.get(), A.get(), vu.get(), gr.N.get(), ctx.get());
  BN_mod_exp(S.get(), base.get(), b.get(), gr.N.get(), ctx.get());
  // HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"), 16 bytes.
  std::string prk = crypto::hmac_sha256(hex_bytes(pad_hex(u.get())), hex_bytes(pad_hex(S.get())));
  std::string okm = crypto::hmac_sha256(prk, std::string("Caldera Derived Key") + '\x01');
  return okm.substr(0, 16);
}

std::string claim_signature(std::string_view key, std::string_view pool_name, std::string_view user_id,
                            std::string_view secret_block_b64, std::string_view timestamp) {
  auto block = crypto::base64_decode(secret_block_b64);
  std::string msg = std::string(pool_name) + std::string(user_id) + (block ? *block : std::string()) + std::string(timestamp);
  return crypto::base64(crypto::hmac_sha256(key, msg));
}

}  // namespace srp

// --- RS256 ---

namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey read_private(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return Pkey(k);
}

std::string bn_param(EVP_PKEY* k, const char* name) {
  BIGNUM* b = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &b) <= 0) return "";
  std::string out(static_cast<size_t>(BN_num_bytes(b)), '\0');
  BN_bn2bin(b, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(b);
  return out;
}
}  // namespace

SigningKey generate_signing_key() {
  Pkey k(EVP_RSA_gen(2048));
  if (!k) throw std::runtime_error("RSA key generation failed");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, k.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  SigningKey sk;
  sk.private_pem.assign(data, static_cast<size_t>(len));
  BIO_free(bio);
  sk.kid = crypto::base64(crypto::sha256(bn_param(k.get(), OSSL_PKEY_PARAM_RSA_N)));
  sk.jwk = jwk_of(sk.private_pem, sk.kid);
  return sk;
}

json::object jwk_of(std::string_view private_pem, std::string_view kid) {
  Pkey k = read_private(private_pem);
  if (!k) return {};
  return json::object{{"alg", "RS256"},
                      {"e", crypto::base64url(bn_param(k.get(), OSSL_PKEY_PARAM_RSA_E))},
                      {"kid", kid},
                      {"kty", "RSA"},
                      {"n", crypto::base64url(bn_param(k.get(), OSSL_PKEY_PARAM_RSA_N))},
                      {"use", "sig"}};
}

std::string sign_jwt(std::string_view private_pem, std::string_view kid, const json::object& claims) {
  Pkey k = read_private(private_pem);
  if (!k) throw std::runtime_error("the pool's signing key is unreadable");
  json::object header{{"kid", kid}, {"alg", "RS256"}};
  std::string input = crypto::base64url(json::serialize(header)) + "." + crypto::base64url(json::serialize(claims));
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (md && EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, k.get()) > 0 &&
      EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) > 0) {
    sig.resize(len);
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
  }
  EVP_MD_CTX_free(md);
  return input + "." + crypto::base64url(sig);
}

std::optional<json::object> verify_jwt(std::string_view private_pem, std::string_view token) {
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return std::nullopt;
  auto payload = crypto::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = crypto::base64url_decode(token.substr(d2 + 1));
  if (!payload || !sig) return std::nullopt;
  Pkey k = read_private(private_pem);
  if (!k) return std::nullopt;
  std::string_view input = token.substr(0, d2);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, k.get()) > 0 &&
            EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(md);
  if (!ok) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace stratus::cognito
