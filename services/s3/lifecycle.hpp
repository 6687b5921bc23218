#pragma once
// Lifecycle rules as pure functions: validation of a LifecycleConfiguration document, which
// rules apply to an object, and when an action falls due (S3 rounds "Days" up to the next
// midnight UTC: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html).
#include <stratus/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::s3 {

// Throws MalformedXML / InvalidArgument / InvalidRequest like PutBucketLifecycleConfiguration.
void validate_lifecycle(const json::object& cfg);

// Whether an enabled rule's filter selects an object.
bool rule_applies(const json::object& rule, std::string_view key, uint64_t size,
                  const std::vector<std::pair<std::string, std::string>>& tags);

// Midnight UTC at or after t.
double next_midnight(double t);

// When the current version created at `created` expires under `rule` (nullopt: never).
std::optional<double> expiration_time(const json::object& rule, double created);

struct Expiry {
  double when = 0;
  std::string rule_id;
};
// The earliest expiration among the rules that apply (for the x-amz-expiration header).
std::optional<Expiry> earliest_expiration(const json::object& cfg, std::string_view key, uint64_t size,
                                          const std::vector<std::pair<std::string, std::string>>& tags, double created);

}  // namespace stratus::s3
