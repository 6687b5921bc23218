#include "logs_service.hpp"

#include "errors.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/store.hpp>

namespace stratus::logs {

LogsService::LogsService()
    : Service(ServiceInfo{
          .name = "logs",
          .models = {{"logs", Protocol::json}},
          .target_prefixes = {"Logs_20140328"},
          .signing_names = {"logs"},
          .validation_error_code = "InvalidParameterException",
          // The model's tag patterns use Java's \p{L} classes, which the core's regex engine does not
          // read; names are checked here (ops_groups.cpp) instead.
          .validate_patterns = false,
      }) {
  on("CreateLogGroup", &LogsService::create_log_group);
  on("DeleteLogGroup", &LogsService::delete_log_group);
  on("DescribeLogGroups", &LogsService::describe_log_groups);
  on("PutRetentionPolicy", &LogsService::put_retention_policy);
  on("DeleteRetentionPolicy", &LogsService::delete_retention_policy);
  on("TagLogGroup", &LogsService::tag_log_group);
  on("UntagLogGroup", &LogsService::untag_log_group);
  on("ListTagsLogGroup", &LogsService::list_tags_log_group);
  on("TagResource", &LogsService::tag_resource);
  on("UntagResource", &LogsService::untag_resource);
  on("ListTagsForResource", &LogsService::list_tags_for_resource);
  on("CreateLogStream", &LogsService::create_log_stream);
  on("DeleteLogStream", &LogsService::delete_log_stream);
  on("DescribeLogStreams", &LogsService::describe_log_streams);
  on("PutLogEvents", &LogsService::put_log_events);
  on("GetLogEvents", &LogsService::get_log_events);
  on("FilterLogEvents", &LogsService::filter_log_events);
}

void LogsService::start(Env& env) {
  Service::start(env);
  store_.open(env.storage.database("logs"));
  // Bus target: a message for arn:aws:logs:<region>:<account>:log-group:<name>[:*].
  env.bus.register_target("logs", [this](const Delivery& d) -> boost::asio::awaitable<json::value> {
    auto arn = Arn::parse(d.target_arn);
    std::string_view res = arn ? std::string_view(arn->resource) : std::string_view();
    if (!arn || !res.starts_with("log-group:")) throw errors::invalid_parameter("Invalid log group ARN: " + d.target_arn);
    res.remove_prefix(10);
    if (res.ends_with(":*")) res.remove_suffix(2);
    int64_t ts = opt_int(d.attributes, "Timestamp").value_or(this->env().clock.now_ms());
    std::string stream(str_or(d.attributes, "LogStream", "stratus-delivery"));
    co_return deliver(arn->account, arn->region, std::string(res), stream, d.payload, ts);
  });
}

void LogsService::reset() { store_.wipe(); }

json::value LogsService::deliver(const std::string& account, const std::string& region, const std::string& group,
                                 const std::string& stream, const std::string& message, int64_t timestamp) {
  Scope s{account, region};
  if (!store_.group(s, group)) throw errors::group_not_found();
  int64_t now = env().clock.now_ms();
  if (!store_.stream(s, group, stream)) store_.insert_stream(s, group, LogStream{stream, now});
  store_.append(s, group, stream, {Event{0, stream, timestamp, now, message}}, now);
  return json::object{};
}

std::string LogsService::group_arn(const Scope& s, std::string_view name, bool star) const {
  return "arn:aws:logs:" + s.region + ":" + s.account + ":log-group:" + std::string(name) + (star ? ":*" : "");
}

json::object LogsService::group_doc(const Scope& s, const LogGroup& g) const {
  json::object o{{"logGroupName", g.name},
                 {"creationTime", g.created},
                 {"metricFilterCount", 0},
                 {"arn", group_arn(s, g.name, true)},
                 {"logGroupArn", group_arn(s, g.name, false)},
                 {"storedBytes", g.stored_bytes},
                 {"logGroupClass", g.log_group_class},
                 {"deletionProtectionEnabled", g.deletion_protection}};
  if (g.retention_days) o["retentionInDays"] = *g.retention_days;
  if (g.kms_key_id) o["kmsKeyId"] = *g.kms_key_id;
  return o;
}

LogGroup LogsService::require_group(const Call& c, bool identifier_allowed) {
  auto name = opt_str(c.input, "logGroupName");
  auto ident = identifier_allowed ? opt_str(c.input, "logGroupIdentifier") : std::nullopt;
  if (name && ident)
    throw errors::invalid_parameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  if (!name && !ident) throw errors::invalid_parameter("Should provide either name or ARN of the log group.");
  std::string group = name ? *name : *ident;
  if (name) errors::check_group_name(*name);
  if (auto st = opt_str(c.input, "logStreamName")) errors::check_stream_name(*st);
  Scope s = scope(c);
  if (!name) {
    if (auto arn = Arn::parse(group)) {
      std::string_view res = arn->resource;
      if (!res.starts_with("log-group:")) throw errors::invalid_parameter("Invalid log group ARN: " + group);
      res.remove_prefix(10);
      if (res.ends_with(":*")) res.remove_suffix(2);
      s.account = arn->account;
      s.region = arn->region;
      group = std::string(res);
    }
  }
  auto g = store_.group(s, group);
  if (!g) throw errors::group_not_found();
  return *g;
}

}  // namespace stratus::logs
