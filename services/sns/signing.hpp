#pragma once
// Message signatures as SNS makes them: a local RSA key and self-signed certificate (served at
// SigningCertURL) sign each delivery's canonical string with SHA1withRSA (SignatureVersion 1) or
// SHA256withRSA (2), base64. Subscribers that verify SNS signatures can verify Stratus's against
// the certificate it serves. https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace stratus::sns {

class Signer {
 public:
  // Loads a PEM key + certificate, or generates a fresh pair when `key_pem` is empty.
  Signer(std::string key_pem, std::string cert_pem);
  // A fresh RSA key and self-signed certificate as PEM (the slow part: run it off the loop).
  static std::pair<std::string, std::string> generate();
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  const std::string& key_pem() const { return key_pem_; }
  const std::string& cert_pem() const { return cert_pem_; }
  // "SimpleNotificationService-<md5 of the certificate>.pem", like AWS's file names.
  const std::string& cert_file_name() const { return cert_name_; }
  // Base64 RSA signature of `text` (version "2": SHA-256, otherwise SHA-1).
  std::string sign(std::string_view text, std::string_view signature_version) const;
  // For tests: verifies a signature against the certificate's public key.
  bool verify(std::string_view text, std::string_view signature_b64, std::string_view signature_version) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string key_pem_, cert_pem_, cert_name_;
};

}  // namespace stratus::sns
