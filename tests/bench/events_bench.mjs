// End-to-end EventBridge throughput: PutEvents (10 entries a request) from concurrent clients, one
// rule matching every event, an SQS target; the clock stops when the queue holds every message.
// The target is >= 10k entries/s.
//
//   STRATUS_BIN=build/stratus node tests/bench/events_bench.mjs [entries=50000] [concurrency=16] [rules=1000]
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { clientConfig, ROOT, startStratus } from '../e2e/js/harness.mjs';

// The SDK is installed for the e2e suites.
const require = createRequire(`${ROOT}/tests/e2e/package.json`);
const { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } = require('@aws-sdk/client-eventbridge');
const { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } = require('@aws-sdk/client-sqs');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

const total = Number(process.argv[2] || 50000);
const concurrency = Number(process.argv[3] || 16);
const otherRules = Number(process.argv[4] || 1000);

const s = await startStratus({ dataDir: false, env: { STRATUS_LOG_LEVEL: 'warn' } });
try {
  const handler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) });
  const eb = new EventBridgeClient(clientConfig(s, { requestHandler: handler }));
  const sqs = new SQSClient(clientConfig(s, { requestHandler: handler }));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }))).QueueUrl;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes.QueueArn;
  // Rules that do not match the benchmark's events, so the bus has realistic work to skip.
  for (let i = 0; i < otherRules; i++)
    await eb.send(new PutRuleCommand({ Name: `other-${i}`, EventPattern: JSON.stringify({ source: [`other.${i % 100}`], detail: { n: [{ numeric: ['>', i] }] } }) }));
  await eb.send(new PutRuleCommand({ Name: 'bench', EventPattern: JSON.stringify({ source: ['bench'], detail: { kind: ['order'] } }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'q', Arn: arn }] }));

  const detail = JSON.stringify({ kind: 'order', amount: 42, customer: { id: 'c-1', tier: 'gold' }, items: [{ sku: 'a', qty: 2 }] });
  const batch = Array.from({ length: 10 }, () => ({ Source: 'bench', DetailType: 'OrderPlaced', Detail: detail }));
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < total) {
      sent += 10;
      const r = await eb.send(new PutEventsCommand({ Entries: batch }));
      if (r.FailedEntryCount) throw new Error(JSON.stringify(r.Entries));
    }
  }));
  const putDone = process.hrtime.bigint();
  for (;;) {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes;
    if (Number(a.ApproximateNumberOfMessages) >= sent) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const delivered = process.hrtime.bigint();
  const secs = (t) => Number(t - started) / 1e9;
  console.log(JSON.stringify({
    entries: sent, concurrency, rules: otherRules + 1,
    put_entries_per_s: Math.round(sent / secs(putDone)),
    end_to_end_entries_per_s: Math.round(sent / secs(delivered)),
    seconds: Number(secs(delivered).toFixed(2)),
  }));
} finally {
  await s.stop();
}
