// Command line (CLI11), STRATUS_* environment variables and an optional YAML file (yaml-cpp).
// Precedence: flags > environment > YAML > defaults.
#include <stratus/config.hpp>
#include <stratus/strings.hpp>

#include <CLI/CLI.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <iostream>

namespace stratus {
namespace {

std::vector<Credential> parse_credentials(const std::vector<std::string>& items) {
  std::vector<Credential> out;
  for (auto& item : items)
    for (auto part : split(item, ',')) {
      part = trim(part);
      if (part.empty()) continue;
      auto colon = part.find(':');
      if (colon == std::string_view::npos) throw CLI::ValidationError("--credentials", "expected ACCESS_KEY_ID:SECRET");
      out.push_back({std::string(part.substr(0, colon)), std::string(part.substr(colon + 1))});
    }
  return out;
}

void load_yaml(const std::string& path, Config& c, std::vector<std::string>& creds, std::string& auth,
               std::string& data_dir, std::vector<std::string>& services) {
  YAML::Node y = YAML::LoadFile(path);
  if (y["host"]) c.host = y["host"].as<std::string>();
  if (y["port"]) c.port = y["port"].as<uint16_t>();
  if (y["data_dir"]) data_dir = y["data_dir"].as<std::string>();
  if (y["auth"]) auth = y["auth"].as<std::string>();
  if (y["log_level"]) c.log_level = y["log_level"].as<std::string>();
  if (y["services"]) {
    if (y["services"].IsSequence()) services = y["services"].as<std::vector<std::string>>();
    else services = {y["services"].as<std::string>()};
  }
  if (y["cors"]) c.cors = y["cors"].as<bool>();
  if (y["eager_services"]) c.eager_services = y["eager_services"].as<bool>();
  if (y["cors_origins"]) c.cors_origins = y["cors_origins"].as<std::vector<std::string>>();
  if (y["port_file"]) c.port_file = y["port_file"].as<std::string>();
  if (y["hostname_external"]) c.hostname_external = y["hostname_external"].as<std::string>();
  if (y["spill_threshold"]) c.spill_threshold = y["spill_threshold"].as<uint64_t>();
  if (y["header_limit"]) c.header_limit = y["header_limit"].as<uint32_t>();
  if (y["node"]) c.node_binary = y["node"].as<std::string>();
  if (y["python"]) c.python_binary = y["python"].as<std::string>();
  if (y["credentials"])
    for (auto n : y["credentials"]) {
      if (n.IsMap())
        creds.push_back(n["access_key_id"].as<std::string>() + ":" + n["secret_access_key"].as<std::string>());
      else
        creds.push_back(n.as<std::string>());
    }
}

}  // namespace

std::optional<Config> parse_command_line(int argc, char** argv, int& exit_code) {
  Config c;
  std::string config_file, auth = "open", data_dir;
  std::vector<std::string> creds, services;
  // The YAML file supplies defaults, so it is read before the flags are parsed.
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) config_file = argv[i + 1];
    else if (a.starts_with("--config=")) config_file = std::string(a.substr(9));
  }
  if (config_file.empty())
    if (const char* e = std::getenv("STRATUS_CONFIG")) config_file = e;
  try {
    if (!config_file.empty()) load_yaml(config_file, c, creds, auth, data_dir, services);
  } catch (const std::exception& e) {
    std::cerr << "stratus: cannot read config file " << config_file << ": " << e.what() << "\n";
    exit_code = 2;
    return std::nullopt;
  }

  CLI::App app{"Stratus: a local AWS-compatible serverless cloud in one process", "stratus"};
  app.set_version_flag("--version", std::string("stratus ") + STRATUS_VERSION);
  app.fallthrough();
  auto* serve = app.add_subcommand("serve", "Serve the AWS endpoint (the default)");
  (void)serve;
  app.require_subcommand(0, 1);
  app.add_option("--config", config_file, "YAML configuration file")->envname("STRATUS_CONFIG");
  app.add_option("--host", c.host, "Address to bind")->envname("STRATUS_HOST")->capture_default_str();
  app.add_option("--port", c.port, "Port to listen on (0 picks a free one)")->envname("STRATUS_PORT")->capture_default_str();
  app.add_option("--data-dir", data_dir, "Persist state here (default: in memory)")->envname("STRATUS_DATA_DIR");
  app.add_option("--auth", auth, "open: accept any credentials; strict: verify SigV4 signatures")
      ->envname("STRATUS_AUTH")
      ->check(CLI::IsMember({"open", "strict"}))
      ->capture_default_str();
  app.add_option("--credentials", creds, "Keys accepted in strict mode: ACCESS_KEY_ID:SECRET[,...]")
      ->envname("STRATUS_CREDENTIALS")
      ->delimiter(',');
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error, off")
      ->envname("STRATUS_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--services", services, "Services to run, comma-separated (default: all)")
      ->envname("STRATUS_SERVICES")
      ->delimiter(',');
  app.add_flag("--eager-services", c.eager_services,
               "Start every service at launch instead of on first use (always so with --data-dir)")
      ->envname("STRATUS_EAGER_SERVICES");
  app.add_flag("--cors,!--no-cors", c.cors, "Answer CORS for browser clients")->envname("STRATUS_CORS");
  app.add_option("--cors-origins", c.cors_origins, "Allowed origins (default *)")
      ->envname("STRATUS_CORS_ORIGINS")
      ->delimiter(',');
  app.add_option("--port-file", c.port_file, "Write the bound port to this file once serving")
      ->envname("STRATUS_PORT_FILE");
  app.add_option("--hostname-external", c.hostname_external, "host[:port] used in URLs Stratus returns")
      ->envname("STRATUS_HOSTNAME_EXTERNAL");
  app.add_option("--spill-threshold", c.spill_threshold, "Request bodies above this many bytes go to disk")
      ->envname("STRATUS_SPILL_THRESHOLD")
      ->capture_default_str();
  app.add_option("--header-limit", c.header_limit, "Largest request head in bytes (431 above)")
      ->envname("STRATUS_HEADER_LIMIT")
      ->capture_default_str();
  app.add_option("--node", c.node_binary, "Node.js executable for nodejs* Lambda runtimes")->envname("STRATUS_NODE");
  app.add_option("--python", c.python_binary, "Python executable for python* Lambda runtimes")->envname("STRATUS_PYTHON");
  try {
    app.parse(argc, argv);
    c.credentials = parse_credentials(creds);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  c.auth = auth == "strict" ? AuthMode::strict : AuthMode::open;
  // LocalStack's switch for the same thing.
  if (const char* e = std::getenv("EAGER_SERVICE_LOADING"); e && (std::string_view(e) == "1" || std::string_view(e) == "true"))
    c.eager_services = true;
  if (!data_dir.empty()) c.data_dir = std::filesystem::absolute(data_dir);
  for (auto& s : services)
    for (auto part : split(s, ','))
      if (!trim(part).empty()) c.services.emplace_back(trim(part));
  if (c.auth == AuthMode::strict && c.credentials.empty()) {
    std::cerr << "stratus: --auth strict needs --credentials ACCESS_KEY_ID:SECRET (or STRATUS_CREDENTIALS)\n";
    exit_code = 2;
    return std::nullopt;
  }
  return c;
}

}  // namespace stratus
