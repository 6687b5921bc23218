#pragma once
// s3: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::s3 {

class S3Service final : public Service {
 public:
  S3Service();
};

}  // namespace stratus::s3
