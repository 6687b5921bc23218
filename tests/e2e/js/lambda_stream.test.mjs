// Response streaming (InvokeWithResponseStream, RESPONSE_STREAM function URLs) and function URLs
// through the JS SDK v3 and plain fetch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { clientConfig, startStratus } from './harness.mjs';
import { hostRequest, ROLE, zipFiles } from './lambda_support.mjs';

let s, lambda;
before(async () => {
  s = await startStratus({ dataDir: false });
  lambda = new LambdaClient(clientConfig(s));
});
after(async () => {
  await s?.stop();
});

const create = (name, source, extra = {}) =>
  lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipFiles({ 'index.js': source }) }, ...extra,
  }));

async function collect(r) {
  const chunks = [];
  let complete;
  for await (const ev of r.EventStream) {
    if (ev.PayloadChunk) chunks.push(Buffer.from(ev.PayloadChunk.Payload).toString());
    if (ev.InvokeComplete) complete = ev.InvokeComplete;
  }
  return { text: chunks.join(''), chunks, complete };
}

test('InvokeWithResponseStream streams a streamifyResponse handler', async () => {
  await create('streamer', `
    exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
      responseStream.setContentType('text/plain');
      for (let i = 0; i < 3; i++) responseStream.write('part' + i + ';');
      responseStream.end();
    });`);
  const r = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: '{}' }));
  assert.equal(r.StatusCode, 200);
  assert.equal(r.ExecutedVersion, '$LATEST');
  const { text, complete } = await collect(r);
  assert.equal(text, 'part0;part1;part2;');
  assert.ok(complete, 'an InvokeComplete event ends the stream');
  assert.equal(complete.ErrorCode, undefined);
});

test('InvokeWithResponseStream of a buffered handler and of a failing handler', async () => {
  await create('buffered', 'exports.handler = async (e) => ({ got: e });');
  let r = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'buffered', Payload: '{"a":1}' }));
  let out = await collect(r);
  assert.deepEqual(JSON.parse(out.text), { got: { a: 1 } });
  await create('stream-fail', `
    exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
      responseStream.write('before;');
      throw new Error('mid-stream');
    });`);
  r = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-fail', Payload: '{}' }));
  out = await collect(r);
  assert.equal(out.text, 'before;');
  assert.equal(out.complete.ErrorCode, 'Error');
  assert.equal(JSON.parse(out.complete.ErrorDetails).errorMessage, 'mid-stream');
  await assert.rejects(
    lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'missing', Payload: '{}' })),
    (e) => e.name === 'ResourceNotFoundException' && e.$metadata.httpStatusCode === 404,
  );
});

test('function URLs: buffered (payload 2.0) and RESPONSE_STREAM with HttpResponseStream', async () => {
  await create('url-buffered', `
    exports.handler = async (event) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-path': event.rawPath },
      cookies: ['a=1; Path=/'],
      body: JSON.stringify({ method: event.requestContext.http.method, qs: event.queryStringParameters, body: event.body,
                             isBase64Encoded: event.isBase64Encoded }),
    });`);
  const u = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-buffered', AuthType: 'NONE' }));
  assert.equal(u.$metadata.httpStatusCode, 201);
  const host = new URL(u.FunctionUrl).host;
  let res = await hostRequest(s.endpoint, host, '/x/y?k=v', { method: 'PUT', body: 'plain text', headers: { 'content-type': 'text/plain' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-path'], '/x/y');
  assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/']);
  assert.deepEqual(res.json(), { method: 'PUT', qs: { k: 'v' }, body: 'plain text', isBase64Encoded: false });

  await create('url-stream', `
    exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
      const http = awslambda.HttpResponseStream.from(responseStream, { statusCode: 202, headers: { 'x-stream': 'yes' } });
      http.write('hello ');
      http.end('stream');
    });`);
  const su = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-stream', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
  assert.equal(su.InvokeMode, 'RESPONSE_STREAM');
  res = await hostRequest(s.endpoint, new URL(su.FunctionUrl).host);
  assert.equal(res.status, 202);
  assert.equal(res.headers['x-stream'], 'yes');
  assert.equal(res.text, 'hello stream');

  res = await hostRequest(s.endpoint, 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.localhost');
  assert.equal(res.status, 403);
  assert.deepEqual(res.json(), { Message: 'Forbidden' });
});

test('AWS_IAM function URLs require a signature', async () => {
  await create('url-iam', 'exports.handler = async (e) => ({ statusCode: 200, body: e.requestContext.authorizer.iam.accountId });');
  const u = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-iam', AuthType: 'AWS_IAM' }));
  const host = new URL(u.FunctionUrl).host;
  let res = await hostRequest(s.endpoint, host);
  assert.equal(res.status, 403);
  res = await hostRequest(s.endpoint, host, '/', {
    headers: { authorization: 'AWS4-HMAC-SHA256 Credential=123456789012/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' },
  });
  assert.equal(res.status, 200);
  assert.equal(res.text, '123456789012');
});
