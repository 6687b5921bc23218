// Static website hosting: index and error documents, redirects (all requests, per object,
// routing rules) and S3's HTML error pages.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
#include "errors.hpp"
#include "model.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::s3 {

namespace {

std::string html_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string_view reason(int status) {
  switch (status) {
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Error";
  }
}

HttpResponse html_error(const RequestContext& ctx, int status, const std::string& code, const std::string& message,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string title = std::to_string(status) + " " + std::string(reason(status));
  std::string body = "<html>\n<head><title>" + title + "</title></head>\n<body>\n<h1>" + title + "</h1>\n<ul>\n";
  body += "<li>Code: " + html_escape(code) + "</li>\n<li>Message: " + html_escape(message) + "</li>\n";
  for (auto& [k, v] : extra) body += "<li>" + k + ": " + html_escape(v) + "</li>\n";
  body += "<li>RequestId: " + ctx.request_id + "</li>\n<li>HostId: " + ids::s3_host_id() + "</li>\n</ul>\n<hr/>\n";
  body += "</body>\n</html>\n";
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", "text/html; charset=utf-8");
  r.body = Payload(std::move(body));
  return r;
}

HttpResponse redirect(int status, std::string location) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Location", std::move(location));
  r.headers.set("Content-Length", "0");
  return r;
}

// A routing rule's redirect for `key` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html).
HttpResponse rule_redirect(const json::object& rule, const std::string& key, const HttpRequest& req,
                           const std::string& base) {
  const json::object& r = *opt_obj(rule, "Redirect");
  std::string new_key = key;
  if (auto k = opt_str(r, "ReplaceKeyWith")) {
    new_key = *k;
  } else if (auto p = opt_str(r, "ReplaceKeyPrefixWith")) {
    std::string prefix;
    if (auto* cond = opt_obj(rule, "Condition")) prefix = std::string(str_or(*cond, "KeyPrefixEquals"));
    new_key = *p + key.substr(std::min(prefix.size(), key.size()));
  }
  int code = 301;
  if (auto c = opt_str(r, "HttpRedirectCode"))
    if (auto n = parse_int(*c)) code = static_cast<int>(*n);
  std::string location;
  if (auto host = opt_str(r, "HostName")) {
    location = std::string(str_or(r, "Protocol", "http")) + "://" + *host + "/" + uri_encode(new_key, false);
  } else {
    std::string proto(str_or(r, "Protocol", "http"));
    location = proto + "://" + std::string(req.host()) + base + "/" + uri_encode(new_key, false);
  }
  return redirect(code, std::move(location));
}

// Rules whose condition holds before (error_code 0) or after a lookup failed with error_code.
const json::object* find_rule(const json::object& cfg, const std::string& key, int error_code) {
  const json::array* rules = opt_arr(cfg, "RoutingRules");
  if (!rules) return nullptr;
  for (auto& rv : *rules) {
    if (!rv.is_object() || !opt_obj(rv.get_object(), "Redirect")) continue;
    const json::object* cond = opt_obj(rv.get_object(), "Condition");
    std::string_view prefix = cond ? str_or(*cond, "KeyPrefixEquals") : std::string_view();
    auto code = cond ? opt_str(*cond, "HttpErrorCodeReturnedEquals") : std::nullopt;
    if (!key.starts_with(prefix)) continue;
    if (error_code == 0 && code) continue;
    if (error_code != 0 && (!code || *code != std::to_string(error_code))) continue;
    return &rv.get_object();
  }
  return nullptr;
}

}  // namespace

boost::asio::awaitable<HttpResponse> S3Service::handle_website(RequestContext& ctx, HttpRequest& req,
                                                               const std::string& bucket, const std::string& path) {
  const std::string base = req.path.starts_with("/_s3-website/") ? "/_s3-website/" + bucket : std::string();
  if (req.method != "GET" && req.method != "HEAD")
    co_return html_error(ctx, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                         {{"Method", req.method}, {"ResourceType", "OBJECT"}});
  auto b = store_->bucket(bucket);
  if (!b)
    co_return html_error(ctx, 404, "NoSuchBucket", "The specified bucket does not exist", {{"BucketName", bucket}});
  auto cfg_v = store_->config(bucket, "website");
  if (!cfg_v || !cfg_v->is_object())
    co_return html_error(ctx, 404, "NoSuchWebsiteConfiguration",
                         "The specified bucket does not have a website configuration", {{"BucketName", bucket}});
  const json::object& cfg = cfg_v->as_object();
  if (auto* all = opt_obj(cfg, "RedirectAllRequestsTo")) {
    std::string proto(str_or(*all, "Protocol", "http"));
    co_return redirect(301, proto + "://" + std::string(str_or(*all, "HostName")) + path);
  }
  std::string key = url_decode(path.starts_with('/') ? std::string_view(path).substr(1) : std::string_view(path));
  if (const json::object* rule = find_rule(cfg, key, 0)) co_return rule_redirect(*rule, key, req, base);
  std::string suffix(str_or(*opt_obj(cfg, "IndexDocument"), "Suffix"));
  std::string lookup = key;
  if (lookup.empty() || lookup.ends_with('/')) lookup += suffix;

  auto serve = [&](const ObjectRow& row, int status) -> HttpResponse {
    HttpResponse r;
    r.status = status;
    for (auto& [k, v] : row.meta) {
      if (!v.is_string()) continue;
      if (k == "ContentType") r.headers.set("Content-Type", std::string(v.get_string()));
      else if (k == "ContentEncoding") r.headers.set("Content-Encoding", std::string(v.get_string()));
      else if (k == "ContentDisposition") r.headers.set("Content-Disposition", std::string(v.get_string()));
      else if (k == "ContentLanguage") r.headers.set("Content-Language", std::string(v.get_string()));
      else if (k == "CacheControl") r.headers.set("Cache-Control", std::string(v.get_string()));
      else if (k == "Expires") r.headers.set("Expires", std::string(v.get_string()));
    }
    if (auto* md = opt_obj(row.meta, "Metadata"))
      for (auto& [k, v] : *md)
        if (v.is_string()) r.headers.add("x-amz-meta-" + std::string(k), std::string(v.get_string()));
    r.headers.set("ETag", row.etag);
    r.headers.set("Last-Modified", rfc822(row.last_modified));
    if (status == 200) {
      Conditions cond;
      if (auto* h = req.header("if-none-match")) cond.if_none_match = *h;
      if (auto* h = req.header("if-match")) cond.if_match = *h;
      double t;
      if (auto* h = req.header("if-modified-since"); h && parse_time(*h, t)) cond.if_modified_since = t;
      if (auto* h = req.header("if-unmodified-since"); h && parse_time(*h, t)) cond.if_unmodified_since = t;
      auto cr = evaluate_conditions(cond, row.etag, row.last_modified);
      if (cr.status) {
        r.status = cr.status;
        return r;
      }
    }
    r.headers.set("Content-Length", std::to_string(row.size));
    if (req.method != "HEAD") r.body = object_payload(row, 0, row.size);
    return r;
  };

  auto row = store_->latest(bucket, lookup);
  if (row && !row->delete_marker) {
    if (auto loc = opt_str(row->meta, "WebsiteRedirectLocation")) co_return redirect(301, *loc);
    co_return serve(*row, 200);
  }
  // "/docs" with a "docs/index.html" object: S3 redirects to the folder.
  if (!key.empty() && !key.ends_with('/')) {
    auto dir = store_->latest(bucket, key + "/" + suffix);
    if (dir && !dir->delete_marker) co_return redirect(302, base + "/" + uri_encode(key, false) + "/");
  }
  if (const json::object* rule = find_rule(cfg, key, 404)) co_return rule_redirect(*rule, key, req, base);
  if (auto* ed = opt_obj(cfg, "ErrorDocument")) {
    auto doc = store_->latest(bucket, std::string(str_or(*ed, "Key")));
    if (doc && !doc->delete_marker) co_return serve(*doc, 404);
  }
  co_return html_error(ctx, 404, "NoSuchKey", "The specified key does not exist.", {{"Key", lookup}});
}

}  // namespace stratus::s3
