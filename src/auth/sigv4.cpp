#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace stratus::sigv4 {
namespace {

// "Credential=AKID/20150830/us-east-1/service/aws4_request"
bool parse_credential(std::string_view cred, Auth& a) {
  auto parts = split(cred, '/');
  if (parts.size() != 5 || parts[4] != "aws4_request") return false;
  a.access_key_id = std::string(parts[0]);
  a.date = std::string(parts[1]);
  a.region = std::string(parts[2]);
  a.service = std::string(parts[3]);
  return !a.access_key_id.empty();
}

std::optional<Auth> parse_header(std::string_view h, bool strict) {
  if (h.substr(0, 16) != "AWS4-HMAC-SHA256") return std::nullopt;
  Auth a;
  a.kind = Auth::Kind::header;
  a.algorithm = "AWS4-HMAC-SHA256";
  std::string_view rest = trim(h.substr(16));
  bool have_cred = false, have_sig = false, have_signed = false;
  for (auto part : split(rest, ',')) {
    part = trim(part);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    auto k = part.substr(0, eq), v = part.substr(eq + 1);
    if (k == "Credential") have_cred = parse_credential(v, a);
    else if (k == "SignedHeaders") {
      have_signed = true;
      for (auto s : split(v, ';'))
        if (!s.empty()) a.signed_headers.emplace_back(s);
    } else if (k == "Signature") {
      have_sig = true;
      a.signature = std::string(v);
    }
  }
  if (!have_cred) {
    if (!strict) return std::nullopt;
    throw AwsError("IncompleteSignatureException",
                   "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                   "parameter. Authorization header requires 'SignedHeaders' parameter.",
                   400);
  }
  if (strict && (!have_sig || !have_signed))
    throw AwsError("IncompleteSignatureException",
                   "Authorization header requires 'Signature' parameter. Authorization header requires "
                   "'SignedHeaders' parameter.",
                   400);
  return a;
}

std::optional<Auth> parse_any(const HttpRequest& req, bool strict) {
  if (auto* h = req.header("authorization")) {
    auto a = parse_header(*h, strict);
    if (a) {
      a->amz_date = std::string(req.header_or("x-amz-date"));
      a->session_token = std::string(req.header_or("x-amz-security-token"));
    }
    return a;
  }
  auto* alg = req.query_param("X-Amz-Algorithm");
  auto* cred = req.query_param("X-Amz-Credential");
  if (!cred) return std::nullopt;
  Auth a;
  a.kind = Auth::Kind::query;
  a.algorithm = alg ? *alg : "";
  if (!parse_credential(*cred, a)) {
    if (!strict) return std::nullopt;
    throw AwsError("AuthorizationQueryParametersError",
                   "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                   "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
                   400);
  }
  if (auto* v = req.query_param("X-Amz-SignedHeaders"))
    for (auto s : split(*v, ';'))
      if (!s.empty()) a.signed_headers.emplace_back(s);
  if (auto* v = req.query_param("X-Amz-Signature")) a.signature = *v;
  if (auto* v = req.query_param("X-Amz-Date")) a.amz_date = *v;
  if (auto* v = req.query_param("X-Amz-Expires")) a.expires = parse_int(*v).value_or(-1);
  if (auto* v = req.query_param("X-Amz-Security-Token")) a.session_token = *v;
  if (strict && (a.algorithm != "AWS4-HMAC-SHA256" || a.signature.empty() || a.amz_date.empty()))
    throw AwsError("AuthorizationQueryParametersError",
                   "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                   "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
                   400);
  return a;
}

// Removes "." and ".." segments (RFC 3986 5.2.4) and collapses nothing else.
std::string normalize_path(std::string_view p) {
  std::vector<std::string_view> out;
  bool trailing = !p.empty() && p.back() == '/';
  for (auto seg : split(p, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(seg);
  }
  std::string r = "/";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) r += '/';
    r += out[i];
  }
  if (trailing && r.size() > 1) r += '/';
  return r;
}

std::string canonical_header_value(std::string_view v) {
  std::string r;
  v = trim(v);
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !r.empty()) r += ' ';
    space = false;
    r += c;
  }
  return r;
}

}  // namespace

std::optional<Auth> parse(const HttpRequest& req) { return parse_any(req, true); }

// Routing and account resolution need only the credential scope: read it without building the
// rest of the Auth (this runs on every request).
std::optional<Auth> parse_scope(const HttpRequest& req) {
  std::string_view cred;
  if (auto* h = req.header("authorization")) {
    std::string_view v = *h;
    if (!v.starts_with("AWS4-HMAC-SHA256")) return std::nullopt;
    auto c = v.find("Credential=");
    if (c == std::string_view::npos) return std::nullopt;
    cred = v.substr(c + 11);
    cred = cred.substr(0, cred.find_first_of(", "));
  } else if (auto* q = req.query_param("X-Amz-Credential")) {
    cred = *q;
  } else {
    return std::nullopt;
  }
  std::string_view parts[5];
  for (int i = 0; i < 4; ++i) {
    auto slash = cred.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    parts[i] = cred.substr(0, slash);
    cred.remove_prefix(slash + 1);
  }
  parts[4] = cred;
  if (parts[4] != "aws4_request" || parts[0].empty()) return std::nullopt;
  Auth a;
  a.kind = req.header("authorization") ? Auth::Kind::header : Auth::Kind::query;
  a.access_key_id = std::string(parts[0]);
  a.date = std::string(parts[1]);
  a.region = std::string(parts[2]);
  a.service = std::string(parts[3]);
  return a;
}

std::string canonical_request(const HttpRequest& req, const Auth& a, std::string_view payload_hash, bool s3) {
  std::string cr;
  cr.reserve(512);
  cr += req.method;
  cr += '\n';
  // URI: as sent for S3; otherwise normalised and encoded again (clients encode the encoded path).
  std::string path = req.path.empty() ? "/" : req.path;
  if (s3) cr += path;
  else cr += uri_encode(normalize_path(path), false);
  cr += '\n';
  // Query: every parameter but the signature, encoded, sorted by name then value.
  std::vector<std::pair<std::string, std::string>> q;
  for (auto& [k, v] : parse_query_string(req.query_string, false)) {
    if (a.kind == Auth::Kind::query && k == "X-Amz-Signature") continue;
    q.emplace_back(uri_encode(k), uri_encode(v));
  }
  std::sort(q.begin(), q.end());
  for (size_t i = 0; i < q.size(); ++i) {
    if (i) cr += '&';
    cr += q[i].first;
    cr += '=';
    cr += q[i].second;
  }
  cr += '\n';
  // Headers: the signed ones, lower-case, sorted, values trimmed; repeated headers comma-joined.
  std::vector<std::string> names;
  for (auto& h : a.signed_headers) names.push_back(to_lower(h));
  std::sort(names.begin(), names.end());
  for (auto& n : names) {
    std::string joined;
    bool any = false;
    for (auto& [k, v] : req.headers) {
      if (k != n) continue;
      if (any) joined += ',';
      joined += canonical_header_value(v);
      any = true;
    }
    cr += n;
    cr += ':';
    cr += joined;
    cr += '\n';
  }
  cr += '\n';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) cr += ';';
    cr += names[i];
  }
  cr += '\n';
  cr += payload_hash;
  return cr;
}

std::string string_to_sign(const Auth& a, std::string_view canonical) {
  return "AWS4-HMAC-SHA256\n" + a.amz_date + "\n" + a.scope() + "\n" + crypto::sha256_hex(canonical);
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
  std::string k = crypto::hmac_sha256("AWS4" + std::string(secret), date);
  k = crypto::hmac_sha256(k, region);
  k = crypto::hmac_sha256(k, service);
  return crypto::hmac_sha256(k, "aws4_request");
}

std::string sign(std::string_view key, std::string_view sts) { return crypto::hex(crypto::hmac_sha256(key, sts)); }

std::string payload_hash(const HttpRequest& req, const Auth& a) {
  if (a.kind == Auth::Kind::query) {
    if (auto* v = req.query_param("X-Amz-Content-Sha256")) return *v;
    if (auto* v = req.header("x-amz-content-sha256")) return *v;
    return a.service == "s3" ? "UNSIGNED-PAYLOAD" : std::string(kEmptySha256);
  }
  if (auto* v = req.header("x-amz-content-sha256")) return *v;
  if (req.body.kind() == Payload::Kind::stream) return "UNSIGNED-PAYLOAD";
  if (req.body.kind() == Payload::Kind::memory) return crypto::sha256_hex(req.body.str());
  return crypto::sha256_hex(req.body.read_all());
}

std::optional<double> parse_amz_date(std::string_view s) {
  // yyyymmddThhmmssZ
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  auto n = [&](size_t pos, size_t len) { return std::stoi(std::string(s.substr(pos, len))); };
  std::tm tm{};
  tm.tm_year = n(0, 4) - 1900;
  tm.tm_mon = n(4, 2) - 1;
  tm.tm_mday = n(6, 2);
  tm.tm_hour = n(9, 2);
  tm.tm_min = n(11, 2);
  tm.tm_sec = n(13, 2);
  return static_cast<double>(timegm(&tm));
}

Verdict verify(const HttpRequest& req, const Auth& a, std::string_view secret, double now) {
  Verdict v;
  auto when = parse_amz_date(a.amz_date);
  if (!when) {
    v.failure = Failure::bad_signature;
    v.message = "missing or malformed X-Amz-Date";
    return v;
  }
  if (a.kind == Auth::Kind::query) {
    if (a.expires < 1 || a.expires > 604800) {
      v.failure = Failure::bad_signature;
      v.message = "X-Amz-Expires must be between 1 and 604800 seconds";
      return v;
    }
    if (now > *when + static_cast<double>(a.expires)) {
      v.failure = Failure::expired;
      v.message = "Request has expired";
      return v;
    }
  } else if (std::fabs(now - *when) > 15 * 60) {
    v.failure = Failure::skewed;
    v.message = "Signature expired: " + a.amz_date + " is now earlier than the allowed 15 minute window";
    return v;
  }
  bool s3 = a.service == "s3";
  v.canonical_request = canonical_request(req, a, payload_hash(req, a), s3);
  v.string_to_sign = string_to_sign(a, v.canonical_request);
  std::string expected = sign(signing_key(secret, a.date, a.region, a.service), v.string_to_sign);
  if (!crypto::constant_time_equal(expected, to_lower(a.signature))) {
    v.failure = Failure::bad_signature;
    v.message =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
        "Access Key and signing method. Consult the service documentation for details.";
  }
  return v;
}

std::string ChunkSigner::next(std::string_view chunk_sha256_hex) {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + amz_date + "\n" + scope + "\n" + previous + "\n" +
                    std::string(kEmptySha256) + "\n" + std::string(chunk_sha256_hex);
  previous = sign(key, sts);
  return previous;
}

std::string ChunkSigner::trailer(std::string_view canonical_trailers) {
  std::string sts = "AWS4-HMAC-SHA256-TRAILER\n" + amz_date + "\n" + scope + "\n" + previous + "\n" +
                    crypto::sha256_hex(canonical_trailers);
  previous = sign(key, sts);
  return previous;
}

}  // namespace stratus::sigv4
