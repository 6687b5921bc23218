#include "core.hpp"
#include "session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>

namespace stratus::server {
namespace asio = boost::asio;
using asio::awaitable;

Core::Core(Config cfg)
    : config(std::move(cfg)),
      storage(config.data_dir),
      pool(config.blocking_threads),
      env{io, config, clock, bus, storage, pool, identities, services, 0} {}

Core::~Core() {
  // Pending coroutines (parked long polls, retries) are destroyed now, while the clock, bus,
  // services and storage they reference are alive; the io_context itself goes last, after the
  // services have closed the descriptors and timers they own.
  io_owner->shutdown();
}

Server::Server(Config cfg) : core_(std::move(cfg)) {}

namespace {
awaitable<void> run_session(Core& core, asio::ip::tcp::socket socket) {
  Session session(core, std::move(socket));
  co_await session.run();
}
}  // namespace

awaitable<void> Server::accept_loop(asio::ip::tcp::acceptor& acceptor) {
  asio::steady_timer backoff(core_.io);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("accept: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));  // EMFILE and friends: breathe
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    asio::co_spawn(core_.io, run_session(core_, std::move(socket)), asio::detached);
  }
}

void Server::shutdown() {
  if (core_.stopping.exchange(true)) {
    spdlog::warn("Second signal: stopping now");
    core_.io.stop();
    return;
  }
  spdlog::info("Shutting down: finishing in-flight requests");
  boost::system::error_code ec;
  acceptor_->close(ec);
  asio::co_spawn(
      core_.io,
      [this]() -> awaitable<void> {
        // Wake everything parked on the clock (long polls, Runtime API /next, retries) so the
        // requests in flight complete now instead of pinning shutdown; then let them finish.
        core_.clock.cancel_all();
        asio::steady_timer t(core_.io);
        auto deadline = std::chrono::steady_clock::now() + core_.config.shutdown_grace;
        while (!core_.sessions.empty() && std::chrono::steady_clock::now() < deadline) {
          for (Session* s : core_.sessions) s->stop_if_idle();
          t.expires_after(std::chrono::milliseconds(10));
          co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        auto& all = core_.services.all();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
          if (!(*it)->running()) continue;
          try {
            (*it)->stop();
          } catch (const std::exception& e) {
            spdlog::error("stopping {}: {}", (*it)->name(), e.what());
          }
        }
        core_.io.stop();
      },
      asio::detached);
}

int Server::run() {
  register_services(core_.services, core_.config.services);
  core_.router = std::make_unique<Router>(core_.services);
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(core_.io);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(core_.config.host, ec);
  if (ec) {
    spdlog::error("invalid --host '{}': {}", core_.config.host, ec.message());
    return 2;
  }
  asio::ip::tcp::endpoint ep(address, core_.config.port);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    spdlog::error("cannot listen on {}:{}: {}", core_.config.host, core_.config.port, ec.message());
    return 1;
  }
  core_.env.port = acceptor_->local_endpoint().port();
  core_.bus.attach(core_.services, core_.env.local_endpoint());
  core_.services.attach(core_.env);
  // In memory there is nothing to restore: each service starts on first use. A data dir holds
  // state whose timers, pollers and schedules must resume now.
  if (core_.storage.persistent() || core_.config.eager_services) core_.services.start_all();
  if (!core_.config.port_file.empty()) {
    std::string tmp = core_.config.port_file + ".tmp";
    { std::ofstream(tmp) << core_.env.port << "\n"; }
    std::rename(tmp.c_str(), core_.config.port_file.c_str());
  }
  asio::signal_set signals(core_.io, SIGINT, SIGTERM);
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& e, int) {
    if (e) return;
    shutdown();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);
  asio::co_spawn(core_.io, accept_loop(*acceptor_), asio::detached);
  std::string names;
  for (auto& s : core_.services.all()) names += (names.empty() ? "" : ",") + s->name();
  spdlog::info("Stratus {} listening on http://{}:{} ({}; services: {})", STRATUS_VERSION,
               address.is_v6() ? "[" + core_.config.host + "]" : core_.config.host, core_.env.port,
               core_.storage.persistent() ? "data in " + core_.storage.data_dir()->string() : "in memory", names);
  spdlog::info("Ready.");
  core_.io.run();
  core_.pool.stop();
  spdlog::info("Stopped.");
  return 0;
}

}  // namespace stratus::server

