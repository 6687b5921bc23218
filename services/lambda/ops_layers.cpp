// Layers: published versions of a zip that functions merge into their /opt.
// https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::lambda {
namespace asio = boost::asio;

namespace {

struct LayerRef {
  std::string account, region, name;
};

// LayerName is a name or a layer ARN (arn:aws:lambda:<region>:<account>:layer:<name>).
LayerRef layer_ref(std::string_view text, const RequestContext& ctx) {
  if (text.starts_with("arn:")) {
    auto parts = split(text, ':');
    if (parts.size() < 7 || parts[2] != "lambda" || parts[5] != "layer")
      throw errors::invalid_parameter("Invalid layer ARN: " + std::string(text));
    return {std::string(parts[4]), std::string(parts[3]), std::string(parts[6])};
  }
  return {ctx.account_id, ctx.region, std::string(text)};
}

AwsError layer_not_found() { return errors::not_found("The resource you requested does not exist."); }

json::object list_item(const LayerVersion& v) {
  json::object o;
  for (auto key : {"LayerVersionArn", "Version", "Description", "CreatedDate", "CompatibleRuntimes", "LicenseInfo",
                   "CompatibleArchitectures"})
    if (auto* x = find(v.doc, key)) o[key] = *x;
  return o;
}

bool compatible(const LayerVersion& v, std::string_view runtime, std::string_view arch) {
  auto has = [&](const char* key, std::string_view want) {
    if (want.empty()) return true;
    auto* list = opt_arr(v.doc, key);
    if (!list) return false;
    for (auto& x : *list)
      if (x.is_string() && x.get_string() == want) return true;
    return false;
  };
  return has("CompatibleRuntimes", runtime) && has("CompatibleArchitectures", arch);
}

}  // namespace

asio::awaitable<Output> LambdaService::publish_layer_version(Call& c) {
  const auto& in = c.input;
  LayerRef ref = layer_ref(str_or(in, "LayerName"), c.ctx);
  if (auto* rts = opt_arr(in, "CompatibleRuntimes"); rts && rts->size() > 15)
    throw errors::invalid_parameter("CompatibleRuntimes can contain at most 15 runtimes.");
  const json::object* content = opt_obj(in, "Content");
  if (!content) throw errors::invalid_parameter("Please provide a source for the layer content.");
  CodeInfo code = co_await store_code(*content, c.ctx, true);
  Layer& l = store_.layer_or_create(ref.account, ref.region, ref.name);
  LayerVersion v;
  v.version = ++l.last_version;
  v.code_sha = code.sha_hex;
  std::string arn = layer_arn(ref.region, ref.account, ref.name);
  v.doc = json::object{{"Content", json::object{{"CodeSha256", code.sha_b64}, {"CodeSize", code.size}}},
                       {"LayerArn", arn},
                       {"LayerVersionArn", arn + ":" + std::to_string(v.version)},
                       {"Description", str_or(in, "Description")},
                       {"CreatedDate", lambda_timestamp(env().clock.now_seconds())},
                       {"Version", v.version}};
  for (auto key : {"CompatibleRuntimes", "CompatibleArchitectures"})
    if (auto* a = opt_arr(in, key)) v.doc[key] = *a;
  if (auto li = opt_str(in, "LicenseInfo")) v.doc["LicenseInfo"] = *li;
  json::object out = v.doc;
  out["Content"].as_object()["Location"] = c.ctx.endpoint + "/_lambda/code/" + v.code_sha + ".zip";
  l.versions[v.version] = std::move(v);
  store_.save(l);
  Output o(std::move(out));
  o.status = 201;
  co_return o;
}

Output LambdaService::get_layer_version(Call& c) {
  LayerRef ref = layer_ref(str_or(c.input, "LayerName"), c.ctx);
  Layer* l = store_.layer(ref.account, ref.region, ref.name);
  int n = static_cast<int>(opt_int(c.input, "VersionNumber").value_or(0));
  if (!l || !l->versions.count(n)) throw layer_not_found();
  const LayerVersion& v = l->versions[n];
  json::object out = v.doc;
  out["Content"].as_object()["Location"] = c.ctx.endpoint + "/_lambda/code/" + v.code_sha + ".zip";
  return out;
}

Output LambdaService::get_layer_version_by_arn(Call& c) {
  std::string arn(str_or(c.input, "Arn"));
  auto parts = split(arn, ':');
  auto n = parts.size() == 8 ? parse_int(parts[7]) : std::nullopt;
  if (parts.size() != 8 || parts[5] != "layer" || !n)
    throw AwsError::validation("1 validation error detected: Value '" + arn +
                               "' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                               "(arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:"
                               "[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)");
  Layer* l = store_.layer(parts[4], parts[3], parts[6]);
  if (!l || !l->versions.count(static_cast<int>(*n))) throw layer_not_found();
  const LayerVersion& v = l->versions[static_cast<int>(*n)];
  json::object out = v.doc;
  out["Content"].as_object()["Location"] = c.ctx.endpoint + "/_lambda/code/" + v.code_sha + ".zip";
  return out;
}

Output LambdaService::list_layer_versions(Call& c) {
  LayerRef ref = layer_ref(str_or(c.input, "LayerName"), c.ctx);
  Layer* l = store_.layer(ref.account, ref.region, ref.name);
  std::string runtime(str_or(c.input, "CompatibleRuntime")), arch(str_or(c.input, "CompatibleArchitecture"));
  int max = static_cast<int>(opt_int(c.input, "MaxItems").value_or(50));
  auto marker = parse_int(str_or(c.input, "Marker"));
  json::array list;
  std::string next;
  if (l)
    for (auto it = l->versions.rbegin(); it != l->versions.rend(); ++it) {
      if (marker && it->first >= *marker) continue;
      if (!compatible(it->second, runtime, arch)) continue;
      if (static_cast<int>(list.size()) == max) {
        next = std::to_string(std::prev(it)->first);
        break;
      }
      list.push_back(list_item(it->second));
    }
  json::object out{{"LayerVersions", std::move(list)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

Output LambdaService::list_layers(Call& c) {
  std::string runtime(str_or(c.input, "CompatibleRuntime")), arch(str_or(c.input, "CompatibleArchitecture"));
  int max = static_cast<int>(opt_int(c.input, "MaxItems").value_or(50));
  std::string marker(str_or(c.input, "Marker"));
  json::array list;
  std::string next;
  for (Layer* l : store_.layers(c.ctx.account_id, c.ctx.region)) {
    if (!marker.empty() && l->name <= marker) continue;
    const LayerVersion* latest = nullptr;
    for (auto it = l->versions.rbegin(); it != l->versions.rend() && !latest; ++it)
      if (compatible(it->second, runtime, arch)) latest = &it->second;
    if (!latest) continue;
    if (static_cast<int>(list.size()) == max) {
      next = std::string(list.back().as_object().at("LayerName").get_string());
      break;
    }
    list.push_back(json::object{{"LayerName", l->name},
                                {"LayerArn", layer_arn(l->region, l->account, l->name)},
                                {"LatestMatchingVersion", list_item(*latest)}});
  }
  json::object out{{"Layers", std::move(list)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

Output LambdaService::delete_layer_version(Call& c) {
  LayerRef ref = layer_ref(str_or(c.input, "LayerName"), c.ctx);
  int n = static_cast<int>(opt_int(c.input, "VersionNumber").value_or(0));
  if (Layer* l = store_.layer(ref.account, ref.region, ref.name)) {
    auto it = l->versions.find(n);
    if (it != l->versions.end()) {
      std::string sha = it->second.code_sha;
      l->versions.erase(it);
      store_.save(*l);
      release_code(sha);
    }
  }
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::add_layer_version_permission(Call& c) {
  const auto& in = c.input;
  LayerRef ref = layer_ref(str_or(in, "LayerName"), c.ctx);
  Layer* l = store_.layer(ref.account, ref.region, ref.name);
  int n = static_cast<int>(opt_int(in, "VersionNumber").value_or(0));
  if (!l || !l->versions.count(n)) throw layer_not_found();
  LayerVersion& v = l->versions[n];
  std::string sid(str_or(in, "StatementId"));
  for (auto& s : v.policy)
    if (s.is_object() && str_or(s.get_object(), "Sid") == sid)
      throw errors::conflict("The statement id (" + sid + ") provided already exists. Please provide a new statement "
                             "id, or remove the existing statement.");
  std::string principal(str_or(in, "Principal"));
  json::object statement{{"Sid", sid},
                         {"Effect", "Allow"},
                         {"Principal", principal == "*" ? json::value("*") : json::value(json::object{{"AWS", "arn:aws:iam::" + principal + ":root"}})},
                         {"Action", str_or(in, "Action")},
                         {"Resource", str_or(v.doc, "LayerVersionArn")}};
  if (auto org = opt_str(in, "OrganizationId"))
    statement["Condition"] = json::object{{"StringEquals", json::object{{"aws:PrincipalOrgID", *org}}}};
  v.policy.push_back(statement);
  std::string revision = ids::uuid4();
  store_.save(*l);
  Output o(json::object{{"Statement", json::serialize(statement)}, {"RevisionId", revision}});
  o.status = 201;
  return o;
}

Output LambdaService::remove_layer_version_permission(Call& c) {
  LayerRef ref = layer_ref(str_or(c.input, "LayerName"), c.ctx);
  Layer* l = store_.layer(ref.account, ref.region, ref.name);
  int n = static_cast<int>(opt_int(c.input, "VersionNumber").value_or(0));
  if (!l || !l->versions.count(n)) throw layer_not_found();
  LayerVersion& v = l->versions[n];
  std::string sid(str_or(c.input, "StatementId"));
  json::array kept;
  for (auto& s : v.policy)
    if (!(s.is_object() && str_or(s.get_object(), "Sid") == sid)) kept.push_back(s);
  if (kept.size() == v.policy.size()) throw errors::not_found("Statement " + sid + " is not found in resource policy.");
  v.policy = std::move(kept);
  store_.save(*l);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::get_layer_version_policy(Call& c) {
  LayerRef ref = layer_ref(str_or(c.input, "LayerName"), c.ctx);
  Layer* l = store_.layer(ref.account, ref.region, ref.name);
  int n = static_cast<int>(opt_int(c.input, "VersionNumber").value_or(0));
  if (!l || !l->versions.count(n)) throw layer_not_found();
  LayerVersion& v = l->versions[n];
  if (v.policy.empty()) throw errors::not_found("No policy is associated with the given resource.");
  json::object doc{{"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", v.policy}};
  return json::object{{"Policy", json::serialize(doc)}, {"RevisionId", ids::uuid4()}};
}

}  // namespace stratus::lambda
