// Schedule groups and their tags.
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateScheduleGroup.html
#include "scheduler_service.hpp"

#include <stratus/crypto.hpp>

namespace stratus::scheduler {
namespace {

json::object describe(const Group& g) {
  json::object o{{"Arn", g.arn}, {"Name", g.name}, {"State", g.state}};
  if (g.created > 0) {
    o["CreationDate"] = g.created;
    o["LastModificationDate"] = g.modified;
  }
  return o;
}

Group& by_arn(SchedulerService& svc, Region& r, const std::string& arn) {
  auto p = arn.find(":schedule-group/");
  std::string name = p == std::string::npos ? arn : arn.substr(p + 16);
  return svc.group(r, name);
}

}  // namespace

Output SchedulerService::create_schedule_group(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  if (r.groups.count(name))
    throw AwsError("ConflictException", "Schedule group " + name + " already exists.", 409);
  Group g;
  g.name = name;
  g.arn = "arn:aws:scheduler:" + r.region + ":" + r.account + ":schedule-group/" + name;
  g.created = g.modified = now();
  if (auto* tags = opt_arr(c.input, "Tags"))
    for (auto& t : *tags)
      if (t.is_object()) g.tags[std::string(str_or(t.get_object(), "Key"))] = std::string(str_or(t.get_object(), "Value"));
  auto& stored = r.groups.emplace(name, std::move(g)).first->second;
  save(r, stored);
  return json::object{{"ScheduleGroupArn", stored.arn}};
}

Output SchedulerService::get_schedule_group(Call& c) {
  Region& r = region(c.ctx);
  return describe(group(r, std::string(str_or(c.input, "Name"))));
}

Output SchedulerService::delete_schedule_group(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  if (name == "default")
    throw AwsError("ValidationException", "The default schedule group cannot be deleted.", 400);
  Group& g = group(r, name);
  // Deleting a group deletes its schedules.
  for (auto it = r.schedules.begin(); it != r.schedules.end();) {
    if (it->second.group == g.name) {
      erase_schedule(r, it->second);
      it = r.schedules.erase(it);
    } else {
      ++it;
    }
  }
  erase_group(r, g);
  r.groups.erase(g.name);
  wake();
  return json::object{};
}

Output SchedulerService::list_schedule_groups(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  size_t start = 0;
  if (auto t = opt_str(c.input, "NextToken")) {
    auto raw = crypto::base64_decode(*t);
    if (!raw || !raw->starts_with("groups:")) throw AwsError("ValidationException", "Invalid NextToken.", 400);
    start = static_cast<size_t>(std::strtoull(raw->c_str() + 7, nullptr, 10));
  }
  size_t limit = static_cast<size_t>(opt_int(c.input, "MaxResults").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, g] : r.groups) {
    if (!name.starts_with(prefix)) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(describe(g));
  }
  json::object res{{"ScheduleGroups", std::move(out)}};
  if (next) res["NextToken"] = crypto::base64("groups:" + std::to_string(next));
  return res;
}

Output SchedulerService::tag_resource(Call& c) {
  Region& r = region(c.ctx);
  Group& g = by_arn(*this, r, std::string(str_or(c.input, "ResourceArn")));
  if (auto* tags = opt_arr(c.input, "Tags"))
    for (auto& t : *tags)
      if (t.is_object()) g.tags[std::string(str_or(t.get_object(), "Key"))] = std::string(str_or(t.get_object(), "Value"));
  save(r, g);
  return json::object{};
}

Output SchedulerService::untag_resource(Call& c) {
  Region& r = region(c.ctx);
  Group& g = by_arn(*this, r, std::string(str_or(c.input, "ResourceArn")));
  if (auto* keys = opt_arr(c.input, "TagKeys"))
    for (auto& k : *keys)
      if (k.is_string()) g.tags.erase(std::string(k.get_string()));
  save(r, g);
  return json::object{};
}

Output SchedulerService::list_tags_for_resource(Call& c) {
  Region& r = region(c.ctx);
  Group& g = by_arn(*this, r, std::string(str_or(c.input, "ResourceArn")));
  json::array tags;
  for (auto& [k, v] : g.tags) tags.push_back(json::object{{"Key", k}, {"Value", v}});
  return json::object{{"Tags", std::move(tags)}};
}

}  // namespace stratus::scheduler
