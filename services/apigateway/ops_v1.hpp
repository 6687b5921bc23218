#pragma once
// The REST API (apigateway, v1) control-plane operations, as free functions the service table
// registers, and the lookups they share. AWS documents each operation at
// https://docs.aws.amazon.com/apigateway/latest/api/API_<Operation>.html
#include "backend.hpp"
#include "patch.hpp"

#include <boost/asio/awaitable.hpp>

namespace stratus::apigateway::v1 {

// --- shared lookups (NotFoundException with AWS's wording when absent) ---
json::object require_rest_api(const Scope& s, std::string_view api_id);
json::object require_resource(const Scope& s, std::string_view api_id, std::string_view resource_id);
json::object& require_method(json::object& resource, std::string_view http_method);
json::object& require_integration(json::object& method);
void save_resource(const Scope& s, std::string_view api_id, const json::object& resource);
void touch_api(const Scope& s, std::string_view api_id);  // invalidates data-plane caches
// Builds the REST API document and its root resource ("/").
json::object new_rest_api(const Scope& s, const json::object& in);
// The method as GetMethod returns it, and as resources embed it.
json::object method_view(const json::object& method);
// Every piece of an API a deployment freezes: resources with methods, authorizers, validators,
// models, gateway responses, and the API's own settings.
json::object snapshot_api(const Scope& s, std::string_view api_id);
std::string rest_api_arn(const Scope& s, std::string_view api_id);
std::string valid_http_method(std::string_view m);  // upper-cased; BadRequest for unknown verbs

// --- rest APIs, tags, account ---
Output create_rest_api(Call& c);
Output get_rest_api(Call& c);
Output get_rest_apis(Call& c);
Output update_rest_api(Call& c);
Output delete_rest_api(Call& c);
Output import_rest_api(Call& c);
Output put_rest_api(Call& c);
Output get_tags(Call& c);
Output tag_resource(Call& c);
Output untag_resource(Call& c);
Output get_account(Call& c);
Output update_account(Call& c);

// --- resources, methods, integrations ---
Output create_resource(Call& c);
Output get_resource(Call& c);
Output get_resources(Call& c);
Output update_resource(Call& c);
Output delete_resource(Call& c);
Output put_method(Call& c);
Output get_method(Call& c);
Output update_method(Call& c);
Output delete_method(Call& c);
Output put_method_response(Call& c);
Output get_method_response(Call& c);
Output update_method_response(Call& c);
Output delete_method_response(Call& c);
Output put_integration(Call& c);
Output get_integration(Call& c);
Output update_integration(Call& c);
Output delete_integration(Call& c);
Output put_integration_response(Call& c);
Output get_integration_response(Call& c);
Output update_integration_response(Call& c);
Output delete_integration_response(Call& c);

// --- deployments, stages, export ---
Output create_deployment(Call& c);
Output get_deployment(Call& c);
Output get_deployments(Call& c);
Output update_deployment(Call& c);
Output delete_deployment(Call& c);
Output create_stage(Call& c);
Output get_stage(Call& c);
Output get_stages(Call& c);
Output update_stage(Call& c);
Output delete_stage(Call& c);
Output flush_stage_cache(Call& c);
Output flush_stage_authorizers_cache(Call& c);
Output get_export(Call& c);

// --- authorizers, validators, models, gateway responses, documentation ---
Output create_authorizer(Call& c);
Output get_authorizer(Call& c);
Output get_authorizers(Call& c);
Output update_authorizer(Call& c);
Output delete_authorizer(Call& c);
boost::asio::awaitable<Output> test_invoke_authorizer(Call& c);
Output create_request_validator(Call& c);
Output get_request_validator(Call& c);
Output get_request_validators(Call& c);
Output update_request_validator(Call& c);
Output delete_request_validator(Call& c);
Output create_model(Call& c);
Output get_model(Call& c);
Output get_models(Call& c);
Output update_model(Call& c);
Output delete_model(Call& c);
Output get_model_template(Call& c);
Output put_gateway_response(Call& c);
Output get_gateway_response(Call& c);
Output get_gateway_responses(Call& c);
Output update_gateway_response(Call& c);
Output delete_gateway_response(Call& c);
Output create_documentation_part(Call& c);
Output get_documentation_part(Call& c);
Output get_documentation_parts(Call& c);
Output update_documentation_part(Call& c);
Output delete_documentation_part(Call& c);
Output create_documentation_version(Call& c);
Output get_documentation_version(Call& c);
Output get_documentation_versions(Call& c);
Output delete_documentation_version(Call& c);

// --- API keys, usage plans ---
Output create_api_key(Call& c);
Output get_api_key(Call& c);
Output get_api_keys(Call& c);
Output update_api_key(Call& c);
Output delete_api_key(Call& c);
Output import_api_keys(Call& c);
Output create_usage_plan(Call& c);
Output get_usage_plan(Call& c);
Output get_usage_plans(Call& c);
Output update_usage_plan(Call& c);
Output delete_usage_plan(Call& c);
Output create_usage_plan_key(Call& c);
Output get_usage_plan_key(Call& c);
Output get_usage_plan_keys(Call& c);
Output delete_usage_plan_key(Call& c);
Output get_usage(Call& c);
Output update_usage(Call& c);

// --- client certificates, VPC links, domain names, base path mappings ---
Output generate_client_certificate(Call& c);
Output get_client_certificate(Call& c);
Output get_client_certificates(Call& c);
Output update_client_certificate(Call& c);
Output delete_client_certificate(Call& c);
Output create_vpc_link(Call& c);
Output get_vpc_link(Call& c);
Output get_vpc_links(Call& c);
Output update_vpc_link(Call& c);
Output delete_vpc_link(Call& c);
Output create_domain_name(Call& c);
Output get_domain_name(Call& c);
Output get_domain_names(Call& c);
Output update_domain_name(Call& c);
Output delete_domain_name(Call& c);
Output create_base_path_mapping(Call& c);
Output get_base_path_mapping(Call& c);
Output get_base_path_mappings(Call& c);
Output update_base_path_mapping(Call& c);
Output delete_base_path_mapping(Call& c);

// --- test invocation (the data plane without a deployment) ---
boost::asio::awaitable<Output> test_invoke_method(Call& c);

// A page of `items` in the v1 list shape {"items": [...], "position": ...}.
json::object list_page(std::vector<json::object> items, const json::object& in);

}  // namespace stratus::apigateway::v1
