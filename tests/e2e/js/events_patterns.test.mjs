// Every AWS-recorded event-pattern case (tests/data/eventbridge-patterns.json) through the JS SDK:
// TestEventPattern gives AWS's result or exact InvalidEventPatternException message, and a real rule
// with the pattern delivers exactly the matching events to an SQS queue.
//
// Delivery runs each case two ways:
//  - wrapped: the recorded event becomes the detail of a PutEvents entry and the pattern is nested
//    under "detail" (paths compare the same at any depth), so every case can be delivered, even
//    those on envelope fields PutEvents cannot set (id, account, custom top-level fields);
//  - direct: cases whose pattern uses only source/detail-type/time/resources/detail get a bus of
//    their own and the event is put as is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventBridgeClient, CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { clientConfig, ROOT, startStratus } from './harness.mjs';

const corpus = JSON.parse(readFileSync(join(ROOT, 'tests', 'data', 'eventbridge-patterns.json'), 'utf8'));
const DIRECT_KEYS = new Set(['source', 'detail-type', 'time', 'resources', 'detail']);

function directEntry(c) {
  const keys = Object.keys(c.event_pattern);
  if (!keys.every((k) => DIRECT_KEYS.has(k))) return null;
  const e = c.event;
  if (typeof e.source !== 'string' || typeof e['detail-type'] !== 'string') return null;
  if (e.detail !== undefined && (typeof e.detail !== 'object' || e.detail === null || Array.isArray(e.detail))) return null;
  if (e.resources !== undefined && !(Array.isArray(e.resources) && e.resources.every((r) => typeof r === 'string'))) return null;
  if (e.source.startsWith('aws.')) return null;  // reserved for AWS services
  return { Source: e.source, DetailType: e['detail-type'], Detail: JSON.stringify(e.detail ?? {}), Time: new Date(e.time), Resources: e.resources };
}

describe('event patterns: AWS-recorded cases', () => {
  let s, eb, sqs, queueUrl, queueArn;

  before(async () => {
    s = await startStratus();
    eb = new EventBridgeClient(clientConfig(s, { region: 'us-east-2', credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } }));
    sqs = new SQSClient(clientConfig(s, { region: 'us-east-2', credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'conformance' }))).QueueUrl;
    queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes.QueueArn;
  });
  after(async () => {
    await s.stop();
  });

  test(`TestEventPattern answers all ${corpus.cases.length} cases as AWS did`, async () => {
    for (const c of corpus.cases) {
      const call = eb.send(new TestEventPatternCommand({ Event: c.event_json, EventPattern: c.event_pattern_json }));
      if (c.expected === 'error') {
        await assert.rejects(call, (e) => {
          assert.equal(e.name, c.error_code, c.name);
          assert.equal(e.$metadata.httpStatusCode, c.http_status, c.name);
          assert.equal(e.message.split('\n')[0], c.error_message, c.name);
          if (!c.error_message_raw.includes('<')) assert.equal(e.message, c.error_message_raw, c.name);
          return true;
        });
      } else {
        assert.equal((await call).Result, c.expected === 'match', c.name);
      }
    }
  });

  test('invalid patterns are refused by PutRule with the same message', async () => {
    for (const c of corpus.cases.filter((x) => x.expected === 'error')) {
      await assert.rejects(eb.send(new PutRuleCommand({ Name: `bad-${c.name}`.slice(0, 64), EventPattern: c.event_pattern_json })), (e) => {
        assert.equal(e.name, 'InvalidEventPatternException', c.name);
        assert.equal(e.message.split('\n')[0], c.error_message, c.name);
        return true;
      });
    }
  });

  test('rules deliver exactly the matching events to SQS', async () => {
    const cases = corpus.cases.filter((c) => c.expected !== 'error');
    const expected = new Set();
    // Wrapped: one rule per case on the default bus, keyed by a per-case source.
    for (const [i, c] of cases.entries()) {
      const name = `w${i}`;
      await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [`conformance.${i}`], detail: { event: c.event_pattern } }) }));
      await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queueArn, InputTransformer: {
        InputPathsMap: { src: '$.source' }, InputTemplate: '{"case": "<src>", "mode": "wrapped"}' } }] }));
      if (c.expected === 'match') expected.add(`wrapped/conformance.${i}`);
    }
    // Direct: a bus per case, the event put with its own envelope.
    for (const [i, c] of cases.entries()) {
      const entry = directEntry(c);
      if (!entry) continue;
      const bus = `direct-${i}`;
      await eb.send(new CreateEventBusCommand({ Name: bus }));
      await eb.send(new PutRuleCommand({ Name: 'd', EventBusName: bus, EventPattern: c.event_pattern_json }));
      await eb.send(new PutTargetsCommand({ Rule: 'd', EventBusName: bus, Targets: [{ Id: 'q', Arn: queueArn, Input: JSON.stringify({ case: bus, mode: 'direct' }) }] }));
      const r = await eb.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: bus }] }));
      assert.equal(r.FailedEntryCount, 0, `${c.name}: ${JSON.stringify(r.Entries)}`);
      if (c.expected === 'match') expected.add(`direct/${bus}`);
    }
    for (let i = 0; i < cases.length; i += 10) {
      const batch = cases.slice(i, i + 10).map((c, k) => ({ Source: `conformance.${i + k}`, DetailType: 'conformance', Detail: JSON.stringify({ event: c.event }) }));
      const r = await eb.send(new PutEventsCommand({ Entries: batch }));
      assert.equal(r.FailedEntryCount, 0);
    }
    const got = new Set();
    const deadline = Date.now() + 10000;
    let quietUntil = 0;
    while (Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const msgs = r.Messages || [];
      for (const m of msgs) {
        const b = JSON.parse(m.Body);
        const key = `${b.mode}/${b.case}`;
        assert.ok(!got.has(key), `delivered twice: ${key}`);
        got.add(key);
      }
      if (msgs.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, k) => ({ Id: `${k}`, ReceiptHandle: m.ReceiptHandle })) }));
      // Once everything expected arrived, keep listening a little for anything that should not.
      if (got.size >= expected.size && !quietUntil) quietUntil = Date.now() + 1000;
      if (quietUntil && Date.now() > quietUntil) break;
    }
    const name = (key) => {
      const [mode, id] = key.split('/');
      const i = Number(id.split(/[.-]/).pop());
      return `${mode}:${cases[i].name}`;
    };
    assert.deepEqual([...got].map(name).sort(), [...expected].map(name).sort());
    assert.ok(expected.size > cases.filter((c) => c.expected === 'match').length, 'direct mode covered cases too');
  });
});
