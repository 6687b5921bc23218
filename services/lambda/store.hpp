#pragma once
// Lambda's state: functions (with their versions, aliases, policies, URL and async configs),
// layers and event-source mappings. Held in memory for the hot invoke path and written through
// to SQLite as one JSON document per function / layer / mapping, keyed by (account, region).
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stratus::lambda {

struct Version {
  std::string version;     // "$LATEST" or "1", "2", ...
  json::object config;     // the FunctionConfiguration document
  std::string code_sha;    // hex SHA-256 of the zip: names the blob and the unpacked directory
  std::string hot_reload;  // code read from this local directory instead (S3Bucket "hot-reload")
};

struct Function {
  std::string account, region, name;
  double created = 0;
  Version latest;
  std::map<int, Version> versions;
  int last_version = 0;
  std::map<std::string, json::object> aliases;         // name → AliasConfiguration
  json::object tags;
  json::array policy;                                   // resource-based policy statements
  std::optional<int> reserved_concurrency;
  std::map<std::string, json::object> invoke_configs;  // qualifier ("$LATEST", "1", alias) → event invoke config
  std::map<std::string, json::object> urls;            // qualifier ("" unqualified) → FunctionUrlConfig
  json::object extra;                                   // recursion / runtime management settings
  std::string arn() const;
};

struct LayerVersion {
  int version = 0;
  json::object doc;  // GetLayerVersion output without Content.Location
  std::string code_sha;
  json::array policy;
};

struct Layer {
  std::string account, region, name;
  int last_version = 0;
  std::map<int, LayerVersion> versions;
};

struct Mapping {
  std::string uuid, account, region;
  json::object doc;  // EventSourceMappingConfiguration
};

class Store {
 public:
  void open(store::Database& db);
  void wipe();

  Function* function(std::string_view account, std::string_view region, std::string_view name);
  Function& put(Function f);
  void save(const Function& f);
  void remove(const Function& f);
  std::vector<Function*> functions(std::string_view account, std::string_view region);
  std::vector<Function*> all_functions();

  Layer* layer(std::string_view account, std::string_view region, std::string_view name);
  Layer& layer_or_create(std::string_view account, std::string_view region, std::string_view name);
  void save(const Layer& l);
  std::vector<Layer*> layers(std::string_view account, std::string_view region);

  Mapping* mapping(std::string_view uuid);
  Mapping& put(Mapping m);
  void save(const Mapping& m);
  void remove_mapping(std::string_view uuid);
  std::vector<Mapping*> mappings();

  // Is this code (hex SHA-256) still used by any function version or layer?
  bool code_in_use(std::string_view sha) const;

 private:
  static std::string key(std::string_view account, std::string_view region, std::string_view name);
  store::Database* db_ = nullptr;
  std::map<std::string, Function, std::less<>> functions_;
  std::map<std::string, Layer, std::less<>> layers_;
  std::map<std::string, Mapping, std::less<>> mappings_;
};

}  // namespace stratus::lambda
