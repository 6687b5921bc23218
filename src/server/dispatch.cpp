// From a routed request to a response: auth, decode, the operation, encode — and the one place
// failures turn into the caller's protocol.
#include "core.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/protocol.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

namespace stratus::server {

std::string new_request_id(RequestIdStyle style) {
  switch (style) {
    case RequestIdStyle::s3: return ids::s3_request_id();
    case RequestIdStyle::dynamodb: return ids::dynamodb_request_id();
    default: return ids::uuid4();
  }
}

namespace {

// Cached per second: formatting the Date header on every response is measurable at 50k req/s.
const std::string& http_date() {
  static thread_local int64_t last = -1;
  static thread_local std::string cached;
  auto now = std::chrono::system_clock::now();
  int64_t sec = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (sec != last) {
    last = sec;
    cached = rfc822(static_cast<double>(sec));
  }
  return cached;
}

AwsError auth_error(Protocol p, sigv4::Failure f, const std::string& detail, const std::string& akid) {
  const bool xml_rest = p == Protocol::rest_xml, query = p == Protocol::query;
  switch (f) {
    case sigv4::Failure::missing:
      if (xml_rest) return AwsError("AccessDenied", "Access Denied", 403);
      if (query) return AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
      return AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
    case sigv4::Failure::unknown_key:
      if (xml_rest)
        return AwsError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403)
            .with("AWSAccessKeyId", akid);
      if (query) return AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
      return AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 403);
    case sigv4::Failure::expired:
      if (xml_rest) return AwsError("AccessDenied", "Request has expired", 403);
      return AwsError(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", "Signature expired: " + detail, 403);
    case sigv4::Failure::skewed:
      if (xml_rest)
        return AwsError("RequestTimeTooSkewed",
                        "The difference between the request time and the current time is too large.", 403);
      return AwsError(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", detail, 403);
    default:
      if (xml_rest || query) return AwsError("SignatureDoesNotMatch", detail, 403);
      return AwsError("InvalidSignatureException", detail, 403);
  }
}

void authenticate(Core& core, const HttpRequest& req, RequestContext& ctx, const Route& route,
                  const model::Model* m) {
  const bool strict = core.config.auth == AuthMode::strict;
  std::optional<sigv4::Auth> a = strict ? sigv4::parse(req) : sigv4::parse_scope(req);
  if (a) {
    ctx.signed_request = true;
    ctx.access_key_id = a->access_key_id;
    if (!a->region.empty()) ctx.region = a->region;
    if (const Principal* p = core.identities.find(a->access_key_id)) {
      ctx.account_id = p->account_id;
      ctx.principal_arn = p->arn;
    } else {
      ctx.account_id = core.identities.account_for(a->access_key_id);
      ctx.principal_arn = "arn:aws:iam::" + ctx.account_id + ":root";
    }
  } else {
    ctx.principal_arn = "arn:aws:iam::" + ctx.account_id + ":root";
  }
  if (!strict) return;
  if (!a) {
    if (route.kind != Route::Kind::model) return;  // data planes apply their own authorizers
    if (m) {
      auto name = protocol::operation_name(*m, req);
      if (auto* op = m->operation(name); op && op->unsigned_ok) return;
    }
    throw auth_error(route.protocol, sigv4::Failure::missing, "", "");
  }
  std::string secret;
  if (const Principal* p = core.identities.find(a->access_key_id)) {
    secret = p->secret_access_key;
  } else {
    for (auto& c : core.config.credentials)
      if (c.access_key_id == a->access_key_id) secret = c.secret_access_key;
    if (secret.empty()) throw auth_error(route.protocol, sigv4::Failure::unknown_key, "", a->access_key_id);
  }
  auto verdict = sigv4::verify(req, *a, secret, core.clock.now_seconds());
  if (verdict.failure != sigv4::Failure::none) {
    spdlog::debug("signature check failed: {}\ncanonical request:\n{}\nstring to sign:\n{}", verdict.message,
                  verdict.canonical_request, verdict.string_to_sign);
    AwsError e = auth_error(route.protocol, verdict.failure, verdict.message, a->access_key_id);
    if (route.protocol == Protocol::rest_xml && verdict.failure == sigv4::Failure::bad_signature) {
      e.with("AWSAccessKeyId", a->access_key_id)
          .with("StringToSign", verdict.string_to_sign)
          .with("SignatureProvided", a->signature)
          .with("CanonicalRequest", verdict.canonical_request);
    }
    throw e;
  }
}

}  // namespace

void log_request(const RequestContext& ctx, const HttpRequest& req, int status) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - ctx.started).count();
  if (ctx.service && !ctx.operation.empty())
    spdlog::info("{}.{} {} {}µs", ctx.service->name(), ctx.operation, status, us);
  else if (ctx.service)
    spdlog::info("{} {} {} {} {}µs", ctx.service->name(), req.method, req.path, status, us);
  else
    spdlog::info("{} {} {} {}µs", req.method, req.path, status, us);
}

void cors_headers(Core& core, const HttpRequest& req, HttpResponse& r) {
  if (!core.config.cors) return;
  auto* origin = req.header("origin");
  if (!origin) return;
  bool allowed = false;
  for (auto& o : core.config.cors_origins) allowed = allowed || o == "*" || o == *origin;
  if (!allowed) return;
  r.headers.set("Access-Control-Allow-Origin", *origin);
  r.headers.set("Access-Control-Allow-Credentials", "true");
  r.headers.set("Access-Control-Expose-Headers",
                "ETag,Date,Content-Length,Content-Range,x-amz-request-id,x-amz-id-2,x-amzn-RequestId,"
                "x-amzn-ErrorType,x-amz-version-id,x-amz-delete-marker,x-amz-checksum-crc32,"
                "x-amz-checksum-crc32c,x-amz-checksum-crc64nvme,x-amz-checksum-sha1,x-amz-checksum-sha256,"
                "x-amz-crc32,x-amz-server-side-encryption,x-amz-function-error,x-amz-log-result,"
                "x-amz-executed-version,x-amzn-query-error");
  r.headers.add("Vary", "Origin");
}

bool cors_preflight(Core& core, const HttpRequest& req, HttpResponse& out) {
  if (!core.config.cors || req.method != "OPTIONS" || !req.header("origin") ||
      !req.header("access-control-request-method"))
    return false;
  out.status = 200;
  cors_headers(core, req, out);
  out.headers.set("Access-Control-Allow-Methods", "HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH");
  auto requested = req.header_or("access-control-request-headers");
  out.headers.set("Access-Control-Allow-Headers", requested.empty() ? std::string("*") : std::string(requested));
  out.headers.set("Access-Control-Max-Age", "86400");
  return true;
}

void finish_response(Core& core, const HttpRequest& req, const RequestContext& ctx, const Service* svc, HttpResponse& r) {
  if (svc && svc->info().request_id == RequestIdStyle::s3) {
    if (!r.headers.get("x-amz-request-id")) r.headers.add("x-amz-request-id", ctx.request_id);
    if (!r.headers.get("x-amz-id-2")) r.headers.add("x-amz-id-2", ids::s3_host_id());
  } else if (!ctx.request_id.empty() && !r.headers.get("x-amzn-RequestId")) {
    r.headers.add("x-amzn-RequestId", ctx.request_id);
  }
  if (svc && svc->info().crc32_header && r.body.kind() == Payload::Kind::memory)
    r.headers.set("x-amz-crc32", std::to_string(crypto::crc32(r.body.str())));
  r.headers.add("Date", http_date());
  if (!svc || !svc->info().handles_cors) cors_headers(core, req, r);
}

HttpResponse early_error(Core& core, const Route* route, int status, std::string code, std::string message) {
  return early_error(core, route, AwsError(std::move(code), std::move(message), status));
}

HttpResponse early_error(Core& core, const Route* route, AwsError e) {
  RequestContext ctx;
  const Service* svc = route ? route->service : nullptr;
  ctx.request_id = new_request_id(svc ? svc->info().request_id : RequestIdStyle::uuid);
  Protocol p = route && route->service ? route->protocol : Protocol::json;
  const model::Model* m = svc ? model_for(svc->info(), p) : nullptr;
  HttpResponse r = protocol::encode_error(m, svc ? &svc->info() : nullptr, p, e, ctx);
  (void)core;
  return r;
}

boost::asio::awaitable<HttpResponse> dispatch(Core& core, HttpRequest& req, Route route) {
  RequestContext ctx;
  ctx.service = route.service;
  std::string_view host = core.config.hostname_external.empty() ? req.host() : core.config.hostname_external;
  ctx.endpoint = "http://" + std::string(host.empty() ? "localhost:4566" : host);
  HttpResponse resp;
  if (route.kind == Route::Kind::internal) {
    ctx.request_id = new_request_id(RequestIdStyle::uuid);
    resp = co_await internal_endpoint(core, req);
    finish_response(core, req, ctx, nullptr, resp);
    log_request(ctx, req, resp.status);
    co_return resp;
  }
  if (route.kind == Route::Kind::none || !route.service) {
    ctx.request_id = new_request_id(RequestIdStyle::uuid);
    if (cors_preflight(core, req, resp)) {
      finish_response(core, req, ctx, nullptr, resp);
      co_return resp;
    }
    bool xml = req.query_param("Action") || req.header_or("content-type").find("x-www-form") != std::string_view::npos;
    bool unknown_target = req.header("x-amz-target") != nullptr;
    AwsError e = unknown_target ? AwsError("UnknownOperationException", route.why, 400)
                                : AwsError(xml ? "InvalidAction" : "UnrecognizedServiceException",
                                           "Stratus does not recognise this request: " + route.why, 400);
    resp = protocol::encode_error(nullptr, nullptr, xml ? Protocol::query : Protocol::json, e, ctx);
    finish_response(core, req, ctx, nullptr, resp);
    log_request(ctx, req, resp.status);
    co_return resp;
  }
  Service* svc = route.service;
  const ServiceInfo& info = svc->info();
  ctx.request_id = new_request_id(info.request_id);
  ctx.protocol = route.protocol;
  if (!info.handles_cors && cors_preflight(core, req, resp)) {
    finish_response(core, req, ctx, svc, resp);
    log_request(ctx, req, resp.status);
    co_return resp;
  }
  const model::Model* m = route.kind == Route::Kind::model ? model_for(info, route.protocol) : nullptr;
  std::optional<AwsError> failure;
  try {
    core.services.ensure_started(*svc);
    authenticate(core, req, ctx, route, m);
    if (route.kind == Route::Kind::http) {
      resp = co_await svc->handle_http(ctx, req);
    } else {
      if (!m) throw AwsError::internal("no " + std::string(protocol_name(route.protocol)) + " model for " + svc->name());
      auto d = protocol::decode(*m, info, req);
      ctx.operation = d.op->name;
      const Handler* h = svc->handler(ctx.operation);
      if (!h) throw AwsError::not_implemented(svc->name(), ctx.operation);
      Call call{ctx, std::move(d.input), std::move(d.body), req, d.op};
      // Not `h->sync ? ... : co_await ...`: GCC 12 mis-handles temporaries of co_await inside ?:.
      Output out;
      if (h->sync) out = h->sync(call);
      else out = co_await h->async(call);
      resp = protocol::encode_output(*m, info, *d.op, std::move(out), ctx);
    }
  } catch (const AwsError& e) {
    failure = e;
  } catch (const std::exception& e) {
    spdlog::error("{}.{}: unhandled exception: {}", svc->name(), ctx.operation, e.what());
    failure = AwsError::internal();
  }
  if (failure) {
    if (ctx.operation.empty() && m) {
      try {
        ctx.operation = std::string(protocol::operation_name(*m, req));
      } catch (...) {
      }
    }
    resp = protocol::encode_error(m, &info, route.protocol, *failure, ctx);
  }
  finish_response(core, req, ctx, svc, resp);
  log_request(ctx, req, resp.status);
  co_return resp;
}

}  // namespace stratus::server
