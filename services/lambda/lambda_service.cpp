#include "lambda_service.hpp"

#include "errors.hpp"
#include "model.hpp"

#include <stratus/blocking.hpp>
#include <stratus/bus.hpp>
#include <stratus/config.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/runtime/zip.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace stratus::lambda {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::awaitable;

LambdaService::LambdaService()
    : Service(ServiceInfo{
          .name = "lambda",
          .models = {{"lambda", Protocol::rest_json}},
          .signing_names = {"lambda"},
          .max_body = 80ull << 20,
      }) {
  on("CreateFunction", &LambdaService::create_function);
  on("GetFunction", &LambdaService::get_function);
  on("GetFunctionConfiguration", &LambdaService::get_function_configuration);
  on("ListFunctions", &LambdaService::list_functions);
  on("UpdateFunctionCode", &LambdaService::update_function_code);
  on("UpdateFunctionConfiguration", &LambdaService::update_function_configuration);
  on("DeleteFunction", &LambdaService::delete_function);
  on("GetAccountSettings", &LambdaService::get_account_settings);
  on("PutFunctionConcurrency", &LambdaService::put_function_concurrency);
  on("GetFunctionConcurrency", &LambdaService::get_function_concurrency);
  on("DeleteFunctionConcurrency", &LambdaService::delete_function_concurrency);
  on("TagResource", &LambdaService::tag_resource);
  on("UntagResource", &LambdaService::untag_resource);
  on("ListTags", &LambdaService::list_tags);
  on("GetFunctionRecursionConfig", &LambdaService::get_function_recursion_config);
  on("PutFunctionRecursionConfig", &LambdaService::put_function_recursion_config);
  on("GetRuntimeManagementConfig", &LambdaService::get_runtime_management_config);
  on("PutRuntimeManagementConfig", &LambdaService::put_runtime_management_config);
  on("Invoke", &LambdaService::invoke);
  on("InvokeAsync", &LambdaService::invoke_async);
  on("InvokeWithResponseStream", &LambdaService::invoke_with_response_stream);
  on("PublishVersion", &LambdaService::publish_version);
  on("ListVersionsByFunction", &LambdaService::list_versions_by_function);
  on("CreateAlias", &LambdaService::create_alias);
  on("GetAlias", &LambdaService::get_alias);
  on("UpdateAlias", &LambdaService::update_alias);
  on("DeleteAlias", &LambdaService::delete_alias);
  on("ListAliases", &LambdaService::list_aliases);
  on("AddPermission", &LambdaService::add_permission);
  on("RemovePermission", &LambdaService::remove_permission);
  on("GetPolicy", &LambdaService::get_policy);
  on("PublishLayerVersion", &LambdaService::publish_layer_version);
  on("GetLayerVersion", &LambdaService::get_layer_version);
  on("GetLayerVersionByArn", &LambdaService::get_layer_version_by_arn);
  on("ListLayerVersions", &LambdaService::list_layer_versions);
  on("ListLayers", &LambdaService::list_layers);
  on("DeleteLayerVersion", &LambdaService::delete_layer_version);
  on("AddLayerVersionPermission", &LambdaService::add_layer_version_permission);
  on("RemoveLayerVersionPermission", &LambdaService::remove_layer_version_permission);
  on("GetLayerVersionPolicy", &LambdaService::get_layer_version_policy);
  on("CreateFunctionUrlConfig", &LambdaService::create_function_url_config);
  on("GetFunctionUrlConfig", &LambdaService::get_function_url_config);
  on("UpdateFunctionUrlConfig", &LambdaService::update_function_url_config);
  on("DeleteFunctionUrlConfig", &LambdaService::delete_function_url_config);
  on("ListFunctionUrlConfigs", &LambdaService::list_function_url_configs);
  on("PutFunctionEventInvokeConfig", &LambdaService::put_function_event_invoke_config);
  on("UpdateFunctionEventInvokeConfig", &LambdaService::update_function_event_invoke_config);
  on("GetFunctionEventInvokeConfig", &LambdaService::get_function_event_invoke_config);
  on("DeleteFunctionEventInvokeConfig", &LambdaService::delete_function_event_invoke_config);
  on("ListFunctionEventInvokeConfigs", &LambdaService::list_function_event_invoke_configs);
  on("CreateEventSourceMapping", &LambdaService::create_event_source_mapping);
  on("GetEventSourceMapping", &LambdaService::get_event_source_mapping);
  on("UpdateEventSourceMapping", &LambdaService::update_event_source_mapping);
  on("DeleteEventSourceMapping", &LambdaService::delete_event_source_mapping);
  on("ListEventSourceMappings", &LambdaService::list_event_source_mappings);
}

LambdaService::~LambdaService() = default;

void LambdaService::start(Env& env) {
  Service::start(env);
  store_.open(env.storage.database("lambda"));
  blob_dir_ = env.storage.blobs("lambda").dir().string();
  runtime::Options opts;
  opts.node_binary = env.config.node_binary;
  opts.python_binary = env.config.python_binary;
  opts.runtime_dir = fs::path(blob_dir_) / "runtime";
  opts.endpoint = env.local_endpoint();
  if (const char* ttl = std::getenv("STRATUS_LAMBDA_IDLE_SECONDS"))
    if (auto n = parse_int(ttl); n && *n > 0) opts.idle_ttl = std::chrono::seconds(*n);
  opts.log_sink = [this](const std::string& account, const std::string& region, const std::string& group,
                         const std::string& stream, std::vector<runtime::LogEvent> events) {
    deliver_logs(account, region, group, stream, std::move(events));
  };
  runtime_ = std::make_unique<runtime::Manager>(env.io, env.clock, std::move(opts));
  runtime_->install_bootstraps();
  hot_ = std::make_unique<HotReload>(env.io, [this](const std::string& root) {
    for (Function* f : store_.all_functions()) {
      bool uses = f->latest.hot_reload == root;
      for (auto& [n, v] : f->versions) uses = uses || v.hot_reload == root;
      if (uses) retire(*f);
    }
  });
  for (Function* f : store_.all_functions())
    for (auto& [q, u] : f->urls)
      url_index_[std::string(str_or(u, "UrlId"))] = f->account + '\x1f' + f->region + '\x1f' + f->name + '\x1f' + q;

  // The bus target (docs/SERVICES.md): Event and RequestResponse invocations by function ARN.
  env.bus.register_target("lambda", [this](const Delivery& d) -> awaitable<json::value> {
    auto arn = Arn::parse(d.target_arn);
    if (!arn) throw errors::invalid_parameter("Invalid function ARN: " + d.target_arn);
    std::optional<std::string> qualifier = opt_str(d.attributes, "Qualifier");
    Target t = resolve(arn->account, arn->region, d.target_arn, qualifier);
    std::string type(str_or(d.attributes, "InvocationType", "Event"));
    std::string request_id = ids::uuid4();
    std::string payload = d.payload.empty() ? std::string("{}") : d.payload;
    if (type == "Event") {
      enqueue_event(t, std::move(payload), request_id, std::string(str_or(d.attributes, "Source")));
      co_return json::object{{"StatusCode", 202}};
    }
    runtime::Invocation inv;
    inv.request_id = request_id;
    inv.payload = std::move(payload);
    inv.invoked_arn = t.invoked_arn;
    if (auto cc = opt_str(d.attributes, "ClientContext")) {
      auto decoded = crypto::base64_decode(*cc);
      inv.client_context = decoded ? *decoded : *cc;
    }
    const bool tail = str_or(d.attributes, "LogType") == "Tail";
    inv.tail_logs = tail;
    auto out = co_await execute(t, std::move(inv));
    json::object answer{{"StatusCode", 200}, {"Payload", out.result.payload}, {"ExecutedVersion", out.executed_version}};
    if (!out.result.function_error.empty()) answer["FunctionError"] = out.result.function_error;
    if (tail) answer["LogResult"] = crypto::base64(out.result.log_tail);
    co_return answer;
  });
  for (Mapping* m : store_.mappings())
    if (str_or(m->doc, "State") == "Enabled" || str_or(m->doc, "State") == "Enabling") start_mapping(m->uuid);
}

void LambdaService::reset() {
  ++epoch_;
  for (auto& [uuid, gen] : pollers_) gen = 0;
  pollers_.clear();
  if (runtime_) runtime_->shutdown();
  store_.wipe();
  url_index_.clear();
  if (hot_) hot_->clear();
  known_streams_.clear();
  creds_.clear();
  std::error_code ec;
  for (auto& e : fs::directory_iterator(blob_dir_, ec)) {
    if (e.path().filename() == "runtime" || e.path().filename() == ".tmp") continue;
    fs::remove_all(e.path(), ec);
  }
}

void LambdaService::stop() {
  ++epoch_;
  pollers_.clear();
  if (runtime_) runtime_->shutdown();
}

// ---- Routing of the data planes ----------------------------------------------------------------------

Service::Claim LambdaService::claim(HttpRequest& req) const {
  std::string_view host = req.host();
  // <url-id>.lambda-url.<region>.localhost[:port]
  if (host.size() > 44 && host.substr(32, 12) == ".lambda-url.") return Claim::http;
  std::string_view path = req.path;
  if (path.starts_with("/_lambda/code/")) return Claim::http;
  if (path.starts_with("/2021-11-15/functions/") && path.ends_with("/response-streaming-invocations"))
    return Claim::http;
  // Unsigned Lambda API calls (curl, browsers) have no credential scope to route by.
  if (path.starts_with("/20") && !req.header("authorization") && !req.query_param("X-Amz-Credential")) {
    static constexpr std::string_view kPrefixes[] = {
        "/2015-03-31/functions", "/2015-03-31/event-source-mappings", "/2014-11-13/functions",
        "/2016-08-19/account-settings", "/2017-03-31/tags/", "/2018-10-31/layers", "/2019-09-25/functions/",
        "/2021-10-31/functions/", "/2017-10-31/functions/", "/2019-09-30/functions/"};
    for (auto p : kPrefixes)
      if (path.starts_with(p)) return Claim::model;
  }
  return Claim::none;
}

awaitable<HttpResponse> LambdaService::handle_http(RequestContext& ctx, HttpRequest& req) {
  std::string_view host = req.host();
  if (host.size() > 44 && host.substr(32, 12) == ".lambda-url.") co_return co_await serve_url(ctx, req, host.substr(0, 32));
  std::string_view path = req.path;
  if (path.starts_with("/2021-11-15/functions/")) co_return co_await stream_invoke_http(ctx, req);
  HttpResponse r;
  if (path.starts_with("/_lambda/code/") && (req.method == "GET" || req.method == "HEAD")) {
    std::string name(path.substr(14));
    if (name.ends_with(".zip")) name.resize(name.size() - 4);
    bool hex = name.size() == 64 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (hex) {
      auto blobs = env().storage.blobs("lambda");
      fs::path p = blobs.path_for("zip-" + name);
      std::error_code ec;
      auto size = fs::file_size(p, ec);
      if (!ec) {
        r.status = 200;
        r.headers.add("Content-Type", "application/zip");
        r.body = Payload::from_file(p, 0, size, false);
        co_return r;
      }
    }
  }
  r.status = 404;
  r.headers.add("Content-Type", "application/xml");
  r.body = Payload(std::string(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not "
      "exist.</Message></Error>"));
  co_return r;
}

std::string LambdaService::endpoint_host(const RequestContext& ctx) const {
  std::string_view e = ctx.endpoint;
  if (e.starts_with("http://")) e.remove_prefix(7);
  return std::string(e);
}

std::string LambdaService::url_for(const std::string& url_id, const std::string& region) const {
  return "http://" + url_id + ".lambda-url." + region + ".localhost:" + std::to_string(env().port) + "/";
}

// ---- Functions and versions ---------------------------------------------------------------------------

Function& LambdaService::require_function(const Call& c, std::string_view param) {
  auto ref = parse_function_name(str_or(c.input, param), c.ctx.account_id, c.ctx.region);
  Function* f = store_.function(ref.account, ref.region, ref.name);
  if (!f) throw errors::function_not_found(function_arn(ref.region, ref.account, ref.name));
  return *f;
}

Version* LambdaService::find_version(Function& f, std::string_view v) {
  if (v.empty() || v == "$LATEST") return &f.latest;
  if (!is_version_number(v)) return nullptr;
  auto it = f.versions.find(std::stoi(std::string(v)));
  return it == f.versions.end() ? nullptr : &it->second;
}

Target LambdaService::resolve(std::string_view account, std::string_view region, std::string_view name,
                              std::optional<std::string> qualifier) {
  auto ref = parse_function_name(name, account, region);
  if (ref.qualifier && qualifier && *ref.qualifier != *qualifier)
    throw errors::invalid_parameter("The derived qualifier from the function name does not match the specified qualifier.");
  if (!qualifier) qualifier = ref.qualifier;
  Function* f = store_.function(ref.account, ref.region, ref.name);
  std::string arn = function_arn(ref.region, ref.account, ref.name);
  if (!f) throw errors::function_not_found(qualifier ? arn + ":" + *qualifier : arn);
  Target t;
  t.fn = f;
  t.qualifier = qualifier.value_or("");
  t.invoked_arn = qualifier ? arn + ":" + *qualifier : arn;
  if (!qualifier || *qualifier == "$LATEST") {
    t.version = &f->latest;
    t.executed_version = "$LATEST";
    return t;
  }
  if (is_version_number(*qualifier)) {
    t.version = find_version(*f, *qualifier);
    if (!t.version) throw errors::function_not_found(arn + ":" + *qualifier);
    t.executed_version = *qualifier;
    return t;
  }
  auto it = f->aliases.find(*qualifier);
  if (it == f->aliases.end()) throw errors::function_not_found(arn + ":" + *qualifier);
  const json::object& alias = it->second;
  std::string primary(str_or(alias, "FunctionVersion"));
  std::vector<std::pair<std::string, double>> weights;
  if (auto* rc = opt_obj(alias, "RoutingConfig"))
    if (auto* w = opt_obj(*rc, "AdditionalVersionWeights"))
      for (auto& [v, weight] : *w)
        if (weight.is_number()) weights.emplace_back(std::string(v), weight.to_number<double>());
  double r = static_cast<double>(ids::random64() % 1000000) / 1000000.0;
  t.executed_version = pick_version(primary, weights, r);
  t.version = find_version(*f, t.executed_version);
  if (!t.version) throw errors::function_not_found(arn + ":" + t.executed_version);
  return t;
}

json::object LambdaService::configuration(const Function& f, const Version& v) const {
  json::object c = v.config;
  c["FunctionName"] = f.name;
  c["FunctionArn"] = v.version == "$LATEST" ? f.arn() : f.arn() + ":" + v.version;
  c["Version"] = v.version;
  return c;
}

void LambdaService::touch(Function& f, Version& v) {
  v.config["RevisionId"] = ids::uuid4();
  v.config["LastModified"] = lambda_timestamp(env().clock.now_seconds());
}

// ---- Code storage ----------------------------------------------------------------------------------------

fs::path LambdaService::unpacked_dir(std::string_view sha) const { return fs::path(blob_dir_) / "code" / std::string(sha); }

fs::path LambdaService::code_dir(const Version& v) const {
  if (!v.hot_reload.empty()) return v.hot_reload;
  return unpacked_dir(v.code_sha);
}

awaitable<void> LambdaService::ensure_unpacked(std::string sha) {
  if (unpacked_.count(sha)) co_return;
  fs::path dir = unpacked_dir(sha);
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    unpacked_.insert(sha);
    co_return;
  }
  fs::path zip = env().storage.blobs("lambda").path_for("zip-" + sha);
  // A named callable: GCC 12 destroys temporaries inside co_await expressions twice.
  auto work = [zip, dir] {
    std::ifstream in(zip, std::ios::binary);
    if (!in) throw runtime::ZipError("the function's code is missing from the data directory");
    std::stringstream ss;
    ss << in.rdbuf();
    runtime::extract_zip(ss.str(), dir, 262144000);
  };
  co_await env().pool.run(std::move(work));
}

void LambdaService::release_code(const std::string& sha) {
  if (sha.empty() || store_.code_in_use(sha)) return;
  unpacked_.erase(sha);
  std::error_code ec;
  fs::remove_all(unpacked_dir(sha), ec);
  env().storage.blobs("lambda").remove("zip-" + sha);
}

void LambdaService::retire(const Function& f) { runtime_->retire(f.arn()); }

// ---- Logs -------------------------------------------------------------------------------------------------

void LambdaService::deliver_logs(const std::string& account, const std::string& region, const std::string& group,
                                 const std::string& stream, std::vector<runtime::LogEvent> events) {
  if (!env().services.get("logs")) return;
  uint64_t epoch = epoch_;
  asio::co_spawn(
      env().io,
      [this, account, region, group, stream, events = std::move(events), epoch]() -> awaitable<void> {
        if (epoch != epoch_) co_return;
        std::string key = account + '\x1f' + region + '\x1f' + group + '\x1f' + stream;
        json::array list;
        for (auto& e : events) list.push_back(json::object{{"timestamp", e.timestamp_ms}, {"message", e.message}});
        json::object put{{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", std::move(list)}};
        for (int attempt = 0; attempt < 2; ++attempt) {
          try {
            if (!known_streams_.count(key)) {
              // (GCC 12 cannot keep braced initialisers alive across co_await: build them first.)
              json::object create_group;
              create_group["logGroupName"] = group;
              json::object create_stream = create_group;
              create_stream["logStreamName"] = stream;
              try {
                co_await env().bus.call("logs", "CreateLogGroup", std::move(create_group), account, region);
              } catch (const AwsError&) {
              }
              try {
                co_await env().bus.call("logs", "CreateLogStream", std::move(create_stream), account, region);
              } catch (const AwsError&) {
              }
              known_streams_.insert(key);
            }
            co_await env().bus.call("logs", "PutLogEvents", put, account, region);
            co_return;
          } catch (const AwsError& e) {
            // The group or stream was deleted meanwhile: create them again once.
            known_streams_.erase(key);
            if (e.code != "ResourceNotFoundException") co_return;
          } catch (const std::exception& e) {
            spdlog::warn("lambda: cannot write logs to {}: {}", group, e.what());
            co_return;
          }
        }
      },
      asio::detached);
}

// ---- Credentials for functions ------------------------------------------------------------------------

awaitable<std::vector<std::pair<std::string, std::string>>> LambdaService::credentials_for(
    std::string role, std::string account, std::string region, std::string name) {
  double now = env().clock.now_seconds();
  auto it = creds_.find(role);
  if (it == creds_.end() || it->second.expires < now + 300) {
    Creds c;
    c.key = account;  // a 12-digit key id is that account to Stratus
    c.secret = "stratus-lambda";
    c.token = "stratus-lambda-session";
    c.expires = now + 3600;
    if (env().services.get("sts")) {
      try {
        json::object assume;
        assume["RoleArn"] = role;
        assume["RoleSessionName"] = name;
        assume["DurationSeconds"] = 3600;
        auto out = co_await env().bus.call("sts", "AssumeRole", std::move(assume), account, region);
        if (auto* cr = opt_obj(out, "Credentials")) {
          c.key = str_or(*cr, "AccessKeyId");
          c.secret = str_or(*cr, "SecretAccessKey");
          c.token = str_or(*cr, "SessionToken");
        }
      } catch (const std::exception&) {
        // A role Stratus cannot parse: fall back to the account's own keys.
      }
    }
    it = creds_.insert_or_assign(role, std::move(c)).first;
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("AWS_ACCESS_KEY_ID", it->second.key);
  out.emplace_back("AWS_SECRET_ACCESS_KEY", it->second.secret);
  out.emplace_back("AWS_SESSION_TOKEN", it->second.token);
  co_return out;
}

}  // namespace stratus::lambda
