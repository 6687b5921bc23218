// Function URLs: the config API and the data plane at
// http://<url-id>.lambda-url.<region>.localhost:<port>/ (payload format 2.0).
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

namespace stratus::lambda {
namespace asio = boost::asio;

namespace {

std::string url_qualifier(const Call& c, Function& f) {
  auto q = opt_str(c.input, "Qualifier");
  if (!q) return "";
  if (*q == "$LATEST") return *q;
  if (is_version_number(*q))
    throw errors::invalid_parameter("Function URLs can only be configured on an alias or the unpublished version "
                                    "($LATEST); " + *q + " is a version number.");
  if (!f.aliases.count(*q)) throw errors::function_not_found(f.arn() + ":" + *q);
  return *q;
}

json::object public_doc(const json::object& u) {
  json::object o = u;
  o.erase("UrlId");
  return o;
}

HttpResponse message(int status, std::string_view msg) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.headers.add("x-amzn-ErrorType", status == 403 ? "AccessDeniedException" : status == 429 ? "TooManyRequestsException" : "InternalServerErrorException");
  r.body = Payload(json::serialize(json::object{{"Message", msg}}));
  return r;
}

void cors_headers(const json::object* cors, const HttpRequest& req, Headers& h) {
  if (!cors) return;
  std::string_view origin = req.header_or("origin");
  if (origin.empty()) return;
  bool allowed = false;
  if (auto* origins = opt_arr(*cors, "AllowOrigins"))
    for (auto& o : *origins)
      if (o.is_string() && (o.get_string() == "*" || o.get_string() == origin)) allowed = true;
  if (!allowed) return;
  h.set("Access-Control-Allow-Origin", std::string(origin));
  if (opt_bool(*cors, "AllowCredentials").value_or(false)) h.set("Access-Control-Allow-Credentials", "true");
  auto join = [](const json::array* a) {
    std::string s;
    if (a)
      for (auto& x : *a)
        if (x.is_string()) s += (s.empty() ? "" : ",") + std::string(x.get_string());
    return s;
  };
  if (auto e = join(opt_arr(*cors, "ExposeHeaders")); !e.empty()) h.set("Access-Control-Expose-Headers", e);
}

}  // namespace

Output LambdaService::create_function_url_config(Call& c) {
  Function& f = require_function(c);
  std::string q = url_qualifier(c, f);
  std::string arn = q.empty() ? f.arn() : f.arn() + ":" + q;
  if (f.urls.count(q))
    throw errors::conflict("Failed to create function url config for [functionArn = " + arn +
                           "]. Error message:  FunctionUrlConfig exists for this Lambda function");
  std::string id = ids::random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789");
  std::string now = lambda_timestamp(env().clock.now_seconds());
  json::object u{{"FunctionUrl", url_for(id, f.region)},
                 {"FunctionArn", arn},
                 {"AuthType", str_or(c.input, "AuthType")},
                 {"CreationTime", now},
                 {"LastModifiedTime", now},
                 {"InvokeMode", str_or(c.input, "InvokeMode", "BUFFERED")},
                 {"UrlId", id}};
  if (auto* cors = opt_obj(c.input, "Cors")) u["Cors"] = *cors;
  f.urls[q] = u;
  store_.save(f);
  url_index_[id] = f.account + '\x1f' + f.region + '\x1f' + f.name + '\x1f' + q;
  json::object out = public_doc(u);
  out.erase("LastModifiedTime");
  Output o(std::move(out));
  o.status = 201;
  return o;
}

Output LambdaService::get_function_url_config(Call& c) {
  Function& f = require_function(c);
  auto it = f.urls.find(url_qualifier(c, f));
  if (it == f.urls.end()) throw errors::not_found("The resource you requested does not exist.");
  return public_doc(it->second);
}

Output LambdaService::update_function_url_config(Call& c) {
  Function& f = require_function(c);
  auto it = f.urls.find(url_qualifier(c, f));
  if (it == f.urls.end()) throw errors::not_found("The resource you requested does not exist.");
  json::object& u = it->second;
  if (auto a = opt_str(c.input, "AuthType")) u["AuthType"] = *a;
  if (auto m = opt_str(c.input, "InvokeMode")) u["InvokeMode"] = *m;
  if (auto* cors = opt_obj(c.input, "Cors")) u["Cors"] = *cors;
  u["LastModifiedTime"] = lambda_timestamp(env().clock.now_seconds());
  store_.save(f);
  return public_doc(u);
}

Output LambdaService::delete_function_url_config(Call& c) {
  Function& f = require_function(c);
  auto it = f.urls.find(url_qualifier(c, f));
  if (it == f.urls.end()) throw errors::not_found("The resource you requested does not exist.");
  url_index_.erase(std::string(str_or(it->second, "UrlId")));
  f.urls.erase(it);
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::list_function_url_configs(Call& c) {
  Function& f = require_function(c);
  json::array list;
  for (auto& [q, u] : f.urls) list.push_back(public_doc(u));
  return json::object{{"FunctionUrlConfigs", std::move(list)}};
}

asio::awaitable<HttpResponse> LambdaService::serve_url(RequestContext& ctx, HttpRequest& req, std::string_view url_id) {
  auto it = url_index_.find(std::string(url_id));
  if (it == url_index_.end()) co_return message(403, "Forbidden");
  auto parts = split(it->second, '\x1f');
  std::string account(parts[0]), region(parts[1]), name(parts[2]), qualifier(parts[3]);
  Function* f = store_.function(account, region, name);
  if (!f || !f->urls.count(qualifier)) co_return message(403, "Forbidden");
  json::object url = f->urls[qualifier];
  const json::object* cors = opt_obj(url, "Cors");
  // CORS preflight, answered by Lambda itself from the URL's Cors settings.
  if (req.method == "OPTIONS" && cors && req.header("origin") && req.header("access-control-request-method")) {
    HttpResponse r;
    r.status = 200;
    cors_headers(cors, req, r.headers);
    auto join = [](const json::array* a) {
      std::string s;
      if (a)
        for (auto& x : *a)
          if (x.is_string()) s += (s.empty() ? "" : ",") + std::string(x.get_string());
      return s;
    };
    if (auto m = join(opt_arr(*cors, "AllowMethods")); !m.empty()) r.headers.set("Access-Control-Allow-Methods", m);
    if (auto h = join(opt_arr(*cors, "AllowHeaders")); !h.empty()) r.headers.set("Access-Control-Allow-Headers", h);
    if (auto age = opt_int(*cors, "MaxAge")) r.headers.set("Access-Control-Max-Age", std::to_string(*age));
    co_return r;
  }
  const bool iam = str_or(url, "AuthType") == "AWS_IAM";
  if (iam && !ctx.signed_request) co_return message(403, "Forbidden");
  UrlRequest ur;
  ur.method = req.method;
  ur.raw_path = req.path.empty() ? "/" : req.path;
  ur.raw_query = req.query_string;
  ur.source_ip = req.remote_ip;
  ur.user_agent = req.header_or("user-agent");
  ur.protocol = req.version == 10 ? "HTTP/1.0" : "HTTP/1.1";
  for (auto& [k, v] : req.headers) ur.headers.emplace_back(to_lower(k), v);
  ur.body = req.body.read_all();
  std::string_view ct = req.header_or("content-type");
  ur.body_is_binary = !ur.body.empty() && (ct.empty() || !textual_content_type(ct));
  json::object authorizer;
  if (iam)
    authorizer = json::object{{"iam", json::object{{"accessKey", ctx.access_key_id},
                                                   {"accountId", ctx.account_id},
                                                   {"callerId", ctx.account_id},
                                                   {"cognitoIdentity", nullptr},
                                                   {"principalOrgId", nullptr},
                                                   {"userArn", ctx.principal_arn},
                                                   {"userId", ctx.account_id}}}};
  json::object event = url_event(ur, std::string(url_id), region, account, ctx.request_id, env().clock.now_seconds(),
                                 iam ? &authorizer : nullptr);
  Target t;
  try {
    t = resolve(account, region, name, qualifier.empty() ? std::nullopt : std::optional<std::string>(qualifier));
  } catch (const AwsError&) {
    co_return message(403, "Forbidden");
  }
  runtime::Invocation inv;
  inv.request_id = ctx.request_id;
  inv.payload = json::serialize(event);
  inv.invoked_arn = t.invoked_arn;
  InvokeOutcome out;
  try {
    out = co_await execute(t, std::move(inv));
  } catch (const AwsError& e) {
    if (e.code == "TooManyRequestsException") co_return message(429, "Rate Exceeded.");
    spdlog::warn("lambda {}: function URL invocation failed: {}", name, e.message);
    co_return message(502, "Internal Server Error");
  }
  auto& res = out.result;
  HttpResponse r;
  if (!res.function_error.empty() && !res.streamed) {
    r = message(502, "Internal Server Error");
  } else if (res.streamed && res.content_type == "application/vnd.awslambda.http-integration-response") {
    // Streaming responses: a JSON prelude (status, headers, cookies), 8 NUL bytes, then the body.
    std::string& body = res.payload;
    size_t sep = body.find(std::string(8, '\0'));
    std::string prelude = sep == std::string::npos ? body : body.substr(0, sep);
    std::string rest = sep == std::string::npos ? std::string() : body.substr(sep + 8);
    UrlResponse ur2 = url_response(prelude);
    r.status = ur2.status;
    for (auto& [k, v] : ur2.headers) r.headers.add(k, v);
    r.body = Payload(std::move(rest));
  } else if (res.streamed) {
    r.status = 200;
    r.headers.add("Content-Type", res.content_type);
    r.body = Payload(std::move(res.payload));
  } else {
    UrlResponse ur2 = url_response(res.payload);
    r.status = ur2.status;
    for (auto& [k, v] : ur2.headers) r.headers.add(k, v);
    r.body = Payload(std::move(ur2.body));
  }
  r.headers.set("x-amzn-RequestId", ctx.request_id);
  cors_headers(cors, req, r.headers);
  co_return r;
}

}  // namespace stratus::lambda
