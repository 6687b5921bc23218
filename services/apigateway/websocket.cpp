// WebSocket APIs: $connect (with its authorizer; a refusal answers the handshake), route
// selection over each message, two-way routes, $disconnect, and the connection registry the
// @connections API uses.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-overview.html
#include "authorizers.hpp"
#include "backend.hpp"
#include "connections.hpp"
#include "dataplane.hpp"
#include "vtl.hpp"

#include <stratus/clock.hpp>
#include <stratus/http_client.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace stratus::apigateway {

// --- registry ---

std::shared_ptr<Connection> Connections::add(std::shared_ptr<Connection> c) {
  conns_[c->id] = c;
  return c;
}

void Connections::remove(const std::string& id) { conns_.erase(id); }

std::shared_ptr<Connection> Connections::find(std::string_view id) const {
  auto it = conns_.find(std::string(id));
  return it == conns_.end() ? nullptr : it->second;
}

boost::asio::awaitable<bool> Connections::send(std::shared_ptr<Connection> c, std::string data, bool binary) {
  if (!c->open || c->closing || !c->ws) co_return false;
  ++c->sending;
  bool ok = co_await c->ws->send(std::move(data), binary);
  --c->sending;
  if (c->closing && c->sending == 0 && c->open) {
    c->open = false;
    co_await c->ws->close(c->close_code, c->close_reason);
  }
  co_return ok;
}

boost::asio::awaitable<void> Connections::close(std::shared_ptr<Connection> c, uint16_t code, std::string reason) {
  if (!c->open || c->closing) co_return;
  c->closing = true;
  c->close_code = code;
  c->close_reason = std::move(reason);
  if (c->sending == 0) {
    c->open = false;
    co_await c->ws->close(code, c->close_reason);
  }
}

void Connections::close_all() {
  auto all = std::move(conns_);
  conns_.clear();
  for (auto& [id, c] : all)
    boost::asio::co_spawn(Backend::get().env().io, close(c, 1001, "Going away"), boost::asio::detached);
}

// --- integrations of WebSocket routes ---

namespace {

struct WsResult {
  bool failed = false;
  int status = 200;
  std::string body;
  bool has_body = false;
  Headers headers;
};

const json::value* dig(const json::value& v, std::string_view dotted) {
  const json::value* cur = &v;
  for (auto part : split(dotted, '.')) {
    if (!cur->is_object()) return nullptr;
    cur = find(cur->get_object(), part);
    if (!cur) return nullptr;
  }
  return cur;
}

// "$request.body.action" / "${request.body.action}" over a message.
std::string select_route(std::string_view expression, std::string_view message) {
  std::string expr(expression);
  if (expr.starts_with("${") && expr.ends_with("}")) expr = "$" + expr.substr(2, expr.size() - 3);
  if (!expr.starts_with("$request.body")) return expr.starts_with("$") ? "$default" : expr;
  boost::system::error_code ec;
  auto doc = json::parse(message, ec);
  if (ec) return "$default";
  const json::value* v = expr == "$request.body" ? &doc : dig(doc, std::string_view(expr).substr(14));
  if (!v || v->is_null() || v->is_object() || v->is_array()) return "$default";
  return to_text(*v);
}

std::string pick_template(const json::object* templates, std::string_view preferred) {
  if (!templates || templates->empty()) return {};
  if (auto* t = find(*templates, preferred)) return to_text(*t);
  if (auto* t = find(*templates, "$default")) return to_text(*t);
  if (auto* t = find(*templates, "application/json")) return to_text(*t);
  return to_text(templates->begin()->value());
}

boost::asio::awaitable<WsResult> integrate(Env& env, const HttpRoute& route, const Invocation& inv,
                                          const WsEventInfo& info, const json::object* stage_vars) {
  WsResult out;
  const json::object& i = route.integration;
  std::string_view type = str_or(i, "IntegrationType");
  auto timeout = std::chrono::milliseconds(opt_int(i, "TimeoutInMillis").value_or(29000));
  json::object event = websocket_event(inv, info);
  std::string message = info.body.value_or("");
  vtl::Input input{message, {}, inv.query, inv.headers};
  vtl::Variables vars;
  vars.input = &input;
  vars.context = event["requestContext"];
  vars.stage_variables = stage_vars ? json::value(*stage_vars) : json::value(json::object{});
  std::string payload = message;
  if (type != "AWS_PROXY" && type != "HTTP_PROXY") {
    std::string t = pick_template(opt_obj(i, "RequestTemplates"), "$default");
    if (!t.empty()) {
      try {
        payload = vtl::render(t, vars);
      } catch (const std::exception& e) {
        spdlog::warn("apigateway: websocket request template failed: {}", e.what());
        out.failed = true;
        co_return out;
      }
    }
  }
  if (type == "AWS_PROXY" || type == "AWS") {
    std::string fn = lambda_arn_from_uri(substitute_stage_variables(str_or(i, "IntegrationUri"), stage_vars));
    std::string arg = type == "AWS_PROXY" ? json::serialize(event) : payload;
    LambdaResult res = co_await invoke_lambda(env, fn, std::move(arg), timeout, "arn:aws:execute-api:" + inv.region + ":" +
                                                                                      inv.account + ":" + inv.api_id + "/" +
                                                                                      inv.stage + "/" + info.route_key);
    if (res.status != LambdaResult::Status::ok) {
      out.failed = true;
      co_return out;
    }
    if (type == "AWS_PROXY") {
      ProxyResponse pr;
      boost::system::error_code ec;
      auto v = json::parse(res.payload, ec);
      if (!ec && v.is_object() && (v.get_object().contains("statusCode") || v.get_object().contains("body"))) {
        if (parse_proxy_response_v1(res.payload, false, true, pr) != ProxyError::none) {
          out.failed = true;
          co_return out;
        }
        out.status = pr.status;
        out.headers = std::move(pr.headers);
        out.body = std::move(pr.body);
        out.has_body = v.get_object().contains("body");
      } else if (!ec && !v.is_null()) {
        out.body = v.is_string() ? std::string(v.get_string()) : res.payload;
        out.has_body = true;
      }
    } else {
      out.body = res.payload;
      out.has_body = true;
    }
  } else if (type == "HTTP_PROXY" || type == "HTTP") {
    HttpClientRequest rq;
    rq.method = std::string(str_or(i, "IntegrationMethod", "POST"));
    rq.url = substitute_stage_variables(str_or(i, "IntegrationUri"), stage_vars);
    rq.body = payload;
    rq.headers.add("Content-Type", "application/json");
    rq.timeout = timeout;
    try {
      auto resp = co_await http_request(env.io.get_executor(), std::move(rq));
      out.status = resp.status;
      out.body = std::move(resp.body);
      out.has_body = !out.body.empty();
    } catch (const std::exception& e) {
      spdlog::warn("apigateway: websocket HTTP integration failed: {}", e.what());
      out.failed = true;
      co_return out;
    }
  } else if (type == "MOCK") {
    boost::system::error_code ec;
    auto v = json::parse(payload, ec);
    if (!ec && v.is_object())
      if (auto sc = opt_int(v.get_object(), "statusCode")) out.status = static_cast<int>(*sc);
  }
  // Integration responses (non-proxy): a template renders what the client receives.
  if (type != "AWS_PROXY" && type != "HTTP_PROXY")
    if (auto* irs = opt_arr(i, "_responses"); irs && !irs->empty()) {
      const json::object* chosen = nullptr;
      std::string status_key = "/" + std::to_string(out.status) + "/";
      for (auto& ir : *irs)
        if (str_or(ir.as_object(), "IntegrationResponseKey") == status_key) chosen = &ir.as_object();
      if (!chosen)
        for (auto& ir : *irs)
          if (str_or(ir.as_object(), "IntegrationResponseKey") == "$default") chosen = &ir.as_object();
      if (chosen) {
        std::string t = pick_template(opt_obj(*chosen, "ResponseTemplates"), "$default");
        if (!t.empty()) {
          input.body = out.body;
          try {
            out.body = vtl::render(t, vars);
            out.has_body = true;
          } catch (const std::exception& e) {
            out.failed = true;
          }
        }
      }
    }
  co_return out;
}

std::string ws_error(std::string_view message, const std::string& connection_id, const std::string& request_id) {
  return "{\"message\": \"" + std::string(message) + "\", \"connectionId\":\"" + connection_id + "\", \"requestId\":\"" +
         request_id + "\"}";
}

struct Session {
  DataPlane& dp;
  Env& env;
  std::shared_ptr<const ApiEntry> api;
  std::shared_ptr<const HttpDeployment> dep;
  const json::object* stage_vars;
  Invocation base;  // the $connect request
  std::shared_ptr<Connection> conn;
  std::optional<json::object> authorizer;
  int in_flight = 0;
};

Invocation message_invocation(const Session& s) {
  Invocation inv = s.base;
  inv.request_id = new_short_request_id();
  inv.extended_request_id = inv.request_id;
  inv.time_ms = s.env.clock.now_ms();
  inv.headers.clear();
  inv.query.clear();
  return inv;
}

boost::asio::awaitable<void> handle_message(Session& s, std::string message, bool binary) {
  ++s.in_flight;
  struct Done {
    int& n;
    ~Done() { --n; }
  } done{s.in_flight};
  Invocation inv = message_invocation(s);
  std::string key = select_route(str_or(s.dep->api, "RouteSelectionExpression"), message);
  const HttpRoute* route = s.dep->route(key);
  if (!route) route = s.dep->route("$default");
  auto& conns = Backend::get().connections();
  if (!route || route->integration.empty()) {
    co_await conns.send(s.conn, ws_error("Forbidden", s.conn->id, inv.request_id));
    co_return;
  }
  WsEventInfo info;
  info.route_key = route->route_key;
  info.event_type = "MESSAGE";
  info.connection_id = s.conn->id;
  info.message_id = new_short_request_id();
  info.connected_at = s.conn->connected_at;
  info.body = message;
  info.binary = binary;
  info.authorizer = s.authorizer ? &*s.authorizer : nullptr;
  info.stage_variables = s.stage_vars;
  WsResult r = co_await integrate(s.env, *route, inv, info, s.stage_vars);
  if (r.failed) {
    co_await conns.send(s.conn, ws_error("Internal server error", s.conn->id, inv.request_id));
    co_return;
  }
  // Two-way routes (a route response selection expression) send the integration's answer back.
  bool two_way = !str_or(route->route, "RouteResponseSelectionExpression").empty();
  if (two_way && r.has_body) co_await conns.send(s.conn, std::move(r.body));
}

boost::asio::awaitable<void> idle_watch(Env& env, std::shared_ptr<Connection> c) {
  while (c->open && !c->closing) {
    if (!co_await env.clock.sleep_for(std::chrono::seconds(30))) break;  // shutting down
    if (!c->open || c->closing) break;
    int64_t now = env.clock.now_ms();
    if (now - c->last_active >= kWsIdleSeconds * 1000) {
      co_await Backend::get().connections().close(c, 1001, "Going away");
      break;
    }
    if (now - c->connected_at >= kWsMaxSeconds * 1000) {
      co_await Backend::get().connections().close(c, 1001, "Going away");
      break;
    }
  }
}

}  // namespace

boost::asio::awaitable<void> DataPlane::serve_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws) {
  Env& env = Backend::get().env();
  auto t = invoke_target(req);
  auto a = t ? api(t->api_id) : nullptr;
  if (!a || a->type != ApiEntry::Type::websocket) {
    co_await ws.reject(json_message(a ? 403 : 404, a ? "Forbidden" : "Not Found"));
    co_return;
  }
  auto second = t->path.find('/', 1);
  std::string stage = t->path.size() > 1 ? t->path.substr(1, second == std::string::npos ? std::string::npos : second - 1) : "";
  const StageInfo* st = a->stage(stage);
  auto dep = st ? http_deployment(*a, st->deployment_id) : nullptr;
  if (!dep) {
    co_await ws.reject(json_message(403, "Forbidden"));
    co_return;
  }
  Session s{*this, env, a, dep, st->variables.empty() ? nullptr : &st->variables,
            make_invocation(ctx, req, *a, stage, second == std::string::npos ? "/" : t->path.substr(second), t->path)};
  s.base.request_id = s.base.extended_request_id;
  s.base.deployment_id = st->deployment_id;
  auto conn = std::make_shared<Connection>();
  conn->id = new_connection_id();
  conn->api_id = a->id;
  conn->stage = stage;
  conn->connected_at = conn->last_active = env.clock.now_ms();
  conn->source_ip = s.base.source_ip;
  conn->user_agent = s.base.user_agent;
  conn->ws = &ws;
  s.conn = conn;
  // The handshake headers AWS keeps, plus its own.
  Pairs connect_headers;
  for (auto& [k, v] : s.base.headers) {
    std::string lk = to_lower(k);
    if (lk == "connection" || lk == "upgrade") continue;
    connect_headers.emplace_back(k, v);
  }
  connect_headers.emplace_back("X-Amzn-Trace-Id", s.base.trace_id);
  connect_headers.emplace_back("X-Forwarded-For", s.base.source_ip);
  connect_headers.emplace_back("X-Forwarded-Port", s.base.port);
  connect_headers.emplace_back("X-Forwarded-Proto", "http");

  Headers accept_headers;
  if (const HttpRoute* connect = dep->route("$connect")) {
    std::string_view auth = str_or(connect->route, "AuthorizationType", "NONE");
    if (auth == "CUSTOM") {
      auto it = dep->authorizers.find(str_or(connect->route, "AuthorizerId"));
      if (it == dep->authorizers.end()) {
        co_await ws.reject(json_message(500, "Internal Server Error"));
        co_return;
      }
      Invocation auth_inv = s.base;
      auth_inv.headers = connect_headers;
      HttpAuthRequest ar{&auth_inv, "$connect", nullptr, s.stage_vars, nullptr, true, conn->id, conn->connected_at};
      json::object none;
      ar.path_params = &none;
      AuthOutcome out = co_await v2_authorize(*this, env, it->second, ar);
      if (out.kind == AuthOutcome::Kind::unauthorized) {
        co_await ws.reject(json_message(401, "Unauthorized"));
        co_return;
      }
      if (out.kind == AuthOutcome::Kind::deny) {
        co_await ws.reject(json_message(403, "Forbidden"));
        co_return;
      }
      if (out.kind == AuthOutcome::Kind::config_error) {
        co_await ws.reject(json_message(500, "Internal Server Error"));
        co_return;
      }
      s.authorizer = std::move(out.context);
    } else if (auth == "AWS_IAM") {
      const std::string* authz = s.base.header("authorization");
      bool presigned = false;
      for (auto& [k, v] : s.base.query) presigned = presigned || k == "X-Amz-Signature";
      if ((!authz || !authz->starts_with("AWS4-HMAC-SHA256")) && !presigned) {
        co_await ws.reject(json_message(403, "Forbidden"));
        co_return;
      }
    }
    if (!connect->integration.empty()) {
      WsEventInfo info;
      info.route_key = "$connect";
      info.event_type = "CONNECT";
      info.connection_id = conn->id;
      info.connected_at = conn->connected_at;
      info.headers = &connect_headers;
      info.query = &s.base.query;
      info.authorizer = s.authorizer ? &*s.authorizer : nullptr;
      info.stage_variables = s.stage_vars;
      WsResult r = co_await integrate(env, *connect, s.base, info, s.stage_vars);
      if (r.failed) {
        co_await ws.reject(json_message(500, "Internal Server Error"));
        co_return;
      }
      if (r.status < 200 || r.status > 299) {
        HttpResponse refusal;
        refusal.status = r.status;
        refusal.headers = r.headers;
        refusal.body = Payload(r.body);
        co_await ws.reject(std::move(refusal));
        co_return;
      }
      // The integration may choose a subprotocol (Sec-WebSocket-Protocol).
      if (auto* proto = r.headers.get("sec-websocket-protocol")) accept_headers.add("Sec-WebSocket-Protocol", *proto);
    }
  }
  if (!co_await ws.accept(accept_headers)) co_return;
  auto& conns = Backend::get().connections();
  conns.add(conn);
  boost::asio::co_spawn(env.io, idle_watch(env, conn), boost::asio::detached);

  for (;;) {
    auto msg = co_await ws.receive();
    if (!msg) break;
    conn->last_active = env.clock.now_ms();
    if (msg->size() > kMaxWsMessage) {
      co_await conns.close(conn, 1009, "Message too big");
      break;
    }
    // Messages are handled concurrently, as AWS does; replies go through the send queue.
    boost::asio::co_spawn(env.io, handle_message(s, std::move(*msg), false), boost::asio::detached);
  }
  conn->open = false;
  conns.remove(conn->id);
  // $disconnect is best effort, after the connection is gone.
  if (const HttpRoute* disconnect = dep->route("$disconnect"); disconnect && !disconnect->integration.empty()) {
    Invocation inv = message_invocation(s);
    Pairs headers{{"Host", std::string(req.host())}, {"x-api-key", ""}, {"X-Forwarded-For", ""}, {"x-restapi", ""}};
    WsEventInfo info;
    info.route_key = "$disconnect";
    info.event_type = "DISCONNECT";
    info.connection_id = conn->id;
    info.connected_at = conn->connected_at;
    info.headers = &headers;
    // The client's close frame (1005 when it carried no code, 1006 when the connection dropped).
    if (conn->closing) {
      info.disconnect_status = conn->close_code;
      info.disconnect_reason = conn->close_reason;
    } else if (ws.peer_close_code()) {
      info.disconnect_status = ws.peer_close_code();
      info.disconnect_reason = ws.peer_close_reason();
    } else {
      info.disconnect_status = 1006;
      info.disconnect_reason = "Going away";
    }
    info.authorizer = s.authorizer ? &*s.authorizer : nullptr;
    info.stage_variables = s.stage_vars;
    co_await integrate(env, *disconnect, inv, info, s.stage_vars);
  }
  // Message handlers still running hold references to this session: wait for them.
  while (s.in_flight > 0 || conn->sending > 0)
    if (!co_await env.clock.sleep_for(std::chrono::milliseconds(5))) break;
  conn->ws = nullptr;
}

}  // namespace stratus::apigateway
