#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/service.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace stratus {
namespace asio = boost::asio;

std::optional<Arn> Arn::parse(std::string_view s) {
  // arn:partition:service:region:account:resource (the resource may hold ':' and '/')
  Arn a;
  std::string_view parts[5];
  if (s.substr(0, 4) != "arn:") return std::nullopt;
  s.remove_prefix(4);
  for (int i = 0; i < 4; ++i) {
    auto p = s.find(':');
    if (p == std::string_view::npos) return std::nullopt;
    parts[i] = s.substr(0, p);
    s.remove_prefix(p + 1);
  }
  a.partition = parts[0];
  a.service = parts[1];
  a.region = parts[2];
  a.account = parts[3];
  a.resource = s;
  if (a.partition.empty() || a.service.empty() || a.resource.empty()) return std::nullopt;
  return a;
}

std::string Arn::str() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

void Bus::register_target(std::string service, TargetHandler handler) {
  targets_[std::move(service)] = std::move(handler);
}

bool Bus::has_target(std::string_view service) {
  if (targets_.count(std::string(service))) return true;
  return services_ && services_->get(service) && targets_.count(std::string(service));  // starts its owner
}

asio::awaitable<json::value> Bus::deliver(const Delivery& d) {
  auto arn = Arn::parse(d.target_arn);
  if (!arn) throw AwsError("InvalidArn", "Invalid target ARN: " + d.target_arn, 400);
  auto it = targets_.find(arn->service);
  if (it == targets_.end() && services_ && services_->get(arn->service)) it = targets_.find(arn->service);
  if (it == targets_.end())
    throw AwsError("ResourceNotFoundException",
                   "Stratus has no delivery target for service '" + arn->service + "' (" + d.target_arn + ")", 404);
  co_return co_await it->second(d);
}

void Bus::dispatch(Delivery d, Completion on_done) {
  asio::co_spawn(clock_.executor(), run(std::move(d), std::move(on_done)), asio::detached);
}

asio::awaitable<void> Bus::run(Delivery d, Completion on_done) {
  ++in_flight_;
  struct Count {
    size_t& n;
    ~Count() { --n; }
  } count{in_flight_};
  const auto started = clock_.now();
  AwsError last;
  const int attempts = std::max(1, d.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    try {
      json::value answer = co_await deliver(d);
      if (on_done) on_done(&answer, nullptr);
      co_return;
    } catch (const AwsError& e) {
      last = e;
    } catch (const std::exception& e) {
      last = AwsError::internal(e.what());
    }
    if (attempt >= attempts) break;
    auto delay = d.retry.base_delay * (1LL << std::min(attempt - 1, 20));
    if (delay > d.retry.max_delay) delay = d.retry.max_delay;
    if (clock_.now() + delay - started > d.retry.max_event_age) break;
    if (!co_await clock_.sleep_for(delay)) break;
  }
  spdlog::debug("bus: delivery to {} failed: {} {}", d.target_arn, last.code, last.message);
  if (!d.dead_letter_arn.empty()) {
    Delivery dl = d;
    dl.target_arn = d.dead_letter_arn;
    dl.dead_letter_arn.clear();
    dl.retry = RetryPolicy{};
    dl.attributes["dead_letter"] = json::object{{"error_code", last.code},
                                                {"error_message", last.message},
                                                {"source_arn", d.source_arn},
                                                {"target_arn", d.target_arn}};
    try {
      co_await deliver(dl);
    } catch (const std::exception& e) {
      spdlog::warn("bus: dead-letter delivery to {} failed: {}", dl.target_arn, e.what());
    }
  }
  if (on_done) on_done(nullptr, &last);
}

asio::awaitable<json::object> Bus::call(std::string_view service, std::string_view op, json::object input,
                                       std::string_view account, std::string_view region) {
  Service* s = services_ ? services_->get(service) : nullptr;
  if (!s) throw AwsError("ResourceNotFoundException", "Service '" + std::string(service) + "' is not running", 404);
  const Handler* h = s->handler(op);
  if (!h) throw AwsError::not_implemented(service, op);
  RequestContext ctx;
  ctx.request_id = ids::uuid4();
  ctx.account_id = std::string(account);
  ctx.region = std::string(region);
  ctx.principal_arn = "arn:aws:iam::" + ctx.account_id + ":root";
  ctx.service = s;
  ctx.operation = std::string(op);
  ctx.endpoint = endpoint_;
  HttpRequest http;
  http.method = "POST";
  http.path = "/";
  const model::Model* m = s->info().models.empty() ? nullptr : model::find_model(s->info().models.front().model);
  Call c{ctx, std::move(input), Payload{}, http, m ? m->operation(op) : nullptr};
  Output out;
  if (h->sync) out = h->sync(c);
  else out = co_await h->async(c);
  co_return std::move(out.doc);
}

}  // namespace stratus
