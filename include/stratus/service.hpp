#pragma once
// What a service is to the core: a table of operations (plain functions of an input document to
// an output document), optional HTTP data-plane claims, and a lifecycle. Services never see
// Beast/Asio sockets; the protocol layer turns requests into documents and back.
#include <stratus/aws_error.hpp>
#include <stratus/http.hpp>
#include <stratus/json.hpp>
#include <stratus/model.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace stratus {

class Bus;
class BlockingPool;
class Clock;
class Identities;
class ServiceRegistry;
class Storage;
struct Config;
class Service;

enum class RequestIdStyle { uuid, s3, dynamodb };

struct RequestContext {
  std::string request_id;
  std::string account_id{"000000000000"};
  std::string region{"us-east-1"};
  std::string access_key_id;
  std::string principal_arn;
  Service* service = nullptr;
  std::string operation;
  Protocol protocol = Protocol::json;
  bool signed_request = false;
  std::string endpoint;   // "http://localhost:4566" as the client addressed Stratus
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// One operation invocation.
struct Call {
  RequestContext& ctx;
  json::object input;              // the operation's input document
  Payload body;                    // the payload member's bytes for streaming/blob payloads
  const HttpRequest& http;         // read-only, for the rare quirk the model cannot express
  const model::Operation* op = nullptr;
};

struct Output {
  json::object doc;                // the operation's output document
  Payload body;                    // the payload member's bytes for blob/streaming payloads
  int status = 0;                  // 0: the model's responseCode
  Headers headers;                 // additional headers (rare)
  Output() = default;
  Output(json::object d) : doc(std::move(d)) {}  // NOLINT: implicit on purpose
};

struct Handler {
  std::function<Output(Call&)> sync;
  std::function<boost::asio::awaitable<Output>(Call&)> async;
};

struct ModelRef {
  std::string model;               // models/<model>.json
  Protocol protocol;
  mutable const model::Model* resolved = nullptr;  // cache for model_for()
};

struct ServiceInfo {
  std::string name;                          // "sqs": health, coverage, --services, store names
  std::vector<ModelRef> models;              // first = default protocol
  std::vector<std::string> target_prefixes;  // X-Amz-Target prefixes (json protocol)
  std::vector<std::string> signing_names;    // SigV4 credential-scope service names
  std::string query_version;                 // query protocol Version=
  std::string json_error_prefix;             // JSON __type prefix, e.g. "com.amazonaws.dynamodb.v20120810#"
  std::map<std::string, std::string, std::less<>> json_error_types;  // code → full __type where it differs
  std::string validation_error_code = "ValidationException";
  bool validate_enums = true;
  bool validate_patterns = false;
  RequestIdStyle request_id = RequestIdStyle::uuid;
  bool handles_cors = false;                 // the service answers CORS itself
  bool fallback = false;                     // receives requests no other rule claimed (S3)
  uint64_t max_body = 32ull << 20;           // 413 above
  // The service's own error for a body over max_body (size 0: unknown); default the core's 413.
  std::function<AwsError(uint64_t size, uint64_t limit)> too_large;
  std::string xml_namespace;                 // rest-xml root element namespace
  std::map<std::string, std::string, std::less<>> xml_root_names;  // rest-xml output shape → root element
  bool crc32_header = false;                 // x-amz-crc32 of the body (DynamoDB)
  bool early_claims = false;                 // claim() runs before other services' claims (exact data-plane
                                             // hosts such as <api>.execute-api.<host>, which heuristics of
                                             // other services' claims must not take)
};

// What services get from the core at start().
struct Env {
  boost::asio::io_context& io;
  const Config& config;
  Clock& clock;
  Bus& bus;
  Storage& storage;
  BlockingPool& pool;
  Identities& identities;
  ServiceRegistry& services;
  uint16_t port = 0;               // the bound port (for URLs handed to child processes)
  std::string local_endpoint() const;  // http://127.0.0.1:<port>
};

class Service {
 public:
  explicit Service(ServiceInfo info) : info_(std::move(info)) {}
  virtual ~Service() = default;
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  const ServiceInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }

  // Lifecycle. start() opens stores and registers bus targets; reset() drops all state.
  virtual void start(Env& env) { env_ = &env; }
  virtual void reset() {}
  virtual void stop() {}
  // For /_stratus/health: "running", or "unimplemented" while a service registers no operation.
  virtual std::string health() const { return handlers_.empty() && !serves_http() ? "unimplemented" : "running"; }
  virtual bool serves_http() const { return false; }

  // Host/path-based claims for requests the generic rules cannot place (data planes, virtual
  // hosts). A claim may normalise the request (e.g. move a virtual-host bucket into the path).
  enum class Claim { none, model, http, websocket };
  virtual Claim claim(HttpRequest& req) const { return Claim::none; }
  virtual boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req);
  virtual boost::asio::awaitable<void> handle_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws);

  const Handler* handler(std::string_view op) const;
  // Whether start() has run. In memory mode services start on first use (ServiceRegistry::get).
  bool running() const { return launched_; }
  const std::unordered_map<std::string, Handler>& handlers() const { return handlers_; }

 protected:
  Env& env() const { return *env_; }
  bool started() const { return env_ != nullptr; }
  void on(const std::string& op, std::function<Output(Call&)> fn) { handlers_[op].sync = std::move(fn); }
  void on_async(const std::string& op, std::function<boost::asio::awaitable<Output>(Call&)> fn) {
    handlers_[op].async = std::move(fn);
  }
  template <class S>
  void on(const std::string& op, Output (S::*fn)(Call&)) {
    on(op, [this, fn](Call& c) { return (static_cast<S*>(this)->*fn)(c); });
  }
  template <class S>
  void on(const std::string& op, boost::asio::awaitable<Output> (S::*fn)(Call&)) {
    on_async(op, [this, fn](Call& c) { return (static_cast<S*>(this)->*fn)(c); });
  }

 private:
  friend class ServiceRegistry;
  ServiceInfo info_;
  Env* env_ = nullptr;
  bool launched_ = false;
  std::unordered_map<std::string, Handler> handlers_;
};

// The services of this process, in registration order (src/service_list.cpp).
// Services start lazily, like LocalStack's: a service with no persisted state has nothing to
// restore, so it starts on its first request, bus delivery or lookup by another service (get()).
// With --data-dir every service starts at once (start_all), resuming its timers and pollers.
class ServiceRegistry {
 public:
  void add(std::unique_ptr<Service> s);
  // The service registered under `name`, started or not (nullptr if not enabled).
  Service* find(std::string_view name) const;
  // The service registered under `name`, started first if it has not been (nullptr if not enabled).
  Service* get(std::string_view name);
  void ensure_started(Service& s);
  void attach(Env& env) { env_ = &env; }
  void start_all();
  const std::vector<std::unique_ptr<Service>>& all() const { return services_; }

 private:
  std::vector<std::unique_ptr<Service>> services_;
  Env* env_ = nullptr;
};

// Every service Stratus has (src/service_list.cpp); `enabled` filters by name (empty = all).
void register_services(ServiceRegistry& registry, const std::vector<std::string>& enabled);

// The model a service uses for a protocol (nullptr when the service has none for it).
const model::Model* model_for(const ServiceInfo& info, Protocol p);

}  // namespace stratus
