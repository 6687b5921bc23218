// API Gateway in front of real Lambda functions (node handlers run by Stratus's Lambda service):
// the REST proxy event (payload 1.0) and HTTP API payload 1.0/2.0 events field by field, response
// mapping and AWS's 502/500/504/503 answers, Lambda TOKEN/REQUEST authorizers with policies and
// caching, JWT authorizers against a JWKS, and WebSocket routes backed by Lambda.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import WebSocket from 'ws';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand,
  PutIntegrationCommand, PutMethodCommand, PutIntegrationResponseCommand, PutMethodResponseCommand, TestInvokeMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand as CreateAuthorizerV2Command, CreateIntegrationCommand,
  CreateRouteCommand, CreateStageCommand, CreateDeploymentCommand as CreateDeploymentV2Command, CreateRouteResponseCommand,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig, startStratus } from './harness.mjs';
import { localLookup, recorder, request, zip } from './apigateway_util.mjs';

const ROLE = 'arn:aws:iam::000000000000:role/apigw-test';
const uriOf = (fnArn) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`;

const FUNCTIONS = {
  echo: `exports.handler = async (event) => ({ statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-fn': 'echo' },
    multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
    body: JSON.stringify(event) });`,
  malformed: `exports.handler = async () => ({ statusCode: 200, body: { not: 'a string' } });`,
  thrower: `exports.handler = async () => { throw new Error('boom'); };`,
  slow: `exports.handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return { statusCode: 200, body: 'late' }; };`,
  plain: `exports.handler = async (event) => ({ message: 'hi', route: event.routeKey });`,
  text: `exports.handler = async () => 'just text';`,
  binary: `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' },
    body: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), isBase64Encoded: true });`,
  v2full: `exports.handler = async (event) => ({ statusCode: 201, headers: { 'x-a': 'b' }, cookies: ['c1=v1', 'c2=v2'],
    body: JSON.stringify({ got: event.body, b64: event.isBase64Encoded }) });`,
  authorizer: `const http = require('http');
    exports.handler = async (event) => {
      await new Promise((r) => { const q = http.request(process.env.RECORDER, { method: 'POST' }, (s) => { s.resume(); s.on('end', r); });
        q.on('error', r); q.end(JSON.stringify(event)); });
      const h = event.headers || {};
      const token = event.authorizationToken || h.authorization || h.Authorization || (event.queryStringParameters || {}).token;
      if (token === 'unauthorized') throw new Error('Unauthorized');
      if (token === 'broken') throw new Error('broken');
      if (event.version === '2.0' && process.env.SIMPLE === '1') return { isAuthorized: token === 'allow', context: { user: 'u-' + token } };
      const effect = token === 'deny' ? 'Deny' : 'Allow';
      return { principalId: 'user-' + token, policyDocument: { Version: '2012-10-17', Statement: [
        { Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn || event.routeArn }] },
        context: { tier: 'gold', n: 7, ok: true } };
    };`,
  ws: `const http = require('http');
    exports.handler = async (event) => {
      await new Promise((r) => { const q = http.request(process.env.RECORDER, { method: 'POST' }, (s) => { s.resume(); s.on('end', r); });
        q.on('error', r); q.end(JSON.stringify(event)); });
      if (event.requestContext.routeKey === '$connect' && (event.queryStringParameters || {}).reject) return { statusCode: 401 };
      return { statusCode: 200, body: JSON.stringify({ route: event.requestContext.routeKey, echo: event.body || null }) };
    };`,
};

// These suites need Stratus's Lambda service to run node handlers; without it they are skipped.
let lambdaReady = true;
const ltest = (name, fn) => test(name, (t) => (lambdaReady ? fn(t) : t.skip('Lambda functions cannot run here')));

describe('API Gateway with Lambda', () => {
  let s, lambda, apigw, v2, rec, fns = {};
  before(async () => {
    s = await startStratus();
    lambda = new LambdaClient(clientConfig(s));
    apigw = new APIGatewayClient(clientConfig(s));
    v2 = new ApiGatewayV2Client(clientConfig(s));
    rec = await recorder();
    try {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'probe', Runtime: 'nodejs20.x', Role: ROLE,
        Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': 'exports.handler = async () => 1;' }) } }));
    } catch (e) {
      if (e.$metadata && e.$metadata.httpStatusCode === 501) { lambdaReady = false; return; }
      throw e;
    }
    for (const [name, code] of Object.entries(FUNCTIONS)) {
      const env = { RECORDER: rec.url, SIMPLE: name === 'authorizer' ? '0' : '1' };
      const f = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE,
        Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': code }) }, Timeout: 10, Environment: { Variables: env } }));
      fns[name] = f.FunctionArn;
    }
    const simple = await lambda.send(new CreateFunctionCommand({ FunctionName: 'simpleauth', Runtime: 'nodejs20.x', Role: ROLE,
      Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': FUNCTIONS.authorizer }) },
      Environment: { Variables: { RECORDER: rec.url, SIMPLE: '1' } } }));
    fns.simpleauth = simple.FunctionArn;
    for (const name of Object.keys(fns)) {
      for (let i = 0; i < 100; i++) {
        const g = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
        if (g.Configuration.State === 'Active') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  after(async () => {
    await rec.close();
    await s.stop();
  });

  async function restProxy(fn, { timeoutInMillis, path = '{proxy+}', authorizerId, authType = 'NONE', variables } = {}) {
    const api = await apigw.send(new CreateRestApiCommand({ name: `rest-${fn}` }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: path }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'ANY', authorizationType: authType,
      authorizerId }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'ANY', type: 'AWS_PROXY',
      integrationHttpMethod: 'POST', uri: uriOf(fns[fn]), timeoutInMillis }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables }));
    return { api, res };
  }

  ltest('REST proxy event (payload 1.0) field by field', async () => {
    const { api, res } = await restProxy('echo', { variables: { color: 'blue' } });
    const r = await request(`http://${api.id}.execute-api.localhost:${s.port}/dev/hello/world?name=me&name=you&solo=1`, {
      method: 'POST', body: '{"a": 1}',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'v1', 'user-agent': 'test-agent/1.0', Accept: '*/*' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-fn'], 'echo');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    const e = r.json();
    assert.deepEqual(Object.keys(e), ['resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters',
      'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded']);
    assert.equal(e.resource, '/{proxy+}');
    assert.equal(e.path, '/hello/world');
    assert.equal(e.httpMethod, 'POST');
    // The client's header names, CloudFront's User-Agent spelling, X-Forwarded-* added.
    assert.equal(e.headers['Content-Type'], 'application/json');
    assert.equal(e.headers['X-Custom'], 'v1');
    assert.equal(e.headers['User-Agent'], 'test-agent/1.0');
    assert.equal(e.headers['X-Forwarded-For'], '127.0.0.1');
    assert.equal(e.headers.Host, `${api.id}.execute-api.localhost:${s.port}`);
    assert.match(e.headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(e.multiValueHeaders['X-Custom'], ['v1']);
    assert.deepEqual(e.queryStringParameters, { name: 'you', solo: '1' });
    assert.deepEqual(e.multiValueQueryStringParameters, { name: ['me', 'you'], solo: ['1'] });
    assert.deepEqual(e.pathParameters, { proxy: 'hello/world' });
    assert.deepEqual(e.stageVariables, { color: 'blue' });
    assert.equal(e.body, '{"a": 1}');
    assert.equal(e.isBase64Encoded, false);
    const c = e.requestContext;
    assert.equal(c.resourceId, res.id);
    assert.equal(c.resourcePath, '/{proxy+}');
    assert.equal(c.httpMethod, 'POST');
    assert.equal(c.path, '/dev/hello/world');
    assert.equal(c.accountId, '000000000000');
    assert.equal(c.protocol, 'HTTP/1.1');
    assert.equal(c.stage, 'dev');
    assert.equal(c.apiId, api.id);
    assert.equal(c.domainName, `${api.id}.execute-api.localhost`);
    assert.equal(c.domainPrefix, api.id);
    assert.equal(c.requestId, r.headers['x-amzn-requestid']);
    assert.match(c.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.ok(Math.abs(c.requestTimeEpoch - Date.now()) < 60000);
    assert.equal(c.identity.sourceIp, '127.0.0.1');
    assert.equal(c.identity.userAgent, 'test-agent/1.0');
    assert.equal(c.identity.cognitoIdentityPoolId, null);
    assert.equal(c.identity.accessKey, null);
    assert.equal('authorizer' in c, false);
    // No query string, no body: nulls, as AWS sends them.
    const g = (await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.id}/dev/x`)).json();
    assert.equal(g.queryStringParameters, null);
    assert.equal(g.multiValueQueryStringParameters, null);
    assert.equal(g.body, null);
  });

  ltest('REST: malformed responses and function errors are 502, timeouts 504', async () => {
    for (const fn of ['malformed', 'thrower']) {
      const { api } = await restProxy(fn);
      const r = await s.fetch(`/_aws/execute-api/${api.id}/dev/x`);
      assert.equal(r.status, 502, fn);
      assert.deepEqual(await r.json(), { message: 'Internal server error' });
    }
    const { api } = await restProxy('slow', { timeoutInMillis: 300 });
    const r = await s.fetch(`/_aws/execute-api/${api.id}/dev/x`);
    assert.equal(r.status, 504);
    assert.deepEqual(await r.json(), { message: 'Endpoint request timed out' });
  });

  ltest('REST: binary responses need binaryMediaTypes', async () => {
    const { api } = await restProxy('binary');
    let r = await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.id}/dev/img`);
    assert.equal(r.body, 'iVBORw==', 'without binary media types the base64 text is returned');
    const { UpdateRestApiCommand } = await import('@aws-sdk/client-api-gateway');
    await apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'add', path: '/binaryMediaTypes/image~1png' }] }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    r = await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.id}/dev/img`, { headers: { accept: 'image/png' } });
    assert.deepEqual([...r.raw], [0x89, 0x50, 0x4e, 0x47]);
  });

  ltest('REST AWS (non-proxy) Lambda integration with mapping templates', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'aws-int' }));
    const rid = api.rootResourceId;
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', authorizationType: 'NONE' }));
    await apigw.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', statusCode: '200' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', type: 'AWS',
      integrationHttpMethod: 'POST', uri: uriOf(fns.plain),
      requestTemplates: { 'application/json': '{"routeKey": "$input.path(\'$.name\')-$context.stage"}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: rid, httpMethod: 'POST', statusCode: '200',
      responseTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' } }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const r = await s.fetch(`/_aws/execute-api/${api.id}/dev/`, { method: 'POST', body: '{"name": "ann"}',
      headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { wrapped: { message: 'hi', route: 'ann-dev' } });
  });

  ltest('REST Lambda TOKEN authorizer: allow with context, deny, unauthorized, errors, caching', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'auth' }));
    const auth = await apigw.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'tok', type: 'TOKEN',
      authorizerUri: uriOf(fns.authorizer), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300 }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'ANY', authorizationType: 'CUSTOM',
      authorizerId: auth.id }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'ANY', type: 'AWS_PROXY',
      integrationHttpMethod: 'POST', uri: uriOf(fns.echo) }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const call = (token) => s.fetch(`/_aws/execute-api/${api.id}/dev/things/1`, token ? { headers: { Authorization: token } } : {});
    let r = await call('allow');
    assert.equal(r.status, 200);
    const e = await r.json();
    assert.equal(e.requestContext.authorizer.principalId, 'user-allow');
    assert.equal(e.requestContext.authorizer.tier, 'gold');
    assert.equal(e.requestContext.authorizer.n, 7);
    assert.equal(e.requestContext.authorizer.ok, true);
    assert.equal(typeof e.requestContext.authorizer.integrationLatency, 'number');
    const tokenEvent = rec.events.find((x) => x.type === 'TOKEN');
    assert.deepEqual(Object.keys(tokenEvent), ['type', 'authorizationToken', 'methodArn']);
    assert.equal(tokenEvent.authorizationToken, 'allow');
    assert.equal(tokenEvent.methodArn, `arn:aws:execute-api:us-east-1:000000000000:${api.id}/dev/GET/things/1`);
    // Cached for the TTL: a second call does not invoke the authorizer.
    const before = rec.events.length;
    r = await call('allow');
    assert.equal(r.status, 200);
    assert.equal(rec.events.length, before);
    r = await call('deny');
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-amzn-errortype'), 'AccessDeniedException');
    assert.deepEqual(await r.json(), { Message: 'User is not authorized to access this resource with an explicit deny' });
    r = await call('unauthorized');
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { message: 'Unauthorized' });
    r = await call(null);
    assert.equal(r.status, 401);
    r = await call('broken');
    assert.equal(r.status, 500);
    assert.deepEqual(await r.json(), { message: null });
    assert.equal(r.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException');
  });

  ltest('REST Lambda REQUEST authorizer gets the request', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'reqauth' }));
    const auth = await apigw.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'req', type: 'REQUEST',
      authorizerUri: uriOf(fns.authorizer), identitySource: 'method.request.querystring.token', authorizerResultTtlInSeconds: 0 }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET',
      authorizationType: 'CUSTOM', authorizerId: auth.id }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET',
      type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(fns.echo) }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    let r = await s.fetch(`/_aws/execute-api/${api.id}/dev/?token=allow`);
    assert.equal(r.status, 200);
    const ev = rec.events.filter((x) => x.type === 'REQUEST').at(-1);
    assert.equal(ev.methodArn, `arn:aws:execute-api:us-east-1:000000000000:${api.id}/dev/GET/`);
    assert.deepEqual(ev.queryStringParameters, { token: 'allow' });
    assert.equal(ev.httpMethod, 'GET');
    assert.equal(ev.requestContext.stage, 'dev');
    r = await s.fetch(`/_aws/execute-api/${api.id}/dev/`);
    assert.equal(r.status, 401, 'a missing identity source is Unauthorized without calling the function');
  });

  ltest('TestInvokeMethod through a Lambda proxy', async () => {
    const { api, res } = await restProxy('echo');
    const r = await apigw.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'ANY',
      pathWithQueryString: '/a/b?x=1', headers: { 'X-H': '1' } }));
    assert.equal(r.status, 200);
    const e = JSON.parse(r.body);
    assert.equal(e.requestContext.stage, 'test-invoke-stage');
    assert.deepEqual(e.pathParameters, { proxy: 'a/b' });
  });

  async function httpApi(fn, { version = '2.0', timeout, routeKey = 'ANY /{proxy+}', auth } = {}) {
    const api = await v2.send(new CreateApiCommand({ Name: `http-${fn}`, ProtocolType: 'HTTP' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
      IntegrationUri: fns[fn], PayloadFormatVersion: version, TimeoutInMillis: timeout }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: routeKey, Target: `integrations/${integ.IntegrationId}`, ...auth }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    return api;
  }

  ltest('HTTP API payload 2.0 event field by field', async () => {
    const api = await httpApi('echo', { routeKey: 'POST /items/{id}' });
    const r = await request(`http://${api.ApiId}.execute-api.localhost:${s.port}/items/42?a=1&a=2&b=3`, {
      method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json', Cookie: 'c1=v1; c2=v2', 'X-Multi': 'one',
        'user-agent': 'agent/2' } });
    assert.equal(r.status, 200);
    const e = r.json();
    assert.equal(e.version, '2.0');
    assert.equal(e.routeKey, 'POST /items/{id}');
    assert.equal(e.rawPath, '/items/42');
    assert.equal(e.rawQueryString, 'a=1&a=2&b=3');
    assert.deepEqual(e.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(e.headers['x-multi'], 'one');
    assert.equal(e.headers['content-type'], 'application/json');
    assert.equal(e.headers.cookie, undefined);
    assert.equal(e.headers['x-forwarded-for'], '127.0.0.1');
    assert.deepEqual(e.queryStringParameters, { a: '1,2', b: '3' });
    assert.deepEqual(e.pathParameters, { id: '42' });
    assert.equal(e.body, '{"x":1}');
    assert.equal(e.isBase64Encoded, false);
    assert.equal('stageVariables' in e, false);
    const c = e.requestContext;
    assert.equal(c.accountId, '000000000000');
    assert.equal(c.apiId, api.ApiId);
    assert.equal(c.domainName, `${api.ApiId}.execute-api.localhost`);
    assert.equal(c.domainPrefix, api.ApiId);
    assert.deepEqual(c.http, { method: 'POST', path: '/items/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'agent/2' });
    assert.equal(c.requestId, r.headers['apigw-requestid']);
    assert.equal(c.routeKey, 'POST /items/{id}');
    assert.equal(c.stage, '$default');
    assert.match(c.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof c.timeEpoch, 'number');
    assert.equal('authorizer' in c, false);
    // Binary bodies arrive base64-encoded.
    const b = (await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/items/1`, { method: 'POST',
      body: Buffer.from([0, 1, 2, 255]), headers: { 'content-type': 'application/octet-stream' } })).json();
    assert.equal(b.isBase64Encoded, true);
    assert.equal(b.body, Buffer.from([0, 1, 2, 255]).toString('base64'));
  });

  ltest('HTTP API 2.0 responses: inference, cookies, errors 500, timeout 503', async () => {
    let api = await httpApi('plain');
    let r = await s.fetch(`/_aws/execute-api/${api.ApiId}/anything`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), { message: 'hi', route: 'ANY /{proxy+}' });
    api = await httpApi('text');
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/x`);
    assert.equal(await r.text(), 'just text');
    api = await httpApi('v2full');
    r = await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/x`, { method: 'POST', body: 'hello' });
    assert.equal(r.status, 201);
    assert.equal(r.headers['x-a'], 'b');
    assert.deepEqual(r.headers['set-cookie'], ['c1=v1', 'c2=v2']);
    assert.deepEqual(r.json(), { got: 'hello', b64: false });
    api = await httpApi('thrower');
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/x`);
    assert.equal(r.status, 500);
    assert.deepEqual(await r.json(), { message: 'Internal Server Error' });
    api = await httpApi('slow', { timeout: 300 });
    r = await s.fetch(`/_aws/execute-api/${api.ApiId}/x`);
    assert.equal(r.status, 503);
    assert.deepEqual(await r.json(), { message: 'Service Unavailable' });
  });

  ltest('HTTP API payload 1.0 event', async () => {
    const api = await httpApi('echo', { version: '1.0', routeKey: 'GET /v1/{thing}' });
    const e = (await request(`http://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/v1/box?q=1&q=2`)).json();
    assert.equal(e.version, '1.0');
    assert.equal(e.resource, '/v1/{thing}');
    assert.equal(e.path, '/v1/box');
    assert.equal(e.httpMethod, 'GET');
    assert.deepEqual(e.queryStringParameters, { q: '2' });
    assert.deepEqual(e.multiValueQueryStringParameters, { q: ['1', '2'] });
    assert.deepEqual(e.pathParameters, { thing: 'box' });
    assert.equal(e.requestContext.stage, '$default');
    assert.equal(e.requestContext.resourcePath, '/v1/{thing}');
    assert.equal(e.isBase64Encoded, false);
  });

  ltest('HTTP API Lambda REQUEST authorizer with simple responses', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'simple-auth', ProtocolType: 'HTTP' }));
    const a = await v2.send(new CreateAuthorizerV2Command({ ApiId: api.ApiId, Name: 'simple', AuthorizerType: 'REQUEST',
      AuthorizerUri: uriOf(fns.simpleauth), AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'] }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
      IntegrationUri: fns.echo, PayloadFormatVersion: '2.0' }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /secure', Target: `integrations/${integ.IntegrationId}`,
      AuthorizationType: 'CUSTOM', AuthorizerId: a.AuthorizerId }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const call = (token) => s.fetch(`/_aws/execute-api/${api.ApiId}/secure`, token ? { headers: { authorization: token } } : {});
    let r = await call('allow');
    assert.equal(r.status, 200);
    const e = await r.json();
    assert.equal(e.requestContext.authorizer.lambda.user, 'u-allow');
    const ev = rec.events.filter((x) => x.version === '2.0' && x.type === 'REQUEST').at(-1);
    assert.deepEqual(ev.identitySource, ['allow']);
    assert.equal(ev.routeArn, `arn:aws:execute-api:us-east-1:000000000000:${api.ApiId}/$default/GET/secure`);
    assert.equal(ev.routeKey, 'GET /secure');
    r = await call('nope');
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { message: 'Forbidden' });
    r = await call(null);
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { message: 'Unauthorized' });
  });

  ltest('HTTP API JWT authorizer against a JWKS', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((req, res) => {
      res.writeHead(req.url === '/.well-known/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise((r) => jwks.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${jwks.address().port}`;
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = (claims, kid = 'k1') => {
      const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
      return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    try {
      const api = await v2.send(new CreateApiCommand({ Name: 'jwt', ProtocolType: 'HTTP' }));
      const a = await v2.send(new CreateAuthorizerV2Command({ ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-client'] } }));
      const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
        IntegrationUri: fns.echo, PayloadFormatVersion: '2.0' }));
      await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', Target: `integrations/${integ.IntegrationId}`,
        AuthorizationType: 'JWT', AuthorizerId: a.AuthorizerId }));
      await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /admin', Target: `integrations/${integ.IntegrationId}`,
        AuthorizationType: 'JWT', AuthorizerId: a.AuthorizerId, AuthorizationScopes: ['admin'] }));
      await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
      const call = (path, t) => s.fetch(`/_aws/execute-api/${api.ApiId}${path}`, t ? { headers: { authorization: `Bearer ${t}` } } : {});
      const good = token({ iss: issuer, aud: 'my-client', sub: 'user-1', exp: now + 600, scope: 'read write', groups: ['a', 'b'] });
      let r = await call('/me', good);
      assert.equal(r.status, 200);
      const e = await r.json();
      assert.equal(e.requestContext.authorizer.jwt.claims.sub, 'user-1');
      assert.equal(e.requestContext.authorizer.jwt.claims.exp, String(now + 600));
      assert.equal(e.requestContext.authorizer.jwt.claims.groups, '[a b]');
      assert.deepEqual(e.requestContext.authorizer.jwt.scopes, ['read', 'write']);
      r = await call('/me');
      assert.equal(r.status, 401);
      assert.deepEqual(await r.json(), { message: 'Unauthorized' });
      r = await call('/me', token({ iss: issuer, aud: 'my-client', exp: now - 10 }));
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate'), /error="invalid_token"/);
      r = await call('/me', token({ iss: issuer, aud: 'other', exp: now + 600 }));
      assert.equal(r.status, 401);
      r = await call('/me', token({ iss: 'http://evil', aud: 'my-client', exp: now + 600 }));
      assert.equal(r.status, 401);
      r = await call('/me', good.slice(0, -4) + 'AAAA');
      assert.equal(r.status, 401);
      r = await call('/admin', good);
      assert.equal(r.status, 403);
      assert.deepEqual(await r.json(), { message: 'Forbidden' });
      r = await call('/admin', token({ iss: issuer, client_id: 'my-client', exp: now + 600, scope: 'admin' }));
      assert.equal(r.status, 200);
    } finally {
      await new Promise((r) => jwks.close(r));
    }
  });

  ltest('WebSocket API with Lambda: $connect authorizer, events, two-way routes, $disconnect', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'ws-lambda', ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: uriOf(fns.ws) }));
    const auth = await v2.send(new CreateAuthorizerV2Command({ ApiId: api.ApiId, Name: 'wsauth', AuthorizerType: 'REQUEST',
      AuthorizerUri: uriOf(fns.authorizer), IdentitySource: ['route.request.querystring.token'] }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$connect', Target: `integrations/${integ.IntegrationId}`,
      AuthorizationType: 'CUSTOM', AuthorizerId: auth.AuthorizerId }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$disconnect', Target: `integrations/${integ.IntegrationId}` }));
    const send = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'send', Target: `integrations/${integ.IntegrationId}`,
      RouteResponseSelectionExpression: '$default' }));
    await v2.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: send.RouteId, RouteResponseKey: '$default' }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', StageVariables: { v: '1' } }));
    await v2.send(new CreateDeploymentV2Command({ ApiId: api.ApiId, StageName: 'prod' }));
    const url = (qs) => `ws://${api.ApiId}.execute-api.localhost:${s.port}/prod${qs}`;
    const open = (qs) => new Promise((resolve, reject) => {
      const ws = new WebSocket(url(qs), { lookup: localLookup });
      const msgs = [];
      ws.on('message', (m) => msgs.push(m.toString()));
      ws.on('open', () => resolve({ ws, msgs }));
      ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
      ws.on('error', reject);
    });
    await assert.rejects(open('?token=unauthorized'), (e) => e.status === 401);
    await assert.rejects(open('?token=deny'), (e) => e.status === 403);
    await assert.rejects(open(''), (e) => e.status === 401);
    await assert.rejects(open('?token=allow&reject=1'), (e) => e.status === 401);
    const c = await open('?token=allow');
    const connectEvent = rec.events.filter((x) => x.requestContext && x.requestContext.eventType === 'CONNECT').at(-1);
    assert.equal(connectEvent.requestContext.routeKey, '$connect');
    assert.equal(connectEvent.requestContext.authorizer.principalId, 'user-allow');
    assert.equal(connectEvent.requestContext.authorizer.tier, 'gold');
    assert.deepEqual(connectEvent.queryStringParameters, { token: 'allow' });
    assert.equal(connectEvent.requestContext.stage, 'prod');
    assert.deepEqual(connectEvent.stageVariables, { v: '1' });
    assert.equal(connectEvent.isBase64Encoded, false);
    const connectionId = connectEvent.requestContext.connectionId;
    c.ws.send(JSON.stringify({ action: 'send', text: 'hello' }));
    for (let i = 0; i < 100 && c.msgs.length < 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(JSON.parse(c.msgs[0]), { route: 'send', echo: JSON.stringify({ action: 'send', text: 'hello' }) });
    const msgEvent = rec.events.filter((x) => x.requestContext && x.requestContext.eventType === 'MESSAGE').at(-1);
    assert.equal(msgEvent.requestContext.connectionId, connectionId);
    assert.equal(msgEvent.requestContext.messageDirection, 'IN');
    assert.match(msgEvent.requestContext.messageId, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(msgEvent.requestContext.authorizer.principalId, 'user-allow');
    // $default route without a route response: nothing is sent back.
    c.ws.send('not json');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.msgs.length, 1);
    c.ws.close(1000);
    for (let i = 0; i < 100 && !rec.events.some((x) => x.requestContext && x.requestContext.eventType === 'DISCONNECT'); i++)
      await new Promise((r) => setTimeout(r, 50));
    const bye = rec.events.find((x) => x.requestContext && x.requestContext.eventType === 'DISCONNECT');
    assert.equal(bye.requestContext.routeKey, '$disconnect');
    assert.equal(bye.requestContext.connectionId, connectionId);
    assert.equal(typeof bye.requestContext.disconnectStatusCode, 'number');
  });
});
