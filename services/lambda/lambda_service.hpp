#pragma once
// AWS Lambda (rest-json): the API over functions, versions, aliases, layers, URLs, permissions,
// async invoke configs and event-source mappings, with functions run as real local processes by
// the runtime manager (runtime/). Owns the "lambda" bus target (docs/SERVICES.md) and serves the
// function URL data plane (http://<url-id>.lambda-url.<region>.localhost:<port>/).
#include "hot_reload.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/runtime/manager.hpp>
#include <stratus/service.hpp>
#include <stratus/store.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace stratus::lambda {

// A function version an invocation runs, resolved from FunctionName + Qualifier.
struct Target {
  Function* fn = nullptr;
  Version* version = nullptr;
  std::string qualifier;         // what the caller named ("" unqualified, "$LATEST", "3", "live")
  std::string executed_version;  // "$LATEST" or "3"
  std::string invoked_arn;       // the ARN as invoked (with the qualifier when given)
};

struct InvokeOutcome {
  runtime::Result result;
  std::string executed_version;
};

class LambdaService final : public Service {
 public:
  LambdaService();
  ~LambdaService() override;
  void start(Env& env) override;
  void reset() override;
  void stop() override;
  bool serves_http() const override { return true; }
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;

 private:
  // functions (ops_functions.cpp)
  boost::asio::awaitable<Output> create_function(Call& c);
  Output get_function(Call& c);
  Output get_function_configuration(Call& c);
  Output list_functions(Call& c);
  boost::asio::awaitable<Output> update_function_code(Call& c);
  Output update_function_configuration(Call& c);
  Output delete_function(Call& c);
  Output get_account_settings(Call& c);
  Output put_function_concurrency(Call& c);
  Output get_function_concurrency(Call& c);
  Output delete_function_concurrency(Call& c);
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags(Call& c);
  Output get_function_recursion_config(Call& c);
  Output put_function_recursion_config(Call& c);
  Output get_runtime_management_config(Call& c);
  Output put_runtime_management_config(Call& c);
  // invocation (ops_invoke.cpp)
  boost::asio::awaitable<Output> invoke(Call& c);
  boost::asio::awaitable<Output> invoke_async(Call& c);
  boost::asio::awaitable<Output> invoke_with_response_stream(Call& c);
  boost::asio::awaitable<HttpResponse> stream_invoke_http(RequestContext& ctx, HttpRequest& req);
  // versions and aliases (ops_versions.cpp)
  Output publish_version(Call& c);
  Output list_versions_by_function(Call& c);
  Output create_alias(Call& c);
  Output get_alias(Call& c);
  Output update_alias(Call& c);
  Output delete_alias(Call& c);
  Output list_aliases(Call& c);
  // permissions (ops_permissions.cpp)
  Output add_permission(Call& c);
  Output remove_permission(Call& c);
  Output get_policy(Call& c);
  // layers (ops_layers.cpp)
  boost::asio::awaitable<Output> publish_layer_version(Call& c);
  Output get_layer_version(Call& c);
  Output get_layer_version_by_arn(Call& c);
  Output list_layer_versions(Call& c);
  Output list_layers(Call& c);
  Output delete_layer_version(Call& c);
  Output add_layer_version_permission(Call& c);
  Output remove_layer_version_permission(Call& c);
  Output get_layer_version_policy(Call& c);
  // function URLs (ops_urls.cpp)
  Output create_function_url_config(Call& c);
  Output get_function_url_config(Call& c);
  Output update_function_url_config(Call& c);
  Output delete_function_url_config(Call& c);
  Output list_function_url_configs(Call& c);
  boost::asio::awaitable<HttpResponse> serve_url(RequestContext& ctx, HttpRequest& req, std::string_view url_id);
  // async invocation (async_invoke.cpp)
  Output put_function_event_invoke_config(Call& c);
  Output update_function_event_invoke_config(Call& c);
  Output get_function_event_invoke_config(Call& c);
  Output delete_function_event_invoke_config(Call& c);
  Output list_function_event_invoke_configs(Call& c);
  // event-source mappings (ops_esm.cpp, esm_pollers.cpp)
  Output create_event_source_mapping(Call& c);
  Output get_event_source_mapping(Call& c);
  Output update_event_source_mapping(Call& c);
  Output delete_event_source_mapping(Call& c);
  Output list_event_source_mappings(Call& c);

 public:
  // ---- shared by the files above ----
  Function& require_function(const Call& c, std::string_view name_param = "FunctionName");
  // Resolves FunctionName (+ Qualifier) to the version to run; alias weights pick the version.
  Target resolve(std::string_view account, std::string_view region, std::string_view function_name,
                 std::optional<std::string> qualifier);
  Version* find_version(Function& f, std::string_view version);
  // The FunctionConfiguration a caller sees for a version (State, ARNs, layers...).
  json::object configuration(const Function& f, const Version& v) const;
  void touch(Function& f, Version& v);  // new RevisionId + LastModified
  // Runs one invocation on the runtime manager (waits for the result). Throws AwsError for
  // throttling and missing code.
  boost::asio::awaitable<InvokeOutcome> execute(const Target& t, runtime::Invocation inv);
  // Queues an Event invocation (retries, destinations, DLQ); returns at once.
  void enqueue_event(const Target& t, std::string payload, std::string request_id, std::string source);
  // Code: zip blobs (by hex SHA-256) unpacked under the blob store.
  std::filesystem::path code_dir(const Version& v) const;
  std::filesystem::path unpacked_dir(std::string_view sha) const;
  boost::asio::awaitable<void> ensure_unpacked(std::string sha);
  // Reads a FunctionCode / Content structure (ZipFile, S3Bucket+S3Key, hot-reload) into a stored zip.
  struct CodeInfo {
    std::string sha_hex, sha_b64, hot_reload;
    int64_t size = 0;
  };
  boost::asio::awaitable<CodeInfo> store_code(const json::object& code, const RequestContext& ctx, bool layer);
  void release_code(const std::string& sha);
  void retire(const Function& f);
  // ESM pollers.
  void start_mapping(const std::string& uuid);
  void stop_mapping(const std::string& uuid);
  std::string endpoint_host(const RequestContext& ctx) const;
  std::string url_for(const std::string& url_id, const std::string& region) const;

  Store store_;
  std::unique_ptr<runtime::Manager> runtime_;
  std::unique_ptr<HotReload> hot_;
  std::string blob_dir_;
  std::map<std::string, std::string> url_index_;  // url id → account \x1f region \x1f name \x1f qualifier
  // Credentials handed to functions, per role, from STS (when running).
  struct Creds {
    std::string key, secret, token;
    double expires = 0;
  };
  std::map<std::string, Creds> creds_;
  boost::asio::awaitable<std::vector<std::pair<std::string, std::string>>> credentials_for(std::string role, std::string account,
                                                                                 std::string region, std::string name);
  // Log delivery to CloudWatch Logs (the logs service, in process).
  std::set<std::string> known_streams_;
  std::set<std::string> unpacked_;  // code shas whose directory exists (saves a stat per invoke)
  void deliver_logs(const std::string& account, const std::string& region, const std::string& group,
                    const std::string& stream, std::vector<runtime::LogEvent> events);
  // Event-source mapping pollers: uuid → generation (a poller stops when its generation changes).
  std::map<std::string, uint64_t> pollers_;
  uint64_t poller_generation_ = 0;
  uint64_t epoch_ = 0;  // bumped by reset(): async work of an older epoch stops
  boost::asio::awaitable<void> poll_sqs(std::string uuid, uint64_t generation);
  boost::asio::awaitable<void> poll_stream(std::string uuid, uint64_t generation);
  boost::asio::awaitable<void> run_event(std::string account, std::string region, std::string name,
                                        std::string qualifier, std::string payload, std::string request_id,
                                        uint64_t epoch);
};

}  // namespace stratus::lambda
