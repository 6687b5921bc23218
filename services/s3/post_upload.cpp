// Browser POST uploads (HTML forms): multipart/form-data with a signed policy document,
// success_action_status / success_action_redirect.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "post_policy.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/clock.hpp>
#include <stratus/config.hpp>
#include <stratus/crypto.hpp>
#include <stratus/identity.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <cmath>
#include <fcntl.h>
#include <unistd.h>

namespace stratus::s3 {

namespace {

std::string xml_text(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else o += c;
  }
  return o;
}

// <Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>...</TagSet></Tagging>
std::vector<std::pair<std::string, std::string>> tags_from_xml(std::string_view xml) {
  std::vector<std::pair<std::string, std::string>> tags;
  auto inner = [](std::string_view s, std::string_view tag, size_t from, size_t& end) -> std::optional<std::string> {
    std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
    auto a = s.find(open, from);
    if (a == std::string_view::npos) return std::nullopt;
    auto b = s.find(close, a);
    if (b == std::string_view::npos) return std::nullopt;
    end = b + close.size();
    return std::string(s.substr(a + open.size(), b - a - open.size()));
  };
  size_t pos = 0, end = 0;
  while (auto tag = inner(xml, "Tag", pos, end)) {
    pos = end;
    size_t e2 = 0;
    auto k = inner(*tag, "Key", 0, e2);
    auto v = inner(*tag, "Value", 0, e2);
    if (!k) throw err::malformed_xml();
    tags.emplace_back(*k, v.value_or(""));
  }
  return tags;
}

}  // namespace

boost::asio::awaitable<HttpResponse> S3Service::handle_post_upload(RequestContext& ctx, HttpRequest& req,
                                                                   const std::string& bucket) {
  BucketRow b = bucket_or_throw(bucket);
  run_lifecycle(false);
  std::string boundary = form_boundary(req.header_or("content-type"));
  if (boundary.empty())
    throw AwsError("PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data", 412)
        .with("Condition", "Bucket POST must be of the enclosure-type multipart/form-data");

  // Parse the form; a spilled body is read in windows on the blocking pool.
  const Payload& body = req.body;
  std::vector<FormPart> parts;
  if (body.kind() == Payload::Kind::file) {
    auto path = body.path();
    uint64_t base = body.offset(), size = body.size();
    auto job = [path, base, size, boundary] {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw std::runtime_error("cannot open the POST body");
      struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
      } closer{fd};
      BodyRead read = [fd, base, size](uint64_t off, size_t n) {
        if (off >= size) return std::string();
        std::string s(std::min<uint64_t>(n, size - off), '\0');
        ssize_t got = ::pread(fd, s.data(), s.size(), static_cast<off_t>(base + off));
        s.resize(got > 0 ? static_cast<size_t>(got) : 0);
        return s;
      };
      return parse_form(read, size, boundary);
    };
    parts = co_await env().pool.run(std::move(job));
  } else {
    const std::string& data = body.str();
    BodyRead read = [&data](uint64_t off, size_t n) {
      return off >= data.size() ? std::string() : data.substr(static_cast<size_t>(off), n);
    };
    parts = parse_form(read, data.size(), boundary);
  }

  std::vector<std::pair<std::string, std::string>> fields;
  const FormPart* file = nullptr;
  for (auto& p : parts) {
    if (iequals(p.name, "file")) file = &p;
    else fields.emplace_back(to_lower(p.name), p.value);
  }
  auto field = [&](std::string_view name) -> std::optional<std::string> {
    for (auto& [k, v] : fields)
      if (k == name) return v;
    return std::nullopt;
  };
  if (!file)
    throw err::invalid_argument("POST requires exactly one file upload per request.", "file", "0");
  auto key_field = field("key");
  if (!key_field)
    throw err::invalid_argument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        "key", "");
  std::string key = *key_field;
  if (auto pos = key.find("${filename}"); pos != std::string::npos)
    key.replace(pos, 11, file->filename.value_or(""));
  if (key.empty())
    throw err::invalid_argument("User key must have a length greater than 0.", "key", "");

  // The policy and its signature.
  double now = env().clock.now_seconds();
  auto policy = field("policy");
  if (policy) check_post_policy(*policy, fields, bucket, file->length, now);
  if (env().config.auth == AuthMode::strict) {
    auto sig = field("x-amz-signature");
    auto cred = field("x-amz-credential");
    if (!policy || !sig || !cred) throw err::access_denied();
    auto cparts = split(*cred, '/');
    if (cparts.size() != 5) throw err::invalid_argument("Invalid credential", "x-amz-credential", *cred);
    std::string akid(cparts[0]), secret;
    if (const Principal* p = env().identities.find(akid)) secret = p->secret_access_key;
    for (auto& c : env().config.credentials)
      if (c.access_key_id == akid) secret = c.secret_access_key;
    if (secret.empty())
      throw AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403)
          .with("AWSAccessKeyId", akid);
    std::string key_bytes = sigv4::signing_key(secret, cparts[1], cparts[2], cparts[3]);
    if (!crypto::constant_time_equal(sigv4::sign(key_bytes, *policy), *sig))
      throw AwsError("SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you provided. Check your key "
                     "and signing method.",
                     403);
  }

  // The object's metadata from the form, as a PutObject input would carry it.
  json::object in;
  static constexpr std::pair<const char*, const char*> kFields[] = {
      {"content-type", "ContentType"},         {"cache-control", "CacheControl"},
      {"content-disposition", "ContentDisposition"}, {"content-encoding", "ContentEncoding"},
      {"content-language", "ContentLanguage"}, {"expires", "Expires"},
      {"x-amz-storage-class", "StorageClass"}, {"x-amz-website-redirect-location", "WebsiteRedirectLocation"},
      {"x-amz-server-side-encryption", "ServerSideEncryption"}, {"acl", "ACL"}};
  for (auto& [f, member] : kFields)
    if (auto v = field(f)) in[member] = *v;
  json::object meta;
  for (auto& [k, v] : fields)
    if (k.starts_with("x-amz-meta-")) meta[k.substr(11)] = v;
  if (!meta.empty()) in["Metadata"] = std::move(meta);
  for (Algo a : kAllAlgos)
    if (auto v = field(algo_header(a))) in[algo_member(a)] = *v;
  validate_object_input(in, key);
  std::vector<std::pair<std::string, std::string>> tags;
  if (auto t = field("tagging")) {
    tags = tags_from_xml(*t);
    validate_tags(tags, 10);
  }
  IntegrityRequest ir = integrity_request(in, req);
  ir.content_sha256_hex.clear();  // belongs to the form request, not the file

  // The file's bytes become the object.
  ObjectRow row;
  Hasher::Want w{true, false, ir.algo != Algo::none ? ir.algo : Algo::crc64nvme, Algo::none};
  Hasher::Result r;
  if (body.kind() == Payload::Kind::memory && file->length <= kInlineMax) {
    row.data = body.str().substr(static_cast<size_t>(file->offset), static_cast<size_t>(file->length));
    r = hash_memory(w, row.data);
  } else if (body.kind() == Payload::Kind::memory) {
    std::string bid = new_blob_id();
    blobs_->write(bid, std::string_view(body.str()).substr(static_cast<size_t>(file->offset),
                                                           static_cast<size_t>(file->length)));
    r = hash_memory(w, std::string_view(body.str()).substr(static_cast<size_t>(file->offset),
                                                           static_cast<size_t>(file->length)));
    row.blob = bid;
  } else {
    std::string bid = new_blob_id();
    auto dst = blob_path(bid);
    auto src = body.path();
    uint64_t off = body.offset() + file->offset, len = file->length;
    auto job = [src, off, len, dst, w] { return hash_copy_range(src, off, len, dst, w); };
    r = co_await env().pool.run(std::move(job));
    row.blob = bid;
  }
  try {
    check_digests(ir, r, w.algo);
    b = bucket_or_throw(bucket);
  } catch (...) {
    remove_blob(row.blob);
    throw;
  }
  row.bucket = bucket;
  row.key = key;
  row.size = r.size;
  row.etag = "\"" + crypto::hex(r.md5) + "\"";
  row.last_modified = std::floor(now);
  row.storage_class = std::string(str_or(in, "StorageClass", "STANDARD"));
  row.owner = ctx.account_id;
  row.meta = meta_from_input(in);
  row.checksum = checksum_doc(w.algo, crypto::base64(r.sum));
  row.tags = std::move(tags);
  row.acl = acl_from_input(in, ctx.account_id);
  row = write_version(b, std::move(row));
  notify(ctx, b, "ObjectCreated:Post", row, req.remote_ip);

  std::string location = ctx.endpoint + "/" + bucket + "/" + uri_encode(key, false);
  HttpResponse resp;
  resp.headers.set("ETag", row.etag);
  resp.headers.set("Location", location);
  if (!b.versioning.empty()) resp.headers.set("x-amz-version-id", row.version_id);
  resp.headers.set("x-amz-server-side-encryption", "AES256");
  Headers cors;
  cors_response_headers(bucket, req, cors);
  for (auto& h : cors) resp.headers.set(h.first, h.second);
  auto redirect_to = field("success_action_redirect");
  if (!redirect_to) redirect_to = field("redirect");
  if (redirect_to && (redirect_to->starts_with("http://") || redirect_to->starts_with("https://"))) {
    std::string url = *redirect_to;
    url += url.find('?') == std::string::npos ? "?" : "&";
    url += "bucket=" + uri_encode(bucket) + "&key=" + uri_encode(key) + "&etag=" + uri_encode(row.etag);
    resp.status = 303;
    resp.headers.set("Location", url);
    resp.headers.set("Content-Length", "0");
    co_return resp;
  }
  std::string status = field("success_action_status").value_or("204");
  if (status == "200") {
    resp.status = 200;
    resp.headers.set("Content-Length", "0");
  } else if (status == "201") {
    resp.status = 201;
    resp.headers.set("Content-Type", "application/xml");
    resp.body = Payload("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>" + xml_text(location) +
                        "</Location><Bucket>" + xml_text(bucket) + "</Bucket><Key>" + xml_text(key) +
                        "</Key><ETag>" + xml_text(row.etag) + "</ETag></PostResponse>");
  } else {
    resp.status = 204;
  }
  co_return resp;
}

}  // namespace stratus::s3
