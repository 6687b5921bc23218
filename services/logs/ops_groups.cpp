// Log groups, retention and tags. AWS documents each operation at
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "logs_service.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>

#include <algorithm>

namespace stratus::logs {
namespace {

constexpr int64_t kRetentionDays[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                      365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

void merge_tags(json::object& into, const json::object* tags) {
  if (!tags) return;
  for (auto& [k, v] : *tags) into[k] = v;
}

// "arn:aws:logs:<region>:<account>:log-group:<name>" (as TagResource takes it) → the group name.
std::string group_from_arn(std::string_view arn_text) {
  auto arn = Arn::parse(arn_text);
  if (!arn || arn->service != "logs" || !std::string_view(arn->resource).starts_with("log-group:"))
    throw errors::invalid_parameter("Invalid resource arn: " + std::string(arn_text));
  std::string_view res = arn->resource;
  res.remove_prefix(10);
  if (res.ends_with(":*")) res.remove_suffix(2);
  return std::string(res);
}

}  // namespace

Output LogsService::create_log_group(Call& c) {
  LogGroup g;
  g.name = str_or(c.input, "logGroupName");
  errors::check_group_name(g.name);
  g.created = env().clock.now_ms();
  g.kms_key_id = opt_str(c.input, "kmsKeyId");
  g.log_group_class = str_or(c.input, "logGroupClass", "STANDARD");
  g.deletion_protection = opt_bool(c.input, "deletionProtectionEnabled").value_or(false);
  merge_tags(g.tags, opt_obj(c.input, "tags"));
  if (!store_.insert_group(scope(c), g)) throw errors::group_exists();
  return json::object{};
}

Output LogsService::delete_log_group(Call& c) {
  LogGroup g = require_group(c, false);
  if (g.deletion_protection)
    throw AwsError("OperationAbortedException",
                   "Log group " + g.name + " cannot be deleted because deletion protection is enabled", 400);
  store_.delete_group(scope(c), g.name);
  return json::object{};
}

Output LogsService::describe_log_groups(Call& c) {
  const auto& in = c.input;
  auto prefix = opt_str(in, "logGroupNamePrefix");
  auto pattern = opt_str(in, "logGroupNamePattern");
  if (prefix && pattern)
    throw errors::invalid_parameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  int limit = static_cast<int>(opt_int(in, "limit").value_or(50));
  std::string after;
  if (auto t = opt_str(in, "nextToken")) {
    auto raw = t->starts_with("g/") ? t->substr(2) : std::string();
    if (raw.empty()) throw errors::invalid_parameter("The specified nextToken is invalid.");
    after = raw;
  }
  std::string_view class_filter = str_or(in, "logGroupClass");
  Scope s = scope(c);
  json::array groups;
  std::string last;
  bool more = false;
  // Over-fetch by one to learn whether another page exists.
  auto rows = store_.list_groups(s, prefix.value_or(""), pattern.value_or(""), after, limit + 1);
  for (auto& g : rows) {
    if (!class_filter.empty() && g.log_group_class != class_filter) continue;
    if (static_cast<int>(groups.size()) == limit) {
      more = true;
      break;
    }
    groups.push_back(group_doc(s, g));
    last = g.name;
  }
  if (auto* ids = opt_arr(in, "logGroupIdentifiers")) {
    json::array filtered;
    for (auto& g : groups) {
      const auto& o = g.as_object();
      for (auto& id : *ids)
        if (id.is_string() && (id.get_string() == o.at("logGroupName").get_string() ||
                               id.get_string() == o.at("logGroupArn").get_string()))
          filtered.push_back(g);
    }
    groups = std::move(filtered);
  }
  json::object out{{"logGroups", std::move(groups)}};
  if (more) out["nextToken"] = "g/" + last;
  return out;
}

Output LogsService::put_retention_policy(Call& c) {
  int64_t days = opt_int(c.input, "retentionInDays").value_or(0);
  if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), days) == std::end(kRetentionDays))
    throw errors::invalid_parameter(
        "1 validation error detected: Value '" + std::to_string(days) +
        "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, "
        "30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");
  LogGroup g = require_group(c, false);
  g.retention_days = days;
  store_.update_group(scope(c), g);
  store_.expire(env().clock.now_ms());
  return json::object{};
}

Output LogsService::delete_retention_policy(Call& c) {
  LogGroup g = require_group(c, false);
  g.retention_days.reset();
  store_.update_group(scope(c), g);
  return json::object{};
}

Output LogsService::tag_log_group(Call& c) {
  LogGroup g = require_group(c, false);
  merge_tags(g.tags, opt_obj(c.input, "tags"));
  store_.update_group(scope(c), g);
  return json::object{};
}

Output LogsService::untag_log_group(Call& c) {
  LogGroup g = require_group(c, false);
  if (auto* keys = opt_arr(c.input, "tags"))
    for (auto& k : *keys)
      if (k.is_string()) g.tags.erase(k.get_string());
  store_.update_group(scope(c), g);
  return json::object{};
}

Output LogsService::list_tags_log_group(Call& c) {
  LogGroup g = require_group(c, false);
  return json::object{{"tags", g.tags}};
}

Output LogsService::tag_resource(Call& c) {
  auto g = store_.group(scope(c), group_from_arn(str_or(c.input, "resourceArn")));
  if (!g) throw errors::group_not_found();
  merge_tags(g->tags, opt_obj(c.input, "tags"));
  if (g->tags.size() > 50) throw AwsError("TooManyTagsException", "A resource can have no more than 50 tags.", 400);
  store_.update_group(scope(c), *g);
  return json::object{};
}

Output LogsService::untag_resource(Call& c) {
  auto g = store_.group(scope(c), group_from_arn(str_or(c.input, "resourceArn")));
  if (!g) throw errors::group_not_found();
  if (auto* keys = opt_arr(c.input, "tagKeys"))
    for (auto& k : *keys)
      if (k.is_string()) g->tags.erase(k.get_string());
  store_.update_group(scope(c), *g);
  return json::object{};
}

Output LogsService::list_tags_for_resource(Call& c) {
  auto g = store_.group(scope(c), group_from_arn(str_or(c.input, "resourceArn")));
  if (!g) throw errors::group_not_found();
  return json::object{{"tags", g->tags}};
}

}  // namespace stratus::logs
