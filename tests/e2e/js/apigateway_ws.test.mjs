// WebSocket APIs on a real WebSocket endpoint (the `ws` client) and the @connections management
// API through @aws-sdk/client-apigatewaymanagementapi at http://<api>.execute-api.localhost:<port>/<stage>.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand,
  CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { clientConfig, startStratus } from './harness.mjs';
import { localAgent, localLookup } from './apigateway_util.mjs';

// A client that remembers every message and the close event.
function connect(url, opts = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { lookup: localLookup, ...opts });
    const c = { ws, messages: [], waiters: [], closed: null };
    ws.on('message', (m) => {
      c.messages.push(m.toString());
      c.waiters.splice(0).forEach((w) => w());
    });
    ws.on('close', (code, reason) => {
      c.closed = { code, reason: reason.toString() };
      c.waiters.splice(0).forEach((w) => w());
    });
    ws.on('open', () => resolve(c));
    ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', reject);
  });
}
async function until(c, pred, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => { c.waiters.push(r); setTimeout(r, 50); });
  }
}

describe('API Gateway WebSocket APIs', () => {
  let s, v2, api;
  before(async () => {
    s = await startStratus();
    v2 = new ApiGatewayV2Client(clientConfig(s));
    api = await v2.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const mock = async (tmpl) => (await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK',
      RequestTemplates: { $default: tmpl }, TemplateSelectionExpression: '$default' }))).IntegrationId;
    const connectInt = await mock('{"statusCode": 200}');
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$connect', Target: `integrations/${connectInt}` }));
    const echoInt = await mock('{"statusCode": 200}');
    await v2.send(new CreateIntegrationResponseCommand({ ApiId: api.ApiId, IntegrationId: echoInt, IntegrationResponseKey: '$default',
      ResponseTemplates: { $default: '{"route": "$context.routeKey", "connectionId": "$context.connectionId", "type": "$context.eventType"}' } }));
    const route = await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'echo', Target: `integrations/${echoInt}`,
      RouteResponseSelectionExpression: '$default' }));
    await v2.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }));
    await v2.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'dev' }));
  });
  after(async () => {
    await s.stop();
  });

  const mgmt = () => new ApiGatewayManagementApiClient(clientConfig(s, {
    endpoint: `http://${api.ApiId}.execute-api.localhost:${s.port}/dev`,
    requestHandler: new NodeHttpHandler({ httpAgent: localAgent }) }));

  test('the API advertises a ws:// endpoint', () => {
    assert.equal(api.ApiEndpoint, `ws://${api.ApiId}.execute-api.localhost:${s.port}`);
    assert.equal(api.RouteSelectionExpression, '$request.body.action');
  });

  test('route selection, two-way routes, unknown routes', async () => {
    const c = await connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/dev`);
    c.ws.send(JSON.stringify({ action: 'echo', data: 1 }));
    await until(c, () => c.messages.length >= 1);
    const reply = JSON.parse(c.messages[0]);
    assert.equal(reply.route, 'echo');
    assert.equal(reply.type, 'MESSAGE');
    assert.match(reply.connectionId, /^[A-Za-z0-9_-]{15}=$/);
    // No route for the action and no $default route: AWS answers Forbidden on the socket.
    c.ws.send(JSON.stringify({ action: 'nope' }));
    await until(c, () => c.messages.length >= 2);
    const forbidden = JSON.parse(c.messages[1]);
    assert.equal(forbidden.message, 'Forbidden');
    assert.equal(forbidden.connectionId, reply.connectionId);
    assert.ok(forbidden.requestId);
    c.ws.close();
  });

  test('@connections: PostToConnection, GetConnection, DeleteConnection, GoneException', async () => {
    const c = await connect(`ws://${api.ApiId}.execute-api.localhost:${s.port}/dev`, { headers: { 'user-agent': 'ws-test' } });
    c.ws.send(JSON.stringify({ action: 'echo' }));
    await until(c, () => c.messages.length >= 1);
    const id = JSON.parse(c.messages[0]).connectionId;
    const client = mgmt();
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: new TextEncoder().encode('pushed from server') }));
    await until(c, () => c.messages.length >= 2);
    assert.equal(c.messages[1], 'pushed from server');
    const info = await client.send(new GetConnectionCommand({ ConnectionId: id }));
    assert.ok(info.ConnectedAt instanceof Date);
    assert.ok(info.LastActiveAt instanceof Date);
    assert.equal(info.Identity.SourceIp, '127.0.0.1');
    assert.equal(info.Identity.UserAgent, 'ws-test');
    // The plain endpoint works too (SigV4 scope execute-api).
    const plain = new ApiGatewayManagementApiClient(clientConfig(s));
    await plain.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'second' }));
    await until(c, () => c.messages.length >= 3);
    assert.equal(c.messages[2], 'second');
    await client.send(new DeleteConnectionCommand({ ConnectionId: id }));
    await until(c, () => c.closed !== null);
    await assert.rejects(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' })),
      (e) => e.name === 'GoneException' && e.$metadata.httpStatusCode === 410);
    await assert.rejects(client.send(new GetConnectionCommand({ ConnectionId: 'nope' })), (e) => e.name === 'GoneException');
  });

  test('messages above 128 KB close the connection (1009)', async () => {
    const c = await connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/dev`);
    c.ws.send('x'.repeat(129 * 1024));
    await until(c, () => c.closed !== null);
    assert.equal(c.closed.code, 1009);
  });

  test('connections idle for 10 minutes are closed (1001 Going away)', async () => {
    const c = await connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/dev`);
    c.ws.send(JSON.stringify({ action: 'echo' }));
    await until(c, () => c.messages.length >= 1);
    // Nine minutes of silence: still open.
    await s.fetch('/_stratus/clock', { method: 'POST', body: JSON.stringify({ advance: 540 }) });
    c.ws.send(JSON.stringify({ action: 'echo' }));
    await until(c, () => c.messages.length >= 2);
    assert.equal(c.closed, null);
    // Ten more minutes without a message: API Gateway closes the connection.
    await s.fetch('/_stratus/clock', { method: 'POST', body: JSON.stringify({ advance: 660 }) });
    await until(c, () => c.closed !== null, 60000);
    assert.equal(c.closed.code, 1001);
  });

  test('a $connect integration answering 403 refuses the handshake; unknown stages too', async () => {
    const other = await v2.send(new CreateApiCommand({ Name: 'closed', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
    const i = await v2.send(new CreateIntegrationCommand({ ApiId: other.ApiId, IntegrationType: 'MOCK',
      RequestTemplates: { $default: '{"statusCode": 403}' } }));
    await v2.send(new CreateRouteCommand({ ApiId: other.ApiId, RouteKey: '$connect', Target: `integrations/${i.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: other.ApiId, StageName: 'prod' }));
    await v2.send(new CreateDeploymentCommand({ ApiId: other.ApiId, StageName: 'prod' }));
    await assert.rejects(connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${other.ApiId}/prod`), (e) => e.status === 403);
    await assert.rejects(connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${other.ApiId}/nostage`), (e) => e.status === 403);
  });
});
