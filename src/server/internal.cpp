// /_stratus/ endpoints (and their LocalStack / moto aliases): health, reset, coverage, clock.
#include "core.hpp"

#include <stratus/clock.hpp>
#include <stratus/json.hpp>
#include <stratus/protocol.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

#include <set>

namespace stratus::server {
namespace {

HttpResponse json_response(int status, const json::value& v) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Payload(json::serialize(v));
  return r;
}

json::object health(Core& core) {
  json::object services;
  for (auto& s : core.services.all()) services[s->name()] = s->running() ? s->health() : "available";  // LocalStack's word for not yet started
  double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - core.started_at).count();
  return {{"services", std::move(services)},
          {"edition", "community"},
          {"version", STRATUS_VERSION},
          {"stratus",
           {{"version", STRATUS_VERSION},
            {"uptime_seconds", uptime},
            {"port", core.env.port},
            {"persistent", core.storage.persistent()},
            {"data_dir", core.storage.data_dir() ? json::value(core.storage.data_dir()->string()) : json::value(nullptr)},
            {"auth", core.config.auth == AuthMode::strict ? "strict" : "open"}}}};
}

json::object coverage(Core& core) {
  json::object out;
  for (auto& s : core.services.all()) {
    const auto& info = s->info();
    std::set<std::string> ops;
    for (auto& mr : info.models)
      if (auto* m = model::find_model(mr.model))
        for (auto* op : m->operations()) ops.insert(op->name);
    json::array implemented, missing;
    for (auto& name : ops) {
      if (s->handler(name)) implemented.push_back(json::string(name));
      else missing.push_back(json::string(name));
    }
    out[s->name()] = {{"operations", ops.size()},
                      {"implemented", implemented.size()},
                      {"implemented_operations", std::move(implemented)},
                      {"missing_operations", std::move(missing)}};
  }
  return out;
}

json::object clock_state(Core& core) {
  return {{"now", iso8601(core.clock.now_seconds())},
          {"epoch_ms", core.clock.now_ms()},
          {"offset_ms", std::chrono::duration_cast<std::chrono::milliseconds>(core.clock.offset()).count()}};
}

void reset_all(Core& core) {
  for (auto& s : core.services.all()) {
    if (!s->running()) continue;  // never started: no state
    try {
      s->reset();
    } catch (const std::exception& e) {
      spdlog::error("reset {}: {}", s->name(), e.what());
    }
  }
}

}  // namespace

boost::asio::awaitable<HttpResponse> internal_endpoint(Core& core, HttpRequest& req) {
  std::string_view path = req.path;
  std::string_view m = req.method;
  if (path == "/_stratus/health" || path == "/_localstack/health") {
    if (m == "GET" || m == "HEAD") co_return json_response(200, health(core));
  }
  if (path == "/_stratus/reset" || path == "/_localstack/state/reset" || path == "/moto-api/reset") {
    if (m == "POST") {
      reset_all(core);
      json::array names;
      for (auto& s : core.services.all()) names.push_back(json::string(s->name()));
      co_return json_response(200, json::object{{"status", "ok"}, {"reset", std::move(names)}});
    }
  }
  if (path == "/_stratus/coverage" && m == "GET") co_return json_response(200, coverage(core));
  if (path == "/_stratus/clock") {
    if (m == "GET") co_return json_response(200, clock_state(core));
    if (m == "POST") {
      json::value body;
      boost::system::error_code ec;
      std::string text = req.body.read_all();
      body = json::parse(text.empty() ? "{}" : text, ec);
      if (ec || !body.is_object())
        co_return json_response(400, json::object{{"message", "body must be a JSON object"}});
      const auto& o = body.as_object();
      if (auto* a = find(o, "advance"); a && a->is_number()) {
        double secs = a->to_number<double>();
        if (secs < 0) co_return json_response(400, json::object{{"message", "the clock only moves forward"}});
        core.clock.advance(std::chrono::milliseconds(static_cast<int64_t>(secs * 1000.0)));
      } else if (auto* ms = find(o, "advance_ms"); ms && ms->is_number()) {
        core.clock.advance(std::chrono::milliseconds(ms->to_number<int64_t>()));
      } else if (auto* set = find(o, "set")) {
        double target = 0;
        bool ok = set->is_number() ? (target = set->to_number<double>(), true)
                  : set->is_string() ? parse_time(set->get_string(), target)
                                     : false;
        if (!ok) co_return json_response(400, json::object{{"message", "'set' must be an ISO-8601 time or epoch seconds"}});
        auto real = std::chrono::system_clock::now();
        auto want = std::chrono::system_clock::time_point(std::chrono::milliseconds(static_cast<int64_t>(target * 1000)));
        if (want < core.clock.now())
          co_return json_response(400, json::object{{"message", "the clock only moves forward"}});
        core.clock.set_offset(want - real);
      } else {
        co_return json_response(400, json::object{{"message", "expected {\"advance\": seconds} or {\"set\": time}"}});
      }
      co_return json_response(200, clock_state(core));
    }
  }
  co_return json_response(404, json::object{{"message", "Not Found: " + std::string(m) + " " + std::string(path)}});
}

}  // namespace stratus::server
