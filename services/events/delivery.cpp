// Routing events to rules and rules' targets: payload shaping (Input, InputPath,
// InputTransformer), per-target retry policy and SQS dead-letter queues with AWS's DLQ message
// attributes, API destinations over HTTP, and scheduled rules firing on the clock.
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html
#include "errors.hpp"
#include "events_service.hpp"
#include "json_text.hpp"
#include "transform.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/http_client.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdlib>

namespace stratus::events {
namespace asio = boost::asio;
using json_text::Node;

namespace {

std::string field_text(const pattern::FlatEvent& e, std::string_view path) {
  auto [lo, hi] = e.at(path);
  return lo == hi ? std::string() : std::string(lo->text);
}

bool retriable(const std::string& code) {
  for (const char* permanent : {"NotFound", "NonExistent", "DoesNotExist", "AccessDenied", "NotAuthorized", "Permission",
                                "InvalidArn", "Validation", "InvalidParameter", "HTTP_4XX"})
    if (code.find(permanent) != std::string::npos) return false;
  return true;
}

std::string dlq_error_code(const std::string& code) {
  if (code.find("NotFound") != std::string::npos || code.find("NonExistent") != std::string::npos ||
      code.find("DoesNotExist") != std::string::npos)
    return "RESOURCE_NOT_FOUND";
  if (code.find("AccessDenied") != std::string::npos || code.find("NotAuthorized") != std::string::npos ||
      code.find("Permission") != std::string::npos)
    return "NO_PERMISSIONS";
  if (code.find("Throttl") != std::string::npos || code.find("TooManyRequests") != std::string::npos)
    return "THROTTLING";
  if (code.starts_with("HTTP_")) return "SDK_CLIENT_ERROR";
  return "SDK_CLIENT_ERROR";
}

json::object string_attr(std::string v) { return json::object{{"DataType", "String"}, {"StringValue", std::move(v)}}; }

// The PutEvents entry that carries `event` on to another bus.
std::string as_entry(const Node& event) {
  json::object e;
  if (auto* s = event.get("source")) e["Source"] = s->text;
  if (auto* s = event.get("detail-type")) e["DetailType"] = s->text;
  if (auto* d = event.get("detail")) e["Detail"] = json_text::write(*d);
  if (auto* t = event.get("time")) e["Time"] = t->text;
  json::array res;
  if (auto* r = event.get("resources"))
    for (auto& x : r->items)
      if (x.type == Node::Type::string) res.push_back(json::value(x.text));
  e["Resources"] = std::move(res);
  return json::serialize(e);
}

}  // namespace

bool EventsService::route(Region& r, Bus& b, const std::string& event_text, const Ingest& how) {
  auto flat = pattern::FlatEvent::parse(event_text);
  if (!flat) return false;
  thread_local std::vector<uint64_t> matched;
  matched.clear();
  b.index.match(*flat, [](uint64_t id) { matched.push_back(id); });
  if (matched.empty()) return true;
  std::vector<uint64_t> hits(matched.begin(), matched.end());
  const std::string id = field_text(*flat, "id");
  for (uint64_t rid : hits) {
    auto it = b.by_id.find(rid);
    if (it == b.by_id.end()) continue;
    Rule& rule = *it->second;
    if (!rule.enabled()) continue;
    if (!rule.archive.empty()) {
      // An archive's managed rule: keep the event (never a replayed one).
      if (!how.replay_name.empty() || how.skip_archives) continue;
      auto a = r.archives.find(rule.archive);
      if (a == r.archives.end()) continue;
      double t = now();
      parse_time(field_text(*flat, "time"), t);
      store_.archive_event(r.account, r.region, rule.archive, t, event_text);
      a->second.event_count += 1;
      a->second.size_bytes += static_cast<int64_t>(event_text.size());
      save(r, a->second);
      continue;
    }
    if (how.only_rules && !how.only_rules->empty() &&
        std::find(how.only_rules->begin(), how.only_rules->end(), rule.arn) == how.only_rules->end())
      continue;
    for (auto& target : rule.targets) deliver(r, b, rule, target, event_text, id, how.hops);
  }
  return true;
}

void EventsService::deliver(Region& r, Bus& b, const Rule& rule, const json::object& target,
                            const std::string& event_text, std::string_view event_id, int hops) {
  Delivery d;
  d.target_arn = std::string(str_or(target, "Arn"));
  d.source_arn = rule.arn;
  d.trace_id = std::string(event_id);
  auto arn = Arn::parse(d.target_arn);
  if (!arn) return;

  std::optional<Node> event;
  auto parsed_event = [&]() -> const Node& {
    if (!event) event = json_text::parse(event_text).value_or(Node{});
    return *event;
  };
  if (auto input = opt_str(target, "Input")) {
    d.payload = *input;
  } else if (auto path = opt_str(target, "InputPath")) {
    auto jp = json_text::JsonPath::parse(*path);
    std::optional<Node> v = jp ? jp->eval(parsed_event()) : std::nullopt;
    d.payload = v ? json_text::write(*v) : "null";
  } else if (auto* tr = opt_obj(target, "InputTransformer")) {
    std::map<std::string, std::string> paths;
    if (auto* m = opt_obj(*tr, "InputPathsMap"))
      for (auto& [k, v] : *m)
        if (v.is_string()) paths[std::string(k)] = std::string(v.get_string());
    try {
      transform::InputTransformer t(paths, std::string(str_or(*tr, "InputTemplate")));
      // ingestion-time: when EventBridge received the event (not the entry's own Time); events are
      // routed as they arrive, so that is now.
      d.payload = t.apply(parsed_event(), {rule.arn, rule.name, iso8601(now(), false)});
    } catch (const std::exception& e) {
      spdlog::warn("events: input transformer of {} failed: {}", rule.arn, e.what());
      return;
    }
  } else {
    d.payload = event_text;
  }

  // Target-specific delivery options (docs/SERVICES.md, integrations bus table).
  if (arn->service == "sqs") {
    if (auto* sp = opt_obj(target, "SqsParameters"))
      if (auto g = opt_str(*sp, "MessageGroupId")) d.attributes["MessageGroupId"] = *g;
    if (d.target_arn.ends_with(".fifo")) d.attributes["MessageDeduplicationId"] = std::string(event_id);
  } else if (arn->service == "lambda") {
    d.attributes["InvocationType"] = "Event";
    d.attributes["Source"] = "events";
  } else if (arn->service == "events" && arn->resource.starts_with("event-bus/")) {
    if (hops + 1 > kMaxBusHops) {
      spdlog::warn("events: {} not forwarded from {} to {}: it already crossed {} buses", event_id, rule.arn,
                   d.target_arn, hops);
      return;
    }
    d.attributes["Hops"] = hops + 1;
    d.payload = as_entry(parsed_event());
    // An event passed on unchanged keeps its envelope (id, time, account, region) on the next bus.
    if (!find(target, "Input") && !find(target, "InputPath") && !find(target, "InputTransformer"))
      d.attributes["Event"] = event_text;
  } else if (arn->service == "logs") {
    double t = now();
    if (const Node* time = parsed_event().get("time")) parse_time(time->text, t);
    // With an input transformer the template is {"timestamp": <time>, "message": <text>}: the
    // record takes its message and timestamp (ISO 8601 or epoch milliseconds) from it, as CDK's
    // LogGroupTargetInput.fromObjectV2 relies on.
    if (opt_obj(target, "InputTransformer"))
      if (auto shaped = json_text::parse(d.payload); shaped && shaped->type == Node::Type::object &&
                                                     (shaped->get("message") || shaped->get("timestamp"))) {
        if (const Node* ts = shaped->get("timestamp")) {
          if (ts->type == Node::Type::number) t = std::strtod(ts->text.c_str(), nullptr) / 1000.0;
          else if (ts->type == Node::Type::string) parse_time(ts->text, t);
        }
        const Node* msg = shaped->get("message");
        d.payload = !msg ? std::string() : msg->type == Node::Type::string ? msg->text : json_text::write(*msg);
      }
    d.attributes["Timestamp"] = static_cast<int64_t>(t * 1000);
    // EventBridge writes each event to a log stream named by the event id.
    d.attributes["LogStream"] = std::string(event_id);
  } else if (arn->service == "kinesis") {
    if (auto* kp = opt_obj(target, "KinesisParameters"))
      if (auto p = opt_str(*kp, "PartitionKeyPath"); p && json_text::JsonPath::parse(*p))
        if (auto v = json_text::JsonPath::parse(*p)->eval(parsed_event()))
          d.attributes["PartitionKey"] = v->type == Node::Type::string ? v->text : json_text::write(*v);
    if (!d.attributes.contains("PartitionKey")) d.attributes["PartitionKey"] = std::string(event_id);
  }
  asio::co_spawn(env().io, deliver_with_retry(r.account, r.region, rule.arn, target, std::move(d)), asio::detached);
}

asio::awaitable<json::value> EventsService::deliver_once(const std::string& account, const std::string& region_name,
                                                         const json::object& target, const Delivery& d) {
  auto arn = Arn::parse(d.target_arn);
  if (arn && arn->service == "events" && arn->resource.starts_with("api-destination/")) {
    co_await invoke_api_destination(account, region_name, target, d);
    co_return json::object{};
  }
  co_return co_await env().bus.deliver(d);
}

asio::awaitable<void> EventsService::deliver_with_retry(std::string account, std::string region_name,
                                                        std::string rule_arn, json::object target, Delivery d) {
  int64_t max_retries = 185, max_age = 86400;
  if (auto* rp = opt_obj(target, "RetryPolicy")) {
    max_retries = opt_int(*rp, "MaximumRetryAttempts").value_or(max_retries);
    max_age = opt_int(*rp, "MaximumEventAgeInSeconds").value_or(max_age);
  }
  auto& clock = env().clock;
  const auto started = clock.now();
  AwsError last;
  int64_t retries = 0;
  std::string exhausted;
  for (;;) {
    try {
      co_await deliver_once(account, region_name, target, d);
      co_return;
    } catch (const AwsError& e) {
      last = e;
    } catch (const std::exception& e) {
      last = AwsError("InternalException", e.what(), 500);
    }
    if (stopping_) co_return;
    if (!retriable(last.code)) break;
    if (retries >= max_retries) {
      exhausted = "MaximumRetryAttempts";
      break;
    }
    // Exponential backoff from one second, capped at three minutes.
    auto delay = std::chrono::seconds(1LL << std::min<int64_t>(retries, 7));
    if (delay > std::chrono::seconds(180)) delay = std::chrono::seconds(180);
    if (clock.now() + delay - started > std::chrono::seconds(max_age)) {
      exhausted = "MaximumEventAgeInSeconds";
      break;
    }
    ++retries;
    if (!co_await clock.sleep_for(delay)) co_return;
  }
  spdlog::debug("events: delivery of {} to {} failed: {} {}", d.trace_id, d.target_arn, last.code, last.message);
  auto* dl = opt_obj(target, "DeadLetterConfig");
  if (!dl) co_return;
  Delivery dead;
  dead.target_arn = std::string(str_or(*dl, "Arn"));
  dead.payload = d.payload;
  dead.source_arn = rule_arn;
  dead.trace_id = d.trace_id;
  // EventBridge's own DLQ message attributes (eb-rule-dlq.html), set here rather than through the
  // bus's generic "dead_letter" mapping, which knows only a subset of them.
  json::object attrs{{"RULE_ARN", string_attr(rule_arn)},
                     {"TARGET_ARN", string_attr(d.target_arn)},
                     {"ERROR_CODE", string_attr(dlq_error_code(last.code))},
                     {"ERROR_MESSAGE", string_attr(last.message)},
                     {"RETRY_ATTEMPTS", json::object{{"DataType", "Number"}, {"StringValue", std::to_string(retries)}}}};
  if (!exhausted.empty()) attrs["EXHAUSTED_RETRY_CONDITION"] = string_attr(exhausted);
  dead.attributes["MessageAttributes"] = std::move(attrs);
  if (dead.target_arn.ends_with(".fifo")) {
    dead.attributes["MessageGroupId"] = "eventbridge-dlq";
    dead.attributes["MessageDeduplicationId"] = d.trace_id + "-" + ids::uuid4();
  }
  try {
    co_await env().bus.deliver(dead);
  } catch (const std::exception& e) {
    spdlog::warn("events: dead-letter delivery to {} failed: {}", dead.target_arn, e.what());
  }
}

asio::awaitable<void> EventsService::invoke_api_destination(const std::string& account, const std::string& region_name,
                                                            const json::object& target, const Delivery& d) {
  Region& r = region(account, region_name);
  const ApiDestination* dest = nullptr;
  for (auto& [name, a] : r.api_destinations)
    if (a.arn == d.target_arn) dest = &a;
  if (!dest) throw AwsError("ResourceNotFoundException", "API destination " + d.target_arn + " does not exist.", 400);
  const Connection* conn = nullptr;
  for (auto& [name, cn] : r.connections)
    if (cn.arn == dest->connection_arn) conn = &cn;
  if (!conn) throw AwsError("ResourceNotFoundException", "Connection " + dest->connection_arn + " does not exist.", 400);
  if (conn->state == "DEAUTHORIZED")
    throw AwsError("AccessDeniedException", "Connection " + conn->name + " is deauthorized.", 400);

  HttpClientRequest req;
  req.method = dest->method;
  std::string url = dest->endpoint;
  const json::object* http = opt_obj(target, "HttpParameters");
  // Path parameters fill the endpoint's '*' wildcards in order.
  if (http)
    if (auto* pv = opt_arr(*http, "PathParameterValues"))
      for (auto& v : *pv) {
        auto star = url.find('*');
        if (star == std::string::npos || !v.is_string()) break;
        url.replace(star, 1, std::string(v.get_string()));
      }
  std::vector<std::pair<std::string, std::string>> query;
  auto add_params = [&](const json::object& params) {
    if (auto* hs = opt_arr(params, "HeaderParameters"))
      for (auto& h : *hs)
        if (h.is_object()) req.headers.set(str_or(h.get_object(), "Key"), std::string(str_or(h.get_object(), "Value")));
    if (auto* qs = opt_arr(params, "QueryStringParameters"))
      for (auto& q : *qs)
        if (q.is_object())
          query.emplace_back(std::string(str_or(q.get_object(), "Key")), std::string(str_or(q.get_object(), "Value")));
  };
  req.headers.set("Content-Type", "application/json; charset=utf-8");
  req.headers.set("User-Agent", "Amazon/EventBridge/ApiDestinations");
  const json::object& auth = conn->auth_parameters;
  if (auto* p = opt_obj(auth, "InvocationHttpParameters")) add_params(*p);
  if (conn->authorization_type == "BASIC") {
    if (auto* b = opt_obj(auth, "BasicAuthParameters"))
      req.headers.set("Authorization",
                      "Basic " + crypto::base64(std::string(str_or(*b, "Username")) + ":" + std::string(str_or(*b, "Password"))));
  } else if (conn->authorization_type == "API_KEY") {
    if (auto* k = opt_obj(auth, "ApiKeyAuthParameters"))
      req.headers.set(str_or(*k, "ApiKeyName"), std::string(str_or(*k, "ApiKeyValue")));
  } else if (conn->authorization_type == "OAUTH_CLIENT_CREDENTIALS") {
    if (auto* o = opt_obj(auth, "OAuthParameters")) {
      HttpClientRequest token;
      token.method = std::string(str_or(*o, "HttpMethod", "POST"));
      token.url = std::string(str_or(*o, "AuthorizationEndpoint"));
      if (auto* cp = opt_obj(*o, "ClientParameters"))
        token.headers.set("Authorization", "Basic " + crypto::base64(std::string(str_or(*cp, "ClientID")) + ":" +
                                                                     std::string(str_or(*cp, "ClientSecret"))));
      std::string form = "grant_type=client_credentials";
      if (auto* op = opt_obj(*o, "OAuthHttpParameters")) {
        if (auto* hs = opt_arr(*op, "HeaderParameters"))
          for (auto& h : *hs)
            if (h.is_object()) token.headers.set(str_or(h.get_object(), "Key"), std::string(str_or(h.get_object(), "Value")));
        if (auto* bs = opt_arr(*op, "BodyParameters"))
          for (auto& bp : *bs)
            if (bp.is_object())
              form += "&" + uri_encode(str_or(bp.get_object(), "Key")) + "=" + uri_encode(str_or(bp.get_object(), "Value"));
      }
      token.headers.set("Content-Type", "application/x-www-form-urlencoded");
      token.body = form;
      token.timeout = std::chrono::seconds(5);
      HttpClientResponse tr;
      try {
        tr = co_await http_request(env().io.get_executor(), std::move(token));
      } catch (const HttpClientError& e) {
        throw AwsError("SDK_CLIENT_ERROR", std::string("Unable to obtain an OAuth token: ") + e.what(), 500);
      }
      boost::system::error_code ec;
      json::value tv = json::parse(tr.body, ec);
      if (tr.status / 100 != 2 || ec || !tv.is_object() || !opt_str(tv.get_object(), "access_token"))
        throw AwsError("HTTP_4XX_OAUTH", "Unable to obtain an OAuth token (HTTP " + std::to_string(tr.status) + ").", 400);
      req.headers.set("Authorization", "Bearer " + *opt_str(tv.get_object(), "access_token"));
    }
  }
  if (http) {
    if (auto* hs = opt_obj(*http, "HeaderParameters"))
      for (auto& [k, v] : *hs)
        if (v.is_string()) req.headers.set(k, std::string(v.get_string()));
    if (auto* qs = opt_obj(*http, "QueryStringParameters"))
      for (auto& [k, v] : *qs)
        if (v.is_string()) query.emplace_back(std::string(k), std::string(v.get_string()));
  }
  for (auto& [k, v] : query) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += uri_encode(k) + "=" + uri_encode(v);
  }
  req.url = url;
  if (req.method != "GET" && req.method != "HEAD") req.body = d.payload;
  req.timeout = std::chrono::seconds(5);  // API destinations time out after 5 seconds
  HttpClientResponse resp;
  try {
    resp = co_await http_request(env().io.get_executor(), std::move(req));
  } catch (const HttpClientError& e) {
    throw AwsError("SDK_CLIENT_ERROR", e.what(), 500);
  }
  if (resp.status / 100 == 2) co_return;
  // 429 and 5xx are retried; other client errors are not.
  std::string code = resp.status == 429 || resp.status >= 500 ? "HTTP_RETRIABLE" : "HTTP_4XX";
  throw AwsError(code, "Request failed with HTTP status " + std::to_string(resp.status) + ".", 400);
}

// ---- scheduled rules -------------------------------------------------------------------

void EventsService::fire_scheduled(Region& r, Bus& b, Rule& rule, int64_t when) {
  const std::string id = ids::uuid4();
  std::string text = R"({"version":"0","id":")" + id +
                     R"(","detail-type":"Scheduled Event","source":"aws.events","account":")" + r.account +
                     R"(","time":")" + iso8601(static_cast<double>(when), false) + R"(","region":")" + r.region +
                     R"(","resources":[)" + json_text::quote(rule.arn) + R"(],"detail":{}})";
  for (auto& target : rule.targets) deliver(r, b, rule, target, text, id);
}

asio::awaitable<void> EventsService::scheduler_loop() {
  if (loop_running_) co_return;
  loop_running_ = true;
  auto& clock = env().clock;
  int64_t last_expiry = 0;
  while (!stopping_) {
    const auto now_s = static_cast<int64_t>(std::floor(now()));
    int64_t next = INT64_MAX;
    // Archives drop events past their retention, checked hourly.
    if (now_s - last_expiry >= 3600) {
      last_expiry = now_s;
      for (auto& [_, r] : regions_)
        for (auto& [name, a] : r.archives) {
          if (a.retention_days <= 0) continue;
          auto [count, bytes] = store_.expire(r.account, r.region, name, static_cast<double>(now_s - a.retention_days * 86400));
          if (count != a.event_count || bytes != a.size_bytes) {
            a.event_count = count;
            a.size_bytes = bytes;
            save(r, a);
          }
        }
    }
    next = last_expiry + 3600;
    for (auto& [_, r] : regions_) {
      for (auto& [bn, b] : r.buses) {
        for (auto& [rn, rule] : b.rules) {
          if (!rule.schedule || rule.next_fire == 0) continue;
          // Fire every occurrence that is due (a few at most, when the clock jumped), then move on.
          for (int k = 0; rule.next_fire != 0 && rule.next_fire <= now_s; ++k) {
            if (k < 10 && rule.enabled()) fire_scheduled(r, b, rule, rule.next_fire);
            int64_t after = k < 10 ? rule.next_fire : now_s;
            if (rule.schedule->kind() == schedule::Expression::Kind::rate)
              rule.next_fire = rule.schedule->next_rate(rule.schedule_anchor + rule.schedule->rate_seconds(), after);
            else
              rule.next_fire = rule.schedule->next_cron(after, schedule::TimeZone::utc()).value_or(0);
          }
          if (rule.next_fire) next = std::min(next, rule.next_fire);
        }
      }
    }
    auto deadline = next == INT64_MAX ? clock.now() + std::chrono::hours(1)
                                      : Clock::time_point(std::chrono::seconds(next));
    bool notified = co_await wake_->wait_until(deadline);
    if (!notified && clock.now() < deadline) break;  // the clock shut down
  }
  loop_running_ = false;
}

}  // namespace stratus::events
