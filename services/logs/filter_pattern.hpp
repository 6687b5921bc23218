#pragma once
// CloudWatch Logs filter patterns (FilterLogEvents, subscription and metric filters):
//   terms            ERROR "exact phrase" ?alt1 ?alt2 -excluded
//   JSON selectors   { $.level = "ERROR" && ($.latency > 100 || $.user.id NOT EXISTS) }
//   space-delimited  [ip, user, ..., status = 5*, bytes > 1000]
//   regular exprs    %ERROR|WARN%
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
// Parsed once, matched per event; no I/O.
#include <memory>
#include <string>
#include <string_view>

namespace stratus::logs {

class FilterPattern {
 public:
  // Throws std::invalid_argument with a message for a pattern that does not parse.
  static FilterPattern parse(std::string_view pattern);
  bool matches(std::string_view message) const;
  bool empty() const { return !impl_; }

  struct Impl;
  FilterPattern();
  ~FilterPattern();
  FilterPattern(FilterPattern&&) noexcept;
  FilterPattern& operator=(FilterPattern&&) noexcept;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stratus::logs
