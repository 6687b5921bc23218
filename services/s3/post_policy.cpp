#include "post_policy.hpp"

#include "errors.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/json.hpp>
#include <stratus/strings.hpp>

namespace stratus::s3 {

namespace {

AwsError malformed_post() {
  return AwsError("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.",
                  400);
}

AwsError policy_error(const std::string& why) {
  return AwsError("AccessDenied", "Invalid according to Policy: " + why, 403);
}

AwsError invalid_policy(const std::string& why) {
  return AwsError("InvalidPolicyDocument", "Invalid Policy: " + why, 400);
}

// Finds `needle` at or after `from`, reading the body in windows.
std::optional<uint64_t> find_in(const BodyRead& read, uint64_t size, uint64_t from, const std::string& needle) {
  constexpr size_t kWindow = 1 << 20;
  uint64_t pos = from;
  while (pos < size) {
    std::string chunk = read(pos, kWindow + needle.size());
    auto hit = chunk.find(needle);
    if (hit != std::string::npos) return pos + hit;
    if (chunk.size() < needle.size() || pos + chunk.size() >= size) return std::nullopt;
    pos += chunk.size() - needle.size() + 1;
  }
  return std::nullopt;
}

// `name="x"; filename="y"` parameters of Content-Disposition.
std::optional<std::string> disposition_param(std::string_view header, std::string_view param) {
  size_t i = 0;
  while (i < header.size()) {
    auto semi = header.find(';', i);
    std::string_view part = trim(header.substr(i, semi == std::string_view::npos ? std::string_view::npos : semi - i));
    auto eq = part.find('=');
    if (eq != std::string_view::npos && iequals(trim(part.substr(0, eq)), param)) {
      std::string_view v = trim(part.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"') {
        // Quoted: may contain ';' — re-scan from the opening quote to the closing one.
        size_t start = header.find('"', i) + 1;
        size_t end = start;
        std::string out;
        while (end < header.size() && header[end] != '"') {
          if (header[end] == '\\' && end + 1 < header.size()) ++end;
          out += header[end++];
        }
        return out;
      }
      return std::string(v);
    }
    if (semi == std::string_view::npos) break;
    i = semi + 1;
  }
  return std::nullopt;
}

}  // namespace

std::string form_boundary(std::string_view ct) {
  auto v = disposition_param(ct, "boundary");
  return v ? *v : std::string();
}

std::vector<FormPart> parse_form(const BodyRead& read, uint64_t size, const std::string& boundary) {
  if (boundary.empty()) throw malformed_post();
  const std::string delim = "--" + boundary;
  std::vector<FormPart> parts;
  auto first = find_in(read, size, 0, delim);
  if (!first) throw malformed_post();
  uint64_t pos = *first + delim.size();
  for (;;) {
    std::string tail = read(pos, 2);
    if (tail == "--") break;
    if (tail != "\r\n") throw malformed_post();
    pos += 2;
    std::string head = read(pos, 16 * 1024);
    auto end = head.find("\r\n\r\n");
    if (end == std::string::npos) throw malformed_post();
    FormPart part;
    for (auto line : split(std::string_view(head).substr(0, end), '\n')) {
      line = trim(line);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = trim(line.substr(0, colon));
      auto value = trim(line.substr(colon + 1));
      if (iequals(name, "content-disposition")) {
        auto n = disposition_param(value, "name");
        if (!n) throw malformed_post();
        part.name = *n;
        part.filename = disposition_param(value, "filename");
      } else if (iequals(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    if (part.name.empty()) throw malformed_post();
    pos += end + 4;
    auto next = find_in(read, size, pos, "\r\n" + delim);
    if (!next) throw malformed_post();
    part.offset = pos;
    part.length = *next - pos;
    bool is_file = iequals(part.name, "file");
    if (!is_file) {
      if (part.length > 1024 * 1024) throw malformed_post();
      part.value = read(part.offset, static_cast<size_t>(part.length));
    }
    parts.push_back(std::move(part));
    pos = *next + 2 + delim.size();
    if (is_file) break;
  }
  return parts;
}

void check_post_policy(std::string_view policy_b64, const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::string& bucket, uint64_t file_size, double now) {
  auto text = crypto::base64_decode(trim(policy_b64));
  if (!text) throw invalid_policy("Invalid Base64 Encoding.");
  boost::system::error_code ec;
  json::value doc = json::parse(*text, ec);
  if (ec || !doc.is_object()) throw invalid_policy("Invalid JSON.");
  const auto& o = doc.as_object();
  auto exp = opt_str(o, "expiration");
  if (!exp) throw invalid_policy("Policy missing expiration.");
  double exp_t;
  if (!parse_time(*exp, exp_t)) throw invalid_policy("Invalid 'expiration' value: '" + *exp + "'");
  const json::array* conds = opt_arr(o, "conditions");
  if (!conds) throw invalid_policy("Policy missing conditions.");
  if (now > exp_t) throw policy_error("Policy expired.");

  auto field = [&](std::string_view name) -> std::optional<std::string> {
    std::string n = to_lower(name);
    if (n == "bucket") return bucket;
    for (auto& [k, v] : fields)
      if (k == n) return v;
    return std::nullopt;
  };
  std::vector<std::string> covered;
  auto render = [](const json::value& v) {
    std::string s = json::serialize(v);
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      out += s[i];
      if (s[i] == ',' && (i == 0 || s[i - 1] == '"' || std::isdigit(static_cast<unsigned char>(s[i - 1])))) out += ' ';
    }
    return out;
  };
  for (auto& c : *conds) {
    if (c.is_object()) {
      for (auto& [k, v] : c.get_object()) {
        std::string name = to_lower(k);
        covered.push_back(name);
        std::string want = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
        auto have = field(name);
        if (!have || *have != want)
          throw policy_error("Policy Condition failed: [\"eq\", \"$" + std::string(k) + "\", \"" + want + "\"]");
      }
      continue;
    }
    if (!c.is_array() || c.get_array().empty() || !c.get_array()[0].is_string())
      throw invalid_policy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
    const auto& a = c.get_array();
    std::string op = to_lower(a[0].get_string());
    if (op == "content-length-range") {
      if (a.size() != 3 || !a[1].is_number() || !a[2].is_number())
        throw invalid_policy("Invalid content-length-range condition.");
      auto lo = a[1].to_number<int64_t>(), hi = a[2].to_number<int64_t>();
      if (static_cast<int64_t>(file_size) > hi)
        throw AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
            .with("ProposedSize", std::to_string(file_size))
            .with("MaxSizeAllowed", std::to_string(hi));
      if (static_cast<int64_t>(file_size) < lo)
        throw AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
            .with("ProposedSize", std::to_string(file_size))
            .with("MinSizeAllowed", std::to_string(lo));
      continue;
    }
    if (a.size() != 3 || !a[1].is_string() || !a[2].is_string())
      throw invalid_policy("Invalid Condition: wrong number of arguments.");
    std::string_view var = a[1].get_string();
    if (!var.starts_with('$')) throw invalid_policy("Invalid Condition: variable names must start with '$'.");
    std::string name = to_lower(var.substr(1));
    covered.push_back(name);
    std::string want(a[2].get_string());
    std::string have = field(name).value_or("");
    bool ok;
    if (op == "eq") {
      ok = field(name).has_value() && have == want;
    } else if (op == "starts-with") {
      ok = true;
      if (name == "content-type") {
        for (auto v : split(have, ',')) ok = ok && trim(v).starts_with(want);
      } else {
        ok = std::string_view(have).starts_with(want);
      }
    } else {
      throw invalid_policy("Invalid Condition: unknown operator '" + op + "'.");
    }
    if (!ok) throw policy_error("Policy Condition failed: " + render(c));
  }
  for (auto& [k, v] : fields) {
    if (k == "policy" || k == "x-amz-signature" || k == "signature" || k == "awsaccesskeyid" || k == "file" ||
        k.starts_with("x-ignore-"))
      continue;
    bool ok = false;
    for (auto& cv : covered) ok = ok || cv == k;
    if (!ok) throw policy_error("Extra input fields: " + k);
  }
}

}  // namespace stratus::s3
