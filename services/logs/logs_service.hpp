#pragma once
// Amazon CloudWatch Logs (json 1.1): log groups, streams, events, retention, tags and filter
// patterns. Lambda writes its functions' logs here in process (Bus::call "PutLogEvents"), and the
// "logs" bus target takes messages addressed to a log group ARN (EventBridge targets).
#include "store.hpp"

#include <stratus/service.hpp>

namespace stratus::logs {

class LogsService final : public Service {
 public:
  LogsService();
  void start(Env& env) override;
  void reset() override;

 private:
  // groups, retention, tags (ops_groups.cpp)
  Output create_log_group(Call& c);
  Output delete_log_group(Call& c);
  Output describe_log_groups(Call& c);
  Output put_retention_policy(Call& c);
  Output delete_retention_policy(Call& c);
  Output tag_log_group(Call& c);
  Output untag_log_group(Call& c);
  Output list_tags_log_group(Call& c);
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags_for_resource(Call& c);
  // streams (ops_streams.cpp)
  Output create_log_stream(Call& c);
  Output delete_log_stream(Call& c);
  Output describe_log_streams(Call& c);
  // events (ops_events.cpp)
  Output put_log_events(Call& c);
  Output get_log_events(Call& c);
  Output filter_log_events(Call& c);

  Scope scope(const Call& c) const { return Scope{c.ctx.account_id, c.ctx.region}; }
  // The group named by logGroupName or logGroupIdentifier (a name or an ARN); throws when missing.
  LogGroup require_group(const Call& c, bool identifier_allowed);
  std::string group_arn(const Scope& s, std::string_view name, bool star) const;
  json::object group_doc(const Scope& s, const LogGroup& g) const;
  // Appends one message for the bus target (EventBridge → CloudWatch Logs).
  json::value deliver(const std::string& account, const std::string& region, const std::string& group,
                      const std::string& stream, const std::string& message, int64_t timestamp);

  Store store_;
  int64_t last_expiry_ms_ = 0;
};

}  // namespace stratus::logs
