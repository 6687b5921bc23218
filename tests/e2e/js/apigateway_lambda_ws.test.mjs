// A WebSocket chat on API Gateway backed by real Lambda functions, node and python: $connect,
// $disconnect, $default and custom route keys, and the handlers pushing to clients through the
// @connections API with their own SDK (ApiGatewayManagementApi), which finds Stratus through the
// AWS_ENDPOINT_URL the Lambda runtime injects — the way a deployed chat app calls
// https://<api>.execute-api.<region>.amazonaws.com/<stage>/@connections/<id>.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { ROOT, clientConfig, startStratus } from './harness.mjs';
import { localLookup, recorder, zip } from './apigateway_util.mjs';

const ROLE = 'arn:aws:iam::000000000000:role/apigw-ws';
const SDK = join(ROOT, 'tests', 'e2e', 'node_modules', '@aws-sdk', 'client-apigatewaymanagementapi');

// The node chat handler: the SDK client takes its endpoint from AWS_ENDPOINT_URL (no endpoint option).
const NODE_CHAT = `const http = require('http');
const { ApiGatewayManagementApiClient, PostToConnectionCommand, GetConnectionCommand, DeleteConnectionCommand } = require(${JSON.stringify(SDK)});
const mgmt = new ApiGatewayManagementApiClient({});
const record = (event) => new Promise((r) => { const q = http.request(process.env.RECORDER, { method: 'POST' }, (s) => { s.resume(); s.on('end', r); });
  q.on('error', r); q.end(JSON.stringify(event)); });
const post = (id, data) => mgmt.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify(data) }));
exports.handler = async (event) => {
  const { routeKey, connectionId } = event.requestContext;
  if (routeKey === '$connect' || routeKey === '$disconnect') { await record(event); return { statusCode: 200 }; }
  if (routeKey === '$default') { await post(connectionId, { unrouted: event.body }); return { statusCode: 200 }; }
  const msg = JSON.parse(event.body);
  if (routeKey === 'whoami') {
    const info = await mgmt.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    await post(connectionId, { me: connectionId, ip: info.Identity.SourceIp, connectedAt: info.ConnectedAt.toISOString() });
  } else if (routeKey === 'send') {
    try {
      await post(msg.to, { from: connectionId, text: msg.text });
    } catch (e) {
      await post(connectionId, { error: e.name, status: e.$metadata && e.$metadata.httpStatusCode });
    }
  } else if (routeKey === 'kick') {
    await mgmt.send(new DeleteConnectionCommand({ ConnectionId: msg.who }));
  }
  return { statusCode: 200 };
};`;

// The python chat handler: boto3 with the stage in the endpoint URL, as AWS's samples build it
// (https://<domain>/<stage>), on the local endpoint.
const PY_CHAT = `import json, os, urllib.request
import boto3

def mgmt(event):
    return boto3.client("apigatewaymanagementapi", endpoint_url=os.environ["AWS_ENDPOINT_URL"] + "/" + event["requestContext"]["stage"])

def handler(event, context):
    rc = event["requestContext"]
    if rc["eventType"] != "MESSAGE":
        urllib.request.urlopen(urllib.request.Request(os.environ["RECORDER"], data=json.dumps(event).encode(), method="POST")).read()
        return {"statusCode": 200}
    msg = json.loads(event["body"])
    client = mgmt(event)
    if rc["routeKey"] == "event":
        client.post_to_connection(ConnectionId=rc["connectionId"], Data=json.dumps(event).encode())
    elif rc["routeKey"] == "send":
        try:
            client.post_to_connection(ConnectionId=msg["to"], Data=json.dumps({"from": rc["connectionId"], "text": msg["text"]}).encode())
        except client.exceptions.GoneException as e:
            client.post_to_connection(ConnectionId=rc["connectionId"],
                                      Data=json.dumps({"error": "GoneException", "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}).encode())
    return {"statusCode": 200}
`;

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { lookup: localLookup, headers: { 'user-agent': 'chat-client/1' } });
    const c = { ws, messages: [], closed: null };
    ws.on('message', (m) => c.messages.push(m.toString()));
    ws.on('close', (code) => (c.closed = code));
    ws.on('open', () => resolve(c));
    ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', reject);
  });
}
// Waits for the n-th message (1-based) without a deadline of its own: the test runner's timeout bounds it.
async function nth(c, n) {
  while (c.messages.length < n) await new Promise((r) => setTimeout(r, 20));
  return JSON.parse(c.messages[n - 1]);
}
async function closed(c) {
  while (c.closed === null) await new Promise((r) => setTimeout(r, 20));
  return c.closed;
}

describe('WebSocket chat through Lambda handlers and @connections', () => {
  let s, lambda, v2, rec;
  const fns = {};
  before(async () => {
    s = await startStratus();
    lambda = new LambdaClient(clientConfig(s));
    v2 = new ApiGatewayV2Client(clientConfig(s));
    rec = await recorder();
    const make = async (name, runtime, handler, file, code) => {
      const f = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Role: ROLE, Handler: handler,
        Code: { ZipFile: zip({ [file]: code }) }, Timeout: 30, Environment: { Variables: { RECORDER: rec.url } } }));
      fns[name] = f.FunctionArn;
      for (let i = 0; ; i++) {
        const g = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
        if (g.Configuration.State === 'Active') break;
        if (i === 2000) throw new Error(`function ${name} never became Active`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await make('nodechat', 'nodejs20.x', 'index.handler', 'index.js', NODE_CHAT);
    await make('pychat', 'python3.12', 'app.handler', 'app.py', PY_CHAT);
  });
  after(async () => {
    await rec.close();
    await s.stop();
  });

  async function chatApi(fn, routes, stage) {
    const api = await v2.send(new CreateApiCommand({ Name: `chat-${fn}`, ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
      IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fns[fn]}/invocations` }));
    for (const key of routes)
      await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: key, Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: stage }));
    await v2.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: stage }));
    return api;
  }

  test('node handler: GetConnection, PostToConnection between clients, GoneException, DeleteConnection', async () => {
    const api = await chatApi('nodechat', ['$connect', '$disconnect', '$default', 'whoami', 'send', 'kick'], 'prod');
    const url = `ws://${api.ApiId}.execute-api.localhost:${s.port}/prod`;
    const alice = await connect(url);
    const bob = await connect(`ws://127.0.0.1:${s.port}/_aws/execute-api/${api.ApiId}/prod`);
    alice.ws.send(JSON.stringify({ action: 'whoami' }));
    bob.ws.send(JSON.stringify({ action: 'whoami' }));
    const a = await nth(alice, 1), b = await nth(bob, 1);
    assert.match(a.me, /^[A-Za-z0-9_-]{15}=$/);
    assert.notEqual(a.me, b.me);
    assert.equal(a.ip, '127.0.0.1');
    assert.ok(Math.abs(Date.parse(a.connectedAt) - Date.now()) < 600000);
    // The $connect events the handler saw carry the same connection ids.
    const connects = rec.events.filter((e) => e.requestContext.apiId === api.ApiId && e.requestContext.eventType === 'CONNECT');
    assert.deepEqual(connects.map((e) => e.requestContext.connectionId).sort(), [a.me, b.me].sort());
    for (const e of connects) {
      assert.equal(e.requestContext.routeKey, '$connect');
      assert.equal(e.requestContext.stage, 'prod');
      assert.equal(e.requestContext.identity.sourceIp, '127.0.0.1');
      assert.equal(e.headers['User-Agent'] ?? e.headers['user-agent'], 'chat-client/1');
      assert.equal(e.isBase64Encoded, false);
    }
    // Alice → Bob through the handler.
    alice.ws.send(JSON.stringify({ action: 'send', to: b.me, text: 'hi bob' }));
    assert.deepEqual(await nth(bob, 2), { from: a.me, text: 'hi bob' });
    // No route for the action: $default.
    alice.ws.send('plain text');
    assert.deepEqual(await nth(alice, 2), { unrouted: 'plain text' });
    // Bob leaves: $disconnect reaches the handler, and posting to him is GoneException (410).
    bob.ws.close(1000);
    while (!rec.events.some((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === b.me))
      await new Promise((r) => setTimeout(r, 20));
    const bye = rec.events.find((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === b.me);
    assert.equal(bye.requestContext.routeKey, '$disconnect');
    assert.equal(bye.requestContext.disconnectStatusCode, 1000);
    alice.ws.send(JSON.stringify({ action: 'send', to: b.me, text: 'still there?' }));
    assert.deepEqual(await nth(alice, 3), { error: 'GoneException', status: 410 });
    // A handler can close another client's connection.
    const carol = await connect(url);
    carol.ws.send(JSON.stringify({ action: 'whoami' }));
    const c = await nth(carol, 1);
    alice.ws.send(JSON.stringify({ action: 'kick', who: c.me }));
    assert.equal(await closed(carol), 1000);
    alice.ws.close();
  });

  test('python handler: its own MESSAGE event pushed back to the client, field by field', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'chat-py', ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action' }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
      IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fns.pychat}/invocations` }));
    for (const key of ['$connect', '$disconnect', 'event', 'send'])
      await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: key, Target: `integrations/${integ.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'live', StageVariables: { color: 'red' } }));
    await v2.send(new CreateDeploymentCommand({ ApiId: api.ApiId, StageName: 'live' }));
    const c = await connect(`ws://${api.ApiId}.execute-api.localhost:${s.port}/live?room=1`);
    const body = JSON.stringify({ action: 'event', n: 1 });
    c.ws.send(body);
    const e = await nth(c, 1);
    // AWS's documented MESSAGE event: requestContext with the route, ids and times; body as sent.
    assert.deepEqual(Object.keys(e).sort(), ['body', 'isBase64Encoded', 'requestContext', 'stageVariables']);
    assert.equal(e.body, body);
    assert.equal(e.isBase64Encoded, false);
    assert.deepEqual(e.stageVariables, { color: 'red' });
    const rc = e.requestContext;
    assert.equal(rc.routeKey, 'event');
    assert.equal(rc.eventType, 'MESSAGE');
    assert.equal(rc.messageDirection, 'IN');
    assert.match(rc.messageId, /^[A-Za-z0-9_-]{15}=$/);
    assert.match(rc.connectionId, /^[A-Za-z0-9_-]{15}=$/);
    assert.equal(rc.stage, 'live');
    assert.equal(rc.apiId, api.ApiId);
    assert.equal(rc.domainName, `${api.ApiId}.execute-api.localhost`);
    assert.equal(typeof rc.connectedAt, 'number');
    assert.equal(typeof rc.requestTimeEpoch, 'number');
    assert.match(rc.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(rc.identity.sourceIp, '127.0.0.1');
    assert.ok(rc.requestId);
    assert.ok(rc.extendedRequestId);
    // $connect: headers, query string, stage variables.
    const con = rec.events.find((x) => x.requestContext.apiId === api.ApiId && x.requestContext.eventType === 'CONNECT');
    assert.equal(con.requestContext.connectionId, rc.connectionId);
    assert.deepEqual(con.queryStringParameters, { room: '1' });
    assert.deepEqual(con.multiValueQueryStringParameters, { room: ['1'] });
    assert.equal(con.headers.Host, `${api.ApiId}.execute-api.localhost:${s.port}`);
    assert.ok(con.headers['Sec-WebSocket-Key']);
    assert.deepEqual(con.multiValueHeaders.Host, [con.headers.Host]);
    // Posting to a connection that is gone, from python.
    c.ws.send(JSON.stringify({ action: 'send', to: 'AAAAAAAAAAAAAAA=', text: 'x' }));
    assert.deepEqual(await nth(c, 2), { error: 'GoneException', status: 410 });
    c.ws.close(4001, 'done');
    while (!rec.events.some((x) => x.requestContext.apiId === api.ApiId && x.requestContext.eventType === 'DISCONNECT'))
      await new Promise((r) => setTimeout(r, 20));
    const bye = rec.events.find((x) => x.requestContext.apiId === api.ApiId && x.requestContext.eventType === 'DISCONNECT');
    assert.equal(bye.requestContext.disconnectStatusCode, 4001);
    assert.equal(bye.requestContext.disconnectReason, 'done');
  });
});
