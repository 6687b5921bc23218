#pragma once
// API Gateway state in SQLite: every entity (REST API, resource, deployment, stage, authorizer,
// API key, usage plan, v2 API, route, integration ...) is one JSON document shaped like the
// operation output that returns it, keyed by (account, region, kind, parent, id). `parent` is the
// owning API id ("" for top-level entities such as API keys) or "<apiId>/<childId>" for
// grand-children (v2 route responses). Members whose names start with '_' are private (the
// codec drops them: they are not in the output shapes). Insertion order is kept (rowid).
#include "common.hpp"

#include <stratus/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stratus::apigateway {

namespace kind {
inline constexpr std::string_view rest_api = "restapi", resource = "resource", deployment = "deployment",
                                  stage = "stage", authorizer = "authorizer", model = "model",
                                  validator = "validator", gateway_response = "gwresponse", doc_part = "docpart",
                                  doc_version = "docversion", api_key = "apikey", usage_plan = "usageplan",
                                  usage_plan_key = "usageplankey", client_cert = "clientcert", vpc_link = "vpclink",
                                  domain_name = "domainname", base_path = "basepath";
// v2
inline constexpr std::string_view api = "v2api", route = "v2route", integration = "v2integration",
                                  route_response = "v2routeresponse", integration_response = "v2intresponse",
                                  v2_stage = "v2stage", v2_deployment = "v2deployment", v2_authorizer = "v2authorizer",
                                  v2_model = "v2model", v2_domain = "v2domain", api_mapping = "v2mapping",
                                  v2_vpc_link = "v2vpclink";
}  // namespace kind

struct Located {
  std::string account, region, parent;
  json::object doc;
};

class Store {
 public:
  explicit Store(store::Database& db);

  std::optional<json::object> get(const Scope& s, std::string_view kind, std::string_view parent, std::string_view id);
  // Inserts or replaces (a replaced row keeps its position in listings).
  void put(const Scope& s, std::string_view kind, std::string_view parent, std::string_view id, const json::object& doc);
  bool remove(const Scope& s, std::string_view kind, std::string_view parent, std::string_view id);
  // Removes every entity whose parent is `parent` or starts with "<parent>/".
  void remove_children(const Scope& s, std::string_view parent);
  std::vector<json::object> list(const Scope& s, std::string_view kind, std::string_view parent);
  // Any account/region: the data plane knows only the API id.
  std::optional<Located> find_any(std::string_view kind, std::string_view id);
  bool id_taken(std::string_view kind, std::string_view id);
  std::vector<Located> list_all(std::string_view kind);

  void wipe();
  // Bumped by every write: data-plane caches compare it.
  uint64_t generation() const { return generation_; }

 private:
  store::Database& db_;
  uint64_t generation_ = 1;
};

}  // namespace stratus::apigateway
