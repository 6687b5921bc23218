// Tags of parameters (ResourceType "Parameter"; the other taggable Systems Manager resources are
// not implemented and answer InvalidResourceType).
#include "errors.hpp"
#include "model.hpp"
#include "ssm_service.hpp"

#include <algorithm>

namespace stratus::ssm {

Parameter SsmService::tagged_resource(const Call& c) {
  if (str_or(c.input, "ResourceType") != "Parameter") throw errors::invalid_resource_type();
  std::string id(str_or(c.input, "ResourceId"));
  if (!valid_name_chars(id)) throw errors::invalid_resource_id();
  auto p = store().get(scope(c), id);
  if (!p) throw errors::invalid_resource_id();
  return *p;
}

Output SsmService::add_tags_to_resource(Call& c) {
  Parameter p = tagged_resource(c);
  if (auto* tags = opt_arr(c.input, "Tags"))
    for (auto& t : *tags) {
      if (!t.is_object()) continue;
      std::string k(str_or(t.get_object(), "Key")), v(str_or(t.get_object(), "Value"));
      auto it = std::find_if(p.tags.begin(), p.tags.end(), [&](auto& e) { return e.first == k; });
      if (it != p.tags.end()) it->second = v;
      else p.tags.emplace_back(k, v);
    }
  if (p.tags.size() > 50) throw errors::too_many_tags();
  store().set_tags(scope(c), p.name, p.tags);
  return json::object{};
}

Output SsmService::remove_tags_from_resource(Call& c) {
  Parameter p = tagged_resource(c);
  if (auto* keys = opt_arr(c.input, "TagKeys"))
    for (auto& k : *keys)
      if (k.is_string())
        std::erase_if(p.tags, [&](auto& e) { return e.first == k.get_string(); });
  store().set_tags(scope(c), p.name, p.tags);
  return json::object{};
}

Output SsmService::list_tags_for_resource(Call& c) {
  Parameter p = tagged_resource(c);
  json::array out;
  for (auto& [k, v] : p.tags) out.push_back(json::object{{"Key", k}, {"Value", v}});
  return json::object{{"TagList", std::move(out)}};
}

}  // namespace stratus::ssm
