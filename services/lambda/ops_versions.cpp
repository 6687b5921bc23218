// Versions and aliases. https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::lambda {

namespace {

void validate_weights(Function& f, const json::object* routing, std::string_view primary,
                      LambdaService& svc) {
  if (!routing) return;
  const json::object* w = opt_obj(*routing, "AdditionalVersionWeights");
  if (!w) return;
  if (w->size() > 1) throw errors::invalid_parameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
  for (auto& [v, weight] : *w) {
    if (!weight.is_number() || weight.to_number<double>() < 0 || weight.to_number<double>() > 1)
      throw errors::invalid_parameter("Invalid weight for version " + std::string(v) + ": must be between 0.0 and 1.0");
    if (v == primary)
      throw errors::invalid_parameter("Invalid function version " + std::string(v) +
                                      ". Function version " + std::string(v) + " is already included in routing configuration.");
    if (!is_version_number(v) || !svc.find_version(f, v))
      throw errors::invalid_parameter("Function version " + std::string(v) + " does not exist for function " + f.name);
  }
}

json::object alias_doc(const Function& f, const std::string& name, const std::string& version,
                       const std::string& description, const json::object* routing) {
  json::object a{{"AliasArn", f.arn() + ":" + name},
                 {"Name", name},
                 {"FunctionVersion", version},
                 {"Description", description},
                 {"RevisionId", ids::uuid4()}};
  if (routing && opt_obj(*routing, "AdditionalVersionWeights") && !opt_obj(*routing, "AdditionalVersionWeights")->empty())
    a["RoutingConfig"] = *routing;
  return a;
}

}  // namespace

Output LambdaService::publish_version(Call& c) {
  Function& f = require_function(c);
  const auto& in = c.input;
  Version& latest = f.latest;
  if (auto sha = opt_str(in, "CodeSha256"); sha && *sha != str_or(latest.config, "CodeSha256"))
    throw errors::invalid_parameter("CodeSHA256 (" + *sha + ") is different from current CodeSHA256 in $LATEST (" +
                                    std::string(str_or(latest.config, "CodeSha256")) + "). Please try again.");
  if (auto rev = opt_str(in, "RevisionId"); rev && *rev != str_or(latest.config, "RevisionId"))
    throw errors::precondition_failed();
  // Publishing an unchanged $LATEST returns the version already published for it.
  if (!f.versions.empty()) {
    const Version& last = f.versions.rbegin()->second;
    if (str_or(last.config, "CodeSha256") == str_or(latest.config, "CodeSha256") &&
        str_or(last.config, "X-Stratus-LatestRevision") == str_or(latest.config, "RevisionId"))
      return configuration(f, last);
  }
  Version v = latest;
  v.version = std::to_string(++f.last_version);
  v.config["X-Stratus-LatestRevision"] = str_or(latest.config, "RevisionId");
  if (auto d = opt_str(in, "Description")) v.config["Description"] = *d;
  v.config["RevisionId"] = ids::uuid4();
  f.versions[f.last_version] = std::move(v);
  store_.save(f);
  Output o(configuration(f, f.versions[f.last_version]));
  o.status = 201;
  return o;
}

Output LambdaService::list_versions_by_function(Call& c) {
  Function& f = require_function(c);
  int max = static_cast<int>(opt_int(c.input, "MaxItems").value_or(50));
  std::string marker(str_or(c.input, "Marker"));
  json::array list;
  std::vector<const Version*> all{&f.latest};
  for (auto& [n, v] : f.versions) all.push_back(&v);
  size_t start = marker.empty() ? 0 : static_cast<size_t>(parse_int(marker).value_or(0));
  size_t i = start;
  for (; i < all.size() && static_cast<int>(list.size()) < max; ++i) list.push_back(configuration(f, *all[i]));
  json::object out{{"Versions", std::move(list)}};
  if (i < all.size()) out["NextMarker"] = std::to_string(i);
  return out;
}

Output LambdaService::create_alias(Call& c) {
  Function& f = require_function(c);
  const auto& in = c.input;
  std::string name(str_or(in, "Name"));
  std::string version(str_or(in, "FunctionVersion"));
  if (!valid_alias_name(name))
    throw AwsError::validation("1 validation error detected: Value '" + name +
                               "' at 'name' failed to satisfy constraint: Member must satisfy regular expression "
                               "pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
  if (version != "$LATEST" && !find_version(f, version))
    throw errors::function_not_found(f.arn() + ":" + version);
  if (f.aliases.count(name)) throw errors::conflict("Alias already exists: " + f.arn() + ":" + name);
  validate_weights(f, opt_obj(in, "RoutingConfig"), version, *this);
  json::object a = alias_doc(f, name, version, std::string(str_or(in, "Description")), opt_obj(in, "RoutingConfig"));
  f.aliases[name] = a;
  store_.save(f);
  Output o(std::move(a));
  o.status = 201;
  return o;
}

Output LambdaService::get_alias(Call& c) {
  Function& f = require_function(c);
  std::string name(str_or(c.input, "Name"));
  auto it = f.aliases.find(name);
  if (it == f.aliases.end()) throw errors::not_found("Cannot find alias arn: " + f.arn() + ":" + name);
  return it->second;
}

Output LambdaService::update_alias(Call& c) {
  Function& f = require_function(c);
  const auto& in = c.input;
  std::string name(str_or(in, "Name"));
  auto it = f.aliases.find(name);
  if (it == f.aliases.end()) throw errors::not_found("Cannot find alias arn: " + f.arn() + ":" + name);
  json::object& a = it->second;
  if (auto rev = opt_str(in, "RevisionId"); rev && *rev != str_or(a, "RevisionId")) throw errors::precondition_failed();
  std::string version(str_or(in, "FunctionVersion", str_or(a, "FunctionVersion")));
  if (version != "$LATEST" && !find_version(f, version)) throw errors::function_not_found(f.arn() + ":" + version);
  const json::object* routing = opt_obj(in, "RoutingConfig");
  validate_weights(f, routing, version, *this);
  json::object updated = alias_doc(f, name, version, std::string(str_or(in, "Description", str_or(a, "Description"))),
                                   routing ? routing : opt_obj(a, "RoutingConfig"));
  a = updated;
  store_.save(f);
  return updated;
}

Output LambdaService::delete_alias(Call& c) {
  Function& f = require_function(c);
  std::string name(str_or(c.input, "Name"));
  f.aliases.erase(name);
  f.invoke_configs.erase(name);
  if (auto it = f.urls.find(name); it != f.urls.end()) {
    url_index_.erase(std::string(str_or(it->second, "UrlId")));
    f.urls.erase(it);
  }
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::list_aliases(Call& c) {
  Function& f = require_function(c);
  std::string version(str_or(c.input, "FunctionVersion"));
  int max = static_cast<int>(opt_int(c.input, "MaxItems").value_or(50));
  std::string marker(str_or(c.input, "Marker"));
  json::array list;
  std::string next;
  for (auto& [name, a] : f.aliases) {
    if (!version.empty() && str_or(a, "FunctionVersion") != version) continue;
    if (!marker.empty() && name <= marker) continue;
    if (static_cast<int>(list.size()) == max) {
      next = std::string(list.back().as_object().at("Name").get_string());
      break;
    }
    list.push_back(a);
  }
  json::object out{{"Aliases", std::move(list)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

}  // namespace stratus::lambda
