#include "server/core.hpp"

#include <stratus/config.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>

int main(int argc, char** argv) {
  int exit_code = 0;
  auto config = stratus::parse_command_line(argc, argv, exit_code);
  if (!config) return exit_code;
  std::signal(SIGPIPE, SIG_IGN);
  auto logger = spdlog::stdout_color_mt("stratus");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(spdlog::level::from_str(config->log_level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  try {
    stratus::server::Server server(std::move(*config));
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}
