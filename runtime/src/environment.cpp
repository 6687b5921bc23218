// The Runtime API of one execution environment, exactly as Lambda serves it:
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
#include "environment.hpp"

#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/json.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

namespace stratus::runtime {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr std::string_view kApiPrefix = "/2018-06-01/runtime/";
// Lambda's payload limit for a buffered response (6 MB + 100 bytes of framing).
constexpr size_t kMaxResponse = 6291556;
constexpr size_t kMaxLine = 256 * 1024;
constexpr size_t kTailBytes = 4096;
// Each write to CloudWatch Logs is a SQLite transaction (~50 µs with its commit): with 32 busy
// environments a 20 ms delay spent a third of Stratus's CPU on commits. Lambda's own delivery takes
// seconds; 100 ms is still immediate for a reader.
constexpr auto kLogFlushDelay = std::chrono::milliseconds(100);
// Lines written per batch at most, unless they arrive faster than the loop writes them: a batch
// costs the loop ~5 µs a line (SQLite), and a request arriving meanwhile waits.
constexpr size_t kFlushLines = 32;
// An environment waiting this long for its next event is frozen (SIGSTOP) until one arrives.
constexpr auto kFreezeAfter = std::chrono::milliseconds(100);

HttpResponse json_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Payload(std::move(body));
  return r;
}

HttpResponse api_error(int status, std::string_view type, std::string_view message) {
  json::object o{{"errorMessage", message}, {"errorType", type}};
  return json_response(status, json::serialize(o));
}

HttpResponse accepted() { return json_response(202, R"({"status":"OK"})"); }

// The request body, moved out rather than copied (a response may be 6 MB).
std::string take_body(HttpRequest& req) {
  if (req.body.kind() == Payload::Kind::memory) return std::move(req.body.str());
  return req.body.read_all();
}

std::string trace_header() {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  char root[16];
  std::snprintf(root, sizeof root, "%08llx", static_cast<unsigned long long>(secs));
  // Trace ids need to be unique, not secret: a PRNG seeded once is far cheaper than the CSPRNG.
  static std::mt19937_64 rng = [] {
    std::string seed = crypto::random_bytes(8);
    uint64_t v = 0;
    std::memcpy(&v, seed.data(), std::min<size_t>(seed.size(), sizeof v));
    return std::mt19937_64(v);
  }();
  char bytes[24];
  for (size_t i = 0; i < sizeof bytes; i += 8) {
    uint64_t x = rng();
    std::memcpy(bytes + i, &x, 8);
  }
  std::string r = crypto::hex(std::string_view(bytes, sizeof bytes));
  return "Root=1-" + std::string(root) + "-" + r.substr(0, 24) + ";Parent=" + r.substr(24, 16) +
         ";Sampled=0;Lineage=1:" + r.substr(40, 8) + ":0";
}

// "nodejs20.x" → "nodejs:20.v1", "python3.12" → "python:3.12.v1", "provided.al2023" → "provided:al2023.v1"
std::string runtime_version(std::string_view runtime) {
  std::string r(runtime);
  if (r.ends_with(".x")) r.resize(r.size() - 2);
  size_t digit = r.find_first_of("0123456789.");
  if (r.starts_with("provided")) {
    auto dot = r.find('.');
    return dot == std::string::npos ? "provided:al1.v1" : "provided:" + r.substr(dot + 1) + ".v1";
  }
  if (digit == std::string::npos) return r + ":v1";
  return r.substr(0, digit) + ":" + r.substr(digit) + ".v1";
}

std::string iso_now(Clock& clock) { return iso8601(clock.now_seconds()); }

}  // namespace

Environment::Environment(Manager& manager, FunctionSpec spec)
    : manager_(&manager), spec_(std::move(spec)), work_(manager.clock_) {
  log_stream_ = log_stream_name(manager.clock_.now_seconds(), spec_.version);
}

Environment::~Environment() {
  if (statm_fd_ >= 0) ::close(statm_fd_);
  if (child_.pid > 0 && !exited_) {
    kill_group(child_.pid);
    int st = 0;
    waitpid(child_.pid, &st, 0);
  }
  if (api_) api_->close();
}

void Environment::start(const std::vector<std::string>& argv, std::vector<std::string> envp) {
  std::weak_ptr<Environment> weak = weak_from_this();
  // A response POSTed in streaming mode flows to the caller chunk by chunk (InvokeWithResponseStream,
  // RESPONSE_STREAM URLs), or is gathered for callers that want it whole.
  auto on_head = [weak](const HttpRequest& head) -> ApiServer::StreamSink {
    auto self = weak.lock();
    if (!self || head.method != "POST" ||
        !iequals(head.header_or("lambda-runtime-function-response-mode"), "streaming"))
      return {};
    auto p = self->current_;
    if (!p || !p->delivered || p->done ||
        head.path != std::string(kApiPrefix) + "invocation/" + p->inv.request_id + "/response")
      return {};
    p->result.streamed = true;
    return [p](std::string_view chunk) {
      if (p->done) return;
      if (p->inv.on_chunk) p->inv.on_chunk(chunk);
      else p->result.payload.append(chunk);
    };
  };
  api_ = ApiServer::start(
      manager_->io_,
      [weak](HttpRequest& req) -> awaitable<HttpResponse> {
        auto self = weak.lock();
        if (!self) co_return api_error(500, "Runtime.Unavailable", "execution environment is gone");
        co_return co_await self->handle(req);
      },
      std::move(on_head), 64ull << 20);
  envp.push_back("AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(api_->port()));
  envp.push_back("AWS_LAMBDA_LOG_STREAM_NAME=" + log_stream_);
  spawned_ = std::chrono::steady_clock::now();
  try {
    child_ = spawn_child(argv, envp, spec_.code_dir);
  } catch (const std::system_error& e) {
    api_->close();
    state_ = State::dead;
    exited_ = true;
    // Lambda's wording for a bootstrap it cannot run ("fork/exec /var/task/bootstrap: permission denied").
    std::string why = e.code().message();
    if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    throw RuntimeUnavailable(e.code() == std::errc::no_such_file_or_directory
                                 ? "executable '" + argv[0] + "' not found"
                                 : "fork/exec " + argv[0] + ": " + why);
  }
  output_ = std::make_unique<asio::posix::stream_descriptor>(manager_->io_, child_.output);
  if (child_.pidfd >= 0) pidfd_ = std::make_unique<asio::posix::stream_descriptor>(manager_->io_, child_.pidfd);
  std::string ver = runtime_version(spec_.runtime);
  platform("INIT_START Runtime Version: " + ver + "\tRuntime Version ARN: arn:aws:lambda:" + spec_.region +
           "::runtime:" + crypto::sha256_hex(ver));
  // Written at once: the log group and stream exist from the environment's start, as in Lambda.
  post_flush();
  asio::co_spawn(manager_->io_, read_output(shared_from_this()), asio::detached);
  asio::co_spawn(manager_->io_, watch_exit(shared_from_this()), asio::detached);
}

std::shared_ptr<Pending> Environment::assign(Invocation inv) {
  auto p = std::make_shared<Pending>(manager_->clock_);
  if (inv.trace_id.empty()) inv.trace_id = trace_header();
  p->inv = std::move(inv);
  current_ = p;
  work_.notify_all();
  return p;
}

// ---- Runtime API --------------------------------------------------------------------------------

awaitable<HttpResponse> Environment::handle(HttpRequest& req) {
  std::string_view path = req.path;
  if (!path.starts_with(kApiPrefix)) co_return api_error(404, "InvalidRequest", "Unknown path " + req.path);
  path.remove_prefix(kApiPrefix.size());
  if (path == "invocation/next") {
    if (req.method != "GET") co_return api_error(405, "MethodNotAllowed", "Method not allowed");
    co_return co_await next();
  }
  if (path == "init/error") {
    if (req.method != "POST") co_return api_error(405, "MethodNotAllowed", "Method not allowed");
    co_return on_init_error(req);
  }
  if (path.starts_with("invocation/")) {
    path.remove_prefix(11);
    auto slash = path.rfind('/');
    if (slash != std::string_view::npos && req.method == "POST") {
      std::string id = url_decode(path.substr(0, slash));
      std::string_view what = path.substr(slash + 1);
      if (what == "response") co_return on_response(id, req);
      if (what == "error") co_return on_error(id, req);
    }
  }
  co_return api_error(404, "InvalidRequest", "Unknown path " + req.path);
}

awaitable<HttpResponse> Environment::next() {
  auto self = shared_from_this();
  Clock& clock = manager_->clock_;
  if (!init_done_) {
    init_done_ = true;
    init_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned_).count();
    report_init_ = true;
    state_ = State::ready;
  }
  const auto idle_deadline = clock.now() + manager_->options_.idle_ttl;
  for (;;) {
    if (state_ == State::dead) co_return api_error(500, "Runtime.Unavailable", "execution environment is shutting down");
    if (current_ && !current_->delivered) break;
    if (current_ && !current_->done)
      co_return api_error(403, "InvalidStateTransition",
                          "State transition from RuntimeResponseSentState to RuntimeReadyState failed for runtime. "
                          "Error: the invocation " + current_->inv.request_id + " has not been answered");
    auto until = frozen_ ? idle_deadline : std::min(idle_deadline, clock.now() + kFreezeAfter);
    bool woke = co_await work_.wait_until(until);
    if (woke || state_ == State::dead || current_ || busy) continue;
    if (clock.stopped() || clock.now() >= idle_deadline) {
      // Idle for the environment's lifetime (or Stratus is stopping): Lambda reclaims it.
      kill("idle");
      co_return api_error(500, "Runtime.Unavailable", "execution environment expired");
    }
    // Lambda freezes an environment between invocations: its timers and background work do not
    // run, and an idle environment costs no CPU. Thawed before the next event is handed over.
    freeze();
  }
  thaw();
  auto p = current_;
  p->delivered = true;
  p->delivered_at = std::chrono::steady_clock::now();
  p->deadline = clock.now() + std::chrono::seconds(spec_.timeout_s);
  auto deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count() + spec_.timeout_s * 1000LL;
  HttpResponse r;
  r.status = 200;
  r.headers.add("Content-Type", "application/json");
  r.headers.add("Lambda-Runtime-Aws-Request-Id", p->inv.request_id);
  r.headers.add("Lambda-Runtime-Deadline-Ms", std::to_string(deadline_ms));
  r.headers.add("Lambda-Runtime-Invoked-Function-Arn", p->inv.invoked_arn);
  r.headers.add("Lambda-Runtime-Trace-Id", p->inv.trace_id);
  if (!p->inv.client_context.empty()) r.headers.add("Lambda-Runtime-Client-Context", p->inv.client_context);
  if (!p->inv.cognito_identity.empty()) r.headers.add("Lambda-Runtime-Cognito-Identity", p->inv.cognito_identity);
  r.body = Payload(std::move(p->inv.payload));  // delivered once: nothing reads it afterwards
  platform("START RequestId: " + p->inv.request_id + " Version: " + spec_.version);
  p->event.notify_all();
  co_return r;
}

HttpResponse Environment::on_response(const std::string& id, HttpRequest& req) {
  auto p = current_;
  if (!p || !p->delivered || p->done || p->inv.request_id != id) return api_error(400, "InvalidRequestID", "Invalid request ID");
  drain_output();
  bool streaming = iequals(req.header_or("lambda-runtime-function-response-mode"), "streaming");
  std::string body = take_body(req);
  if (streaming) {
    // The chunks went to the caller (or into the payload) while they arrived; a Content-Length
    // body (no chunks) is passed on now.
    p->result.streamed = true;
    if (!body.empty()) {
      if (p->inv.on_chunk) p->inv.on_chunk(body);
      else p->result.payload.append(body);
    }
    if (auto* t = req.header("lambda-runtime-function-error-type")) {
      p->result.stream_error_type = *t;
      auto b = crypto::base64_decode(req.header_or("lambda-runtime-function-error-body"));
      p->result.stream_error_body = b ? *b : std::string(req.header_or("lambda-runtime-function-error-body"));
      p->result.function_error = "Unhandled";
      p->result.error_type = *t;
    }
    if (auto* ct = req.header("content-type"); ct && !ct->empty()) p->result.content_type = *ct;
    finish(p, "", "");
    return accepted();
  }
  if (body.size() > kMaxResponse) {
    p->result.function_error = "Unhandled";
    p->result.error_type = "Function.ResponseSizeTooLarge";
    p->result.payload = error_document(
        "Function.ResponseSizeTooLarge",
        "Response payload size exceeded maximum allowed payload size (" + std::to_string(kMaxResponse) + " bytes).");
    finish(p, "error", "Function.ResponseSizeTooLarge");
    return api_error(413, "RequestEntityTooLarge",
                     "Exceeded maximum allowed payload size (" + std::to_string(kMaxResponse) + " bytes).");
  }
  if (auto* ct = req.header("content-type"); ct && !ct->empty()) p->result.content_type = *ct;
  p->result.payload = std::move(body);
  finish(p, "", "");
  return accepted();
}

HttpResponse Environment::on_error(const std::string& id, HttpRequest& req) {
  auto p = current_;
  if (!p || !p->delivered || p->done || p->inv.request_id != id) return api_error(400, "InvalidRequestID", "Invalid request ID");
  drain_output();
  std::string type(req.header_or("lambda-runtime-function-error-type"));
  std::string body = take_body(req);
  if (type.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (!ec && v.is_object()) type = str_or(v.as_object(), "errorType");
  }
  if (type.empty()) type = "Runtime.Unknown";
  if (trim(body).empty()) body = error_document(type, "");
  p->result.payload = std::move(body);
  p->result.function_error = "Unhandled";
  p->result.error_type = type;
  finish(p, "", type);
  return accepted();
}

HttpResponse Environment::on_init_error(HttpRequest& req) {
  if (init_done_)
    return api_error(403, "InvalidStateTransition",
                     "State transition from Ready to InitError failed for runtime. Error: init already completed");
  drain_output();
  init_error_type_ = std::string(req.header_or("lambda-runtime-function-error-type"));
  init_error_body_ = req.body.read_all();
  if (init_error_type_.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(init_error_body_, ec);
    if (!ec && v.is_object()) init_error_type_ = str_or(v.as_object(), "errorType");
  }
  if (init_error_type_.empty()) init_error_type_ = "Runtime.Unknown";
  if (trim(init_error_body_).empty()) init_error_body_ = error_document(init_error_type_, "");
  init_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned_).count();
  char buf[160];
  std::snprintf(buf, sizeof buf, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: %s", init_ms_,
                init_error_type_.c_str());
  platform(buf);
  if (auto p = current_; p && !p->done) {
    platform("START RequestId: " + p->inv.request_id + " Version: " + spec_.version);
    p->delivered = true;
    p->delivered_at = std::chrono::steady_clock::now();
    p->result.payload = init_error_body_;
    p->result.function_error = "Unhandled";
    p->result.error_type = init_error_type_;
    report_init_ = false;
    finish(p, "error", init_error_type_);
  }
  retired = true;
  // The runtime exits after reporting; give it a moment to read the answer, then make sure.
  auto self = shared_from_this();
  auto timer = std::make_shared<asio::steady_timer>(manager_->io_, std::chrono::milliseconds(200));
  timer->async_wait([self, timer](const boost::system::error_code&) { self->kill("init error"); });
  return accepted();
}

// ---- Process output and exit ----------------------------------------------------------------------

awaitable<void> Environment::read_output(std::shared_ptr<Environment> self) {
  while (self->output_ && self->output_->is_open()) {
    auto [ec] = co_await self->output_->async_wait(asio::posix::stream_descriptor::wait_read,
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    self->drain_output();
  }
}

void Environment::drain_output() {
  if (!output_ || !output_->is_open()) return;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(output_->native_handle(), buf, sizeof buf);
    if (n > 0) {
      partial_.append(buf, static_cast<size_t>(n));
      size_t start = 0;
      for (;;) {
        size_t nl = partial_.find('\n', start);
        if (nl == std::string::npos) break;
        line(std::string_view(partial_).substr(start, nl - start), true);
        start = nl + 1;
      }
      partial_.erase(0, start);
      while (partial_.size() >= kMaxLine) {
        line(std::string_view(partial_).substr(0, kMaxLine), true);
        partial_.erase(0, kMaxLine);
      }
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0 && errno == EINTR) continue;
    // EOF (every writer is gone) or an error: the last partial line still counts.
    if (!partial_.empty()) {
      line(partial_, true);
      partial_.clear();
    }
    boost::system::error_code ignored;
    output_->close(ignored);
    return;
  }
}

awaitable<void> Environment::watch_exit(std::shared_ptr<Environment> self) {
  int st = 0;
  if (self->pidfd_) {
    auto [ec] = co_await self->pidfd_->async_wait(asio::posix::stream_descriptor::wait_read,
                                                  asio::as_tuple(asio::use_awaitable));
    (void)ec;
    if (waitpid(self->child_.pid, &st, WNOHANG) != self->child_.pid) {
      // Spurious wake-up or cancelled: fall back to polling below.
    } else {
      self->on_exit(st);
      co_return;
    }
  }
  asio::steady_timer t(self->manager_ ? self->manager_->io_.get_executor() : co_await asio::this_coro::executor);
  for (;;) {
    pid_t r = waitpid(self->child_.pid, &st, WNOHANG);
    if (r == self->child_.pid || (r < 0 && errno == ECHILD)) break;
    t.expires_after(std::chrono::milliseconds(50));
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  self->on_exit(st);
}

void Environment::on_exit(int st) {
  exited_ = true;
  exit_status_ = st;
  boost::system::error_code ignored;
  if (pidfd_) pidfd_->close(ignored);
  drain_output();
  // Children the runtime left behind die with it.
  ::kill(-child_.pid, SIGKILL);
  if (auto p = current_; p && !p->done) {
    std::string why = describe_exit(st);
    bool clean = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    std::string msg = clean ? "Runtime exited without providing a reason" : "Runtime exited with error: " + why;
    if (!p->delivered) {
      platform("START RequestId: " + p->inv.request_id + " Version: " + spec_.version);
      p->delivered = true;
      p->delivered_at = std::chrono::steady_clock::now();
      char buf[160];
      std::snprintf(buf, sizeof buf, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError",
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned_).count());
      platform(buf);
      report_init_ = false;
    }
    fail(p, "Runtime.ExitError", msg, "error", true);
  }
  if (state_ != State::dead) {
    state_ = State::dead;
    if (api_) api_->close();
    work_.notify_all();
  }
  flush_logs();
  if (manager_ && !busy) manager_->forget(this);
}

void Environment::freeze() {
  if (frozen_ || exited_ || child_.pid <= 0) return;
  ::kill(-child_.pid, SIGSTOP);
  frozen_ = true;
}

void Environment::thaw() {
  if (!frozen_) return;
  frozen_ = false;
  if (!exited_ && child_.pid > 0) ::kill(-child_.pid, SIGCONT);
}

void Environment::kill(const char* why) {
  if (state_ == State::dead) return;
  spdlog::debug("lambda {}: discarding execution environment ({})", spec_.function_name, why);
  drain_output();
  if (current_ && !current_->done)
    fail(current_, "Runtime.ExitError", "Runtime exited with error: signal: killed", "error", true);
  state_ = State::dead;
  if (child_.pid > 0 && !exited_) kill_group(child_.pid);
  if (api_) api_->close();
  work_.notify_all();
  flush_logs();
}

// ---- Invocation outcomes ----------------------------------------------------------------------------

void Environment::time_out(const std::shared_ptr<Pending>& p) {
  if (p->done) return;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", static_cast<double>(spec_.timeout_s));
  drain_output();
  platform(iso_now(manager_->clock_) + " " + p->inv.request_id + " Task timed out after " + secs + " seconds");
  fail(p, "Sandbox.Timedout", std::string("Task timed out after ") + secs + " seconds", "timeout", false);
  kill("timeout");
}

void Environment::init_time_out(const std::shared_ptr<Pending>& p) {
  if (p->done) return;
  drain_output();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - spawned_).count();
  char buf[160];
  std::snprintf(buf, sizeof buf, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: timeout", ms);
  platform(buf);
  platform("START RequestId: " + p->inv.request_id + " Version: " + spec_.version);
  p->delivered = true;
  p->delivered_at = std::chrono::steady_clock::now();
  report_init_ = false;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", static_cast<double>(manager_->options_.init_timeout.count()));
  platform(iso_now(manager_->clock_) + " " + p->inv.request_id + " Task timed out after " + secs + " seconds");
  fail(p, "Sandbox.Timedout", std::string("Task timed out after ") + secs + " seconds", "timeout", false);
  kill("init timeout");
}

void Environment::check_memory(const std::shared_ptr<Pending>& p) {
  if (p->done || exited_ || child_.pid <= 0) return;
  long rss = 0, peak = 0;
  memory_kib(child_.pid, rss, peak);
  long others = descendants_rss_kib(child_.pid);
  rss += others;
  peak_kib_ = std::max(peak_kib_, std::max(peak, rss));
  if (rss / 1024 < spec_.memory_mb) return;
  drain_output();
  kill_group(child_.pid);
  peak_kib_ = std::max(peak_kib_, static_cast<long>(spec_.memory_mb) * 1024);
  fail(p, "Runtime.OutOfMemory", "Runtime exited with error: signal: killed", "error", true);
  kill("out of memory");
}

void Environment::fail(const std::shared_ptr<Pending>& p, std::string error_type, const std::string& message,
                       std::string report_status, bool runtime_line) {
  std::string text = "RequestId: " + p->inv.request_id + " Error: " + message;
  if (runtime_line) {
    platform(text);
    platform(error_type);
  }
  p->result.function_error = "Unhandled";
  p->result.error_type = error_type;
  p->result.payload = error_document(error_type, text);
  finish(p, std::move(report_status), std::move(error_type));
}

// Max Memory Used at the end of an invocation. The process's own peak (VmHWM, from the costly
// status file) is read after init and by the 50 ms samples of longer invocations; a warm, short
// invocation adds its current resident size (statm), which keeps the warm path cheap.
void Environment::sample_memory() {
  if (child_.pid <= 0 || exited_) return;
  if (report_init_) {
    long rss = 0, peak = 0;
    memory_kib(child_.pid, rss, peak);
    peak_kib_ = std::max(peak_kib_, peak);
    return;
  }
  peak_kib_ = std::max(peak_kib_, rss_kib(child_.pid, statm_fd_));
}

void Environment::finish(const std::shared_ptr<Pending>& p, std::string status, std::string error_type) {
  if (p->done) return;
  sample_memory();
  Result& r = p->result;
  if (p->delivered)
    r.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p->delivered_at).count();
  if (report_init_) {
    r.init_duration_ms = init_ms_;
    r.cold = true;
    report_init_ = false;
  }
  r.max_memory_mb = static_cast<int>(std::min<long>((peak_kib_ + 1023) / 1024, spec_.memory_mb));
  platform("END RequestId: " + p->inv.request_id);
  platform(format_report(p->inv.request_id, r, spec_.memory_mb, status, error_type));
  if (p->inv.tail_logs)
    r.log_tail = p->tail.size() > kTailBytes ? p->tail.substr(p->tail.size() - kTailBytes) : p->tail;
  p->done = true;
  if (current_ == p) current_.reset();
  schedule_flush();
  p->event.notify_all();
}

// ---- Logs ------------------------------------------------------------------------------------------

void Environment::line(std::string_view text, bool from_function) {
  if (!manager_) return;
  Clock& clock = manager_->clock_;
  if (auto& p = current_; p && p->delivered && !p->done && p->inv.tail_logs) {
    p->tail.append(text);
    p->tail.push_back('\n');
    if (p->tail.size() > 4 * kTailBytes) p->tail.erase(0, p->tail.size() - kTailBytes);
  }
  if (manager_->options_.echo_logs) {
    if (from_function && current_ && text.find(current_->inv.request_id) == std::string_view::npos)
      spdlog::info("λ {} {} {}", spec_.function_name, current_->inv.request_id, text);
    else
      spdlog::info("λ {} {}", spec_.function_name, text);
  }
  std::string msg(text);
  msg.push_back('\n');
  log_buffer_.push_back(LogEvent{clock.now_ms(), std::move(msg)});
  if (log_buffer_.size() >= 1000) flush_logs();
  else if (log_buffer_.size() >= kFlushLines) post_flush();
  else schedule_flush();
}

// A full batch is written as soon as the work already queued on the loop is done: the answer to
// the invocation that filled it goes out first, and no single write holds the loop for long.
void Environment::post_flush() {
  if (flush_posted_ || !manager_) return;
  flush_posted_ = true;
  std::weak_ptr<Environment> weak = weak_from_this();
  auto& io = manager_->io_;
  asio::post(io, [weak, &io] {
    asio::post(io, [weak] {
      if (auto self = weak.lock()) {
        self->flush_posted_ = false;
        self->flush_logs();
      }
    });
  });
}

// Lines are written to CloudWatch Logs in batches: a PutLogEvents per invocation would cost more
// than the invocation itself (Lambda's own delivery is asynchronous too, and slower). Nothing is
// scheduled while an environment is quiet.
void Environment::schedule_flush() {
  if (flush_scheduled_ || !manager_) return;
  flush_scheduled_ = true;
  std::weak_ptr<Environment> weak = weak_from_this();
  auto timer = std::make_shared<asio::steady_timer>(manager_->io_, kLogFlushDelay);
  timer->async_wait([weak, timer](const boost::system::error_code&) {
    if (auto self = weak.lock()) {
      self->flush_scheduled_ = false;
      self->flush_logs();
    }
  });
}

void Environment::flush_logs() {
  if (log_buffer_.empty() || !manager_ || !manager_->options_.log_sink) {
    log_buffer_.clear();
    return;
  }
  auto events = std::move(log_buffer_);
  log_buffer_.clear();
  manager_->options_.log_sink(spec_.account, spec_.region, spec_.log_group, log_stream_, std::move(events));
}

}  // namespace stratus::runtime
