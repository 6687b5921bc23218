// The one place every service is registered, explicitly (no static self-registration).
// Order matters only for host/path claims: earlier services claim first.
#include <stratus/service.hpp>

#include "../services/sts/sts_service.hpp"
#include "../services/dynamodb/dynamodb_service.hpp"
#include "../services/s3/s3_service.hpp"
#include "../services/sqs/sqs_service.hpp"
#include "../services/sns/sns_service.hpp"
#include "../services/lambda/lambda_service.hpp"
#include "../services/logs/logs_service.hpp"
#include "../services/events/events_service.hpp"
#include "../services/scheduler/scheduler_service.hpp"
#include "../services/apigateway/apigateway_service.hpp"
#include "../services/cognito/cognito_service.hpp"
#include "../services/ssm/ssm_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

namespace stratus {

void register_services(ServiceRegistry& registry, const std::vector<std::string>& enabled) {
  using Factory = std::function<std::unique_ptr<Service>()>;
  const std::vector<std::pair<std::string, Factory>> all = {
      {"sts", [] { return std::make_unique<sts::StsService>(); }},
      {"dynamodb", [] { return std::make_unique<dynamodb::DynamoDbService>(); }},
      {"dynamodbstreams", [] { return std::make_unique<dynamodb::DynamoDbStreamsService>(); }},
      {"s3", [] { return std::make_unique<s3::S3Service>(); }},
      {"sqs", [] { return std::make_unique<sqs::SqsService>(); }},
      {"sns", [] { return std::make_unique<sns::SnsService>(); }},
      {"lambda", [] { return std::make_unique<lambda::LambdaService>(); }},
      {"logs", [] { return std::make_unique<logs::LogsService>(); }},
      {"events", [] { return std::make_unique<events::EventsService>(); }},
      {"scheduler", [] { return std::make_unique<scheduler::SchedulerService>(); }},
      {"apigateway", [] { return std::make_unique<apigateway::ApiGatewayService>(); }},
      {"apigatewayv2", [] { return std::make_unique<apigateway::ApiGatewayV2Service>(); }},
      {"apigatewaymanagementapi", [] { return std::make_unique<apigateway::ApiGatewayManagementService>(); }},
      {"cognito-idp", [] { return std::make_unique<cognito::CognitoService>(); }},
      {"ssm", [] { return std::make_unique<ssm::SsmService>(); }},
  };
  for (auto& name : enabled)
    if (std::none_of(all.begin(), all.end(), [&](auto& e) { return e.first == name; }))
      spdlog::warn("--services: unknown service '{}'", name);
  for (auto& [name, make] : all)
    if (enabled.empty() || std::find(enabled.begin(), enabled.end(), name) != enabled.end()) registry.add(make());
}

}  // namespace stratus
