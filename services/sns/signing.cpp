#include "signing.hpp"

#include <stratus/crypto.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace stratus::sns {

struct Signer::Impl {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~Impl() {
    EVP_PKEY_free(key);
    X509_free(cert);
  }
};

namespace {

std::string bio_string(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<size_t>(n));
}

const EVP_MD* digest_for(std::string_view version) { return version == "2" ? EVP_sha256() : EVP_sha1(); }

}  // namespace

Signer::Signer(std::string key_pem, std::string cert_pem) : impl_(std::make_unique<Impl>()) {
  if (!key_pem.empty() && !cert_pem.empty()) {
    BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
    impl_->key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
    impl_->cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);
  }
  if (!impl_->key || !impl_->cert) {
    EVP_PKEY_free(impl_->key);
    X509_free(impl_->cert);
    impl_->key = EVP_RSA_gen(2048);
    if (!impl_->key) throw std::runtime_error("sns: RSA key generation failed");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), static_cast<long>(crypto::random_bytes(4)[0] & 0x7f) + 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -86400);
    X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 86400);
    X509_set_pubkey(x, impl_->key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("US"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Stratus"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sns.amazonaws.com"), -1,
                               -1, 0);
    X509_set_issuer_name(x, name);
    X509_sign(x, impl_->key, EVP_sha256());
    impl_->cert = x;
    BIO* kb = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(kb, impl_->key, nullptr, nullptr, 0, nullptr, nullptr);
    key_pem = bio_string(kb);
    BIO_free(kb);
    BIO* cb = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(cb, impl_->cert);
    cert_pem = bio_string(cb);
    BIO_free(cb);
  }
  key_pem_ = std::move(key_pem);
  cert_pem_ = std::move(cert_pem);
  cert_name_ = "SimpleNotificationService-" + crypto::md5_hex(cert_pem_) + ".pem";
}

Signer::~Signer() = default;

std::pair<std::string, std::string> Signer::generate() {
  Signer fresh("", "");
  return {fresh.key_pem(), fresh.cert_pem()};
}

std::string Signer::sign(std::string_view text, std::string_view version) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig;
  size_t len = 0;
  if (EVP_DigestSignInit(ctx, nullptr, digest_for(version), nullptr, impl_->key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1)
      sig.resize(len);
    else
      sig.clear();
  }
  EVP_MD_CTX_free(ctx);
  return crypto::base64(sig);
}

bool Signer::verify(std::string_view text, std::string_view signature_b64, std::string_view version) const {
  auto sig = crypto::base64_decode(signature_b64);
  if (!sig) return false;
  EVP_PKEY* pub = X509_get0_pubkey(impl_->cert);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, digest_for(version), nullptr, pub) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace stratus::sns
