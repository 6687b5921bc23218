// Rule targets. https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
#include "errors.hpp"
#include "events_service.hpp"
#include "json_text.hpp"
#include "transform.hpp"

#include <stratus/bus.hpp>

#include <stdexcept>

namespace stratus::events {
namespace {

constexpr size_t kMaxTargetsPerRule = 5;

// Problems AWS reports for the whole request.
void validate_input(const json::object& t) {
  const std::string id(str_or(t, "Id"));
  int sources = (find(t, "Input") ? 1 : 0) + (find(t, "InputPath") ? 1 : 0) + (find(t, "InputTransformer") ? 1 : 0);
  if (sources > 1)
    throw err::validation("Only one of Input, InputPath, or InputTransformer must be provided for target " + id + ".");
  if (auto input = opt_str(t, "Input"); input && !json_text::parse(*input))
    throw err::validation("Parameter Input is not valid. Reason: Input for target " + id + " is not valid JSON.");
  if (auto path = opt_str(t, "InputPath"); path && !json_text::JsonPath::parse(*path))
    throw err::validation("Parameter InputPath is not valid. Reason: InputPath for target " + id +
                          " is not a valid JSON path.");
  if (auto* tr = opt_obj(t, "InputTransformer")) {
    std::map<std::string, std::string> paths;
    if (auto* m = opt_obj(*tr, "InputPathsMap"))
      for (auto& [k, v] : *m) {
        if (transform::is_reserved_variable(k))
          throw err::validation("InputTransformer for target " + id + " contains a reserved variable name: " +
                                std::string(k) + ".");
        paths[std::string(k)] = v.is_string() ? std::string(v.get_string()) : std::string();
      }
    if (auto bad = transform::invalid_placeholder(str_or(*tr, "InputTemplate"), paths))
      throw err::validation("InputTemplate for target " + id + " contains invalid placeholder " + *bad + ".");
    try {
      transform::InputTransformer check(paths, std::string(str_or(*tr, "InputTemplate")));
    } catch (const std::invalid_argument& e) {
      throw err::validation(std::string("InputTransformer for target ") + id + " is not valid: " + e.what());
    }
  }
}

// Problems AWS reports per target, in FailedEntries.
std::optional<std::string> entry_problem(const json::object& t) {
  const std::string id(str_or(t, "Id"));
  const std::string arn(str_or(t, "Arn"));
  auto parsed = Arn::parse(arn);
  if (!parsed) return "Parameter " + arn + " is not valid. Reason: Provided Arn is not in correct format.";
  if (parsed->service == "sqs" && arn.ends_with(".fifo") && !opt_obj(t, "SqsParameters"))
    return "Parameter(s) SqsParameters must be specified for target: " + id + ".";
  if (auto* dl = opt_obj(t, "DeadLetterConfig")) {
    auto dla = Arn::parse(str_or(*dl, "Arn"));
    if (!dla || dla->service != "sqs")
      return "Parameter DeadLetterConfig.Arn is not valid. Reason: Only SQS queue ARNs are supported as dead-letter "
             "queues.";
  }
  return std::nullopt;
}

}  // namespace

Output EventsService::put_targets(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  Rule& rl = rule(r, b, std::string(str_or(c.input, "Rule")));
  if (!rl.managed_by.empty())
    throw err::managed_rule("Rule " + rl.name + " is managed by " + rl.managed_by +
                            " and can only be modified by the managing service.");
  const json::array* targets = opt_arr(c.input, "Targets");
  if (!targets) return json::object{{"FailedEntryCount", 0}, {"FailedEntries", json::array{}}};
  for (auto& t : *targets)
    if (t.is_object()) validate_input(t.get_object());
  // The limit counts the targets the rule would have afterwards.
  size_t count = rl.targets.size();
  for (auto& t : *targets) {
    if (!t.is_object()) continue;
    auto id = str_or(t.get_object(), "Id");
    bool known = false;
    for (auto& x : rl.targets)
      if (str_or(x, "Id") == id) known = true;
    if (!known) ++count;
  }
  if (count > kMaxTargetsPerRule) throw err::limit();
  json::array failed;
  for (auto& t : *targets) {
    if (!t.is_object()) continue;
    const json::object& target = t.get_object();
    if (auto problem = entry_problem(target)) {
      failed.push_back(json::object{{"TargetId", str_or(target, "Id")}, {"ErrorCode", "ValidationException"},
                                    {"ErrorMessage", *problem}});
      continue;
    }
    auto id = str_or(target, "Id");
    bool replaced = false;
    for (auto& x : rl.targets)
      if (str_or(x, "Id") == id) {
        x = target;
        replaced = true;
      }
    if (!replaced) rl.targets.push_back(target);
  }
  save(r, rl);
  return json::object{{"FailedEntryCount", static_cast<int64_t>(failed.size())}, {"FailedEntries", std::move(failed)}};
}

Output EventsService::remove_targets(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  Rule& rl = rule(r, b, std::string(str_or(c.input, "Rule")));
  const bool force = opt_bool(c.input, "Force").value_or(false);
  json::array failed;
  if (auto* ids = opt_arr(c.input, "Ids")) {
    for (auto& idv : *ids) {
      if (!idv.is_string()) continue;
      std::string id(idv.get_string());
      auto it = std::find_if(rl.targets.begin(), rl.targets.end(), [&](const json::object& t) { return str_or(t, "Id") == id; });
      if (it == rl.targets.end()) {
        failed.push_back(json::object{{"TargetId", id},
                                      {"ErrorCode", "ResourceNotFoundException"},
                                      {"ErrorMessage", "Rule '" + rl.name + "' does not have a target with the Id '" + id + "'."}});
        continue;
      }
      if (!rl.managed_by.empty() && !force) {
        failed.push_back(json::object{
            {"TargetId", id},
            {"ErrorCode", "ManagedRuleException"},
            {"ErrorMessage", "Rule '" + rl.name + "' is managed by an AWS service can only be modified if force is True."}});
        continue;
      }
      rl.targets.erase(it);
    }
  }
  save(r, rl);
  return json::object{{"FailedEntryCount", static_cast<int64_t>(failed.size())}, {"FailedEntries", std::move(failed)}};
}

Output EventsService::list_targets_by_rule(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  Rule& rl = rule(r, b, std::string(str_or(c.input, "Rule")));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t next = 0;
  for (size_t i = start; i < rl.targets.size(); ++i) {
    if (out.size() == limit) {
      next = i;
      break;
    }
    out.push_back(rl.targets[i]);
  }
  json::object res{{"Targets", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

}  // namespace stratus::events
