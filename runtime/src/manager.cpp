#include "environment.hpp"

#include <stratus/crypto.hpp>
#include <stratus/json.hpp>

#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stratus::runtime {
namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::awaitable;

namespace embedded {
struct File {
  const char* name;
  const char* begin;
  const char* end;
};
extern const File kFiles[];
extern const size_t kFileCount;
}  // namespace embedded

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The executable a name resolves to on PATH ("" when none).
std::string which(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string_view p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!p.empty()) {
    auto colon = p.find(':');
    std::string dir(p.substr(0, colon));
    p = colon == std::string_view::npos ? std::string_view() : p.substr(colon + 1);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Version managers (pyenv, nvm, asdf) install shell-script shims that cost tens of milliseconds
// per start: resolve them once to the real interpreter.
std::string resolve_interpreter(const std::string& configured, const char* probe) {
  std::string path = which(configured);
  if (path.empty()) return configured;
  char head[2] = {};
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    size_t n = std::fread(head, 1, 2, f);
    std::fclose(f);
    if (n != 2 || head[0] != '#' || head[1] != '!') return path;
  }
  std::string cmd = "'" + path + "' " + probe + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return !out.empty() && access(out.c_str(), X_OK) == 0 ? out : path;
}

std::string join_paths(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ':';
    out += p;
  }
  return out;
}

std::string python_minor(std::string_view runtime) {
  // "python3.12" → "3.12"
  return std::string(runtime.substr(6));
}

}  // namespace

// How a custom runtime's `bootstrap` is started. Amazon Linux's /bin/sh is bash (in POSIX mode);
// Debian's is dash, which rejects what custom runtimes written for Lambda use — `source`,
// `set -o pipefail`, `function f ()`: AWS's own tutorial bootstrap has all three
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-walkthrough.html). So a `#!/bin/sh`
// script runs under bash --posix, as it would on Lambda; anything else is executed as it is.
std::vector<std::string> bootstrap_command(const fs::path& bootstrap) {
  std::vector<std::string> direct{bootstrap.string()};
  static const bool sh_is_dash = [] {
    std::error_code ec;
    auto target = fs::canonical("/bin/sh", ec);
    return !ec && target.filename() != "bash" && access("/bin/bash", X_OK) == 0;
  }();
  if (!sh_is_dash || access(bootstrap.c_str(), X_OK) != 0) return direct;
  char head[256] = {};
  size_t n = 0;
  if (FILE* f = std::fopen(bootstrap.c_str(), "rb")) {
    n = std::fread(head, 1, sizeof head - 1, f);
    std::fclose(f);
  }
  std::string_view line(head, n);
  if (!line.starts_with("#!")) return direct;
  line = line.substr(2, line.find('\n') == std::string_view::npos ? std::string_view::npos : line.find('\n') - 2);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  auto space = line.find_first_of(" \t");
  if (line.substr(0, space) != "/bin/sh") return direct;
  std::vector<std::string> argv{"/bin/bash", "--posix"};
  if (space != std::string_view::npos) {
    // Like the kernel: everything after the interpreter is one argument.
    std::string_view arg = line.substr(space);
    while (!arg.empty() && (arg.front() == ' ' || arg.front() == '\t')) arg.remove_prefix(1);
    if (!arg.empty()) argv.emplace_back(arg);
  }
  argv.push_back(bootstrap.string());
  return argv;
}

std::string error_document(std::string_view error_type, std::string_view message) {
  json::object o{{"errorType", error_type}, {"errorMessage", message}};
  return json::serialize(o);
}

std::string log_stream_name(double epoch_seconds, const std::string& version) {
  auto whole = static_cast<time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char date[40];  // room for any int fields, as the compiler checks
  std::snprintf(date, sizeof date, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return std::string(date) + "/[" + version + "]" + crypto::hex(crypto::random_bytes(16));
}

std::string format_report(const std::string& request_id, const Result& r, int memory_mb, const std::string& status,
                          const std::string& error_type) {
  char buf[512];
  long billed = static_cast<long>(std::ceil(r.duration_ms));
  if (billed < 1) billed = 1;
  int n = std::snprintf(buf, sizeof buf,
                        "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %ld ms\tMemory Size: %d MB\tMax "
                        "Memory Used: %d MB\t",
                        request_id.c_str(), r.duration_ms, billed, memory_mb, r.max_memory_mb);
  std::string out(buf, static_cast<size_t>(n));
  if (r.cold) {
    std::snprintf(buf, sizeof buf, "Init Duration: %.2f ms\t", r.init_duration_ms);
    out += buf;
  }
  if (!status.empty()) {
    out += "Status: " + status + "\t";
    if (!error_type.empty()) out += "Error Type: " + error_type + "\t";
  }
  return out;
}

Manager::Manager(asio::io_context& io, Clock& clock, Options options)
    : io_(io), clock_(clock), options_(std::move(options)) {}

Manager::~Manager() { shutdown(); }

void Manager::install_bootstraps() {
  for (size_t i = 0; i < embedded::kFileCount; ++i) {
    const auto& f = embedded::kFiles[i];
    std::string_view content(f.begin, static_cast<size_t>(f.end - f.begin));
    fs::path dest = options_.runtime_dir / f.name;
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    {
      std::ifstream in(dest, std::ios::binary);
      if (in) {
        std::stringstream ss;
        ss << in.rdbuf();
        if (ss.str() == content) continue;
      }
    }
    fs::path tmp = dest;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec, ec);
    fs::rename(tmp, dest, ec);
    if (ec) spdlog::error("lambda: cannot write runtime bootstrap {}: {}", dest.string(), ec.message());
  }
}

std::vector<std::string> Manager::command_for(const FunctionSpec& spec, std::string& error) const {
  const std::string& rt = spec.runtime;
  if (starts_with(rt, "nodejs")) {
    // The flags AWS's own nodejs bootstrap passes: global.gc exists, and V8's heap is sized from
    // MemorySize, so the garbage collector works within the function's memory as it does on Lambda.
    int new_space = spec.memory_mb / 10;
    return {options_.node_binary,
            "--expose-gc",
            "--max-http-header-size",
            "81920",
            "--max-semi-space-size=" + std::to_string(new_space / 2),
            "--max-old-space-size=" + std::to_string(spec.memory_mb - new_space),
            (options_.runtime_dir / "nodejs" / "bootstrap.cjs").string()};
  }
  if (starts_with(rt, "python")) {
    auto& self = const_cast<Manager&>(*this);
    if (self.python_resolved_.empty())
      self.python_resolved_ = resolve_interpreter(options_.python_binary, "-c 'import sys; print(sys.executable)'");
    return {python_resolved_, "-u", (options_.runtime_dir / "python" / "bootstrap.py").string()};
  }
  if (starts_with(rt, "provided")) {
    fs::path b = spec.code_dir / "bootstrap";
    if (access(b.c_str(), F_OK) == 0) return bootstrap_command(b);
    for (auto it = spec.layer_dirs.rbegin(); it != spec.layer_dirs.rend(); ++it) {
      fs::path lb = *it / "bootstrap";
      if (access(lb.c_str(), F_OK) == 0) return bootstrap_command(lb);
    }
    error = "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
    return {};
  }
  error = "Stratus cannot run the " + rt + " runtime (nodejs, python and provided runtimes are supported)";
  return {};
}

namespace {

std::vector<std::string> environment_for(const FunctionSpec& spec, const Options& o, const fs::path& runtime_dir) {
  std::vector<std::pair<std::string, std::string>> vars;
  auto set = [&](std::string k, std::string v) {
    for (auto& [key, val] : vars)
      if (key == k) {
        val = std::move(v);
        return;
      }
    vars.emplace_back(std::move(k), std::move(v));
  };
  const bool node = starts_with(spec.runtime, "nodejs"), python = starts_with(spec.runtime, "python");
  std::string task = spec.code_dir.string();
  // Layers are merged into /opt on AWS, later layers winning: search them last-first.
  std::vector<std::string> bins, libs, node_paths, py_paths;
  for (auto it = spec.layer_dirs.rbegin(); it != spec.layer_dirs.rend(); ++it) {
    std::string l = it->string();
    bins.push_back(l + "/bin");
    libs.push_back(l + "/lib");
    if (node) {
      std::string major = spec.runtime.substr(6, spec.runtime.find('.') - 6);
      node_paths.push_back(l + "/nodejs/node" + major + "/node_modules");
      node_paths.push_back(l + "/nodejs/node_modules");
    }
    if (python) {
      py_paths.push_back(l + "/python/lib/python" + python_minor(spec.runtime) + "/site-packages");
      py_paths.push_back(l + "/python");
    }
  }
  const char* host_path = std::getenv("PATH");
  const char* host_ld = std::getenv("LD_LIBRARY_PATH");
  std::vector<std::string> path = bins;
  path.push_back(host_path ? host_path : "/usr/local/bin:/usr/bin:/bin");
  std::vector<std::string> ld = {task + "/lib"};
  ld.insert(ld.end(), libs.begin(), libs.end());
  if (host_ld) ld.push_back(host_ld);

  set("PATH", join_paths(path));
  set("LD_LIBRARY_PATH", join_paths(ld));
  set("LANG", "en_US.UTF-8");
  set("TZ", ":UTC");
  if (node) {
    node_paths.push_back((runtime_dir / "nodejs" / "node_modules").string());
    node_paths.push_back((runtime_dir / "nodejs").string());
    node_paths.push_back(task);
    set("NODE_PATH", join_paths(node_paths));
  }
  if (python) {
    py_paths.push_back((runtime_dir / "python").string());
    set("PYTHONPATH", join_paths(py_paths));
  }
  set("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
  set("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000");
  set("_AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129");
  set("_AWS_XRAY_DAEMON_PORT", "2000");
  // The function's own variables; reserved ones below always win (CreateFunction rejects them).
  for (auto& [k, v] : spec.variables) set(k, v);
  set("_HANDLER", spec.handler);
  set("LAMBDA_TASK_ROOT", task);
  set("LAMBDA_RUNTIME_DIR", (runtime_dir / (node ? "nodejs" : python ? "python" : "")).string());
  set("AWS_REGION", spec.region);
  set("AWS_DEFAULT_REGION", spec.region);
  if (!starts_with(spec.runtime, "provided")) set("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime);
  set("AWS_LAMBDA_FUNCTION_NAME", spec.function_name);
  set("AWS_LAMBDA_FUNCTION_VERSION", spec.version);
  set("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(spec.memory_mb));
  set("AWS_LAMBDA_LOG_GROUP_NAME", spec.log_group);
  set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
  if (spec.log_format == "JSON") {
    set("AWS_LAMBDA_LOG_FORMAT", "JSON");
    if (!spec.application_log_level.empty()) set("AWS_LAMBDA_LOG_LEVEL", spec.application_log_level);
  }
  for (auto& [k, v] : spec.credentials) set(k, v);
  // Stratus: the function's AWS SDK calls come back here.
  if (!o.endpoint.empty()) {
    bool user_set = false;
    for (auto& [k, v] : spec.variables) user_set = user_set || k == "AWS_ENDPOINT_URL";
    if (!user_set) set("AWS_ENDPOINT_URL", o.endpoint);
  }
  std::vector<std::string> out;
  out.reserve(vars.size() + 2);
  for (auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

std::shared_ptr<Environment> Manager::acquire(const FunctionSpec& spec, bool& cold) {
  size_t fn_busy = busy_count(spec.function_key);
  if (spec.reserved_concurrency && fn_busy >= static_cast<size_t>(*spec.reserved_concurrency))
    throw Throttled("ReservedFunctionConcurrentInvocationLimitExceeded");
  auto& pool = pools_[spec.pool_key];
  for (auto it = pool.rbegin(); it != pool.rend(); ++it) {
    auto& e = *it;
    if (!e->busy && e->alive() && !e->retired) {
      e->busy = true;
      ++busy_;
      cold = false;
      return e;
    }
  }
  if (busy_ >= static_cast<size_t>(options_.account_concurrency)) throw Throttled("ConcurrentInvocationLimitExceeded");
  std::string error;
  auto argv = command_for(spec, error);
  if (!error.empty()) throw RuntimeUnavailable(error);
  auto env = std::make_shared<Environment>(*this, spec);
  env->start(argv, environment_for(spec, options_, options_.runtime_dir));
  env->busy = true;
  ++busy_;
  pool.push_back(env);
  cold = true;
  return env;
}

void Manager::release(const std::shared_ptr<Environment>& env) {
  if (env->busy) {
    env->busy = false;
    --busy_;
  }
  if (!env->alive() || env->retired) {
    env->kill(env->alive() ? "retired" : "gone");
    forget(env.get());
  }
}

void Manager::forget(Environment* env) {
  auto it = pools_.find(env->spec().pool_key);
  if (it == pools_.end()) return;
  auto& v = it->second;
  std::erase_if(v, [env](const std::shared_ptr<Environment>& e) { return e.get() == env; });
  if (v.empty()) pools_.erase(it);
}

awaitable<Result> Manager::invoke(const FunctionSpec& spec, Invocation inv) {
  bool cold = false;
  std::shared_ptr<Environment> env;
  try {
    env = acquire(spec, cold);
  } catch (const RuntimeUnavailable& e) {
    spdlog::error("lambda {}: cannot start the {} runtime: {}", spec.function_name, spec.runtime, e.what());
    Result r;
    r.function_error = "Unhandled";
    r.error_type = "Runtime.InvalidEntrypoint";
    r.payload = error_document(r.error_type, "RequestId: " + inv.request_id + " Error: " + e.what());
    co_return r;
  }
  struct Release {
    Manager* m;
    std::shared_ptr<Environment> e;
    ~Release() {
      if (e->busy || !e->alive() || e->retired) m->release(e);
    }
  } guard{this, env};
  auto p = env->assign(std::move(inv));
  const auto init_deadline = clock_.now() + options_.init_timeout;
  while (!p->delivered && !p->done)
    if (!co_await p->event.wait_until(init_deadline)) break;
  if (!p->delivered && !p->done) env->init_time_out(p);
  // Memory is sampled while the invocation runs (Max Memory Used, Runtime.OutOfMemory).
  while (!p->done) {
    auto check = clock_.now() + std::chrono::milliseconds(50);
    co_await p->event.wait_until(std::min(p->deadline, check));
    if (p->done) break;
    if (clock_.now() >= p->deadline) {
      env->time_out(p);
      break;
    }
    env->check_memory(p);
  }
  Result r = std::move(p->result);
  r.cold = r.cold || cold;
  co_return r;
}

void Manager::retire(std::string_view function_key) {
  std::vector<std::shared_ptr<Environment>> idle;
  for (auto& [key, pool] : pools_)
    for (auto& e : pool)
      if (e->spec().function_key == function_key) {
        e->retired = true;
        if (!e->busy) idle.push_back(e);
      }
  for (auto& e : idle) {
    e->kill("retired");
    forget(e.get());
  }
}

void Manager::shutdown() {
  std::vector<std::shared_ptr<Environment>> all;
  for (auto& [key, pool] : pools_)
    for (auto& e : pool) all.push_back(e);
  pools_.clear();
  for (auto& e : all) {
    e->retired = true;
    e->kill("shutdown");
    e->detach();
  }
}

size_t Manager::environment_count() const {
  size_t n = 0;
  for (auto& [key, pool] : pools_) n += pool.size();
  return n;
}

size_t Manager::busy_count(std::string_view function_key) const {
  if (function_key.empty()) return busy_;
  size_t n = 0;
  for (auto& [key, pool] : pools_)
    for (auto& e : pool)
      if (e->busy && e->spec().function_key == function_key) ++n;
  return n;
}

}  // namespace stratus::runtime
