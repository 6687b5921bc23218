// End-to-end EventBridge throughput: PutEvents (10 entries a request) over keep-alive connections,
// 1,000 non-matching rules plus one rule matching every event, an SQS target; the clock stops when
// the queue holds every message. The target is >= 10k entries/s. Requests are written by
// hand (default auth mode accepts any signature) so the client does not measure the JS SDK.
//
//   STRATUS_BIN=build/stratus node tests/bench/events_bench.mjs [entries=50000] [connections=16] [rules=1000]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startStratus } from '../e2e/js/harness.mjs';

const total = Number(process.argv[2] || 50000);
const connections = Number(process.argv[3] || 16);
const otherRules = Number(process.argv[4] || 1000);

const s = await startStratus({ dataDir: false });
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const call = (service, target, body) =>
  new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port: s.port, method: 'POST', path: '/', agent,
      headers: {
        'Content-Type': service === 'sqs' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
        'X-Amz-Target': target,
        'Content-Length': Buffer.byteLength(data),
        Authorization: `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
      },
    }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(b || '{}')) : reject(new Error(`${res.statusCode} ${b}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
const cpuSeconds = () => {
  const f = readFileSync(`/proc/${s.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;  // utime + stime, in clock ticks (100 Hz)
};

try {
  const { QueueUrl } = await call('sqs', 'AmazonSQS.CreateQueue', { QueueName: 'bench' });
  const { Attributes } = await call('sqs', 'AmazonSQS.GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
  for (let i = 0; i < otherRules; i++)
    await call('events', 'AWSEvents.PutRule', { Name: `other-${i}`, EventPattern: JSON.stringify({ source: [`other.${i % 100}`], detail: { n: [{ numeric: ['>', i] }] } }) });
  await call('events', 'AWSEvents.PutRule', { Name: 'bench', EventPattern: JSON.stringify({ source: ['bench'], detail: { kind: ['order'] } }) });
  await call('events', 'AWSEvents.PutTargets', { Rule: 'bench', Targets: [{ Id: 'q', Arn: Attributes.QueueArn }] });

  const detail = JSON.stringify({ kind: 'order', amount: 42, customer: { id: 'c-1', tier: 'gold' }, items: [{ sku: 'a', qty: 2 }] });
  const Entries = Array.from({ length: 10 }, () => ({ Source: 'bench', DetailType: 'OrderPlaced', Detail: detail }));
  let sent = 0;
  const cpu0 = cpuSeconds();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (sent < total) {
      sent += 10;
      const r = await call('events', 'AWSEvents.PutEvents', { Entries });
      if (r.FailedEntryCount) throw new Error(JSON.stringify(r.Entries));
    }
  }));
  const putDone = process.hrtime.bigint();
  for (;;) {
    const a = await call('sqs', 'AmazonSQS.GetQueueAttributes', { QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] });
    if (Number(a.Attributes.ApproximateNumberOfMessages) >= sent) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const delivered = process.hrtime.bigint();
  const secs = (t) => Number(t - started) / 1e9;
  const cpu = cpuSeconds() - cpu0;
  console.log(JSON.stringify({
    entries: sent, connections, rules: otherRules + 1,
    put_entries_per_s: Math.round(sent / secs(putDone)),
    end_to_end_entries_per_s: Math.round(sent / secs(delivered)),
    server_cpu_s: Number(cpu.toFixed(2)),
    entries_per_server_cpu_s: Math.round(sent / cpu),
  }));
} finally {
  agent.destroy();
  await s.stop();
}
