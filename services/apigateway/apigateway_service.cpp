// The three API Gateway services: operation tables (one line per operation) and the claims that
// bring invoke URLs, WebSocket upgrades and @connections calls here.
#include "apigateway_service.hpp"

#include "backend.hpp"
#include "dataplane.hpp"
#include "management.hpp"
#include "ops_v1.hpp"
#include "ops_v2.hpp"

#include <stratus/strings.hpp>

namespace stratus::apigateway {

namespace {

bool is_upgrade(const HttpRequest& req) { return iequals(req.header_or("upgrade"), "websocket"); }

// Invoke URLs: <api>.execute-api.<host>, /_aws/execute-api/<api>/..., /restapis/<api>/<stage>/_user_request_/...
// (not @connections calls, which belong to the management API). Cheap: runs for every request.
Service::Claim claim_invoke_url(const HttpRequest& req) {
  std::string_view path = req.path;
  if (path.find("/@connections") != std::string_view::npos) return Service::Claim::none;
  bool ours = req.host().find(".execute-api.") != std::string_view::npos || path.starts_with("/_aws/execute-api/") ||
              (path.starts_with("/restapis/") && path.find("/_user_request_") != std::string_view::npos);
  if (!ours) return Service::Claim::none;
  return is_upgrade(req) ? Service::Claim::websocket : Service::Claim::http;
}

}  // namespace

ApiGatewayService::ApiGatewayService()
    : Service(ServiceInfo{
          .name = "apigateway",
          .models = {{"apigateway", Protocol::rest_json}},
          .signing_names = {"apigateway"},
          .handles_cors = true,
          .max_body = 16ull << 20,
          .early_claims = true,
      }) {
  auto reg = [this](const char* op, Output (*fn)(Call&)) { on(op, std::function<Output(Call&)>(fn)); };
  auto reg_async = [this](const char* op, boost::asio::awaitable<Output> (*fn)(Call&)) { on_async(op, fn); };
  reg("CreateApiKey", v1::create_api_key);
  reg("CreateAuthorizer", v1::create_authorizer);
  reg("CreateBasePathMapping", v1::create_base_path_mapping);
  reg("CreateDeployment", v1::create_deployment);
  reg("CreateDocumentationPart", v1::create_documentation_part);
  reg("CreateDocumentationVersion", v1::create_documentation_version);
  reg("CreateDomainName", v1::create_domain_name);
  reg("CreateModel", v1::create_model);
  reg("CreateRequestValidator", v1::create_request_validator);
  reg("CreateResource", v1::create_resource);
  reg("CreateRestApi", v1::create_rest_api);
  reg("CreateStage", v1::create_stage);
  reg("CreateUsagePlan", v1::create_usage_plan);
  reg("CreateUsagePlanKey", v1::create_usage_plan_key);
  reg("CreateVpcLink", v1::create_vpc_link);
  reg("DeleteApiKey", v1::delete_api_key);
  reg("DeleteAuthorizer", v1::delete_authorizer);
  reg("DeleteBasePathMapping", v1::delete_base_path_mapping);
  reg("DeleteClientCertificate", v1::delete_client_certificate);
  reg("DeleteDeployment", v1::delete_deployment);
  reg("DeleteDocumentationPart", v1::delete_documentation_part);
  reg("DeleteDocumentationVersion", v1::delete_documentation_version);
  reg("DeleteDomainName", v1::delete_domain_name);
  reg("DeleteGatewayResponse", v1::delete_gateway_response);
  reg("DeleteIntegration", v1::delete_integration);
  reg("DeleteIntegrationResponse", v1::delete_integration_response);
  reg("DeleteMethod", v1::delete_method);
  reg("DeleteMethodResponse", v1::delete_method_response);
  reg("DeleteModel", v1::delete_model);
  reg("DeleteRequestValidator", v1::delete_request_validator);
  reg("DeleteResource", v1::delete_resource);
  reg("DeleteRestApi", v1::delete_rest_api);
  reg("DeleteStage", v1::delete_stage);
  reg("DeleteUsagePlan", v1::delete_usage_plan);
  reg("DeleteUsagePlanKey", v1::delete_usage_plan_key);
  reg("DeleteVpcLink", v1::delete_vpc_link);
  reg("FlushStageAuthorizersCache", v1::flush_stage_authorizers_cache);
  reg("FlushStageCache", v1::flush_stage_cache);
  reg("GenerateClientCertificate", v1::generate_client_certificate);
  reg("GetAccount", v1::get_account);
  reg("GetApiKey", v1::get_api_key);
  reg("GetApiKeys", v1::get_api_keys);
  reg("GetAuthorizer", v1::get_authorizer);
  reg("GetAuthorizers", v1::get_authorizers);
  reg("GetBasePathMapping", v1::get_base_path_mapping);
  reg("GetBasePathMappings", v1::get_base_path_mappings);
  reg("GetClientCertificate", v1::get_client_certificate);
  reg("GetClientCertificates", v1::get_client_certificates);
  reg("GetDeployment", v1::get_deployment);
  reg("GetDeployments", v1::get_deployments);
  reg("GetDocumentationPart", v1::get_documentation_part);
  reg("GetDocumentationParts", v1::get_documentation_parts);
  reg("GetDocumentationVersion", v1::get_documentation_version);
  reg("GetDocumentationVersions", v1::get_documentation_versions);
  reg("GetDomainName", v1::get_domain_name);
  reg("GetDomainNames", v1::get_domain_names);
  reg("GetExport", v1::get_export);
  reg("GetGatewayResponse", v1::get_gateway_response);
  reg("GetGatewayResponses", v1::get_gateway_responses);
  reg("GetIntegration", v1::get_integration);
  reg("GetIntegrationResponse", v1::get_integration_response);
  reg("GetMethod", v1::get_method);
  reg("GetMethodResponse", v1::get_method_response);
  reg("GetModel", v1::get_model);
  reg("GetModelTemplate", v1::get_model_template);
  reg("GetModels", v1::get_models);
  reg("GetRequestValidator", v1::get_request_validator);
  reg("GetRequestValidators", v1::get_request_validators);
  reg("GetResource", v1::get_resource);
  reg("GetResources", v1::get_resources);
  reg("GetRestApi", v1::get_rest_api);
  reg("GetRestApis", v1::get_rest_apis);
  reg("GetStage", v1::get_stage);
  reg("GetStages", v1::get_stages);
  reg("GetTags", v1::get_tags);
  reg("GetUsage", v1::get_usage);
  reg("GetUsagePlan", v1::get_usage_plan);
  reg("GetUsagePlanKey", v1::get_usage_plan_key);
  reg("GetUsagePlanKeys", v1::get_usage_plan_keys);
  reg("GetUsagePlans", v1::get_usage_plans);
  reg("GetVpcLink", v1::get_vpc_link);
  reg("GetVpcLinks", v1::get_vpc_links);
  reg("ImportApiKeys", v1::import_api_keys);
  reg("ImportRestApi", v1::import_rest_api);
  reg("PutGatewayResponse", v1::put_gateway_response);
  reg("PutIntegration", v1::put_integration);
  reg("PutIntegrationResponse", v1::put_integration_response);
  reg("PutMethod", v1::put_method);
  reg("PutMethodResponse", v1::put_method_response);
  reg("PutRestApi", v1::put_rest_api);
  reg("TagResource", v1::tag_resource);
  reg_async("TestInvokeAuthorizer", v1::test_invoke_authorizer);
  reg_async("TestInvokeMethod", v1::test_invoke_method);
  reg("UntagResource", v1::untag_resource);
  reg("UpdateAccount", v1::update_account);
  reg("UpdateApiKey", v1::update_api_key);
  reg("UpdateAuthorizer", v1::update_authorizer);
  reg("UpdateBasePathMapping", v1::update_base_path_mapping);
  reg("UpdateClientCertificate", v1::update_client_certificate);
  reg("UpdateDeployment", v1::update_deployment);
  reg("UpdateDocumentationPart", v1::update_documentation_part);
  reg("UpdateDomainName", v1::update_domain_name);
  reg("UpdateGatewayResponse", v1::update_gateway_response);
  reg("UpdateIntegration", v1::update_integration);
  reg("UpdateIntegrationResponse", v1::update_integration_response);
  reg("UpdateMethod", v1::update_method);
  reg("UpdateMethodResponse", v1::update_method_response);
  reg("UpdateModel", v1::update_model);
  reg("UpdateRequestValidator", v1::update_request_validator);
  reg("UpdateResource", v1::update_resource);
  reg("UpdateRestApi", v1::update_rest_api);
  reg("UpdateStage", v1::update_stage);
  reg("UpdateUsage", v1::update_usage);
  reg("UpdateUsagePlan", v1::update_usage_plan);
  reg("UpdateVpcLink", v1::update_vpc_link);
}

void ApiGatewayService::start(Env& env) {
  Service::start(env);
  Backend::get().start(env);
}

void ApiGatewayService::reset() { Backend::get().reset(); }

Service::Claim ApiGatewayService::claim(HttpRequest& req) const { return claim_invoke_url(req); }

boost::asio::awaitable<HttpResponse> ApiGatewayService::handle_http(RequestContext& ctx, HttpRequest& req) {
  co_return co_await Backend::get().dataplane().serve(ctx, req);
}

boost::asio::awaitable<void> ApiGatewayService::handle_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws) {
  co_await Backend::get().dataplane().serve_websocket(ctx, req, ws);
}

ApiGatewayV2Service::ApiGatewayV2Service()
    : Service(ServiceInfo{
          .name = "apigatewayv2",
          .models = {{"apigatewayv2", Protocol::rest_json}},
          .signing_names = {"apigateway"},
          .handles_cors = true,
          .max_body = 16ull << 20,
          .early_claims = true,
      }) {
  auto reg = [this](const char* op, Output (*fn)(Call&)) { on(op, std::function<Output(Call&)>(fn)); };
  reg("CreateApi", v2::create_api);
  reg("CreateApiMapping", v2::create_api_mapping);
  reg("CreateAuthorizer", v2::create_authorizer);
  reg("CreateDeployment", v2::create_deployment);
  reg("CreateDomainName", v2::create_domain_name);
  reg("CreateIntegration", v2::create_integration);
  reg("CreateIntegrationResponse", v2::create_integration_response);
  reg("CreateModel", v2::create_model);
  reg("CreateRoute", v2::create_route);
  reg("CreateRouteResponse", v2::create_route_response);
  reg("CreateStage", v2::create_stage);
  reg("CreateVpcLink", v2::create_vpc_link);
  reg("DeleteAccessLogSettings", v2::delete_access_log_settings);
  reg("DeleteApi", v2::delete_api);
  reg("DeleteApiMapping", v2::delete_api_mapping);
  reg("DeleteAuthorizer", v2::delete_authorizer);
  reg("DeleteCorsConfiguration", v2::delete_cors_configuration);
  reg("DeleteDeployment", v2::delete_deployment);
  reg("DeleteDomainName", v2::delete_domain_name);
  reg("DeleteIntegration", v2::delete_integration);
  reg("DeleteIntegrationResponse", v2::delete_integration_response);
  reg("DeleteModel", v2::delete_model);
  reg("DeleteRoute", v2::delete_route);
  reg("DeleteRouteRequestParameter", v2::delete_route_request_parameter);
  reg("DeleteRouteResponse", v2::delete_route_response);
  reg("DeleteRouteSettings", v2::delete_route_settings);
  reg("DeleteStage", v2::delete_stage);
  reg("DeleteVpcLink", v2::delete_vpc_link);
  reg("ExportApi", v2::export_api);
  reg("GetApi", v2::get_api);
  reg("GetApiMapping", v2::get_api_mapping);
  reg("GetApiMappings", v2::get_api_mappings);
  reg("GetApis", v2::get_apis);
  reg("GetAuthorizer", v2::get_authorizer);
  reg("GetAuthorizers", v2::get_authorizers);
  reg("GetDeployment", v2::get_deployment);
  reg("GetDeployments", v2::get_deployments);
  reg("GetDomainName", v2::get_domain_name);
  reg("GetDomainNames", v2::get_domain_names);
  reg("GetIntegration", v2::get_integration);
  reg("GetIntegrationResponse", v2::get_integration_response);
  reg("GetIntegrationResponses", v2::get_integration_responses);
  reg("GetIntegrations", v2::get_integrations);
  reg("GetModel", v2::get_model);
  reg("GetModelTemplate", v2::get_model_template);
  reg("GetModels", v2::get_models);
  reg("GetRoute", v2::get_route);
  reg("GetRouteResponse", v2::get_route_response);
  reg("GetRouteResponses", v2::get_route_responses);
  reg("GetRoutes", v2::get_routes);
  reg("GetStage", v2::get_stage);
  reg("GetStages", v2::get_stages);
  reg("GetTags", v2::get_tags);
  reg("GetVpcLink", v2::get_vpc_link);
  reg("GetVpcLinks", v2::get_vpc_links);
  reg("ImportApi", v2::import_api);
  reg("ReimportApi", v2::reimport_api);
  reg("ResetAuthorizersCache", v2::reset_authorizers_cache);
  reg("TagResource", v2::tag_resource);
  reg("UntagResource", v2::untag_resource);
  reg("UpdateApi", v2::update_api);
  reg("UpdateApiMapping", v2::update_api_mapping);
  reg("UpdateAuthorizer", v2::update_authorizer);
  reg("UpdateDeployment", v2::update_deployment);
  reg("UpdateDomainName", v2::update_domain_name);
  reg("UpdateIntegration", v2::update_integration);
  reg("UpdateIntegrationResponse", v2::update_integration_response);
  reg("UpdateModel", v2::update_model);
  reg("UpdateRoute", v2::update_route);
  reg("UpdateRouteResponse", v2::update_route_response);
  reg("UpdateStage", v2::update_stage);
  reg("UpdateVpcLink", v2::update_vpc_link);
}

void ApiGatewayV2Service::start(Env& env) {
  Service::start(env);
  Backend::get().start(env);
}

void ApiGatewayV2Service::reset() { Backend::get().reset(); }

Service::Claim ApiGatewayV2Service::claim(HttpRequest& req) const {
  // With the REST service present it answers every invoke URL (it knows both kinds of API).
  if (started() && env().services.find("apigateway")) return Claim::none;
  return claim_invoke_url(req);
}

boost::asio::awaitable<HttpResponse> ApiGatewayV2Service::handle_http(RequestContext& ctx, HttpRequest& req) {
  co_return co_await Backend::get().dataplane().serve(ctx, req);
}

boost::asio::awaitable<void> ApiGatewayV2Service::handle_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws) {
  co_await Backend::get().dataplane().serve_websocket(ctx, req, ws);
}

ApiGatewayManagementService::ApiGatewayManagementService()
    : Service(ServiceInfo{
          .name = "apigatewaymanagementapi",
          .models = {{"apigatewaymanagementapi", Protocol::rest_json}},
          .signing_names = {"execute-api"},
          .early_claims = true,
      }) {
  on_async("PostToConnection", mgmt::post_to_connection);
  on("GetConnection", std::function<Output(Call&)>(mgmt::get_connection));
  on_async("DeleteConnection", mgmt::delete_connection);
}

void ApiGatewayManagementService::start(Env& env) {
  Service::start(env);
  Backend::get().start(env);
}

void ApiGatewayManagementService::reset() { Backend::get().reset(); }

Service::Claim ApiGatewayManagementService::claim(HttpRequest& req) const {
  std::string_view path = req.path;
  auto at = path.find("/@connections");
  if (at == std::string_view::npos) return Claim::none;
  if (at == 0) return Claim::model;
  // The ApiGatewayManagementApi client's endpoint carries the stage (and, path-style, the API):
  // strip it so the model's /@connections/{connectionId} template matches. A function's own
  // client built as AWS_ENDPOINT_URL + "/" + stage reaches the plain host with the stage in the
  // path, signed for execute-api.
  bool invoke_host = req.host().find(".execute-api.") != std::string_view::npos;
  bool signed_for_us = req.header_or("authorization").find("/execute-api/aws4_request") != std::string_view::npos;
  if (!invoke_host && !path.starts_with("/_aws/execute-api/") && !signed_for_us) return Claim::none;
  std::string rest(path.substr(at));
  req.path = rest;
  req.target = rest + (req.query_string.empty() ? "" : "?" + req.query_string);
  return Claim::model;
}

}  // namespace stratus::apigateway
