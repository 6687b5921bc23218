// Services start on first use in memory mode (as LocalStack's do): /_stratus/health says
// "available" until a request, a bus delivery or another service needs them, then "running".
// With --data-dir, --eager-services or LocalStack's EAGER_SERVICE_LOADING=1 all start at launch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SQSClient, CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, startStratus } from './harness.mjs';
import { ROLE, zipFiles } from './lambda_support.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const health = async (s) => (await (await s.fetch('/_stratus/health')).json()).services;

describe('lazy service start (in memory)', () => {
  let s;
  before(async () => { s = await startStratus({ dataDir: false }); });
  after(async () => { await s.stop(); });

  test('every service is "available" until first used', async () => {
    const h = await health(s);
    assert.ok(Object.keys(h).length >= 10, JSON.stringify(h));
    for (const [name, state] of Object.entries(h)) assert.equal(state, 'available', name);
  });

  test('a request starts its service and only that one', async () => {
    const me = await new STSClient(clientConfig(s)).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, '000000000000');
    const h = await health(s);
    assert.equal(h.sts, 'running');
    assert.equal(h.sqs, 'available');
    assert.equal(h.dynamodb, 'available');
  });

  test('reset with services never started', async () => {
    const r = await s.reset();
    assert.equal(r.status, 200);
    const sqs = new SQSClient(clientConfig(s));
    await sqs.send(new CreateQueueCommand({ QueueName: 'lazy' }));
    assert.equal((await health(s)).sqs, 'running');
    assert.equal((await s.reset()).status, 200);
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
  });

  test('Lambda starts CloudWatch Logs itself to deliver a function\'s log lines', async () => {
    const lambda = new LambdaClient(clientConfig(s));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'lazy-logs', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
      Code: { ZipFile: zipFiles({ 'index.js': "exports.handler = async () => { console.log('lazy-marker'); return 1; };" }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'lazy-logs' });
    assert.equal((await health(s)).logs, 'available');
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'lazy-logs' }));
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, undefined);
    let h;
    for (let i = 0; i < 200 && (h = await health(s)).logs !== 'running'; i++) await sleep(25);
    assert.equal(h.logs, 'running');
    const logs = new CloudWatchLogsClient(clientConfig(s));
    let found = false;
    for (let i = 0; i < 200 && !found; i++) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/lazy-logs', filterPattern: '"lazy-marker"' }));
      found = out.events.some((e) => e.message.includes('lazy-marker'));
      if (!found) await sleep(25);
    }
    assert.ok(found, 'the handler\'s console.log reached CloudWatch Logs');
  });
});

describe('eager start', () => {
  for (const [label, opts] of [
    ['--eager-services', { dataDir: false, args: ['--eager-services'] }],
    ['EAGER_SERVICE_LOADING=1', { dataDir: false, env: { EAGER_SERVICE_LOADING: '1' } }],
    ['--data-dir', {}],
  ]) {
    test(`${label}: every service is running at launch`, async () => {
      const s = await startStratus(opts);
      try {
        for (const [name, state] of Object.entries(await health(s))) assert.equal(state, 'running', name);
      } finally {
        await s.stop();
      }
    });
  }
});
