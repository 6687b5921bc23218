#include <stratus/model.hpp>
#include <stratus/service.hpp>

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
