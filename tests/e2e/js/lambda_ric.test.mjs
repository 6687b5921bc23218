// Conformance: AWS's own Node.js runtime interface client (npm aws-lambda-ric, pinned in
// tests/e2e/package.json) runs a handler against Stratus's Runtime API unchanged, as the
// entrypoint of a provided.al2023 function.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig, startStratus } from './harness.mjs';
import { decode, ROLE, zipFiles } from './lambda_support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RIC = resolve(here, '..', 'node_modules', 'aws-lambda-ric', 'bin', 'index.mjs');
// The client's native half (rapid-client.node) is built by node-gyp at install time.
const available = existsSync(RIC) && existsSync(resolve(dirname(RIC), '..', 'dist', 'rapid-client.node'));

let s, lambda;
before(async () => {
  if (!available) return;
  s = await startStratus({ dataDir: false });
  lambda = new LambdaClient(clientConfig(s));
  const bootstrap = `#!/bin/sh\nexec "${process.execPath}" "${RIC}" "$_HANDLER"\n`;
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'ric', Runtime: 'provided.al2023', Role: ROLE, Handler: 'index.handler', Timeout: 10,
    Code: {
      ZipFile: zipFiles({
        bootstrap: { content: bootstrap, mode: 0o755 },
        'index.js': `
          exports.handler = async (event, context) => {
            console.log('from ric', JSON.stringify(event));
            if (event.fail) throw new TypeError('ric failure');
            return { ok: true, event, requestId: context.awsRequestId, fn: context.functionName,
                     remaining: context.getRemainingTimeInMillis(), client: context.clientContext };
          };`,
      }),
    },
  }));
});
after(async () => {
  await s?.stop();
});

test('aws-lambda-ric answers invocations through Stratus', { skip: !available && 'aws-lambda-ric is not installed' }, async () => {
  const cc = Buffer.from(JSON.stringify({ custom: { via: 'ric' } })).toString('base64');
  const r = await lambda.send(new InvokeCommand({ FunctionName: 'ric', Payload: '{"x":1}', LogType: 'Tail', ClientContext: cc }));
  assert.equal(r.StatusCode, 200);
  assert.equal(r.FunctionError, undefined, decode(r.Payload));
  const body = JSON.parse(decode(r.Payload));
  assert.equal(body.ok, true);
  assert.deepEqual(body.event, { x: 1 });
  assert.equal(body.requestId, r.$metadata.requestId);
  assert.equal(body.fn, 'ric');
  assert.ok(body.remaining > 0 && body.remaining <= 10000);
  assert.deepEqual(body.client.custom, { via: 'ric' });
  const tail = Buffer.from(r.LogResult, 'base64').toString();
  assert.match(tail, new RegExp(`\\t${body.requestId}\\tINFO\\tfrom ric {"x":1}`));
});

test('aws-lambda-ric errors are reported as function errors', { skip: !available && 'aws-lambda-ric is not installed' }, async () => {
  const r = await lambda.send(new InvokeCommand({ FunctionName: 'ric', Payload: '{"fail":true}' }));
  assert.equal(r.FunctionError, 'Unhandled');
  const body = JSON.parse(decode(r.Payload));
  assert.equal(body.errorType, 'TypeError');
  assert.equal(body.errorMessage, 'ric failure');
  // Warm: the same environment keeps answering after an error.
  const again = await lambda.send(new InvokeCommand({ FunctionName: 'ric', Payload: '{"x":2}' }));
  assert.equal(JSON.parse(decode(again.Payload)).event.x, 2);
});
