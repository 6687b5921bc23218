#include <stratus/model.hpp>
#include <stratus/service.hpp>

#include <spdlog/spdlog.h>

#include <chrono>

namespace stratus {

boost::asio::awaitable<HttpResponse> Service::handle_http(RequestContext&, HttpRequest&) {
  throw AwsError("NotImplemented", "service " + name() + " has no HTTP data plane", 501, false);
  co_return HttpResponse{};
}

boost::asio::awaitable<void> Service::handle_websocket(RequestContext&, HttpRequest&, WebSocket& ws) {
  HttpResponse r;
  r.status = 400;
  co_await ws.reject(std::move(r));
}

const Handler* Service::handler(std::string_view op) const {
  auto it = handlers_.find(std::string(op));
  return it == handlers_.end() ? nullptr : &it->second;
}

void ServiceRegistry::add(std::unique_ptr<Service> s) { services_.push_back(std::move(s)); }

Service* ServiceRegistry::find(std::string_view name) const {
  for (auto& s : services_)
    if (s->name() == name) return s.get();
  return nullptr;
}

Service* ServiceRegistry::get(std::string_view name) {
  Service* s = find(name);
  if (s) ensure_started(*s);
  return s;
}

void ServiceRegistry::ensure_started(Service& s) {
  if (s.launched_ || !env_) return;
  s.launched_ = true;  // first: a start() that looks up another service may come back here
  auto t0 = std::chrono::steady_clock::now();
  s.start(*env_);
  spdlog::debug("started {} in {} µs", s.name(),
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
}

void ServiceRegistry::start_all() {
  for (auto& s : services_) ensure_started(*s);
}

const model::Model* model_for(const ServiceInfo& info, Protocol p) {
  for (auto& m : info.models)
    if (m.protocol == p) {
      if (!m.resolved) m.resolved = model::find_model(m.model);  // parsed once, never freed
      return m.resolved;
    }
  return nullptr;
}

std::string Env::local_endpoint() const { return "http://127.0.0.1:" + std::to_string(port); }

}  // namespace stratus
