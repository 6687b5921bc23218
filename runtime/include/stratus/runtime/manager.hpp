#pragma once
// The Lambda runtime manager: execution environments as real child processes speaking the Lambda
// Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on their own
// loopback endpoint. Knows nothing of the Lambda API or its store: the service hands it a
// FunctionSpec (what to run) and an Invocation (what to deliver) and gets a Result back.
//
// Environments are reused while warm (same pool key), scale out up to the concurrency limits,
// expire when idle, and are discarded on timeouts, crashes and init failures. All on the event
// loop; no thread ever blocks on a child.
#include <stratus/clock.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stratus::runtime {

struct FunctionSpec {
  std::string pool_key;      // environments are shared only by identical specs (arn:version:revision)
  std::string function_key;  // the function (all versions): reserved concurrency and retire()
  std::string function_name, version, runtime, handler;
  std::filesystem::path code_dir;
  std::vector<std::filesystem::path> layer_dirs;  // in the function's layer order
  std::vector<std::pair<std::string, std::string>> variables;    // the function's own
  std::vector<std::pair<std::string, std::string>> credentials;  // AWS_ACCESS_KEY_ID, ...
  int memory_mb = 128;
  int timeout_s = 3;
  std::string account, region, log_group;
  std::string log_format = "Text";  // LoggingConfig.LogFormat
  std::string application_log_level, system_log_level;
  std::optional<int> reserved_concurrency;
};

struct Invocation {
  std::string request_id;
  std::string payload;           // the event
  std::string client_context;    // decoded JSON (Lambda-Runtime-Client-Context), may be empty
  std::string cognito_identity;  // JSON, may be empty
  std::string invoked_arn;
  std::string trace_id;          // X-Ray header value; generated when empty
  bool tail_logs = false;        // keep the last 4 KB of this invocation's log
  // Response streaming: called with each chunk as the runtime streams it (InvokeWithResponseStream,
  // RESPONSE_STREAM function URLs). Buffered responses ignore it.
  std::function<void(std::string_view)> on_chunk;
};

struct Result {
  std::string payload;          // the response, or Lambda's error document
  std::string function_error;   // "" or "Unhandled"
  std::string error_type;       // the error's errorType ("Runtime.ExitError", "Sandbox.Timedout", ...)
  std::string content_type = "application/json";
  std::string log_tail;         // last 4 KB of the invocation's log lines (tail_logs)
  bool streamed = false;        // the runtime used the streaming response mode
  std::string stream_error_type, stream_error_body;  // error trailers of a streamed response
  double duration_ms = 0, init_duration_ms = 0;
  int max_memory_mb = 0;
  bool cold = false;
};

// Thrown by invoke() when the concurrency limits leave no room (TooManyRequestsException).
struct Throttled : std::runtime_error {
  std::string reason;  // ReservedFunctionConcurrentInvocationLimitExceeded | ConcurrentInvocationLimitExceeded
  explicit Throttled(std::string r) : std::runtime_error("Rate Exceeded."), reason(std::move(r)) {}
};
// Thrown by invoke() when the runtime cannot be started at all (missing node/python executable).
struct RuntimeUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct LogEvent {
  int64_t timestamp_ms;
  std::string message;
};
// Receives the log lines of an environment's stream, in order, batched.
using LogSink = std::function<void(const std::string& account, const std::string& region, const std::string& group,
                                   const std::string& stream, std::vector<LogEvent> events)>;

struct Options {
  std::string node_binary = "node";
  std::string python_binary = "python3";
  std::filesystem::path runtime_dir;  // where the embedded bootstraps are written
  std::string endpoint;               // AWS_ENDPOINT_URL handed to functions
  std::chrono::seconds idle_ttl{600};
  std::chrono::seconds init_timeout{10};
  int account_concurrency = 1000;
  bool echo_logs = true;              // function output on Stratus's console
  LogSink log_sink;
};

class Environment;

class Manager {
 public:
  Manager(boost::asio::io_context& io, Clock& clock, Options options);
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Writes the bootstrap programs under options.runtime_dir (call once at start).
  void install_bootstraps();

  // Runs one invocation on a warm or new environment and waits for its result (or the timeout).
  // Throws Throttled or RuntimeUnavailable.
  boost::asio::awaitable<Result> invoke(const FunctionSpec& spec, Invocation inv);

  // Ends the environments of a function (code or configuration changed, function deleted):
  // idle ones now, busy ones when their invocation finishes.
  void retire(std::string_view function_key);
  // Kills every environment (reset, shutdown) and reaps the children.
  void shutdown();

  size_t environment_count() const;
  size_t busy_count(std::string_view function_key = {}) const;
  const Options& options() const { return options_; }

 private:
  friend class Environment;
  std::shared_ptr<Environment> acquire(const FunctionSpec& spec, bool& cold);
  void release(const std::shared_ptr<Environment>& env);
  void forget(Environment* env);
  std::vector<std::string> command_for(const FunctionSpec& spec, std::string& error) const;

  boost::asio::io_context& io_;
  Clock& clock_;
  Options options_;
  std::string python_resolved_;
  std::map<std::string, std::vector<std::shared_ptr<Environment>>, std::less<>> pools_;
  size_t busy_ = 0;
};

// Lambda's log line and tail helpers (pure; unit-tested).
std::string format_report(const std::string& request_id, const Result& r, int memory_mb, const std::string& status,
                          const std::string& error_type);
std::string log_stream_name(double epoch_seconds, const std::string& version);
// The command that starts a custom runtime's `bootstrap`: the file itself, or /bin/bash --posix for
// a `#!/bin/sh` script where /bin/sh is not bash (Amazon Linux's /bin/sh is bash).
std::vector<std::string> bootstrap_command(const std::filesystem::path& bootstrap);
// A JSON error document as Lambda writes it for failures it detects itself.
std::string error_document(std::string_view error_type, std::string_view message);

}  // namespace stratus::runtime
