#pragma once
// Process configuration: CLI flags, STRATUS_* environment variables and an optional YAML file
// (in that order of precedence).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus {

enum class AuthMode { open, strict };

struct Credential {
  std::string access_key_id, secret_access_key;
};

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;
  std::optional<std::filesystem::path> data_dir;  // none: state in memory
  AuthMode auth = AuthMode::open;
  std::vector<Credential> credentials;             // keys accepted in strict mode
  std::string log_level = "info";
  std::vector<std::string> services;               // empty: all
  bool eager_services = false;                     // start every service at launch (default: on first use
                                                   // in memory; always at launch with a data dir)
  bool cors = true;
  std::vector<std::string> cors_origins{"*"};
  std::string port_file;                           // written with the bound port once serving
  std::string hostname_external;                   // host used in URLs Stratus returns ("" = from request)
  // net limits
  uint64_t spill_threshold = 1 << 20;              // request bodies above this go to a temp file
  uint32_t header_limit = 32 * 1024;               // bytes of request head: 431 above
  std::chrono::seconds header_timeout{30};         // to read a request head once bytes arrive
  std::chrono::seconds idle_timeout{120};          // keep-alive idle
  std::chrono::seconds body_timeout{60};           // inactivity while reading a body
  std::chrono::seconds shutdown_grace{10};
  unsigned blocking_threads = 2;
  // runtimes (Lambda)
  std::string node_binary = "node";
  std::string python_binary = "python3";
};

// Parses argv (+ env + YAML). Returns nullopt and prints help/version/errors when the process
// should exit with `exit_code`.
std::optional<Config> parse_command_line(int argc, char** argv, int& exit_code);

}  // namespace stratus
