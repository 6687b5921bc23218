// Tags on event buses and rules.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TagResource.html
#include "errors.hpp"
#include "events_service.hpp"

#include <cstring>

namespace stratus::events {
namespace {

// The bus or rule an ARN names must exist; other EventBridge resources are looked up by name.
void require(EventsService& svc, Region& r, const std::string& arn) {
  auto p = arn.find(":event-bus/");
  if (p != std::string::npos) {
    svc.bus(r, arn.substr(p + 11));
    return;
  }
  p = arn.find(":rule/");
  if (p != std::string::npos) {
    std::string rest = arn.substr(p + 6);
    std::string bus_name = "default", rule_name = rest;
    if (auto slash = rest.rfind('/'); slash != std::string::npos) {
      bus_name = rest.substr(0, slash);
      rule_name = rest.substr(slash + 1);
    }
    Bus& b = svc.bus(r, bus_name);
    svc.rule(r, b, rule_name);
    return;
  }
  auto after = [&](const char* kind) -> std::optional<std::string> {
    auto k = arn.find(kind);
    if (k == std::string::npos) return std::nullopt;
    std::string name = arn.substr(k + std::strlen(kind));
    if (auto slash = name.find('/'); slash != std::string::npos) name.resize(slash);
    return name;
  };
  if (auto n = after(":archive/"); n && r.archives.count(*n)) return;
  if (auto n = after(":connection/"); n && r.connections.count(*n)) return;
  if (auto n = after(":api-destination/"); n && r.api_destinations.count(*n)) return;
  throw err::not_found("Resource " + arn + " does not exist.");
}

}  // namespace

Output EventsService::tag_resource(Call& c) {
  Region& r = region(c.ctx);
  std::string arn(str_or(c.input, "ResourceARN"));
  require(*this, r, arn);
  set_tags(r, arn, opt_arr(c.input, "Tags"));
  return json::object{};
}

Output EventsService::untag_resource(Call& c) {
  Region& r = region(c.ctx);
  std::string arn(str_or(c.input, "ResourceARN"));
  require(*this, r, arn);
  auto it = r.tags.find(arn);
  if (it != r.tags.end())
    if (auto* keys = opt_arr(c.input, "TagKeys"))
      for (auto& k : *keys)
        if (k.is_string()) it->second.erase(std::string(k.get_string()));
  save_tags(r, arn);
  return json::object{};
}

Output EventsService::list_tags_for_resource(Call& c) {
  Region& r = region(c.ctx);
  std::string arn(str_or(c.input, "ResourceARN"));
  require(*this, r, arn);
  json::array tags;
  if (auto it = r.tags.find(arn); it != r.tags.end())
    for (auto& [k, v] : it->second) tags.push_back(json::object{{"Key", k}, {"Value", v}});
  return json::object{{"Tags", std::move(tags)}};
}

}  // namespace stratus::events
