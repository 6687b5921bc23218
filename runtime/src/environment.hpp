#pragma once
// One execution environment: a child process, its Runtime API endpoint, its log stream, and the
// invocation it is working on. Runs on the event loop only.
#include "api_server.hpp"
#include "process.hpp"

#include <stratus/http.hpp>
#include <stratus/runtime/manager.hpp>

#include <boost/asio/posix/stream_descriptor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace stratus::runtime {

// One invocation handed to an environment, shared by the waiting invoke() and the Runtime API.
struct Pending {
  explicit Pending(Clock& c) : event(c) {}
  Invocation inv;
  Result result;
  bool delivered = false, done = false;
  AsyncEvent event;  // notified on delivery and on completion
  Clock::time_point deadline;
  std::chrono::steady_clock::time_point delivered_at;
  std::string tail;  // this invocation's log lines (tail_logs)
};

class Environment : public std::enable_shared_from_this<Environment> {
 public:
  enum class State { starting, ready, dead };
  Environment(Manager& manager, FunctionSpec spec);
  ~Environment();

  // Starts the Runtime API endpoint and the process. Throws RuntimeUnavailable.
  void start(const std::vector<std::string>& argv, std::vector<std::string> envp);
  std::shared_ptr<Pending> assign(Invocation inv);

  // Ends an invocation Lambda's way (timeouts, memory) and discards the environment.
  void time_out(const std::shared_ptr<Pending>& p);
  void init_time_out(const std::shared_ptr<Pending>& p);
  void check_memory(const std::shared_ptr<Pending>& p);
  void kill(const char* why);
  // Lambda's freeze between invocations: the process group is stopped while it waits for work.
  void freeze();
  void thaw();

  bool alive() const { return state_ != State::dead; }
  const FunctionSpec& spec() const { return spec_; }
  bool busy = false;
  bool retired = false;
  void detach() { manager_ = nullptr; }
  std::chrono::steady_clock::time_point spawned_at() const { return spawned_; }

 private:
  boost::asio::awaitable<HttpResponse> handle(HttpRequest& req);
  boost::asio::awaitable<HttpResponse> next();
  HttpResponse on_response(const std::string& id, HttpRequest& req);
  HttpResponse on_error(const std::string& id, HttpRequest& req);
  HttpResponse on_init_error(HttpRequest& req);
  static boost::asio::awaitable<void> read_output(std::shared_ptr<Environment> self);
  static boost::asio::awaitable<void> watch_exit(std::shared_ptr<Environment> self);
  void on_exit(int wait_status);

  // Completes the current invocation: result, END/REPORT lines, logs, wake the waiter.
  void finish(const std::shared_ptr<Pending>& p, std::string status, std::string error_type);
  void fail(const std::shared_ptr<Pending>& p, std::string error_type, const std::string& message,
            std::string report_status, bool runtime_line);
  void drain_output();
  void line(std::string_view text, bool from_function);
  void platform(std::string text) { line(text, false); }
  void schedule_flush();
  void post_flush();
  void flush_logs();
  void sample_memory();

  Manager* manager_;
  FunctionSpec spec_;
  State state_ = State::starting;
  Child child_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> pidfd_, output_;
  std::shared_ptr<ApiServer> api_;
  std::string log_stream_;
  std::shared_ptr<Pending> current_;
  AsyncEvent work_;  // /next waiters: an invocation was assigned, or the environment died
  bool init_done_ = false;
  std::string init_error_type_, init_error_body_;
  std::chrono::steady_clock::time_point spawned_;
  double init_ms_ = 0;
  bool report_init_ = false;  // the next REPORT carries Init Duration
  long peak_kib_ = 0;
  int statm_fd_ = -1;  // /proc/<pid>/statm, kept open: read after every invocation
  std::string partial_;
  std::vector<LogEvent> log_buffer_;
  bool flush_scheduled_ = false;
  bool flush_posted_ = false;
  bool exited_ = false;
  bool frozen_ = false;
  int exit_status_ = 0;
};

}  // namespace stratus::runtime
