// API Gateway through the JS SDK v3 (control planes) and plain HTTP (invoke URLs): REST APIs,
// HTTP APIs and their data planes with MOCK and HTTP/HTTP_PROXY integrations, CORS, API keys,
// OpenAPI import/export. Lambda integrations: apigateway_lambda.test.mjs; WebSockets:
// apigateway_ws.test.mjs. Expected values are AWS's documented behaviour.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateRequestValidatorCommand,
  CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand,
  DeleteRestApiCommand, GetDeploymentCommand, GetExportCommand, GetGatewayResponsesCommand, GetMethodCommand,
  GetModelsCommand, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, GetStageCommand, GetStagesCommand,
  GetTagsCommand, GetUsageCommand, ImportRestApiCommand, PutGatewayResponseCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, PutRestApiCommand, TagResourceCommand,
  TestInvokeMethodCommand, UpdateRestApiCommand, UpdateStageCommand, UpdateMethodCommand, DeleteResourceCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand as CreateDeploymentV2Command, CreateIntegrationCommand,
  CreateRouteCommand, CreateStageCommand as CreateStageV2Command, DeleteApiCommand, ExportApiCommand, GetApiCommand,
  GetApisCommand, GetRoutesCommand, GetStageCommand as GetStageV2Command, ImportApiCommand, UpdateApiCommand,
  UpdateRouteCommand, GetIntegrationCommand, CreateAuthorizerCommand as CreateAuthorizerV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig, startStratus } from './harness.mjs';
import { echoServer, request } from './apigateway_util.mjs';

const rejectsWith = (p, name, status, message) => assert.rejects(p, (e) => {
  assert.equal(e.name, name, e.message);
  if (status) assert.equal(e.$metadata.httpStatusCode, status);
  if (message) assert.match(e.message, message);
  return true;
});

describe('API Gateway REST APIs', () => {
  let s, apigw, echo;
  before(async () => {
    s = await startStratus();
    apigw = new APIGatewayClient(clientConfig(s));
    echo = await echoServer();
  });
  after(async () => {
    await echo.close();
    await s.stop();
  });
  const invoke = (api, stage, path, init) => s.fetch(`/_aws/execute-api/${api}/${stage}${path}`, init);

  async function mockMethod(restApiId, resourceId, httpMethod, template, extra = {}) {
    await apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE', ...extra }));
    await apigw.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
    await apigw.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200',
      responseTemplates: { 'application/json': template } }));
  }

  test('CreateRestApi, GetRestApi(s), UpdateRestApi and errors', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'pets', description: 'd', tags: { team: 'a' } }));
    assert.match(api.id, /^[a-z0-9]{10}$/);
    assert.match(api.rootResourceId, /^[a-z0-9]{10}$/);
    assert.equal(api.apiKeySource, 'HEADER');
    assert.deepEqual(api.endpointConfiguration.types, ['EDGE']);
    assert.equal(api.disableExecuteApiEndpoint, false);
    assert.ok(api.createdDate instanceof Date);
    assert.deepEqual(api.tags, { team: 'a' });
    const got = await apigw.send(new GetRestApiCommand({ restApiId: api.id }));
    assert.equal(got.name, 'pets');
    const list = await apigw.send(new GetRestApisCommand({}));
    assert.ok(list.items.some((a) => a.id === api.id));
    const upd = await apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [
      { op: 'replace', path: '/name', value: 'pets2' },
      { op: 'add', path: '/binaryMediaTypes/image~1png' },
      { op: 'replace', path: '/minimumCompressionSize', value: '1024' }] }));
    assert.equal(upd.name, 'pets2');
    assert.deepEqual(upd.binaryMediaTypes, ['image/png']);
    assert.equal(upd.minimumCompressionSize, 1024);
    await rejectsWith(apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })),
      'BadRequestException', 400, /Invalid patch path/);
    await rejectsWith(apigw.send(new GetRestApiCommand({ restApiId: 'nope123456' })), 'NotFoundException', 404,
      /^Invalid API identifier specified 000000000000:nope123456$/);
    // New APIs carry the Empty and Error models.
    const models = await apigw.send(new GetModelsCommand({ restApiId: api.id }));
    assert.deepEqual(models.items.map((m) => m.name).sort(), ['Empty', 'Error']);
    await apigw.send(new TagResourceCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${api.id}`, tags: { env: 'x' } }));
    const tags = await apigw.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${api.id}` }));
    assert.deepEqual(tags.tags, { team: 'a', env: 'x' });
    await apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    await rejectsWith(apigw.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException', 404);
  });

  test('resources: paths, conflicts and validation', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'res' }));
    const items = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    assert.equal(items.path, '/items');
    assert.equal(items.parentId, api.rootResourceId);
    const item = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{id}' }));
    assert.equal(item.path, '/items/{id}');
    await rejectsWith(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' })),
      'ConflictException', 409, /^Another resource with the same parent already has this name: items$/);
    await rejectsWith(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{other}' })),
      'BadRequestException', 400, /already has a variable path part -- only one is allowed/);
    await rejectsWith(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: 'a b' })),
      'BadRequestException', 400, /Resource's path part only allow/);
    await rejectsWith(apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: 'missing123', pathPart: 'x' })),
      'NotFoundException', 404, /Invalid Resource identifier specified/);
    await mockMethod(api.id, item.id, 'GET', '{}');
    const res = await apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
    const r = res.items.find((x) => x.id === item.id);
    assert.equal(r.resourceMethods.GET.methodIntegration.type, 'MOCK');
    assert.equal(r.resourceMethods.GET.methodIntegration.passthroughBehavior, 'WHEN_NO_MATCH');
    assert.equal(r.resourceMethods.GET.methodIntegration.timeoutInMillis, 29000);
    const plain = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(plain.items.find((x) => x.id === item.id).resourceMethods, { GET: {} });
    await rejectsWith(apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: item.id, httpMethod: 'GET', authorizationType: 'NONE' })),
      'ConflictException', 409, /Method already exists for this resource/);
    await rejectsWith(apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: item.id, httpMethod: 'POST' })),
      'NotFoundException', 404, /Invalid Method identifier specified/);
    const m = await apigw.send(new UpdateMethodCommand({ restApiId: api.id, resourceId: item.id, httpMethod: 'GET',
      patchOperations: [{ op: 'replace', path: '/apiKeyRequired', value: 'true' }] }));
    assert.equal(m.apiKeyRequired, true);
    await rejectsWith(apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: items.id, httpMethod: 'GET', type: 'HTTP' })),
      'NotFoundException', 404);
    // Deleting a resource deletes its children.
    await apigw.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: items.id }));
    const left = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(left.items.map((x) => x.path), ['/']);
  });

  test('deployments and stages', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'deploy' }));
    await rejectsWith(apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })),
      'BadRequestException', 400, /^The REST API doesn't contain any methods$/);
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await rejectsWith(apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })),
      'BadRequestException', 400, /^No integration defined for method$/);
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    const d = await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { color: 'blue' } }));
    assert.match(d.id, /^[a-z0-9]{6}$/);
    const stage = await apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
    assert.equal(stage.deploymentId, d.id);
    assert.deepEqual(stage.variables, { color: 'blue' });
    assert.equal(stage.cacheClusterEnabled, false);
    await rejectsWith(apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId: d.id })),
      'ConflictException', 409, /Stage already exists/);
    await apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: d.id }));
    const stages = await apigw.send(new GetStagesCommand({ restApiId: api.id }));
    assert.deepEqual(stages.item.map((x) => x.stageName).sort(), ['dev', 'prod']);
    const upd = await apigw.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/variables/color', value: 'red' },
      { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
      { op: 'replace', path: '/description', value: 'dev stage' }] }));
    assert.deepEqual(upd.variables, { color: 'red' });
    assert.equal(upd.methodSettings['*/*'].loggingLevel, 'INFO');
    assert.equal(upd.description, 'dev stage');
    const summary = await apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d.id, embed: ['apisummary'] }));
    assert.deepEqual(summary.apiSummary, { '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });
    await rejectsWith(apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'nope' })), 'NotFoundException', 404,
      /Invalid Stage identifier specified/);
  });

  test('MOCK data plane: templates, $context, stage variables, invoke URL forms', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'mock' }));
    const pets = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
    const pet = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id, pathPart: '{petId}' }));
    await mockMethod(api.id, pet.id, 'GET',
      '{"id": "$input.params(\'petId\')", "q": "$input.params(\'q\')", "stage": "$context.stage", "color": "$stageVariables.color", ' +
      '"path": "$context.resourcePath", "method": "$context.httpMethod"}');
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test', variables: { color: 'green' } }));
    const expected = { id: '7', q: 'x', stage: 'test', color: 'green', path: '/pets/{petId}', method: 'GET' };
    let r = await invoke(api.id, 'test', '/pets/7?q=x');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.ok(r.headers.get('x-amzn-requestid'));
    assert.deepEqual(await r.json(), expected);
    r = await s.fetch(`/restapis/${api.id}/test/_user_request_/pets/7?q=x`);
    assert.deepEqual(await r.json(), expected);
    const h = await request(`http://${api.id}.execute-api.localhost:${s.port}/test/pets/7?q=x`);
    assert.equal(h.status, 200);
    assert.deepEqual(h.json(), expected);
    // Unknown routes, stages and methods.
    r = await invoke(api.id, 'test', '/nope');
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.deepEqual(await r.json(), { message: 'Missing Authentication Token' });
    r = await invoke(api.id, 'test', '/pets/7', { method: 'DELETE' });
    assert.equal(r.status, 403);
    r = await invoke(api.id, 'nostage', '/pets/7');
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { message: 'Forbidden' });
    // Changes take effect only after a new deployment.
    await mockMethod(api.id, pets.id, 'GET', '{"list": true}');
    r = await invoke(api.id, 'test', '/pets');
    assert.equal(r.status, 403);
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }));
    r = await invoke(api.id, 'test', '/pets');
    assert.deepEqual(await r.json(), { list: true });
  });

  test('MOCK status selection, method response headers and gateway responses', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'status' }));
    const rid = api.rootResourceId;
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', statusCode: '201',
      responseParameters: { 'method.response.header.X-Made': false } }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', type: 'MOCK',
      requestTemplates: { 'application/json': '#set($b = $input.path(\'$\'))\n{"statusCode": $b.code}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', statusCode: '201',
      selectionPattern: '2\\d\\d', responseParameters: { 'method.response.header.X-Made': "'yes'" },
      responseTemplates: { 'application/json': '{"created": true}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', statusCode: '400',
      responseTemplates: { 'application/json': '{"error": "bad"}' } }));
    await apigw.send(new PutGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
      responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      responseTemplates: { 'application/json': '{"msg": $context.error.messageString, "type": "$context.error.responseType"}' } }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'v1' }));
    let r = await invoke(api.id, 'v1', '/', { method: 'POST', body: '{"code": 201}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('x-made'), 'yes');
    assert.deepEqual(await r.json(), { created: true });
    r = await invoke(api.id, 'v1', '/', { method: 'POST', body: '{"code": 500}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { error: 'bad' });
    r = await invoke(api.id, 'v1', '/missing');
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await r.json(), { msg: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN' });
    const grs = await apigw.send(new GetGatewayResponsesCommand({ restApiId: api.id }));
    const unauthorized = grs.items.find((g) => g.responseType === 'UNAUTHORIZED');
    assert.equal(unauthorized.statusCode, '401');
    assert.equal(unauthorized.defaultResponse, true);
    assert.deepEqual(unauthorized.responseTemplates, { 'application/json': '{"message":$context.error.messageString}' });
  });

  test('HTTP_PROXY and HTTP integrations reach the backend', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'proxy' }));
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'NONE',
      requestParameters: { 'method.request.path.proxy': true } }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY', uri: `${echo.url}/backend/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy',
        'integration.request.header.X-Stage': 'context.stage' } }));
    const raw = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'raw' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: raw.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: raw.id, httpMethod: 'POST', type: 'HTTP',
      integrationHttpMethod: 'POST', uri: `${echo.url}/status/202`,
      requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: raw.id, httpMethod: 'POST', statusCode: '200',
      responseTemplates: { 'application/json': '{"backendStatus": $input.path(\'$.status\')}' } }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    let r = await invoke(api.id, 'dev', '/a/b/c?x=1&x=2', { method: 'PUT', body: 'payload', headers: { 'x-custom': 'v' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-backend'), 'echo');
    // The backend's own Date (node's http server sends one) comes back remapped; API Gateway sets Date.
    assert.match(r.headers.get('x-amzn-remapped-date'), /GMT$/);
    assert.equal(r.headers.get('date').split(',').length, 2, 'one Date header ("Sat, 28 Nov ...")');
    const seen = await r.json();
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.url, '/backend/a/b/c?x=1&x=2');
    assert.equal(seen.body, 'payload');
    assert.equal(seen.headers['x-custom'], 'v');
    assert.equal(seen.headers['x-stage'], 'dev');
    r = await invoke(api.id, 'dev', '/raw', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { backendStatus: 202 });
    assert.deepEqual(JSON.parse(echo.seen.at(-1).body), { wrapped: { a: 1 } });
  });

  test('API keys and usage plans', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'keys' }));
    await mockMethod(api.id, api.rootResourceId, 'GET', '{"ok": true, "key": "$context.identity.apiKeyId"}', { apiKeyRequired: true });
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    let r = await invoke(api.id, 'prod', '/');
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { message: 'Forbidden' });
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'k1', enabled: true }));
    assert.match(key.id, /^[a-z0-9]{10}$/);
    assert.equal(key.value.length, 40);
    // A key that is in no usage plan for the stage is refused.
    r = await invoke(api.id, 'prod', '/', { headers: { 'x-api-key': key.value } });
    assert.equal(r.status, 403);
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: api.id, stage: 'prod' }],
      quota: { limit: 2, period: 'DAY' } }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    r = await invoke(api.id, 'prod', '/', { headers: { 'x-api-key': key.value } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { ok: true, key: key.id });
    r = await invoke(api.id, 'prod', '/', { headers: { 'x-api-key': key.value } });
    assert.equal(r.status, 200);
    r = await invoke(api.id, 'prod', '/', { headers: { 'x-api-key': key.value } });
    assert.equal(r.status, 429);
    assert.deepEqual(await r.json(), { message: 'Limit Exceeded' });
    const today = new Date().toISOString().slice(0, 10);
    const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: today, endDate: today }));
    assert.deepEqual(usage.items[key.id][0], [2, 0]);
    await rejectsWith(apigw.send(new CreateApiKeyCommand({ name: 'short', value: 'tooshort' })), 'BadRequestException', 400,
      /API Key value should be at least 20 characters/);
  });

  test('request validation of parameters and bodies', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'validate' }));
    const v = await apigw.send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'all', validateRequestBody: true,
      validateRequestParameters: true }));
    const { CreateModelCommand } = await import('@aws-sdk/client-api-gateway');
    await apigw.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json',
      schema: JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }) }));
    await mockMethod(api.id, api.rootResourceId, 'POST', '{"ok": true}', { requestValidatorId: v.id,
      requestParameters: { 'method.request.querystring.token': true }, requestModels: { 'application/json': 'Pet' } });
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const post = (qs, body) => invoke(api.id, 'dev', `/${qs}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    let r = await post('', '{"name":"x"}');
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { message: 'Missing required request parameters: [token]' });
    r = await post('?token=1', '{"nom":"x"}');
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { message: 'Invalid request body' });
    r = await post('?token=1', '{"name":"x"}');
    assert.equal(r.status, 200);
  });

  test('TestInvokeMethod runs the API without a deployment', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'testinvoke' }));
    await mockMethod(api.id, api.rootResourceId, 'GET', '{"q": "$input.params(\'q\')"}');
    const r = await apigw.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET',
      pathWithQueryString: '/?q=hello' }));
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { q: 'hello' });
    assert.equal(r.headers['Content-Type'], 'application/json');
  });

  test('OpenAPI import (YAML), PutRestApi and GetExport', async () => {
    const yaml = `swagger: "2.0"
info:
  title: imported
  version: "1.0"
paths:
  /hello:
    get:
      operationId: sayHello
      parameters:
        - name: name
          in: query
          required: false
          type: string
      responses:
        "200":
          description: ok
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: '{"hello": "$input.params(''name'')"}'
definitions:
  Greeting:
    type: object
    properties:
      hello:
        type: string
`;
    const api = await apigw.send(new ImportRestApiCommand({ body: new TextEncoder().encode(yaml) }));
    assert.equal(api.name, 'imported');
    assert.equal(api.version, '1.0');
    const res = await apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
    const hello = res.items.find((x) => x.path === '/hello');
    assert.equal(hello.resourceMethods.GET.operationName, 'sayHello');
    assert.deepEqual(hello.resourceMethods.GET.requestParameters, { 'method.request.querystring.name': false });
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'v1' }));
    const r = await invoke(api.id, 'v1', '/hello?name=ann');
    assert.deepEqual(await r.json(), { hello: 'ann' });
    const models = await apigw.send(new GetModelsCommand({ restApiId: api.id }));
    assert.ok(models.items.some((m) => m.name === 'Greeting'));
    const exp = await apigw.send(new GetExportCommand({ restApiId: api.id, stageName: 'v1', exportType: 'oas30',
      parameters: { extensions: 'integrations' }, accepts: 'application/json' }));
    assert.equal(exp.contentType, 'application/json');
    const doc = JSON.parse(new TextDecoder().decode(exp.body));
    assert.equal(doc.openapi, '3.0.1');
    assert.equal(doc.info.title, 'imported');
    assert.equal(doc.paths['/hello'].get['x-amazon-apigateway-integration'].type, 'mock');
    assert.ok(doc.components.schemas.Greeting);
    const sw = await apigw.send(new GetExportCommand({ restApiId: api.id, stageName: 'v1', exportType: 'swagger', accepts: 'application/yaml' }));
    assert.equal(sw.contentType, 'application/yaml');
    assert.match(new TextDecoder().decode(sw.body), /swagger: "?2\.0"?/);
    // PutRestApi overwrite replaces the resources.
    const spec2 = { openapi: '3.0.1', info: { title: 'imported', version: '2' }, paths: { '/bye': { post: {
      'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } } } } } };
    await apigw.send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: new TextEncoder().encode(JSON.stringify(spec2)) }));
    const after2 = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(after2.items.map((x) => x.path).sort(), ['/', '/bye']);
    await rejectsWith(apigw.send(new ImportRestApiCommand({ body: new TextEncoder().encode('{"not": "openapi"}') })),
      'BadRequestException', 400);
  });
});

describe('API Gateway HTTP APIs', () => {
  let s, v2, echo;
  before(async () => {
    s = await startStratus();
    v2 = new ApiGatewayV2Client(clientConfig(s));
    echo = await echoServer();
  });
  after(async () => {
    await echo.close();
    await s.stop();
  });

  test('CreateApi, GetApi(s), UpdateApi, DeleteApi', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'h', ProtocolType: 'HTTP', Tags: { a: 'b' } }));
    assert.match(api.ApiId, /^[a-z0-9]{10}$/);
    assert.equal(api.ApiEndpoint, `http://${api.ApiId}.execute-api.localhost:${s.port}`);
    assert.equal(api.RouteSelectionExpression, '$request.method $request.path');
    assert.equal(api.ApiKeySelectionExpression, '$request.header.x-api-key');
    assert.equal(api.DisableExecuteApiEndpoint, false);
    assert.deepEqual(api.Tags, { a: 'b' });
    const got = await v2.send(new GetApiCommand({ ApiId: api.ApiId }));
    assert.equal(got.Name, 'h');
    const list = await v2.send(new GetApisCommand({}));
    assert.ok(list.Items.some((x) => x.ApiId === api.ApiId));
    const upd = await v2.send(new UpdateApiCommand({ ApiId: api.ApiId, Name: 'h2', Description: 'x' }));
    assert.equal(upd.Name, 'h2');
    await v2.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    await rejectsWith(v2.send(new GetApiCommand({ ApiId: api.ApiId })), 'NotFoundException', 404);
    await rejectsWith(v2.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET' })), 'BadRequestException', 400);
  });

  test('routes: keys, conflicts, targets', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'r', ProtocolType: 'HTTP' }));
    const route = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}' }));
    assert.match(route.RouteId, /^[a-z0-9]{7}$/);
    assert.equal(route.AuthorizationType, 'NONE');
    assert.equal(route.ApiKeyRequired, false);
    await rejectsWith(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}' })), 'ConflictException', 409);
    await rejectsWith(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'FETCH /x' })), 'BadRequestException', 400);
    await rejectsWith(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /{proxy+}/x' })), 'BadRequestException', 400);
    await rejectsWith(v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /y', Target: 'integrations/nope' })),
      'BadRequestException', 400);
    await rejectsWith(v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: echo.url })),
      'BadRequestException', 400, /IntegrationMethod/);
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY', IntegrationUri: echo.url, PayloadFormatVersion: '1.0' }));
    assert.equal(integ.TimeoutInMillis, 30000);
    assert.equal(integ.ConnectionType, 'INTERNET');
    const upd = await v2.send(new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId, Target: `integrations/${integ.IntegrationId}` }));
    assert.equal(upd.Target, `integrations/${integ.IntegrationId}`);
    const routes = await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.equal(routes.Items.length, 1);
    const gi = await v2.send(new GetIntegrationCommand({ ApiId: api.ApiId, IntegrationId: integ.IntegrationId }));
    assert.equal(gi.IntegrationUri, echo.url);
    await rejectsWith(v2.send(new CreateAuthorizerV2Command({ ApiId: api.ApiId, Name: 'j', AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'] })), 'BadRequestException', 400);
  });

  test('data plane: $default auto-deploy, precedence, path parameters, HTTP_PROXY, 404', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'dp', ProtocolType: 'HTTP' }));
    const mk = async (path) => (await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY', IntegrationUri: `${echo.url}${path}` }))).IntegrationId;
    const exact = await mk('/exact');
    const param = await mk('/param/{id}');
    const greedy = await mk('/greedy/{proxy}');
    const dflt = await mk('/default');
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/special', Target: `integrations/${exact}` }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${param}` }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'ANY /items/{proxy+}', Target: `integrations/${greedy}` }));
    const stage = await v2.send(new CreateStageV2Command({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    assert.match(stage.DeploymentId, /^[a-z0-9]{6}$/);
    const base = `http://${api.ApiId}.execute-api.localhost:${s.port}`;
    let r = await request(`${base}/items/special`);
    assert.equal(r.status, 200);
    assert.equal(r.json().url, '/exact');
    assert.ok(r.headers['apigw-requestid']);
    r = await request(`${base}/items/42?x=1`);
    assert.equal(r.json().url, '/param/42?x=1');
    r = await request(`${base}/items/a/b`, { method: 'POST', body: 'hi' });
    assert.equal(r.json().url, '/greedy/a/b');
    assert.equal(r.json().body, 'hi');
    r = await request(`${base}/nothing`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { message: 'Not Found' });
    // A $default route catches the rest (auto-deploy picks it up at once).
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${dflt}` }));
    r = await request(`${base}/nothing`);
    assert.equal(r.json().url, '/default');
    const st = await v2.send(new GetStageV2Command({ ApiId: api.ApiId, StageName: '$default' }));
    assert.notEqual(st.DeploymentId, stage.DeploymentId);
    assert.match(st.LastDeploymentStatusMessage, /Successfully deployed stage with deployment ID/);
    // The path form of the invoke URL.
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/items/7`);
    assert.equal((await r.json()).url, '/param/7');
  });

  test('named stages need deployments; CORS preflight and response headers', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'cors', ProtocolType: 'HTTP', CorsConfiguration: {
      AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-token'],
      ExposeHeaders: ['x-backend'], MaxAge: 300, AllowCredentials: true } }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'GET', IntegrationUri: `${echo.url}/cors` }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /data', Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageV2Command({ ApiId: api.ApiId, StageName: 'dev' }));
    let r = await s.fetch(`/_aws/execute-api/${api.ApiId}/dev/data`);
    assert.equal(r.status, 404, 'a stage without a deployment serves nothing');
    await v2.send(new CreateDeploymentV2Command({ ApiId: api.ApiId, StageName: 'dev' }));
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/dev/data`, { headers: { origin: 'https://app.example' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(r.headers.get('access-control-expose-headers'), 'x-backend');
    const body = await r.json();
    assert.equal(body.url, '/cors');
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/dev/data`, { method: 'OPTIONS', headers: {
      origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-token' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(r.headers.get('access-control-allow-headers'), 'content-type,x-token');
    assert.equal(r.headers.get('access-control-max-age'), '300');
    // Browsers use the invoke host: its preflights are API Gateway's, not S3's or the core's.
    const h = await request(`http://${api.ApiId}.execute-api.localhost:${s.port}/dev/data`, { method: 'OPTIONS', headers: {
      origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    assert.equal(h.status, 204);
    assert.equal(h.headers['access-control-allow-origin'], 'https://app.example');
    assert.ok(h.headers['apigw-requestid']);
    // Origins not in the list get no CORS headers.
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/dev/data`, { method: 'OPTIONS', headers: {
      origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });

  test('quick create with a Target, HTTP_PROXY parameter mapping', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: `${echo.url}/quick` }));
    const st = await v2.send(new GetStageV2Command({ ApiId: api.ApiId, StageName: '$default' }));
    assert.equal(st.AutoDeploy, true);
    let r = await s.fetch(`/_aws/execute-api/${api.ApiId}/anything`);
    assert.equal(r.status, 200);
    assert.equal((await r.json()).url, '/quick');
    const m = await v2.send(new CreateApiCommand({ Name: 'map', ProtocolType: 'HTTP' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: m.ApiId, IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY', IntegrationUri: `${echo.url}/mapped`, RequestParameters: {
        'append:header.x-from-path': '$request.path.id', 'overwrite:querystring.q': 'fixed',
        'remove:header.x-secret': "''", 'overwrite:path': '/rewritten/$request.path.id' },
      ResponseParameters: { 200: { 'append:header.x-added': 'yes', 'overwrite:statuscode': '202' } } }));
    await v2.send(new CreateRouteCommand({ ApiId: m.ApiId, RouteKey: 'GET /m/{id}', Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageV2Command({ ApiId: m.ApiId, StageName: '$default', AutoDeploy: true }));
    r = await s.fetch(`/_aws/execute-api/${m.ApiId}/m/9?q=orig`, { headers: { 'x-secret': 's' } });
    assert.equal(r.status, 202);
    assert.equal(r.headers.get('x-added'), 'yes');
    const seen = await r.json();
    assert.equal(seen.url, '/rewritten/9?q=fixed');
    assert.equal(seen.headers['x-from-path'], '9');
    assert.equal(seen.headers['x-secret'], undefined);
  });

  test('ImportApi and ExportApi (OpenAPI 3)', async () => {
    const spec = {
      openapi: '3.0.1', info: { title: 'imported-http', version: '1' },
      paths: { '/pets/{id}': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET',
        uri: `${echo.url}/pets/{id}`, payloadFormatVersion: '1.0' } } } },
      'x-amazon-apigateway-cors': { allowOrigins: ['*'], allowMethods: ['GET'] },
    };
    const api = await v2.send(new ImportApiCommand({ Body: JSON.stringify(spec) }));
    assert.equal(api.Name, 'imported-http');
    assert.deepEqual(api.CorsConfiguration.AllowOrigins, ['*']);
    const routes = await v2.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.deepEqual(routes.Items.map((x) => x.RouteKey), ['GET /pets/{id}']);
    await v2.send(new CreateStageV2Command({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const r = await s.fetch(`/_aws/execute-api/${api.ApiId}/pets/5`);
    assert.equal((await r.json()).url, '/pets/5');
    const exp = await v2.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    const doc = JSON.parse(new TextDecoder().decode(exp.body));
    assert.equal(doc.openapi, '3.0.1');
    assert.equal(doc.paths['/pets/{id}'].get['x-amazon-apigateway-integration'].type, 'http_proxy');
    assert.deepEqual(doc['x-amazon-apigateway-cors'].allowOrigins, ['*']);
    const yaml = await v2.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML' }));
    assert.match(new TextDecoder().decode(yaml.body), /openapi: 3\.0\.1/);
  });
});
