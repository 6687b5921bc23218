// Resource-based policies: AddPermission, RemovePermission, GetPolicy.
// https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/ids.hpp>

namespace stratus::lambda {

namespace {

std::string qualified(const Function& f, const std::optional<std::string>& q) {
  return q ? f.arn() + ":" + *q : f.arn();
}

json::object policy_document(const Function& f, const std::optional<std::string>& q) {
  json::array statements;
  for (auto& s : f.policy)
    if (s.is_object() && str_or(s.get_object(), "Resource") == qualified(f, q)) statements.push_back(s);
  return {{"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", std::move(statements)}};
}

}  // namespace

Output LambdaService::add_permission(Call& c) {
  Function& f = require_function(c);
  const auto& in = c.input;
  auto q = opt_str(in, "Qualifier");
  if (q && *q != "$LATEST" && !find_version(f, *q) && !f.aliases.count(*q))
    throw errors::function_not_found(f.arn() + ":" + *q);
  std::string sid(str_or(in, "StatementId"));
  std::string resource = qualified(f, q);
  for (auto& s : f.policy)
    if (s.is_object() && str_or(s.get_object(), "Sid") == sid && str_or(s.get_object(), "Resource") == resource)
      throw errors::conflict("The statement id (" + sid + ") provided already exists. Please provide a new statement "
                             "id, or remove the existing statement.");
  std::string principal(str_or(in, "Principal"));
  json::object principal_doc;
  if (principal == "*") principal_doc = {{"AWS", "*"}};
  else if (principal.find(".amazonaws.com") != std::string::npos || principal.find(".aws.internal") != std::string::npos)
    principal_doc = {{"Service", principal}};
  else if (principal.size() == 12 && is_version_number(principal.substr(0, 9)))
    principal_doc = {{"AWS", "arn:aws:iam::" + principal + ":root"}};
  else
    principal_doc = {{"AWS", principal}};
  json::object statement{{"Sid", sid},
                         {"Effect", "Allow"},
                         {"Principal", std::move(principal_doc)},
                         {"Action", str_or(in, "Action")},
                         {"Resource", resource}};
  json::object condition;
  if (auto s = opt_str(in, "SourceArn")) condition["ArnLike"] = json::object{{"AWS:SourceArn", *s}};
  if (auto s = opt_str(in, "SourceAccount")) condition["StringEquals"] = json::object{{"AWS:SourceAccount", *s}};
  if (auto s = opt_str(in, "PrincipalOrgID")) condition["StringEquals"] = json::object{{"aws:PrincipalOrgID", *s}};
  if (auto s = opt_str(in, "FunctionUrlAuthType"))
    condition["StringEquals"] = json::object{{"lambda:FunctionUrlAuthType", *s}};
  if (auto s = opt_str(in, "EventSourceToken")) condition["StringEquals"] = json::object{{"lambda:EventSourceToken", *s}};
  if (!condition.empty()) statement["Condition"] = std::move(condition);
  f.policy.push_back(statement);
  store_.save(f);
  Output o(json::object{{"Statement", json::serialize(statement)}});
  o.status = 201;
  return o;
}

Output LambdaService::remove_permission(Call& c) {
  Function& f = require_function(c);
  auto q = opt_str(c.input, "Qualifier");
  std::string sid(str_or(c.input, "StatementId"));
  std::string resource = qualified(f, q);
  size_t before = f.policy.size();
  json::array kept;
  for (auto& s : f.policy)
    if (!(s.is_object() && str_or(s.get_object(), "Sid") == sid && str_or(s.get_object(), "Resource") == resource))
      kept.push_back(s);
  if (kept.size() == before) throw errors::not_found("Statement " + sid + " is not found in resource policy.");
  f.policy = std::move(kept);
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::get_policy(Call& c) {
  Function& f = require_function(c);
  auto q = opt_str(c.input, "Qualifier");
  json::object doc = policy_document(f, q);
  if (doc["Statement"].as_array().empty())
    throw errors::not_found("The resource you requested does not exist.");
  return json::object{{"Policy", json::serialize(doc)}, {"RevisionId", str_or(f.latest.config, "RevisionId")}};
}

}  // namespace stratus::lambda
