#pragma once
// dynamodb: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::dynamodb {

class DynamoDbService final : public Service {
 public:
  DynamoDbService();
};

class DynamoDbStreamsService final : public Service {
 public:
  DynamoDbStreamsService();
};

}  // namespace stratus::dynamodb
