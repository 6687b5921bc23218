// Lambda triggers (the pool's LambdaConfig) invoked through the integrations bus with the event
// shapes of the Cognito developer guide ("Customizing user pool workflows with Lambda triggers").
#include "cognito_service.hpp"

#include "errors.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>

#include <spdlog/spdlog.h>

namespace stratus::cognito {

json::object CognitoService::trigger_attributes(const User& u) const {
  json::object out;
  if (auto* a = opt_obj(u.doc, "attrs"))
    for (auto& [k, v] : *a) out[k] = v;
  out["cognito:user_status"] = str_or(u.doc, "status");
  return out;
}

boost::asio::awaitable<std::optional<json::object>> CognitoService::run_trigger(const Pool& p, TriggerCall t) {
  const std::string& name = t.name;
  std::string arn;
  if (auto* config = opt_obj(p.doc, "LambdaConfig")) arn = std::string(str_or(*config, name));
  if (arn.empty()) co_return std::nullopt;
  json::object event{{"version", "1"},
                     {"region", p.region},
                     {"userPoolId", p.id},
                     {"userName", t.username},
                     {"callerContext", json::object{{"awsSdkVersion", "aws-sdk-unknown-unknown"}, {"clientId", t.client_id}}},
                     {"triggerSource", t.source},
                     {"request", std::move(t.request)},
                     {"response", std::move(t.response)}};
  Delivery d;
  d.target_arn = arn;
  d.payload = json::serialize(event);
  d.attributes = json::object{{"InvocationType", "RequestResponse"}, {"Source", "cognito-idp"}};
  d.source_arn = "arn:aws:cognito-idp:" + p.region + ":" + p.account + ":userpool/" + p.id;
  json::value answer;
  try {
    answer = co_await env().bus.deliver(d);
  } catch (const AwsError& e) {
    spdlog::warn("cognito-idp: {} trigger {} failed: {}: {}", name, arn, e.code, e.message);
    throw AwsError("UnexpectedLambdaException", name + " invocation failed due to error " + e.code + ".", 400);
  }
  const json::object* o = answer.if_object();
  std::string payload = o ? std::string(str_or(*o, "Payload")) : std::string();
  boost::system::error_code ec;
  json::value out = json::parse(payload, ec);
  if (o && o->contains("FunctionError")) {
    std::string message = !ec && out.is_object() ? std::string(str_or(out.as_object(), "errorMessage")) : payload;
    throw AwsError("UserLambdaValidationException", name + " failed with error " + message + ".", 400);
  }
  if (ec || !out.is_object())
    throw AwsError("InvalidLambdaResponseException", "Invalid lambda response received: the answer is not a JSON object", 400);
  auto* resp = opt_obj(out.as_object(), "response");
  co_return resp ? *resp : json::object{};
}

boost::asio::awaitable<void> CognitoService::custom_message(const Pool& p, std::string client_id, const User& u,
                                                            std::string source, std::string purpose) {
  auto code = store_->code(p, u.username, purpose);
  if (!code) co_return;
  TriggerCall t{std::move(client_id), "CustomMessage", std::move(source), u.username,
                json::object{{"userAttributes", trigger_attributes(u)},
                             {"codeParameter", code->code},
                             {"usernameParameter", u.username}},
                json::object{{"smsMessage", nullptr}, {"emailMessage", nullptr}, {"emailSubject", nullptr}}};
  auto answer = co_await run_trigger(p, std::move(t));
  if (answer && !str_or(*answer, "emailMessage").empty())
    spdlog::info("cognito-idp: message to {}: {} / {}", code->destination, str_or(*answer, "emailSubject"),
                 str_or(*answer, "emailMessage"));
}

}  // namespace stratus::cognito
