// Invoke, InvokeAsync, InvokeWithResponseStream.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/blocking.hpp>
#include <stratus/crypto.hpp>
#include <stratus/protocol.hpp>
#include <stratus/runtime/zip.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <deque>

namespace stratus::lambda {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr size_t kSyncLimit = 6291456;   // 6 MB
constexpr size_t kAsyncLimit = 1048576;  // 1 MB (raised from 256 KB)
constexpr size_t kClientContextLimit = 3583;

std::string payload_of(Call& c) {
  if (auto* p = find(c.input, "Payload"); p && p->is_string()) return std::string(p->get_string());
  if (auto* p = find(c.input, "InvokeArgs"); p && p->is_string()) return std::string(p->get_string());
  return c.body.read_all();
}

// Lambda requires a JSON event (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors).
void require_json(std::string& payload) {
  if (trim(payload).empty()) {
    payload = "{}";
    return;
  }
  boost::system::error_code ec;
  json::parse(payload, ec);
  if (ec) {
    size_t i = payload.find_first_not_of(" \t\r\n");
    char ch = i == std::string::npos ? ' ' : payload[i];
    throw errors::invalid_content("Could not parse request body into json: Could not parse payload into json: "
                                  "Unexpected character ('" + std::string(1, ch) + "' (code " +
                                  std::to_string(static_cast<unsigned char>(ch)) +
                                  ")): expected a valid value (JSON String, Number, Array, Object or token 'null', "
                                  "'true' or 'false')");
  }
}

std::string client_context(const json::object& in) {
  auto cc = opt_str(in, "ClientContext");
  if (!cc) return {};
  if (cc->size() > kClientContextLimit)
    throw errors::invalid_parameter("Client context must be less than or equal to 3583 bytes.");
  auto decoded = crypto::base64_decode(*cc);
  boost::system::error_code ec;
  if (decoded) json::parse(*decoded, ec);
  if (!decoded || ec) throw errors::invalid_content("Client context must be a valid Base64-encoded JSON object.");
  return *decoded;
}

}  // namespace

awaitable<InvokeOutcome> LambdaService::execute(const Target& t, runtime::Invocation inv) {
  // Everything needed is copied before the first suspension: the function may change meanwhile.
  Function& f = *t.fn;
  const Version& v = *t.version;
  const json::object& cfg = v.config;
  std::string state(str_or(cfg, "State", "Active"));
  if (state == "Inactive" || state == "Failed")
    throw errors::conflict("The operation cannot be performed at this time. The function is currently in the following state: " + state);
  runtime::FunctionSpec spec;
  spec.function_key = f.arn();
  spec.pool_key = f.arn() + ":" + v.version + ":" + std::string(str_or(cfg, "RevisionId"));
  if (!v.hot_reload.empty()) {
    // Hot-reloaded code: a change in the directory starts new environments.
    hot_->watch(v.hot_reload);
    spec.pool_key += ":" + std::to_string(hot_->generation(v.hot_reload));
  }
  spec.function_name = f.name;
  spec.version = v.version;
  spec.runtime = str_or(cfg, "Runtime");
  spec.handler = str_or(cfg, "Handler");
  spec.code_dir = code_dir(v);
  spec.memory_mb = static_cast<int>(opt_int(cfg, "MemorySize").value_or(128));
  spec.timeout_s = static_cast<int>(opt_int(cfg, "Timeout").value_or(3));
  spec.account = f.account;
  spec.region = f.region;
  spec.reserved_concurrency = f.reserved_concurrency;
  spec.log_group = "/aws/lambda/" + f.name;
  if (auto* lc = opt_obj(cfg, "LoggingConfig")) {
    if (auto g = opt_str(*lc, "LogGroup")) spec.log_group = *g;
    spec.log_format = str_or(*lc, "LogFormat", "Text");
    spec.application_log_level = str_or(*lc, "ApplicationLogLevel");
    spec.system_log_level = str_or(*lc, "SystemLogLevel");
  }
  if (auto* e = opt_obj(cfg, "Environment"))
    if (auto* vars = opt_obj(*e, "Variables"))
      for (auto& [k, val] : *vars)
        if (val.is_string()) spec.variables.emplace_back(std::string(k), std::string(val.get_string()));
  std::vector<std::string> shas;
  if (v.hot_reload.empty()) shas.push_back(v.code_sha);
  if (auto* layers = opt_arr(cfg, "Layers"))
    for (auto& l : *layers) {
      if (!l.is_object()) continue;
      std::string arn(str_or(l.get_object(), "Arn"));
      auto parts = split(arn, ':');
      // arn:aws:lambda:<region>:<account>:layer:<name>:<version>
      if (parts.size() != 8) continue;
      Layer* layer = store_.layer(parts[4], parts[3], parts[6]);
      auto n = parse_int(parts[7]);
      if (!layer || !n || !layer->versions.count(static_cast<int>(*n))) continue;
      std::string sha = layer->versions[static_cast<int>(*n)].code_sha;
      spec.layer_dirs.push_back(unpacked_dir(sha));
      shas.push_back(sha);
    }
  std::string role(str_or(cfg, "Role")), account = f.account, region = f.region, name = f.name;
  std::string executed = t.executed_version;
  try {
    for (auto& sha : shas) co_await ensure_unpacked(sha);
  } catch (const std::exception& e) {
    throw errors::service(std::string("Stratus could not unpack the function's code: ") + e.what());
  }
  spec.credentials = co_await credentials_for(role, account, region, name);
  InvokeOutcome out;
  out.executed_version = executed;
  try {
    out.result = co_await runtime_->invoke(spec, std::move(inv));
  } catch (const runtime::Throttled& e) {
    throw errors::throttled(e.reason);
  }
  co_return out;
}

awaitable<Output> LambdaService::invoke(Call& c) {
  const auto& in = c.input;
  std::string type(str_or(in, "InvocationType", "RequestResponse"));
  std::string payload = payload_of(c);
  if (type == "Event" && payload.size() > kAsyncLimit)
    throw errors::request_too_large("Request must be smaller than " + std::to_string(kAsyncLimit) +
                                    " bytes for the InvokeFunction operation");
  if (payload.size() > kSyncLimit)
    throw errors::request_too_large("Request must be smaller than " + std::to_string(kSyncLimit) +
                                    " bytes for the InvokeFunction operation");
  require_json(payload);
  std::string context = client_context(in);
  Target t = resolve(c.ctx.account_id, c.ctx.region, str_or(in, "FunctionName"), opt_str(in, "Qualifier"));
  if (type == "DryRun") {
    Output o(json::object{{"StatusCode", 204}});
    o.status = 204;
    co_return o;
  }
  if (type == "Event") {
    enqueue_event(t, std::move(payload), c.ctx.request_id, "Invoke");
    Output o(json::object{{"StatusCode", 202}});
    o.status = 202;
    co_return o;
  }
  runtime::Invocation inv;
  inv.request_id = c.ctx.request_id;
  inv.payload = std::move(payload);
  inv.client_context = std::move(context);
  inv.invoked_arn = t.invoked_arn;
  inv.tail_logs = str_or(in, "LogType") == "Tail";
  const bool tail = inv.tail_logs;
  auto outcome = co_await execute(t, std::move(inv));
  auto& r = outcome.result;
  json::object doc{{"StatusCode", 200}, {"Payload", std::move(r.payload)}, {"ExecutedVersion", outcome.executed_version}};
  if (!r.function_error.empty()) doc["FunctionError"] = r.function_error;
  if (tail) doc["LogResult"] = crypto::base64(r.log_tail);
  Output o(std::move(doc));
  o.headers.add("Content-Type", r.content_type.empty() ? std::string("application/json") : r.content_type);
  co_return o;
}

awaitable<Output> LambdaService::invoke_async(Call& c) {
  std::string payload = payload_of(c);
  if (payload.size() > kAsyncLimit)
    throw errors::request_too_large("Request must be smaller than " + std::to_string(kAsyncLimit) +
                                    " bytes for the InvokeFunction operation");
  require_json(payload);
  Target t = resolve(c.ctx.account_id, c.ctx.region, str_or(c.input, "FunctionName"), std::nullopt);
  enqueue_event(t, std::move(payload), c.ctx.request_id, "InvokeAsync");
  Output o(json::object{{"Status", 202}});
  o.status = 202;
  co_return o;
}

// Reached only if a request is routed through the model; claim() sends these to stream_invoke_http.
awaitable<Output> LambdaService::invoke_with_response_stream(Call& c) {
  throw errors::service("InvokeWithResponseStream is served as a stream");
  co_return Output{};
}

namespace {
struct StreamState {
  explicit StreamState(Clock& c) : event(c) {}
  std::deque<std::string> frames;
  bool done = false, complete_sent = false;
  std::optional<AwsError> error;
  runtime::Result result;
  std::string executed_version;
  bool tail = false;
  AsyncEvent event;
};

std::string payload_chunk(std::string_view bytes) {
  return event_stream_message(
      {{":event-type", "PayloadChunk"}, {":content-type", "application/octet-stream"}, {":message-type", "event"}},
      bytes);
}
}  // namespace

awaitable<HttpResponse> LambdaService::stream_invoke_http(RequestContext& ctx, HttpRequest& req) {
  const model::Model* m = model_for(info(), Protocol::rest_json);
  try {
    auto d = protocol::decode(*m, info(), req);
    ctx.operation = d.op->name;
    if (d.op->name != "InvokeWithResponseStream") throw AwsError::not_implemented("lambda", d.op->name);
    const auto& in = d.input;
    std::string payload;
    if (auto* p = find(in, "Payload"); p && p->is_string()) payload = p->get_string();
    else payload = d.body.read_all();
    if (payload.size() > kSyncLimit)
      throw errors::request_too_large("Request must be smaller than " + std::to_string(kSyncLimit) +
                                      " bytes for the InvokeFunction operation");
    require_json(payload);
    std::string context = client_context(in);
    Target t = resolve(ctx.account_id, ctx.region, str_or(in, "FunctionName"), opt_str(in, "Qualifier"));
    std::string type(str_or(in, "InvocationType", "RequestResponse"));
    HttpResponse r;
    if (type == "DryRun") {
      r.status = 204;
      co_return r;
    }
    auto st = std::make_shared<StreamState>(env().clock);
    st->tail = str_or(in, "LogType") == "Tail";
    runtime::Invocation inv;
    inv.request_id = ctx.request_id;
    inv.payload = std::move(payload);
    inv.client_context = std::move(context);
    inv.invoked_arn = t.invoked_arn;
    inv.tail_logs = st->tail;
    inv.on_chunk = [st](std::string_view chunk) {
      st->frames.push_back(payload_chunk(chunk));
      st->event.notify_all();
    };
    asio::co_spawn(
        env().io,
        [this, t, inv = std::move(inv), st]() mutable -> awaitable<void> {
          try {
            auto out = co_await execute(t, std::move(inv));
            st->result = std::move(out.result);
            st->executed_version = out.executed_version;
          } catch (const AwsError& e) {
            st->error = e;
          } catch (const std::exception& e) {
            st->error = AwsError::internal(e.what());
          }
          st->done = true;
          st->event.notify_all();
        },
        asio::detached);
    // Headers go out with the first chunk (or the outcome), so early failures are plain API errors.
    while (st->frames.empty() && !st->done) co_await st->event.wait_until(env().clock.now() + std::chrono::hours(1));
    if (st->error) throw *st->error;
    r.status = 200;
    r.headers.add("Content-Type", "application/vnd.amazon.eventstream");
    r.headers.add("X-Amz-Executed-Version", st->done ? st->executed_version : t.executed_version);
    Clock& clock = env().clock;
    r.body = Payload::from_stream([st, &clock]() -> awaitable<std::optional<std::string>> {
      for (;;) {
        if (!st->frames.empty()) {
          std::string f = std::move(st->frames.front());
          st->frames.pop_front();
          co_return f;
        }
        if (st->done) {
          if (st->complete_sent) co_return std::nullopt;
          st->complete_sent = true;
          std::string out;
          auto& res = st->result;
          json::object complete;
          if (st->error) {
            complete["ErrorCode"] = st->error->code;
            complete["ErrorDetails"] = st->error->message;
          } else if (!res.streamed && res.function_error.empty()) {
            out += payload_chunk(res.payload);
          } else if (!res.streamed) {
            complete["ErrorCode"] = res.function_error;
            complete["ErrorDetails"] = res.payload;
          } else if (!res.stream_error_type.empty()) {
            complete["ErrorCode"] = res.stream_error_type;
            complete["ErrorDetails"] = res.stream_error_body;
          } else if (!res.function_error.empty()) {
            complete["ErrorCode"] = res.function_error;
            complete["ErrorDetails"] = res.payload;
          }
          if (st->tail) complete["LogResult"] = crypto::base64(res.log_tail);
          out += event_stream_message(
              {{":event-type", "InvokeComplete"}, {":content-type", "application/json"}, {":message-type", "event"}},
              json::serialize(complete));
          co_return out;
        }
        co_await st->event.wait_until(clock.now() + std::chrono::hours(1));
      }
    });
    co_return r;
  } catch (const AwsError& e) {
    co_return protocol::encode_error(m, &info(), Protocol::rest_json, e, ctx);
  }
}

}  // namespace stratus::lambda
