// Groups and memberships.
#include "cognito_service.hpp"

#include "errors.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

namespace stratus::cognito {

namespace {
json::object group_type(const Pool& p, const Group& g) {
  json::object o{{"GroupName", g.name}, {"UserPoolId", p.id}};
  for (auto& [k, v] : g.doc) o[k] = v;
  return o;
}

size_t page_start(const json::object& in, const char* member, size_t total) {
  auto t = opt_str(in, member);
  if (!t) return 0;
  auto raw = crypto::base64_decode(*t);
  auto n = raw ? parse_int(*raw) : std::nullopt;
  if (!n || *n < 0) throw errors::invalid_parameter("Invalid pagination token.");
  return std::min(static_cast<size_t>(*n), total);
}
}  // namespace

Output CognitoService::create_group(Call& c) {
  Pool p = pool_for(c);
  std::string name(str_or(c.input, "GroupName"));
  if (store_->group(p, name)) throw errors::group_exists(name);
  Group g{name, {}};
  for (const char* k : {"Description", "RoleArn", "Precedence"})
    if (auto* v = find(c.input, k); v && !v->is_null()) g.doc[k] = *v;
  double t = now();
  g.doc["LastModifiedDate"] = t;
  g.doc["CreationDate"] = t;
  store_->put_group(p, g);
  return json::object{{"Group", group_type(p, g)}};
}

Output CognitoService::get_group(Call& c) {
  Pool p = pool_for(c);
  auto g = store_->group(p, std::string(str_or(c.input, "GroupName")));
  if (!g) throw errors::group_not_found();
  return json::object{{"Group", group_type(p, *g)}};
}

Output CognitoService::list_groups(Call& c) {
  Pool p = pool_for(c);
  auto groups = store_->groups(p);
  size_t start = page_start(c.input, "NextToken", groups.size());
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(60));
  if (limit == 0) limit = 60;
  size_t end = std::min(groups.size(), start + limit);
  json::array list;
  for (size_t i = start; i < end; ++i) list.push_back(group_type(p, groups[i]));
  json::object out{{"Groups", std::move(list)}};
  if (end < groups.size()) out["NextToken"] = crypto::base64(std::to_string(end));
  return out;
}

Output CognitoService::update_group(Call& c) {
  Pool p = pool_for(c);
  auto g = store_->group(p, std::string(str_or(c.input, "GroupName")));
  if (!g) throw errors::group_not_found();
  for (const char* k : {"Description", "RoleArn", "Precedence"})
    if (auto* v = find(c.input, k); v && !v->is_null()) g->doc[k] = *v;
  g->doc["LastModifiedDate"] = now();
  store_->put_group(p, *g);
  return json::object{{"Group", group_type(p, *g)}};
}

Output CognitoService::delete_group(Call& c) {
  Pool p = pool_for(c);
  std::string name(str_or(c.input, "GroupName"));
  if (!store_->group(p, name)) throw errors::group_not_found();
  store_->delete_group(p, name);
  return json::object{};
}

Output CognitoService::admin_add_user_to_group(Call& c) {
  Pool p = pool_for(c);
  std::string name(str_or(c.input, "GroupName"));
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  if (!store_->group(p, name)) throw errors::group_not_found();
  store_->add_member(p, name, u.username);
  return json::object{};
}

Output CognitoService::admin_remove_user_from_group(Call& c) {
  Pool p = pool_for(c);
  std::string name(str_or(c.input, "GroupName"));
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  if (!store_->group(p, name)) throw errors::group_not_found();
  store_->remove_member(p, name, u.username);
  return json::object{};
}

Output CognitoService::admin_list_groups_for_user(Call& c) {
  Pool p = pool_for(c);
  User u = user_for(p, std::string(str_or(c.input, "Username")));
  auto names = store_->groups_of(p, u.username);
  size_t start = page_start(c.input, "NextToken", names.size());
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(60));
  if (limit == 0) limit = 60;
  size_t end = std::min(names.size(), start + limit);
  json::array list;
  for (size_t i = start; i < end; ++i)
    if (auto g = store_->group(p, names[i])) list.push_back(group_type(p, *g));
  json::object out{{"Groups", std::move(list)}};
  if (end < names.size()) out["NextToken"] = crypto::base64(std::to_string(end));
  return out;
}

Output CognitoService::list_users_in_group(Call& c) {
  Pool p = pool_for(c);
  std::string name(str_or(c.input, "GroupName"));
  if (!store_->group(p, name)) throw errors::group_not_found();
  auto names = store_->members_of(p, name);
  size_t start = page_start(c.input, "NextToken", names.size());
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(60));
  if (limit == 0) limit = 60;
  size_t end = std::min(names.size(), start + limit);
  json::array list;
  for (size_t i = start; i < end; ++i)
    if (auto u = store_->user(p, names[i])) list.push_back(user_type(*u, "Attributes"));
  json::object out{{"Users", std::move(list)}};
  if (end < names.size()) out["NextToken"] = crypto::base64(std::to_string(end));
  return out;
}

}  // namespace stratus::cognito
