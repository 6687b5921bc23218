#pragma once
// sqs: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::sqs {

class SqsService final : public Service {
 public:
  SqsService();
};

}  // namespace stratus::sqs
