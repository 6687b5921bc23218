// DescribeParameters and GetParametersByPath: filters and pagination.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html
#include "errors.hpp"
#include "model.hpp"
#include "ssm_service.hpp"

#include <algorithm>

namespace stratus::ssm {

namespace {

struct Filter {
  std::string key, option;
  std::vector<std::string> values;
};

bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

// ParameterFilters, checked as AWS checks them for each operation.
std::vector<Filter> parse_filters(const json::object& in, bool by_path) {
  std::vector<Filter> out;
  auto* arr = opt_arr(in, "ParameterFilters");
  if (!arr) return out;
  size_t index = 0;
  for (auto& fv : *arr) {
    ++index;
    if (!fv.is_object()) continue;
    const auto& fo = fv.get_object();
    Filter f;
    f.key = std::string(str_or(fo, "Key"));
    bool tag = f.key.starts_with("tag:") && f.key.size() > 4;
    bool known = tag || one_of(f.key, {"Name", "Type", "KeyId", "Path", "Label", "Tier", "DataType"});
    // The model's pattern for ParameterStringFilter.Key (Coral's validation wording).
    if (!known)
      throw errors::validation("1 validation error detected: Value '" + f.key + "' at 'parameterFilters." +
                               std::to_string(index) +
                               ".member.key' failed to satisfy constraint: Member must satisfy regular expression "
                               "pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType");
    if (by_path) {
      if (!one_of(f.key, {"Type", "KeyId", "Label"}))
        throw errors::invalid_filter_key("The following filter key is not valid: " + f.key +
                                         ". Valid filter keys include: [Type, KeyId].");
    } else if (f.key == "Label") {
      throw errors::invalid_filter_key("The following filter key is not valid: " + f.key +
                                       ". Valid filter keys include: [Path, Name, Type, KeyId, Tier].");
    }
    for (auto& e : out)
      if (e.key == f.key)
        throw errors::invalid_filter_key("The following filter is duplicated in the request: " + f.key +
                                         ". A request can contain only one occurrence of a specific filter.");
    if (auto* vals = opt_arr(fo, "Values"))
      for (auto& v : *vals)
        if (v.is_string()) f.values.emplace_back(v.get_string());
    if (f.values.empty() && !tag)
      throw errors::invalid_filter_value("The following filter values are missing : null for filter key " + f.key + ".");
    auto option = opt_str(fo, "Option");
    if (f.key == "Path") {
      f.option = option.value_or("OneLevel");
      if (!one_of(f.option, {"Recursive", "OneLevel"}))
        throw errors::invalid_filter_option("The following filter option is not valid: " + f.option +
                                            ". Valid options include: [Recursive, OneLevel].");
      for (auto& v : f.values)
        if (!valid_path(v)) throw errors::invalid_filter_value(std::string(kInvalidPathMessage));
    } else if (f.key == "Label") {
      f.option = option.value_or("Equals");
      if (f.option != "Equals")
        throw errors::invalid_filter_option("The following filter option is not valid: " + f.option +
                                            ". Valid options include: [Equals].");
    } else {
      f.option = option.value_or("Equals");
      bool ok = f.key == "Name" ? one_of(f.option, {"BeginsWith", "Equals", "Contains"})
                                : one_of(f.option, {"BeginsWith", "Equals"});
      if (!ok)
        throw errors::invalid_filter_option("The following filter option is not valid: " + f.option +
                                            (f.key == "Name" ? ". Valid options include: [BeginsWith, Equals, Contains]."
                                                             : ". Valid options include: [BeginsWith, Equals]."));
    }
    if (f.key == "Type")
      for (auto& v : f.values)
        if (!one_of(v, {"String", "StringList", "SecureString"}))
          throw errors::invalid_filter_value("The following filter value is not valid: " + v +
                                             ". Valid values include: [String, StringList, SecureString].");
    if (f.key == "Tier")
      for (auto& v : f.values)
        if (!one_of(v, {"Standard", "Advanced", "Intelligent-Tiering"}))
          throw errors::invalid_filter_value("The following filter value is not valid: " + v +
                                             ". Valid values include: [Standard, Advanced, Intelligent-Tiering].");
    out.push_back(std::move(f));
  }
  return out;
}

bool match_value(const Filter& f, std::string_view actual) {
  for (auto& v : f.values) {
    if (f.option == "BeginsWith" ? actual.starts_with(v)
        : f.option == "Contains" ? actual.find(v) != std::string_view::npos
                                 : actual == v)
      return true;
  }
  return false;
}

// Names without a leading slash sit at the root of the hierarchy ("/").
std::string rooted(const std::string& name) { return name.starts_with('/') ? name : "/" + name; }

bool matches(const Filter& f, const Parameter& p, const Version& v) {
  if (f.key == "Name") {
    // AWS matches a Name value with or without the leading slash.
    if (match_value(f, p.name)) return true;
    Filter g = f;
    for (auto& x : g.values) x = rooted(x);
    return match_value(g, rooted(p.name));
  }
  if (f.key == "Type") return match_value(f, v.type);
  if (f.key == "KeyId") return v.type == "SecureString" && match_value(f, v.key_id);
  if (f.key == "Tier") return match_value(f, v.tier);
  if (f.key == "DataType") return match_value(f, v.data_type);
  if (f.key == "Label") return std::any_of(v.labels.begin(), v.labels.end(), [&](auto& l) { return match_value(f, l); });
  if (f.key == "Path") {
    std::string name = rooted(p.name);
    return std::any_of(f.values.begin(), f.values.end(),
                       [&](auto& path) { return under_path(path, name, f.option == "Recursive"); });
  }
  // tag:<key>
  std::string_view key = std::string_view(f.key).substr(4);
  for (auto& [k, val] : p.tags)
    if (k == key) return f.values.empty() || match_value(f, val);
  return false;
}

std::optional<std::string> after_token(const json::object& in) {
  auto tok = opt_str(in, "NextToken");
  if (!tok) return std::nullopt;
  auto pos = decode_token(*tok);
  if (!pos) throw errors::invalid_next_token();
  return pos;
}

}  // namespace

Output SsmService::describe_parameters(Call& c) {
  const auto& in = c.input;
  Scope s = scope(c);
  auto* legacy = opt_arr(in, "Filters");
  if (legacy && opt_arr(in, "ParameterFilters"))
    throw errors::validation("You can use either Filters or ParameterFilters in a single request.");
  std::vector<Filter> filters = parse_filters(in, false);
  if (legacy)
    for (auto& fv : *legacy) {
      if (!fv.is_object()) continue;
      Filter f;
      f.key = std::string(str_or(fv.get_object(), "Key"));
      f.option = f.key == "Name" ? "BeginsWith" : "Equals";
      if (auto* vals = opt_arr(fv.get_object(), "Values"))
        for (auto& v : *vals)
          if (v.is_string()) f.values.emplace_back(v.get_string());
      filters.push_back(std::move(f));
    }
  int64_t max = opt_int(in, "MaxResults").value_or(10);
  auto after = after_token(in);

  json::array out;
  std::optional<std::string> next;
  for (auto& p : store().all(s, "", after.value_or(""))) {
    const Version& v = p.latest();
    if (!std::all_of(filters.begin(), filters.end(), [&](auto& f) { return matches(f, p, v); })) continue;
    if (static_cast<int64_t>(out.size()) == max) {
      next = encode_token(out.back().as_object().at("Name").as_string());
      break;
    }
    json::object m{{"Name", p.name},
                   {"ARN", parameter_arn(s.region, s.account, p.name)},
                   {"Type", v.type}};
    if (v.type == "SecureString") m["KeyId"] = v.key_id;
    m["LastModifiedDate"] = v.modified;
    m["LastModifiedUser"] = v.user;
    if (!v.description.empty()) m["Description"] = v.description;
    if (!v.allowed_pattern.empty()) m["AllowedPattern"] = v.allowed_pattern;
    m["Version"] = v.version;
    m["Tier"] = v.tier;
    m["Policies"] = json::array{};
    m["DataType"] = v.data_type;
    out.push_back(std::move(m));
  }
  json::object res{{"Parameters", std::move(out)}};
  if (next) res["NextToken"] = *next;
  return res;
}

Output SsmService::get_parameters_by_path(Call& c) {
  const auto& in = c.input;
  Scope s = scope(c);
  std::string path(str_or(in, "Path"));
  if (!valid_path(path)) throw errors::validation(std::string(kInvalidPathMessage));
  if (hierarchy_depth(path) > kMaxHierarchyDepth) throw errors::hierarchy_limit();
  bool recursive = opt_bool(in, "Recursive").value_or(false);
  bool decrypt = opt_bool(in, "WithDecryption").value_or(false);
  std::vector<Filter> filters = parse_filters(in, true);
  int64_t max = opt_int(in, "MaxResults").value_or(10);
  auto after = after_token(in);
  const Filter* label = nullptr;
  for (auto& f : filters)
    if (f.key == "Label") label = &f;

  json::array out;
  std::optional<std::string> next;
  // Names without a leading slash are at the root: only the path "/" narrows nothing.
  std::string prefix = path == "/" ? std::string() : (path.ends_with('/') ? path : path + "/");
  for (auto& p : store().all(s, prefix, after.value_or(""))) {
    if (!under_path(path, rooted(p.name), recursive)) continue;
    // With a Label filter the labelled version is returned.
    const Version* v = &p.latest();
    if (label) {
      v = nullptr;
      for (auto& x : p.versions)
        if (matches(*label, p, x)) v = &x;
      if (!v) continue;
    }
    if (!std::all_of(filters.begin(), filters.end(), [&](auto& f) { return &f == label || matches(f, p, *v); }))
      continue;
    if (static_cast<int64_t>(out.size()) == max) {
      next = encode_token(out.back().as_object().at("Name").as_string());
      break;
    }
    out.push_back(parameter_doc(s, p, *v, decrypt, ""));
  }
  json::object res{{"Parameters", std::move(out)}};
  if (next) res["NextToken"] = *next;
  return res;
}

}  // namespace stratus::ssm
