// Functions: create, read, list, update, delete; account settings, concurrency, tags.
// https://docs.aws.amazon.com/lambda/latest/api/API_<Operation>.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/blocking.hpp>
#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/runtime/zip.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>

namespace stratus::lambda {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::awaitable;

namespace {

constexpr int64_t kUnzippedLimit = 262144000;
constexpr int64_t kZippedLimit = 52428800;
constexpr int kAccountConcurrency = 1000;
constexpr int kMinUnreserved = 100;

void validate_environment(const json::object* env) {
  if (!env) return;
  const json::object* vars = opt_obj(*env, "Variables");
  if (!vars) return;
  std::string reserved;
  for (auto& [k, v] : *vars)
    if (reserved_variable(k)) reserved += (reserved.empty() ? "" : ",") + std::string(k);
  if (!reserved.empty())
    throw errors::invalid_parameter(
        "Lambda was unable to configure your environment variables because the environment variables you have "
        "provided contains reserved keys that are currently not supported for modification. Reserved keys used in "
        "this request: " + reserved);
  std::string measured = json::serialize(*vars);
  if (measured.size() > 4096)
    throw errors::invalid_parameter(
        "Lambda was unable to configure your environment variables because the environment variables you have "
        "provided exceeded the 4KB limit. String measured: " + measured);
}

void validate_runtime(const json::object& in, bool required) {
  auto rt = opt_str(in, "Runtime");
  if (!rt) {
    if (required)
      throw errors::invalid_parameter("Runtime and Handler are mandatory parameters for functions created with "
                                      "deployment packages.");
    return;
  }
  if (runtime_deprecated(*rt))
    throw errors::invalid_parameter("The runtime parameter of " + *rt +
                                    " is no longer supported for creating or updating AWS Lambda functions. We "
                                    "recommend you use a supported runtime while creating or updating functions.");
}

void validate_dead_letter(const json::object* dl) {
  if (!dl) return;
  auto target = opt_str(*dl, "TargetArn");
  if (!target || target->empty()) return;
  auto arn = Arn::parse(*target);
  if (!arn || (arn->service != "sqs" && arn->service != "sns"))
    throw errors::invalid_parameter("The provided target arn " + *target +
                                    " is invalid. Only SQS queues and SNS topics are valid dead letter targets.");
}

json::object default_logging(const std::string& name, const json::object* given) {
  json::object lc{{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + name}};
  if (given)
    for (auto& [k, v] : *given) lc[k] = v;
  if (str_or(lc, "LogFormat") == "JSON") {
    if (!lc.contains("ApplicationLogLevel")) lc["ApplicationLogLevel"] = "INFO";
    if (!lc.contains("SystemLogLevel")) lc["SystemLogLevel"] = "INFO";
  }
  return lc;
}

json::object vpc_response(const json::object& vpc) {
  json::object out{{"SubnetIds", json::array{}}, {"SecurityGroupIds", json::array{}}, {"VpcId", ""}};
  if (auto* s = opt_arr(vpc, "SubnetIds")) out["SubnetIds"] = *s;
  if (auto* s = opt_arr(vpc, "SecurityGroupIds")) out["SecurityGroupIds"] = *s;
  if (auto* s = opt_arr(vpc, "SubnetIds"); s && !s->empty())
    out["VpcId"] = "vpc-" + crypto::sha256_hex(json::serialize(*s)).substr(0, 17);
  if (auto b = opt_bool(vpc, "Ipv6AllowedForDualStack")) out["Ipv6AllowedForDualStack"] = *b;
  return out;
}

}  // namespace

// Layers a configuration references, as [{Arn, CodeSize}]; throws for a missing layer version.
static json::array resolve_layers(Store& store, const json::array& arns) {
  if (arns.size() > 5) throw errors::invalid_parameter("Cannot reference more than 5 layers.");
  json::array out;
  for (auto& a : arns) {
    if (!a.is_string()) continue;
    std::string arn(a.get_string());
    auto parts = split(arn, ':');
    Layer* l = parts.size() == 8 ? store.layer(parts[4], parts[3], parts[6]) : nullptr;
    auto n = parts.size() == 8 ? parse_int(parts[7]) : std::nullopt;
    if (!l || !n || !l->versions.count(static_cast<int>(*n)))
      throw errors::invalid_parameter("Layer version " + arn + " does not exist.");
    const auto& doc = l->versions[static_cast<int>(*n)].doc;
    int64_t size = 0;
    if (auto* content = opt_obj(doc, "Content")) size = opt_int(*content, "CodeSize").value_or(0);
    out.push_back(json::object{{"Arn", arn}, {"CodeSize", size}});
  }
  return out;
}

awaitable<LambdaService::CodeInfo> LambdaService::store_code(const json::object& code, const RequestContext& ctx,
                                                            bool layer) {
  CodeInfo info;
  std::string zip;
  if (auto* z = find(code, "ZipFile"); z && z->is_string()) {
    zip = z->get_string();
  } else if (auto bucket = opt_str(code, "S3Bucket")) {
    std::string key(str_or(code, "S3Key"));
    if (*bucket == "hot-reload" && !layer) {
      // Stratus (and LocalStack): code served from a local directory, reloaded when it changes.
      std::error_code ec;
      if (key.empty() || key.front() != '/' || !fs::is_directory(key, ec))
        throw errors::invalid_parameter("Hot-reload code needs S3Key set to an absolute path of an existing "
                                        "directory; " + key + " is not one.");
      info.hot_reload = fs::canonical(key, ec).string();
      info.sha_b64 = crypto::base64(crypto::sha256(info.hot_reload));
      co_return info;
    }
    if (!env().services.find("s3"))
      throw errors::invalid_parameter("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: "
                                      "The specified bucket does not exist");
    json::object get{{"Bucket", *bucket}, {"Key", key}};
    if (auto v = opt_str(code, "S3ObjectVersion")) get["VersionId"] = *v;
    try {
      auto out = co_await env().bus.call("s3", "GetObject", get, ctx.account_id, ctx.region);
      zip = str_or(out, "Body");
    } catch (const AwsError& e) {
      throw errors::invalid_parameter("Error occurred while GetObject. S3 Error Code: " + e.code +
                                      ". S3 Error Message: " + e.message);
    }
  } else if (find(code, "ImageUri")) {
    throw errors::invalid_parameter("Stratus runs functions as local processes: container images (ImageUri) are "
                                    "not supported. Deploy the function as a .zip file archive.");
  } else {
    throw errors::invalid_parameter("Please provide a source for function code.");
  }
  if (static_cast<int64_t>(zip.size()) > kZippedLimit && !find(code, "S3Bucket"))
    throw errors::request_too_large("Request must be smaller than 69905067 bytes for the " +
                                    std::string(layer ? "PublishLayerVersion" : "CreateFunction") + " operation");
  std::string digest = crypto::sha256(zip);
  info.sha_hex = crypto::hex(digest);
  info.sha_b64 = crypto::base64(digest);
  info.size = static_cast<int64_t>(zip.size());
  fs::path dir = unpacked_dir(info.sha_hex);
  auto blobs = env().storage.blobs("lambda");
  std::string id = "zip-" + info.sha_hex;
  try {
    // A named callable: GCC 12 destroys temporaries inside co_await expressions twice.
    auto work = [zip = std::move(zip), dir, blobs, id]() {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) runtime::extract_zip(zip, dir, kUnzippedLimit);
      if (!fs::exists(blobs.path_for(id), ec)) blobs.write(id, zip);
    };
    co_await env().pool.run(std::move(work));
  } catch (const runtime::ZipError& e) {
    throw errors::invalid_parameter(e.what());
  }
  co_return info;
}

awaitable<Output> LambdaService::create_function(Call& c) {
  const auto& in = c.input;
  auto ref = parse_function_name(str_or(in, "FunctionName"), c.ctx.account_id, c.ctx.region);
  if (ref.qualifier) throw errors::invalid_parameter("Function name cannot contain a qualifier: " + std::string(str_or(in, "FunctionName")));
  if (str_or(in, "PackageType") == "Image")
    throw errors::invalid_parameter("Stratus runs functions as local processes: PackageType Image (container images) "
                                    "is not supported. Deploy the function as a .zip file archive.");
  validate_runtime(in, true);
  if (!opt_str(in, "Handler") || str_or(in, "Handler").empty())
    throw errors::invalid_parameter("Runtime and Handler are mandatory parameters for functions created with "
                                    "deployment packages.");
  if (auto t = opt_int(in, "Timeout"); t && *t > 900)
    throw AwsError::validation("1 validation error detected: Value '" + std::to_string(*t) +
                               "' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
  validate_environment(opt_obj(in, "Environment"));
  validate_dead_letter(opt_obj(in, "DeadLetterConfig"));
  if (store_.function(ref.account, ref.region, ref.name))
    throw errors::conflict("Function already exist: " + ref.name);
  json::array layers;
  if (auto* l = opt_arr(in, "Layers")) layers = resolve_layers(store_, *l);
  CodeInfo code = co_await store_code(*opt_obj(in, "Code"), c.ctx, false);
  // The code upload took time: someone may have created the function meanwhile.
  if (store_.function(ref.account, ref.region, ref.name)) throw errors::conflict("Function already exist: " + ref.name);
  Function f;
  f.account = ref.account;
  f.region = ref.region;
  f.name = ref.name;
  f.created = env().clock.now_seconds();
  Version& v = f.latest;
  v.version = "$LATEST";
  v.code_sha = code.sha_hex;
  v.hot_reload = code.hot_reload;
  std::string runtime(str_or(in, "Runtime"));
  json::object cfg{{"Runtime", runtime},
                   {"Role", str_or(in, "Role")},
                   {"Handler", str_or(in, "Handler")},
                   {"CodeSize", code.size},
                   {"Description", str_or(in, "Description")},
                   {"Timeout", opt_int(in, "Timeout").value_or(3)},
                   {"MemorySize", opt_int(in, "MemorySize").value_or(128)},
                   {"CodeSha256", code.sha_b64},
                   {"TracingConfig", json::object{{"Mode", "PassThrough"}}},
                   {"State", "Active"},
                   {"LastUpdateStatus", "Successful"},
                   {"PackageType", "Zip"},
                   {"Architectures", json::array{"x86_64"}},
                   {"EphemeralStorage", json::object{{"Size", 512}}},
                   {"SnapStart", json::object{{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}}},
                   {"LoggingConfig", default_logging(ref.name, opt_obj(in, "LoggingConfig"))},
                   {"RuntimeVersionConfig",
                    json::object{{"RuntimeVersionArn", "arn:aws:lambda:" + ref.region + "::runtime:" +
                                                           crypto::sha256_hex(runtime)}}}};
  if (auto* e = opt_obj(in, "Environment")) {
    json::object vars;
    if (auto* vv = opt_obj(*e, "Variables")) vars = *vv;
    cfg["Environment"] = json::object{{"Variables", std::move(vars)}};
  }
  if (auto* t = opt_obj(in, "TracingConfig")) cfg["TracingConfig"] = json::object{{"Mode", str_or(*t, "Mode", "PassThrough")}};
  if (!layers.empty()) cfg["Layers"] = std::move(layers);
  if (auto* a = opt_arr(in, "Architectures"); a && !a->empty()) cfg["Architectures"] = *a;
  if (auto* e = opt_obj(in, "EphemeralStorage")) cfg["EphemeralStorage"] = *e;
  if (auto* d = opt_obj(in, "DeadLetterConfig")) cfg["DeadLetterConfig"] = *d;
  if (auto k = opt_str(in, "KMSKeyArn")) cfg["KMSKeyArn"] = *k;
  if (auto* vpc = opt_obj(in, "VpcConfig")) cfg["VpcConfig"] = vpc_response(*vpc);
  if (auto* fsc = opt_arr(in, "FileSystemConfigs")) cfg["FileSystemConfigs"] = *fsc;
  if (auto* s = opt_obj(in, "SnapStart"))
    cfg["SnapStart"] = json::object{{"ApplyOn", str_or(*s, "ApplyOn", "None")}, {"OptimizationStatus", "Off"}};
  v.config = std::move(cfg);
  touch(f, v);
  if (auto* tags = opt_obj(in, "Tags")) f.tags = *tags;
  Function& stored = store_.put(std::move(f));
  Version* shown = &stored.latest;
  if (opt_bool(in, "Publish").value_or(false)) {
    Version pub = stored.latest;
    pub.version = std::to_string(++stored.last_version);
    stored.versions[stored.last_version] = std::move(pub);
    shown = &stored.versions[stored.last_version];
    store_.save(stored);
  }
  json::object out = configuration(stored, *shown);
  // The caller sees the function being created; it is Active for every later call.
  out["State"] = "Pending";
  out["StateReason"] = "The function is being created.";
  out["StateReasonCode"] = "Creating";
  out.erase("LastUpdateStatus");
  Output o(std::move(out));
  o.status = 201;
  co_return o;
}

Output LambdaService::get_function(Call& c) {
  Target t = resolve(c.ctx.account_id, c.ctx.region, str_or(c.input, "FunctionName"), opt_str(c.input, "Qualifier"));
  Version* v = t.version;
  if (!t.qualifier.empty() && !is_version_number(t.qualifier) && t.qualifier != "$LATEST") {
    // An alias: its primary version, not a weighted pick.
    v = find_version(*t.fn, str_or(t.fn->aliases[t.qualifier], "FunctionVersion"));
  }
  json::object code{{"RepositoryType", "S3"}};
  if (v->hot_reload.empty())
    code["Location"] = c.ctx.endpoint + "/_lambda/code/" + v->code_sha + ".zip";
  else
    code["Location"] = "file://" + v->hot_reload;
  json::object out{{"Configuration", configuration(*t.fn, *v)}, {"Code", std::move(code)}, {"Tags", t.fn->tags}};
  if (t.fn->reserved_concurrency)
    out["Concurrency"] = json::object{{"ReservedConcurrentExecutions", *t.fn->reserved_concurrency}};
  return out;
}

Output LambdaService::get_function_configuration(Call& c) {
  Target t = resolve(c.ctx.account_id, c.ctx.region, str_or(c.input, "FunctionName"), opt_str(c.input, "Qualifier"));
  Version* v = t.version;
  if (!t.qualifier.empty() && !is_version_number(t.qualifier) && t.qualifier != "$LATEST")
    v = find_version(*t.fn, str_or(t.fn->aliases[t.qualifier], "FunctionVersion"));
  return configuration(*t.fn, *v);
}

Output LambdaService::list_functions(Call& c) {
  const auto& in = c.input;
  bool all = str_or(in, "FunctionVersion") == "ALL";
  int max = static_cast<int>(opt_int(in, "MaxItems").value_or(50));
  if (max < 1 || max > 10000) max = 50;
  std::string marker(str_or(in, "Marker"));
  json::array list;
  std::string next;
  for (Function* f : store_.functions(c.ctx.account_id, c.ctx.region)) {
    std::vector<const Version*> versions{&f->latest};
    if (all)
      for (auto& [n, v] : f->versions) versions.push_back(&v);
    for (const Version* v : versions) {
      std::string key = f->name + ":" + v->version;
      if (!marker.empty() && key <= marker) continue;
      if (static_cast<int>(list.size()) == max) {
        next = std::string(list.back().as_object().at("FunctionName").get_string()) + ":" +
               std::string(list.back().as_object().at("Version").get_string());
        goto done;
      }
      list.push_back(configuration(*f, *v));
    }
  }
done:
  json::object out{{"Functions", std::move(list)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

awaitable<Output> LambdaService::update_function_code(Call& c) {
  const auto& in = c.input;
  Function& f0 = require_function(c);
  std::string account = f0.account, region = f0.region, name = f0.name;
  if (auto rev = opt_str(in, "RevisionId"); rev && *rev != str_or(f0.latest.config, "RevisionId"))
    throw errors::precondition_failed();
  if (find(in, "ImageUri"))
    throw errors::invalid_parameter("Stratus runs functions as local processes: container images (ImageUri) are "
                                    "not supported. Deploy the function as a .zip file archive.");
  CodeInfo code = co_await store_code(in, c.ctx, false);
  Function* f = store_.function(account, region, name);
  if (!f) throw errors::function_not_found(function_arn(region, account, name));
  if (opt_bool(in, "DryRun").value_or(false)) {
    json::object out = configuration(*f, f->latest);
    out["CodeSha256"] = code.sha_b64;
    out["CodeSize"] = code.size;
    release_code(code.sha_hex);
    co_return Output(std::move(out));
  }
  std::string old_sha = f->latest.code_sha;
  Version& v = f->latest;
  v.code_sha = code.sha_hex;
  v.hot_reload = code.hot_reload;
  v.config["CodeSha256"] = code.sha_b64;
  v.config["CodeSize"] = code.size;
  if (auto* a = opt_arr(in, "Architectures"); a && !a->empty()) v.config["Architectures"] = *a;
  v.config["LastUpdateStatus"] = "Successful";
  touch(*f, v);
  Version* shown = &v;
  if (opt_bool(in, "Publish").value_or(false)) {
    Version pub = v;
    pub.version = std::to_string(++f->last_version);
    f->versions[f->last_version] = std::move(pub);
    shown = &f->versions[f->last_version];
  }
  store_.save(*f);
  retire(*f);
  if (old_sha != code.sha_hex) release_code(old_sha);
  json::object out = configuration(*f, *shown);
  out["LastUpdateStatus"] = "InProgress";
  out["LastUpdateStatusReason"] = "The function is being created.";
  out["LastUpdateStatusReasonCode"] = "Creating";
  co_return Output(std::move(out));
}

Output LambdaService::update_function_configuration(Call& c) {
  const auto& in = c.input;
  Function& f = require_function(c);
  Version& v = f.latest;
  if (auto rev = opt_str(in, "RevisionId"); rev && *rev != str_or(v.config, "RevisionId"))
    throw errors::precondition_failed();
  validate_runtime(in, false);
  validate_environment(opt_obj(in, "Environment"));
  validate_dead_letter(opt_obj(in, "DeadLetterConfig"));
  if (auto t = opt_int(in, "Timeout"); t && *t > 900)
    throw AwsError::validation("1 validation error detected: Value '" + std::to_string(*t) +
                               "' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
  json::object& cfg = v.config;
  for (auto key : {"Role", "Handler", "Description", "Runtime", "KMSKeyArn"})
    if (auto s = opt_str(in, key)) cfg[key] = *s;
  for (auto key : {"Timeout", "MemorySize"})
    if (auto n = opt_int(in, key)) cfg[key] = *n;
  if (auto* e = opt_obj(in, "Environment")) {
    json::object vars;
    if (auto* vv = opt_obj(*e, "Variables")) vars = *vv;
    cfg["Environment"] = json::object{{"Variables", std::move(vars)}};
  }
  if (auto* l = opt_arr(in, "Layers")) {
    json::array layers = resolve_layers(store_, *l);
    if (layers.empty()) cfg.erase("Layers");
    else cfg["Layers"] = std::move(layers);
  }
  if (auto* t = opt_obj(in, "TracingConfig")) cfg["TracingConfig"] = json::object{{"Mode", str_or(*t, "Mode", "PassThrough")}};
  if (auto* d = opt_obj(in, "DeadLetterConfig")) {
    if (str_or(*d, "TargetArn").empty()) cfg.erase("DeadLetterConfig");
    else cfg["DeadLetterConfig"] = *d;
  }
  if (auto* vpc = opt_obj(in, "VpcConfig")) cfg["VpcConfig"] = vpc_response(*vpc);
  if (auto* e = opt_obj(in, "EphemeralStorage")) cfg["EphemeralStorage"] = *e;
  if (auto* fsc = opt_arr(in, "FileSystemConfigs")) cfg["FileSystemConfigs"] = *fsc;
  if (auto* lc = opt_obj(in, "LoggingConfig")) {
    json::object merged = opt_obj(cfg, "LoggingConfig") ? *opt_obj(cfg, "LoggingConfig") : json::object{};
    for (auto& [k, val] : *lc) merged[k] = val;
    cfg["LoggingConfig"] = default_logging(f.name, &merged);
  }
  if (auto* s = opt_obj(in, "SnapStart"))
    cfg["SnapStart"] = json::object{{"ApplyOn", str_or(*s, "ApplyOn", "None")}, {"OptimizationStatus", "Off"}};
  cfg["LastUpdateStatus"] = "Successful";
  touch(f, v);
  store_.save(f);
  retire(f);
  json::object out = configuration(f, v);
  out["LastUpdateStatus"] = "InProgress";
  out["LastUpdateStatusReason"] = "The function is being created.";
  out["LastUpdateStatusReasonCode"] = "Creating";
  return out;
}

Output LambdaService::delete_function(Call& c) {
  auto ref = parse_function_name(str_or(c.input, "FunctionName"), c.ctx.account_id, c.ctx.region);
  auto qualifier = opt_str(c.input, "Qualifier");
  if (!qualifier) qualifier = ref.qualifier;
  Function* f = store_.function(ref.account, ref.region, ref.name);
  std::string arn = function_arn(ref.region, ref.account, ref.name);
  if (!f) throw errors::function_not_found(qualifier ? arn + ":" + *qualifier : arn);
  Output o(json::object{{"StatusCode", 204}});
  o.status = 204;
  if (qualifier) {
    if (*qualifier == "$LATEST")
      throw errors::invalid_parameter("$LATEST version cannot be deleted without deleting the function.");
    if (!is_version_number(*qualifier))
      throw errors::invalid_parameter("Deletion of aliases is not supported. Use DeleteAlias to delete an alias.");
    Version* v = find_version(*f, *qualifier);
    if (!v) throw errors::function_not_found(arn + ":" + *qualifier);
    std::vector<std::string> users;
    for (auto& [name, a] : f->aliases)
      if (str_or(a, "FunctionVersion") == *qualifier) users.push_back(name);
    if (!users.empty()) {
      std::string list;
      for (auto& u : users) list += (list.empty() ? "" : ", ") + u;
      throw errors::conflict("Unable to delete version because the following aliases reference it: [" + list + "]");
    }
    std::string sha = v->code_sha;
    f->versions.erase(std::stoi(*qualifier));
    f->invoke_configs.erase(*qualifier);
    store_.save(*f);
    retire(*f);
    release_code(sha);
    return o;
  }
  std::vector<std::string> shas{f->latest.code_sha};
  for (auto& [n, v] : f->versions) shas.push_back(v.code_sha);
  for (auto& [q, u] : f->urls) url_index_.erase(std::string(str_or(u, "UrlId")));
  retire(*f);
  store_.remove(*f);
  for (auto& s : shas) release_code(s);
  return o;
}

Output LambdaService::get_account_settings(Call& c) {
  int64_t total = 0, count = 0, reserved = 0;
  for (Function* f : store_.functions(c.ctx.account_id, c.ctx.region)) {
    ++count;
    total += opt_int(f->latest.config, "CodeSize").value_or(0);
    for (auto& [n, v] : f->versions) total += opt_int(v.config, "CodeSize").value_or(0);
    reserved += f->reserved_concurrency.value_or(0);
  }
  return json::object{
      {"AccountLimit", json::object{{"TotalCodeSize", 80530636800LL},
                                    {"CodeSizeUnzipped", kUnzippedLimit},
                                    {"CodeSizeZipped", kZippedLimit},
                                    {"ConcurrentExecutions", kAccountConcurrency},
                                    {"UnreservedConcurrentExecutions", kAccountConcurrency - reserved}}},
      {"AccountUsage", json::object{{"TotalCodeSize", total}, {"FunctionCount", count}}}};
}

Output LambdaService::put_function_concurrency(Call& c) {
  Function& f = require_function(c);
  int64_t n = opt_int(c.input, "ReservedConcurrentExecutions").value_or(0);
  int64_t others = 0;
  for (Function* g : store_.functions(f.account, f.region))
    if (g != &f) others += g->reserved_concurrency.value_or(0);
  if (kAccountConcurrency - others - n < kMinUnreserved)
    throw errors::invalid_parameter("Specified ReservedConcurrentExecutions for function decreases account's "
                                    "UnreservedConcurrentExecution below its minimum value of [" +
                                    std::to_string(kMinUnreserved) + "].");
  f.reserved_concurrency = static_cast<int>(n);
  store_.save(f);
  return json::object{{"ReservedConcurrentExecutions", n}};
}

Output LambdaService::get_function_concurrency(Call& c) {
  Function& f = require_function(c);
  if (!f.reserved_concurrency) return json::object{};
  return json::object{{"ReservedConcurrentExecutions", *f.reserved_concurrency}};
}

Output LambdaService::delete_function_concurrency(Call& c) {
  Function& f = require_function(c);
  f.reserved_concurrency.reset();
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

namespace {
// Tag operations address the function by ARN (unqualified).
Function& tagged(Store& store, const Call& c) {
  std::string arn(str_or(c.input, "Resource"));
  auto parsed = Arn::parse(arn);
  if (!parsed || parsed->service != "lambda" || !std::string_view(parsed->resource).starts_with("function:"))
    throw errors::invalid_parameter("Invalid resource ARN: " + arn);
  auto ref = parse_function_name(arn, c.ctx.account_id, c.ctx.region);
  if (ref.qualifier) throw errors::invalid_parameter("Tags can only be added to unqualified function ARNs.");
  Function* f = store.function(ref.account, ref.region, ref.name);
  if (!f) throw errors::function_not_found(arn);
  return *f;
}
}  // namespace

Output LambdaService::tag_resource(Call& c) {
  Function& f = tagged(store_, c);
  if (auto* tags = opt_obj(c.input, "Tags"))
    for (auto& [k, v] : *tags) f.tags[k] = v;
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::untag_resource(Call& c) {
  Function& f = tagged(store_, c);
  if (auto* keys = opt_arr(c.input, "TagKeys"))
    for (auto& k : *keys)
      if (k.is_string()) f.tags.erase(k.get_string());
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::list_tags(Call& c) { return json::object{{"Tags", tagged(store_, c).tags}}; }

Output LambdaService::get_function_recursion_config(Call& c) {
  Function& f = require_function(c);
  return json::object{{"RecursiveLoop", str_or(f.extra, "RecursiveLoop", "Terminate")}};
}

Output LambdaService::put_function_recursion_config(Call& c) {
  Function& f = require_function(c);
  f.extra["RecursiveLoop"] = str_or(c.input, "RecursiveLoop", "Terminate");
  store_.save(f);
  return json::object{{"RecursiveLoop", f.extra["RecursiveLoop"]}};
}

Output LambdaService::get_runtime_management_config(Call& c) {
  Function& f = require_function(c);
  json::object out{{"UpdateRuntimeOn", str_or(f.extra, "UpdateRuntimeOn", "Auto")}, {"FunctionArn", f.arn()}};
  if (auto v = opt_str(f.extra, "RuntimeVersionArn")) out["RuntimeVersionArn"] = *v;
  return out;
}

Output LambdaService::put_runtime_management_config(Call& c) {
  Function& f = require_function(c);
  f.extra["UpdateRuntimeOn"] = str_or(c.input, "UpdateRuntimeOn", "Auto");
  if (auto v = opt_str(c.input, "RuntimeVersionArn")) f.extra["RuntimeVersionArn"] = *v;
  store_.save(f);
  json::object out{{"UpdateRuntimeOn", f.extra["UpdateRuntimeOn"]}, {"FunctionArn", f.arn()}};
  if (auto v = opt_str(f.extra, "RuntimeVersionArn")) out["RuntimeVersionArn"] = *v;
  return out;
}

}  // namespace stratus::lambda
