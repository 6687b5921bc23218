#pragma once
// The server's internals: what owns what, and the request path from socket to service.
#include <stratus/blocking.hpp>
#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/config.hpp>
#include <stratus/identity.hpp>
#include <stratus/service.hpp>
#include <stratus/store.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <optional>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

namespace stratus::server {

struct Route {
  enum class Kind { none, internal, model, http, websocket };
  Kind kind = Kind::none;
  Service* service = nullptr;
  Protocol protocol = Protocol::json;
  std::string why;  // for requests nobody claims: what was looked at
};

class Router {
 public:
  explicit Router(ServiceRegistry& services);
  // Decides from the request line and headers; `with_body` also reads a form body's Action=.
  Route route(HttpRequest& req, bool with_body) const;

 private:
  Route for_service(Service* s, const HttpRequest& req) const;
  std::optional<Route> claimed(Service* s, HttpRequest& req) const;
  ServiceRegistry& services_;
  std::vector<Service*> early_;  // services whose claims run first (ServiceInfo::early_claims)
  std::unordered_map<std::string, Service*> by_target_;
  std::unordered_map<std::string, std::vector<Service*>> by_signing_;
  std::unordered_map<std::string, Service*> by_query_version_;
  Service* fallback_ = nullptr;
};

class Session;

// An io_context whose pending work (parked coroutines, queued handlers) can be destroyed while the
// objects that work refers to, and the I/O objects services own, are still alive.
class IoContext : public boost::asio::io_context {
 public:
  using boost::asio::io_context::io_context;
  using boost::asio::io_context::shutdown;
};

struct Core {
  explicit Core(Config cfg);
  ~Core();
  Config config;
  // Shut down first and destroyed last (see ~Core).
  std::unique_ptr<IoContext> io_owner = std::make_unique<IoContext>(1);
  boost::asio::io_context& io = *io_owner;
  Clock clock{io.get_executor()};
  Bus bus{clock};
  Storage storage;
  BlockingPool pool;
  Identities identities;
  ServiceRegistry services;
  Env env;
  std::unique_ptr<Router> router;
  std::atomic<bool> stopping{false};
  std::list<Session*> sessions;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();
};

// Handles one complete request (body read) and produces the response.
boost::asio::awaitable<HttpResponse> dispatch(Core& core, HttpRequest& req, Route route);
// Response for failures found before a request reaches a service (431, 413, garbage).
HttpResponse early_error(Core& core, const Route* route, int status, std::string code, std::string message);
HttpResponse early_error(Core& core, const Route* route, AwsError e);
// Adds the headers every response carries (request id, Date, CORS).
void finish_response(Core& core, const HttpRequest& req, const RequestContext& ctx, const Service* svc, HttpResponse& r);
boost::asio::awaitable<HttpResponse> internal_endpoint(Core& core, HttpRequest& req);
bool cors_preflight(Core& core, const HttpRequest& req, HttpResponse& out);
void cors_headers(Core& core, const HttpRequest& req, HttpResponse& r);
std::string new_request_id(RequestIdStyle style);
void log_request(const RequestContext& ctx, const HttpRequest& req, int status);

// Listens and runs sessions until stop.
class Server {
 public:
  explicit Server(Config cfg);
  int run();

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);
  void shutdown();
  Core core_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace stratus::server
