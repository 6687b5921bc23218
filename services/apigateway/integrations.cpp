// Calling integrations: Lambda through the integrations bus, raced against the integration
// timeout (the invocation itself is never cancelled: Lambda finishes on its own, as in AWS).
#include "dataplane.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace stratus::apigateway {

namespace {

struct Pending {
  explicit Pending(Clock& c) : event(c) {}
  AsyncEvent event;
  bool done = false;
  LambdaResult result;
};

boost::asio::awaitable<void> run_invoke(Bus& bus, Delivery d, std::shared_ptr<Pending> p) {
  try {
    json::value answer = co_await bus.deliver(d);
    const json::object* o = answer.if_object();
    if (!o) {
      p->result.status = LambdaResult::Status::failed;
      p->result.error = "the lambda target gave no answer";
    } else {
      p->result.payload = std::string(str_or(*o, "Payload"));
      if (o->contains("FunctionError")) {
        p->result.status = LambdaResult::Status::function_error;
        p->result.error = std::string(str_or(*o, "FunctionError"));
      } else {
        p->result.status = LambdaResult::Status::ok;
      }
    }
  } catch (const AwsError& e) {
    p->result.status = LambdaResult::Status::failed;
    p->result.error = e.code + ": " + e.message;
  } catch (const std::exception& e) {
    p->result.status = LambdaResult::Status::failed;
    p->result.error = e.what();
  }
  p->done = true;
  p->event.notify_all();
}

}  // namespace

boost::asio::awaitable<LambdaResult> invoke_lambda(Env& env, std::string function_arn, std::string payload,
                                                   std::chrono::milliseconds timeout, std::string source_arn) {
  Delivery d;
  d.target_arn = std::move(function_arn);
  d.payload = std::move(payload);
  d.attributes = json::object{{"InvocationType", "RequestResponse"}, {"Source", "apigateway"}};
  d.source_arn = std::move(source_arn);
  auto p = std::make_shared<Pending>(env.clock);
  boost::asio::co_spawn(env.io, run_invoke(env.bus, std::move(d), p), boost::asio::detached);
  auto deadline = env.clock.now() + std::chrono::duration_cast<Clock::duration>(timeout);
  while (!p->done) {
    bool notified = co_await p->event.wait_until(deadline);
    if (!notified && !p->done) {
      LambdaResult r;
      r.status = LambdaResult::Status::timeout;
      r.error = "integration timed out after " + std::to_string(timeout.count()) + " ms";
      co_return r;
    }
  }
  if (p->result.status == LambdaResult::Status::failed) spdlog::warn("apigateway: lambda integration failed: {}", p->result.error);
  co_return p->result;
}

}  // namespace stratus::apigateway
