// Parameter Store operations on one parameter. AWS documents each at
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "model.hpp"
#include "ssm_service.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <boost/regex.hpp>

namespace stratus::ssm {

namespace {

std::string modifying_user(const Call& c) {
  return c.ctx.principal_arn.empty() ? "arn:aws:iam::" + c.ctx.account_id + ":root" : c.ctx.principal_arn;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// The version a selector names (throws AWS's errors when it names none).
const Version& select(const Parameter& p, const Selector& sel) {
  if (sel.version) {
    if (auto* v = p.find(*sel.version)) return *v;
    throw errors::version_not_found(p.name, *sel.version);
  }
  if (sel.label) {
    if (auto* v = p.labelled(*sel.label)) return *v;
    throw errors::label_not_found(p.name, *sel.label);
  }
  return p.latest();
}

Selector lookup_selector(std::string_view raw) {
  auto sel = parse_selector(raw);
  if (!sel) throw errors::validation(std::string(kInvalidNameMessage));
  check_lookup_name(sel->name);
  return *sel;
}

}  // namespace

std::optional<Parameter> SsmService::lookup(const Scope& s, std::string_view raw, Selector& sel) {
  bool by_arn = raw.starts_with("arn:");
  if (by_arn) {
    std::string prefix = parameter_arn(s.region, s.account, "");
    if (!raw.starts_with(prefix)) return std::nullopt;  // another account's or region's: not shared here
    raw.remove_prefix(prefix.size());
  }
  sel = lookup_selector(raw);
  if (!by_arn) return store().get(s, sel.name);
  // An ARN drops the name's leading slash: "parameter/a/b" is "/a/b"; "parameter/x" is "/x" or "x".
  if (auto p = store().get(s, "/" + sel.name)) return p;
  if (sel.name.find('/') == std::string::npos) return store().get(s, sel.name);
  return std::nullopt;
}

Output SsmService::put_parameter(Call& c) {
  const auto& in = c.input;
  Scope s = scope(c);
  std::string name(trim(str_or(in, "Name")));
  std::string value(str_or(in, "Value"));
  bool overwrite = opt_bool(in, "Overwrite").value_or(false);
  auto* tags_in = opt_arr(in, "Tags");
  if (tags_in && !tags_in->empty() && overwrite)
    throw errors::validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove "
        "overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or "
        "RemoveTagsFromResource.");
  std::string arn = parameter_arn(s.region, s.account, "");
  check_new_name(name, arn);
  if (value.empty())
    throw errors::validation(
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater "
        "than or equal to 1");

  auto existing = store().get(s, name);
  if (existing && !overwrite) throw errors::already_exists();
  const Version* prev = existing ? &existing->latest() : nullptr;

  Version v;
  auto type = opt_str(in, "Type");
  if (!type && !prev) throw errors::validation("A parameter type is required when you create a parameter.");
  v.type = type ? *type : prev->type;
  if (auto key = opt_str(in, "KeyId")) {
    if (v.type != "SecureString") throw errors::validation("KeyId is required for SecureString type parameter only.");
    v.key_id = *key;
  } else if (v.type == "SecureString") {
    v.key_id = prev && prev->type == "SecureString" ? prev->key_id : std::string(kDefaultKeyId);
  }
  // AWS's data types; aws:ec2:image values are validated asynchronously by AWS, not in PutParameter.
  v.data_type = opt_str(in, "DataType").value_or("text");
  if (v.data_type.empty()) v.data_type = "text";
  if (v.data_type != "text" && v.data_type != "aws:ec2:image" && v.data_type != "aws:ssm:integration")
    throw errors::validation("The following data type is not supported: " + v.data_type +
                             " (Data type names are all lowercase.)");
  if (v.data_type != "text" && v.type != "String")
    throw errors::validation("Parameter Store supports " + v.data_type + " data type for String parameters only.");
  v.description = opt_str(in, "Description").value_or(prev ? prev->description : "");
  v.allowed_pattern = opt_str(in, "AllowedPattern").value_or(prev ? prev->allowed_pattern : "");
  if (!v.allowed_pattern.empty()) {
    // Boost.Regex, Perl syntax (close to the java.util.regex AWS uses): it matches without
    // recursion and gives up (throws) when backtracking exceeds its complexity bound, so a
    // pattern like ^(a+)+$ against a long value cannot stall the event loop (std::regex took 30 s
    // for 31 characters, and recursed once per character).
    boost::regex re;
    try {
      re = boost::regex(v.allowed_pattern, boost::regex::perl);
    } catch (const std::exception&) {
      throw errors::invalid_allowed_pattern(v.allowed_pattern);
    }
    bool matches = false;
    try {
      matches = boost::regex_match(value, re);  // Java's Matcher.matches(): the whole value
    } catch (const std::exception&) {
      matches = false;  // too complex to decide: not validated
    }
    if (!matches) throw errors::pattern_mismatch(v.allowed_pattern);
  }

  // Tiers: Intelligent-Tiering picks Standard unless the value needs Advanced; a parameter never
  // goes back from Advanced to Standard.
  std::string tier(str_or(in, "Tier", prev ? std::string_view(prev->tier) : std::string_view("Standard")));
  if (tier == "Intelligent-Tiering")
    tier = (prev && prev->tier == "Advanced") || value.size() > kStandardValueLimit ? "Advanced" : "Standard";
  if (prev && prev->tier == "Advanced" && tier == "Standard")
    throw errors::validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter "
        "tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a "
        "standard parameter.");
  if (tier == "Standard" && value.size() > kStandardValueLimit)
    throw errors::validation(
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter "
        "value, upgrade the parameter to use the advanced-parameter tier. For more information, see "
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");
  if (value.size() > kAdvancedValueLimit)
    throw errors::validation(
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less "
        "than or equal to 8192");
  v.tier = tier;

  std::vector<std::pair<std::string, std::string>> tags;
  if (tags_in) {
    for (auto& t : *tags_in) {
      if (!t.is_object()) continue;
      std::string k(str_or(t.get_object(), "Key")), val(str_or(t.get_object(), "Value"));
      auto it = std::find_if(tags.begin(), tags.end(), [&](auto& e) { return e.first == k; });
      if (it != tags.end()) it->second = val;
      else tags.emplace_back(k, val);
    }
    if (tags.size() > 50) throw errors::too_many_tags();
  }

  v.value = std::move(value);
  v.version = prev ? prev->version + 1 : 1;
  v.modified = env().clock.now_seconds();
  v.user = modifying_user(c);
  if (existing && existing->versions.size() >= static_cast<size_t>(kMaxVersions)) {
    const Version& oldest = existing->versions.front();
    if (!oldest.labels.empty()) throw errors::max_versions(name, oldest.version);
    store().delete_version(s, name, oldest.version);
  }
  store().put_version(s, name, v, existing ? nullptr : &tags);
  return json::object{{"Version", v.version}, {"Tier", v.tier}};
}

Output SsmService::get_parameter(Call& c) {
  Scope s = scope(c);
  Selector sel;
  auto p = lookup(s, str_or(c.input, "Name"), sel);
  if (!p) throw errors::parameter_not_found();
  const Version& v = select(*p, sel);
  bool decrypt = opt_bool(c.input, "WithDecryption").value_or(false);
  return json::object{{"Parameter", parameter_doc(s, *p, v, decrypt, sel.text)}};
}

Output SsmService::get_parameters(Call& c) {
  Scope s = scope(c);
  bool decrypt = opt_bool(c.input, "WithDecryption").value_or(false);
  json::array found, invalid;
  std::vector<std::string> seen;
  for (auto& raw : string_list(c.input, "Names")) {
    if (std::find(seen.begin(), seen.end(), raw) != seen.end()) continue;
    seen.push_back(raw);
    Selector sel;
    auto p = lookup(s, raw, sel);
    const Version* v = nullptr;
    if (p) {
      if (sel.version) v = p->find(*sel.version);
      else if (sel.label) v = p->labelled(*sel.label);
      else v = &p->latest();
    }
    if (!v) invalid.push_back(json::string(raw));
    else found.push_back(parameter_doc(s, *p, *v, decrypt, sel.text));
  }
  return json::object{{"Parameters", std::move(found)}, {"InvalidParameters", std::move(invalid)}};
}

Output SsmService::delete_parameter(Call& c) {
  std::string name(str_or(c.input, "Name"));
  check_lookup_name(name);
  if (!store().remove(scope(c), name)) throw errors::parameter_not_found();
  return json::object{};
}

Output SsmService::delete_parameters(Call& c) {
  Scope s = scope(c);
  json::array deleted, invalid;
  std::vector<std::string> seen;
  for (auto& name : string_list(c.input, "Names")) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    if (valid_name_chars(name) && store().remove(s, name)) deleted.push_back(json::string(name));
    else invalid.push_back(json::string(name));
  }
  return json::object{{"DeletedParameters", std::move(deleted)}, {"InvalidParameters", std::move(invalid)}};
}

Output SsmService::get_parameter_history(Call& c) {
  Scope s = scope(c);
  std::string name(str_or(c.input, "Name"));
  Selector sel;
  auto p = lookup(s, name, sel);
  if (!sel.text.empty()) throw errors::validation(std::string(kInvalidNameMessage));
  if (!p) throw errors::parameter_not_found_named(name);
  bool decrypt = opt_bool(c.input, "WithDecryption").value_or(false);
  int64_t max = opt_int(c.input, "MaxResults").value_or(50);
  int64_t after = 0;
  if (auto tok = opt_str(c.input, "NextToken")) {
    auto pos = decode_token(*tok);
    auto n = pos ? parse_int(*pos) : std::nullopt;
    if (!n) throw errors::invalid_next_token();
    after = *n;
  }
  json::array out;
  std::optional<int64_t> last;
  for (auto& v : p->versions) {
    if (v.version <= after) continue;
    if (static_cast<int64_t>(out.size()) == max) {
      last = out.back().as_object().at("Version").as_int64();
      break;
    }
    json::object h{{"Name", p->name}, {"Type", v.type}, {"LastModifiedDate", v.modified}, {"LastModifiedUser", v.user}};
    if (v.type == "SecureString") h["KeyId"] = v.key_id;
    if (!v.description.empty()) h["Description"] = v.description;
    h["Value"] = v.type == "SecureString" && !decrypt ? opaque_ciphertext(p->name, v.version, v.value) : v.value;
    if (!v.allowed_pattern.empty()) h["AllowedPattern"] = v.allowed_pattern;
    h["Version"] = v.version;
    json::array labels;
    for (auto& l : v.labels) labels.push_back(json::string(l));
    h["Labels"] = std::move(labels);
    h["Tier"] = v.tier;
    h["Policies"] = json::array{};
    h["DataType"] = v.data_type;
    out.push_back(std::move(h));
  }
  json::object res{{"Parameters", std::move(out)}};
  if (last) res["NextToken"] = encode_token(std::to_string(*last));
  return res;
}

Output SsmService::label_parameter_version(Call& c) {
  Scope s = scope(c);
  std::string name(str_or(c.input, "Name"));
  check_lookup_name(name);
  auto p = store().get(s, name);
  if (!p) throw errors::parameter_not_found_named(name);
  int64_t version = opt_int(c.input, "ParameterVersion").value_or(p->latest().version);
  const Version* target = p->find(version);
  if (!target) throw errors::version_not_found(name, version);
  std::vector<std::string> valid, invalid;
  for (auto& l : string_list(c.input, "Labels")) add_unique(valid_label(l) ? valid : invalid, l);
  std::vector<std::string> labels = target->labels;
  for (auto& l : valid) add_unique(labels, l);
  if (labels.size() > static_cast<size_t>(kMaxLabelsPerVersion)) throw errors::label_limit();
  // A label names one version of a parameter: attaching it elsewhere moves it.
  for (auto& other : p->versions) {
    if (other.version == version) continue;
    std::vector<std::string> kept;
    for (auto& l : other.labels)
      if (std::find(valid.begin(), valid.end(), l) == valid.end()) kept.push_back(l);
    if (kept.size() != other.labels.size()) store().set_labels(s, name, other.version, kept);
  }
  store().set_labels(s, name, version, labels);
  json::array inv;
  for (auto& l : invalid) inv.push_back(json::string(l));
  return json::object{{"InvalidLabels", std::move(inv)}, {"ParameterVersion", version}};
}

Output SsmService::unlabel_parameter_version(Call& c) {
  Scope s = scope(c);
  std::string name(str_or(c.input, "Name"));
  check_lookup_name(name);
  auto p = store().get(s, name);
  if (!p) throw errors::parameter_not_found_named(name);
  int64_t version = opt_int(c.input, "ParameterVersion").value_or(0);
  const Version* target = p->find(version);
  if (!target) throw errors::version_not_found(name, version);
  std::vector<std::string> labels = target->labels;
  json::array removed, invalid;
  for (auto& l : string_list(c.input, "Labels")) {
    auto it = std::find(labels.begin(), labels.end(), l);
    if (it != labels.end()) {
      labels.erase(it);
      removed.push_back(json::string(l));
    } else if (std::find(invalid.begin(), invalid.end(), json::value(json::string(l))) == invalid.end()) {
      invalid.push_back(json::string(l));
    }
  }
  store().set_labels(s, name, version, labels);
  return json::object{{"RemovedLabels", std::move(removed)}, {"InvalidLabels", std::move(invalid)}};
}

}  // namespace stratus::ssm
