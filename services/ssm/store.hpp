#pragma once
// Parameter Store state in SQLite, every row keyed by (account, region): one row per parameter
// (its tags) and one per version (value and metadata, with the labels on that version).
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stratus::ssm {

struct Scope {
  std::string account, region;
};

struct Version {
  int64_t version = 0;
  std::string type, value, description, allowed_pattern, tier = "Standard", data_type = "text", key_id;
  double modified = 0;
  std::string user;
  std::vector<std::string> labels;
};

struct Parameter {
  std::string name;
  std::vector<std::pair<std::string, std::string>> tags;  // in the order they were added
  std::vector<Version> versions;                           // ascending
  const Version& latest() const { return versions.back(); }
  const Version* find(int64_t v) const;
  const Version* labelled(std::string_view label) const;
};

class Store {
 public:
  void open(store::Database& db);
  void wipe();

  std::optional<Parameter> get(const Scope& s, std::string_view name);
  // The parameters of the scope whose names start with `prefix`, after `after`, in name order.
  std::vector<Parameter> all(const Scope& s, std::string_view prefix = {}, std::string_view after = {});
  // Creates the parameter (with its tags) or adds a version to it.
  void put_version(const Scope& s, std::string_view name, const Version& v, const std::vector<std::pair<std::string, std::string>>* tags);
  void delete_version(const Scope& s, std::string_view name, int64_t version);
  void set_labels(const Scope& s, std::string_view name, int64_t version, const std::vector<std::string>& labels);
  void set_tags(const Scope& s, std::string_view name, const std::vector<std::pair<std::string, std::string>>& tags);
  bool remove(const Scope& s, std::string_view name);

 private:
  store::Database* db_ = nullptr;
};

}  // namespace stratus::ssm
