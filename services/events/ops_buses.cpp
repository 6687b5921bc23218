// Event buses and their resource policies.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
#include "errors.hpp"
#include "events_service.hpp"

namespace stratus::events {
namespace {

json::object describe(const Bus& b, bool with_times = true) {
  json::object o{{"Name", b.name}, {"Arn", b.arn}};
  if (!b.description.empty()) o["Description"] = b.description;
  if (!b.kms_key.empty()) o["KmsKeyIdentifier"] = b.kms_key;
  if (!b.dead_letter_arn.empty()) o["DeadLetterConfig"] = json::object{{"Arn", b.dead_letter_arn}};
  if (!b.policy.empty()) o["Policy"] = b.policy;
  if (with_times) {
    o["CreationTime"] = b.created;
    o["LastModifiedTime"] = b.modified;
  }
  return o;
}

void drop_statement(json::array& arr, const std::string& sid) {
  for (size_t i = arr.size(); i-- > 0;)
    if (arr[i].is_object() && str_or(arr[i].get_object(), "Sid") == sid) arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(i));
}

void apply_settings(Bus& b, const json::object& in) {
  if (auto d = opt_str(in, "Description")) b.description = *d;
  if (auto k = opt_str(in, "KmsKeyIdentifier")) b.kms_key = *k;
  if (auto* dl = opt_obj(in, "DeadLetterConfig")) b.dead_letter_arn = std::string(str_or(*dl, "Arn"));
}

}  // namespace

Output EventsService::create_event_bus(Call& c) {
  Region& r = region(c.ctx);
  std::string name(str_or(c.input, "Name"));
  if (auto src = opt_str(c.input, "EventSourceName"))
    throw err::not_found("Event source " + *src + " does not exist.");
  if (name.find('/') != std::string::npos)
    throw err::validation("Event bus name must not contain '/'.");
  if (r.buses.count(name)) throw err::exists("Event bus " + name + " already exists.");
  Bus b;
  b.name = name;
  b.arn = r.bus_arn(name);
  b.created = b.modified = now();
  apply_settings(b, c.input);
  auto& stored = r.buses.emplace(name, std::move(b)).first->second;
  save(r, stored);
  set_tags(r, stored.arn, opt_arr(c.input, "Tags"));
  json::object out = describe(stored, false);
  out.erase("Name");
  out.erase("Arn");
  out["EventBusArn"] = stored.arn;
  return out;
}

Output EventsService::delete_event_bus(Call& c) {
  Region& r = region(c.ctx);
  std::string name(str_or(c.input, "Name"));
  if (name == "default") throw err::validation("Cannot delete event bus default.");
  auto it = r.buses.find(name);
  if (it == r.buses.end()) return json::object{};
  for (auto& [rn, rule] : it->second.rules) {
    erase(r, "rule", name + "\n" + rn);
    r.tags.erase(rule.arn);
    save_tags(r, rule.arn);
  }
  r.tags.erase(it->second.arn);
  save_tags(r, it->second.arn);
  erase(r, "bus", name);
  r.buses.erase(it);
  wake_scheduler();
  return json::object{};
}

Output EventsService::describe_event_bus(Call& c) {
  Region& r = region(c.ctx);
  return describe(bus(r, str_or(c.input, "Name", "default")));
}

Output EventsService::list_event_buses(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, b] : r.buses) {
    if (!name.starts_with(prefix)) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(describe(b));
  }
  json::object res{{"EventBuses", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

Output EventsService::update_event_bus(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "Name", "default"));
  apply_settings(b, c.input);
  b.modified = now();
  save(r, b);
  json::object out = describe(b, false);
  out.erase("Policy");
  return out;
}

Output EventsService::put_permission(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  if (auto policy = opt_str(c.input, "Policy")) {
    boost::system::error_code ec;
    json::value v = json::parse(*policy, ec);
    if (ec || !v.is_object()) throw err::validation("Parameter Policy is not valid.");
    b.policy = json::serialize(v);
  } else {
    std::string sid(str_or(c.input, "StatementId"));
    std::string principal(str_or(c.input, "Principal"));
    std::string action(str_or(c.input, "Action"));
    if (sid.empty() || principal.empty() || action.empty())
      throw err::validation("Parameter(s) Action, Principal and StatementId must be specified.");
    if (action != "events:PutEvents")
      throw err::validation("Provided value in parameter 'action' is not supported.");
    json::object stmt{{"Sid", sid}, {"Effect", "Allow"}};
    if (principal == "*") stmt["Principal"] = "*";
    else stmt["Principal"] = json::object{{"AWS", "arn:aws:iam::" + principal + ":root"}};
    stmt["Action"] = action;
    stmt["Resource"] = b.arn;
    if (auto* cond = opt_obj(c.input, "Condition"))
      stmt["Condition"] = json::object{
          {std::string(str_or(*cond, "Type")), json::object{{std::string(str_or(*cond, "Key")), str_or(*cond, "Value")}}}};
    json::object doc{{"Version", "2012-10-17"}, {"Statement", json::array{}}};
    if (!b.policy.empty()) {
      boost::system::error_code ec;
      json::value v = json::parse(b.policy, ec);
      if (!ec && v.is_object()) doc = v.get_object();
    }
    auto& statements = doc["Statement"];
    if (!statements.is_array()) statements = json::array{};
    auto& arr = statements.get_array();
    drop_statement(arr, sid);
    arr.push_back(std::move(stmt));
    b.policy = json::serialize(doc);
  }
  b.modified = now();
  save(r, b);
  return json::object{};
}

Output EventsService::remove_permission(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  if (opt_bool(c.input, "RemoveAllPermissions").value_or(false)) {
    b.policy.clear();
  } else {
    std::string sid(str_or(c.input, "StatementId"));
    if (sid.empty()) throw err::validation("Parameter StatementId is required.");
    boost::system::error_code ec;
    json::value v = b.policy.empty() ? json::value() : json::parse(b.policy, ec);
    json::array* arr = nullptr;
    if (!ec && v.is_object())
      if (auto it = v.get_object().find("Statement"); it != v.get_object().end() && it->value().is_array())
        arr = &it->value().get_array();
    size_t before = arr ? arr->size() : 0;
    if (arr) drop_statement(*arr, sid);
    if (!arr || arr->size() == before) throw err::not_found("Statement with the provided id does not exist.");
    b.policy = arr->empty() ? std::string() : json::serialize(v);
  }
  b.modified = now();
  save(r, b);
  return json::object{};
}

}  // namespace stratus::events
