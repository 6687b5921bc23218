#pragma once
// DynamoDB and DynamoDB Streams (json 1.0). The operations live in ops_*.cpp over a shared
// Engine (engine.hpp); the Streams service reads the same store.
#include <stratus/service.hpp>

#include <memory>

namespace stratus::dynamodb {

struct Engine;

class DynamoDbService final : public Service {
 public:
  DynamoDbService();
  ~DynamoDbService() override;
  void start(Env& env) override;
  void reset() override;
  Engine& engine() { return *engine_; }

 private:
  std::unique_ptr<Engine> engine_;
};

class DynamoDbStreamsService final : public Service {
 public:
  DynamoDbStreamsService();
  void start(Env& env) override;

 private:
  Engine& engine();
  DynamoDbService* ddb_ = nullptr;
};

}  // namespace stratus::dynamodb
