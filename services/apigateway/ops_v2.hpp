#pragma once
// The HTTP and WebSocket API (apigatewayv2) control-plane operations. AWS documents them at
// https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/ (resources: apis, routes,
// integrations, stages, deployments, authorizers, models, domain names, VPC links, tags).
#include "backend.hpp"
#include "patch.hpp"

namespace stratus::apigateway::v2 {

// --- shared ---
json::object require_api(const Scope& s, std::string_view api_id);
bool is_http(const json::object& api);
// After any change of an API: caches dropped and every AutoDeploy stage redeployed.
void changed(const Scope& s, std::string_view api_id);
// A new deployment of the API's current routes, integrations and authorizers.
json::object deploy(const Scope& s, std::string_view api_id, std::optional<std::string> description, bool auto_deployed);
std::string api_endpoint(const json::object& api, std::string_view endpoint);
// Builds and stores an API document (CreateApi and ImportApi).
json::object new_api(const Scope& s, const json::object& in, std::string_view endpoint);
// Creates a route / integration from an input document (CreateRoute, CreateIntegration, imports).
json::object add_route(const Scope& s, const json::object& api, const json::object& in);
json::object add_integration(const Scope& s, const json::object& api, const json::object& in);
json::object add_authorizer(const Scope& s, const json::object& api, const json::object& in);
json::object add_stage(const Scope& s, const json::object& api, const json::object& in);
json::object list_page(std::vector<json::object> items, const json::object& in);
// Drops an auto-created deployment no stage uses any more.
void prune_deployment(const Scope& s, std::string_view api_id, std::string_view deployment_id);

// --- APIs, tags, CORS, import/export ---
Output create_api(Call& c);
Output get_api(Call& c);
Output get_apis(Call& c);
Output update_api(Call& c);
Output delete_api(Call& c);
Output delete_cors_configuration(Call& c);
Output import_api(Call& c);
Output reimport_api(Call& c);
Output export_api(Call& c);
Output get_tags(Call& c);
Output tag_resource(Call& c);
Output untag_resource(Call& c);

// --- routes, route responses, integrations, integration responses ---
Output create_route(Call& c);
Output get_route(Call& c);
Output get_routes(Call& c);
Output update_route(Call& c);
Output delete_route(Call& c);
Output delete_route_request_parameter(Call& c);
Output create_route_response(Call& c);
Output get_route_response(Call& c);
Output get_route_responses(Call& c);
Output update_route_response(Call& c);
Output delete_route_response(Call& c);
Output create_integration(Call& c);
Output get_integration(Call& c);
Output get_integrations(Call& c);
Output update_integration(Call& c);
Output delete_integration(Call& c);
Output create_integration_response(Call& c);
Output get_integration_response(Call& c);
Output get_integration_responses(Call& c);
Output update_integration_response(Call& c);
Output delete_integration_response(Call& c);

// --- stages, deployments, authorizers, models ---
Output create_stage(Call& c);
Output get_stage(Call& c);
Output get_stages(Call& c);
Output update_stage(Call& c);
Output delete_stage(Call& c);
Output delete_access_log_settings(Call& c);
Output delete_route_settings(Call& c);
Output reset_authorizers_cache(Call& c);
Output create_deployment(Call& c);
Output get_deployment(Call& c);
Output get_deployments(Call& c);
Output update_deployment(Call& c);
Output delete_deployment(Call& c);
Output create_authorizer(Call& c);
Output get_authorizer(Call& c);
Output get_authorizers(Call& c);
Output update_authorizer(Call& c);
Output delete_authorizer(Call& c);
Output create_model(Call& c);
Output get_model(Call& c);
Output get_models(Call& c);
Output update_model(Call& c);
Output delete_model(Call& c);
Output get_model_template(Call& c);

// --- domain names, API mappings, VPC links ---
Output create_domain_name(Call& c);
Output get_domain_name(Call& c);
Output get_domain_names(Call& c);
Output update_domain_name(Call& c);
Output delete_domain_name(Call& c);
Output create_api_mapping(Call& c);
Output get_api_mapping(Call& c);
Output get_api_mappings(Call& c);
Output update_api_mapping(Call& c);
Output delete_api_mapping(Call& c);
Output create_vpc_link(Call& c);
Output get_vpc_link(Call& c);
Output get_vpc_links(Call& c);
Output update_vpc_link(Call& c);
Output delete_vpc_link(Call& c);

}  // namespace stratus::apigateway::v2
