// EventBridge through the JS SDK v3: buses, rules, targets, PutEvents delivery to SQS/SNS/Lambda
// and other buses, input shaping, retries into dead-letter queues, archives and replays, scheduled
// rules fired by moving the clock. Assertions follow the EventBridge API reference.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import {
  EventBridgeClient, CreateEventBusCommand, DescribeEventBusCommand, ListEventBusesCommand, DeleteEventBusCommand,
  PutRuleCommand, DescribeRuleCommand, ListRulesCommand, DeleteRuleCommand, DisableRuleCommand, EnableRuleCommand,
  PutTargetsCommand, RemoveTargetsCommand, ListTargetsByRuleCommand, ListRuleNamesByTargetCommand, PutEventsCommand,
  TestEventPatternCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, PutPermissionCommand,
  RemovePermissionCommand, CreateArchiveCommand, DescribeArchiveCommand, StartReplayCommand, DescribeReplayCommand,
  CreateConnectionCommand, DescribeConnectionCommand, CreateApiDestinationCommand, DescribeApiDestinationCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { LambdaClient, CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client, CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { clientConfig, startStratus } from './harness.mjs';
import { ROLE, zipFiles } from './lambda_support.mjs';

const uniq = (p) => `${p}-${randomUUID().slice(0, 8)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rejects(promise, name, message) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e;
  }
  assert.fail(`expected ${name}`);
}

describe('eventbridge', () => {
  let s, eb, sqs;
  const queue = async (name = uniq('q'), Attributes = {}) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes.QueueArn;
    return { url, arn };
  };
  // Receives until `n` messages arrived (or the deadline passed).
  const drain = async (url, n = 1, { seconds = 15, attributes = false } = {}) => {
    const out = [];
    const deadline = Date.now() + seconds * 1000;
    while (out.length < n && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
        ...(attributes ? { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] } : {}),
      }));
      out.push(...(r.Messages || []));
    }
    return out;
  };
  const ruleTo = async (Name, EventPattern, targets, EventBusName) => {
    await eb.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify(EventPattern), EventBusName }));
    const r = await eb.send(new PutTargetsCommand({ Rule: Name, EventBusName, Targets: targets }));
    assert.equal(r.FailedEntryCount, 0, JSON.stringify(r.FailedEntries));
  };

  before(async () => {
    s = await startStratus();
    eb = new EventBridgeClient(clientConfig(s));
    sqs = new SQSClient(clientConfig(s));
  });
  after(async () => {
    await s.stop();
  });

  test('event buses: create, describe, list, delete, and their errors', async () => {
    const def = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(def.Name, 'default');
    assert.equal(def.Arn, 'arn:aws:events:us-east-1:000000000000:event-bus/default');
    const name = uniq('bus');
    const c = await eb.send(new CreateEventBusCommand({ Name: name, Description: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(c.EventBusArn, `arn:aws:events:us-east-1:000000000000:event-bus/${name}`);
    const d = await eb.send(new DescribeEventBusCommand({ Name: c.EventBusArn }));
    assert.equal(d.Name, name);
    assert.equal(d.Description, 'orders');
    assert.ok(d.CreationTime instanceof Date);
    const l = await eb.send(new ListEventBusesCommand({ NamePrefix: name }));
    assert.deepEqual(l.EventBuses.map((b) => b.Name), [name]);
    const tags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: c.EventBusArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);
    await rejects(eb.send(new CreateEventBusCommand({ Name: name })), 'ResourceAlreadyExistsException',
      `Event bus ${name} already exists.`);
    await rejects(eb.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException', 'Cannot delete event bus default.');
    await eb.send(new DeleteEventBusCommand({ Name: name }));
    await rejects(eb.send(new DescribeEventBusCommand({ Name: name })), 'ResourceNotFoundException', `Event bus ${name} does not exist.`);
    // Deleting a bus that does not exist succeeds.
    await eb.send(new DeleteEventBusCommand({ Name: name }));
  });

  test('bus permissions build a resource policy', async () => {
    const name = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: name }));
    await eb.send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's1' }));
    const policy = JSON.parse((await eb.send(new DescribeEventBusCommand({ Name: name }))).Policy);
    assert.deepEqual(policy.Statement, [{
      Sid: 's1', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents',
      Resource: `arn:aws:events:us-east-1:000000000000:event-bus/${name}`,
    }]);
    await rejects(eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'nope' })), 'ResourceNotFoundException',
      'Statement with the provided id does not exist.');
    await eb.send(new RemovePermissionCommand({ EventBusName: name, StatementId: 's1' }));
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: name }))).Policy, undefined);
  });

  test('rules: put, describe, list, disable, enable, tags, delete', async () => {
    const name = uniq('rule');
    const pattern = { source: ['app.orders'] };
    const put = await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] }));
    assert.equal(put.RuleArn, `arn:aws:events:us-east-1:000000000000:rule/${name}`);
    const d = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(d.State, 'ENABLED');
    assert.equal(d.EventBusName, 'default');
    assert.equal(d.Description, 'd');
    assert.deepEqual(JSON.parse(d.EventPattern), pattern);
    assert.equal(d.CreatedBy, '000000000000');
    await eb.send(new DisableRuleCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: name }));
    const listed = await eb.send(new ListRulesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Rules.map((r) => r.Name), [name]);
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: put.RuleArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
    await eb.send(new TagResourceCommand({ ResourceARN: put.RuleArn, Tags: [{ Key: 'x', Value: 'y' }] }));
    await eb.send(new UntagResourceCommand({ ResourceARN: put.RuleArn, TagKeys: ['k'] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: put.RuleArn }))).Tags, [{ Key: 'x', Value: 'y' }]);

    const q = await queue();
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't1', Arn: q.arn }] }));
    assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, [{ Id: 't1', Arn: q.arn }]);
    assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: q.arn }))).RuleNames, [name]);
    await rejects(eb.send(new DeleteRuleCommand({ Name: name })), 'ValidationException', "Rule can't be deleted since it has targets.");
    const removed = await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['t1', 'ghost'] }));
    assert.equal(removed.FailedEntryCount, 1);
    assert.equal(removed.FailedEntries[0].TargetId, 'ghost');
    await eb.send(new DeleteRuleCommand({ Name: name }));
    await rejects(eb.send(new DescribeRuleCommand({ Name: name })), 'ResourceNotFoundException',
      `Rule ${name} does not exist on EventBus default.`);
    await rejects(eb.send(new PutRuleCommand({ Name: name })), 'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    await rejects(eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(1 minutes)' })), 'ValidationException',
      'Parameter ScheduleExpression is not valid.');
    await rejects(eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"a": ["b"]}', EventBusName: 'nope' })),
      'ResourceNotFoundException', 'Event bus nope does not exist.');
  });

  test('invalid patterns fail PutRule with InvalidEventPatternException and AWS\'s reason', async () => {
    const pattern = '{"detail": {"c-count": [{"numeric": 10}]}}';
    await rejects(eb.send(new PutRuleCommand({ Name: uniq('bad'), EventPattern: pattern })), 'InvalidEventPatternException',
      `Event pattern is not valid. Reason: Value of numeric must be an array.\n at [Source: (String)"${pattern}"; line: 1, column: 39]`);
    await rejects(eb.send(new PutRuleCommand({ Name: uniq('bad'), EventPattern: 'not json' })), 'InvalidEventPatternException');
    // Model validation happens first, with AWS's wording.
    const e = await rejects(eb.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: '{"a":["b"]}' })), 'ValidationException');
    assert.match(e.message, /^1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  test('TestEventPattern', async () => {
    const event = JSON.stringify({ id: '1', source: 'a', 'detail-type': 't', account: '123456789012', region: 'us-east-1', time: '2024-01-01T00:00:00Z', detail: { n: 5 } });
    assert.equal((await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"n":[{"numeric":[">",4]}]}}' }))).Result, true);
    assert.equal((await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"n":[{"numeric":[">",5]}]}}' }))).Result, false);
    await rejects(eb.send(new TestEventPatternCommand({ Event: '{"source":"a"}', EventPattern: '{"source":["a"]}' })), 'ValidationException',
      'Parameter Event is not valid.');
  });

  test('PutEvents delivers the event to an SQS target, and reports bad entries', async () => {
    const q = await queue();
    const rule = uniq('r');
    await ruleTo(rule, { source: ['app.orders'], detail: { amount: [{ numeric: ['>', 100] }] } }, [{ Id: 'q', Arn: q.arn }]);
    const t = new Date('2024-05-06T07:08:09Z');
    const r = await eb.send(new PutEventsCommand({ Entries: [
      { Source: 'app.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ amount: 150, items: [1, 2.50] }), Resources: ['arn:x'], Time: t },
      { Source: 'app.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ amount: 50 }) },
      { Source: 'app.orders', Detail: '{}' },
      { Source: 'app.orders', DetailType: 'x', Detail: '[1]' },
      { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
    ] }));
    assert.equal(r.FailedEntryCount, 3);
    assert.match(r.Entries[0].EventId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(r.Entries[2], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' });
    assert.deepEqual(r.Entries[3], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    assert.deepEqual(r.Entries[4], { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
    const msgs = await drain(q.url, 1);
    assert.equal(msgs.length, 1);
    // The event envelope, in AWS's key order, detail re-emitted compactly with numbers as written.
    assert.equal(msgs[0].Body, `{"version":"0","id":"${r.Entries[0].EventId}","detail-type":"OrderPlaced","source":"app.orders",`
      + `"account":"000000000000","time":"2024-05-06T07:08:09Z","region":"us-east-1","resources":["arn:x"],"detail":{"amount":150,"items":[1,2.5]}}`);
    assert.equal((await drain(q.url, 1, { seconds: 1 })).length, 0);
  });

  test('PutEvents takes up to 10 entries and 1 MB in total (eb-putevent-size.html)', async () => {
    const big = (n) => JSON.stringify({ pad: 'x'.repeat(n) });
    // 900 KB in one entry: over the old 256 KB limit, within the 1 MB one.
    const ok = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'size', DetailType: 'big', Detail: big(900 * 1024) }] }));
    assert.equal(ok.FailedEntryCount, 0);
    await rejects(eb.send(new PutEventsCommand({ Entries: [
      { Source: 'size', DetailType: 'big', Detail: big(600 * 1024) }, { Source: 'size', DetailType: 'big', Detail: big(600 * 1024) }] })),
    'ValidationException', 'Total size of the entries in the request is over the limit.');
    await rejects(eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) })),
      'ValidationException');
  });

  test('disabled rules do not deliver; custom buses route their own events', async () => {
    const q = await queue();
    const bus = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const rule = uniq('r');
    await ruleTo(rule, { source: ['custom'] }, [{ Id: 'q', Arn: q.arn }], bus);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'custom', DetailType: 'a', Detail: '{}' }] }));  // default bus
    assert.equal((await drain(q.url, 1, { seconds: 1 })).length, 0);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'custom', DetailType: 'b', Detail: '{}', EventBusName: bus }] }));
    assert.equal(JSON.parse((await drain(q.url, 1))[0].Body)['detail-type'], 'b');
    await eb.send(new DisableRuleCommand({ Name: rule, EventBusName: bus }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'custom', DetailType: 'c', Detail: '{}', EventBusName: bus }] }));
    assert.equal((await drain(q.url, 1, { seconds: 1 })).length, 0);
  });

  test('Input, InputPath and InputTransformer shape what targets receive', async () => {
    const q = await queue();
    const rule = uniq('r');
    await ruleTo(rule, { source: ['shape'] }, [
      { Id: 'const', Arn: q.arn, Input: '{"fixed": true}' },
      { Id: 'path', Arn: q.arn, InputPath: '$.detail.order' },
      { Id: 'text', Arn: q.arn, InputTransformer: {
        InputPathsMap: { id: '$.detail.order.id', missing: '$.detail.none' },
        InputTemplate: '"Order <id> placed<missing> by <aws.events.rule-name>"' } },
      { Id: 'json', Arn: q.arn, InputTransformer: {
        InputPathsMap: { id: '$.detail.order.id', total: '$.detail.order.total', src: '$.source' },
        InputTemplate: '{"order": <id>, "total": <total>, "note": "from <src>"}' } },
      // eb-transform-target-input.html, common issues: a missing path gives an empty string, an array
      // referenced inside a string loses its internal quotes, an array outside one stays JSON.
      { Id: 'edge', Arn: q.arn, InputTransformer: {
        InputPathsMap: { items: '$.detail.order.items', missing: '$.detail.none', note: '$.detail.order.note' },
        InputTemplate: '{"missing": <missing>, "items": <items>, "inline": "items <items>", "note": "<note>"}' } },
    ]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'shape', DetailType: 'x', Detail: '{"order":{"id":"o-1","total":12.50,"items":["a","b"],"note":"say \\"hi\\""}}' }] }));
    const bodies = (await drain(q.url, 5)).map((m) => m.Body).sort();
    assert.deepEqual(bodies, [
      '"Order o-1 placed by ' + rule + '"',
      '{"fixed": true}',
      '{"id":"o-1","total":12.50,"items":["a","b"],"note":"say \\"hi\\""}',
      '{"order": "o-1", "total": 12.50, "note": "from shape"}',
      // "EventBridge doesn't escape values extracted by Input Path": the quotes go in as they are.
      '{"missing": "", "items": ["a","b"], "inline": "items [a,b]", "note": "say "hi""}',
    ].sort());
    await rejects(eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'x', Arn: q.arn, Input: '{}', InputPath: '$' }] })),
      'ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided for target x.');
    await rejects(eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'y', Arn: q.arn, InputTransformer: {
      InputPathsMap: { id: '$.detail.order.id' }, InputTemplate: '"Order <id> with not defined key <notdefinedkey>"' } }] })),
    'ValidationException', 'InputTemplate for target y contains invalid placeholder notdefinedkey.');
  });

  test('FIFO queue targets need SqsParameters and keep the message group', async () => {
    const q = await queue(uniq('f') + '.fifo', { FifoQueue: 'true' });
    const rule = uniq('r');
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: '{"source":["fifo"]}' }));
    const bad = await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'f', Arn: q.arn }] }));
    assert.equal(bad.FailedEntryCount, 1);
    assert.deepEqual(bad.FailedEntries[0], { TargetId: 'f', ErrorCode: 'ValidationException',
      ErrorMessage: 'Parameter(s) SqsParameters must be specified for target: f.' });
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'f', Arn: q.arn, SqsParameters: { MessageGroupId: 'g1' } }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fifo', DetailType: 'x', Detail: '{"n":1}' }] }));
    const [m] = await drain(q.url, 1, { attributes: true });
    assert.equal(m.Attributes.MessageGroupId, 'g1');
    assert.deepEqual(JSON.parse(m.Body).detail, { n: 1 });
  });

  test('a failing target goes to its dead-letter queue with AWS\'s attributes', async () => {
    const dlq = await queue();
    const rule = uniq('r');
    const missing = 'arn:aws:sqs:us-east-1:000000000000:does-not-exist';
    await ruleTo(rule, { source: ['dlq'] }, [{ Id: 'gone', Arn: missing, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 0 } }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'dlq', DetailType: 'x', Detail: '{"k":1}' }] }));
    const [m] = await drain(dlq.url, 1, { attributes: true });
    assert.ok(m, 'dead-lettered message');
    assert.deepEqual(JSON.parse(m.Body).detail, { k: 1 });
    const a = m.MessageAttributes;
    assert.equal(a.RULE_ARN.StringValue, `arn:aws:events:us-east-1:000000000000:rule/${rule}`);
    assert.equal(a.TARGET_ARN.StringValue, missing);
    assert.equal(a.ERROR_CODE.StringValue, 'RESOURCE_NOT_FOUND');
    assert.ok(a.ERROR_MESSAGE.StringValue.length > 0);
  });

  test('retries follow the retry policy on the clock before dead-lettering', async () => {
    // An API destination answering 500: a retriable failure.
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      req.resume();
      req.on('end', () => res.writeHead(500).end('down'));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const dlq = await queue();
      const conn = await eb.send(new CreateConnectionCommand({ Name: uniq('c'), AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'v' } } }));
      const dest = await eb.send(new CreateApiDestinationCommand({ Name: uniq('d'), ConnectionArn: conn.ConnectionArn,
        InvocationEndpoint: `http://127.0.0.1:${server.address().port}/`, HttpMethod: 'POST' }));
      await ruleTo(uniq('r'), { source: ['retry'] }, [{ Id: 'k', Arn: dest.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/r',
        DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }]);
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'retry', DetailType: 'x', Detail: '{}' }] }));
      // Backoff waits on the Stratus clock: move it instead of waiting.
      for (const deadline = Date.now() + 20000; calls < 3 && Date.now() < deadline;) {
        const before = calls;
        await s.advanceClock(5);
        for (const step = Date.now() + 2000; calls === before && Date.now() < step;) await sleep(20);
      }
      const [m] = await drain(dlq.url, 1, { attributes: true });
      assert.ok(m, 'dead-lettered after retries');
      assert.equal(calls, 3);
      assert.equal(m.MessageAttributes.RETRY_ATTEMPTS.StringValue, '2');
      assert.equal(m.MessageAttributes.EXHAUSTED_RETRY_CONDITION.StringValue, 'MaximumRetryAttempts');
      assert.equal(m.MessageAttributes.TARGET_ARN.StringValue, dest.ApiDestinationArn);
    } finally {
      server.close();
    }
  });

  test('rules can target another event bus and an SNS topic', async () => {
    const q = await queue();
    const bus = uniq('bus');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn;
    await ruleTo(uniq('fwd'), { source: ['fwd'] }, [{ Id: 'b', Arn: busArn }]);
    await ruleTo(uniq('sink'), { source: ['fwd'] }, [{ Id: 'q', Arn: q.arn }], bus);
    const t = new Date('2025-02-03T04:05:06Z');
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fwd', DetailType: 'relay', Detail: '{"a":1}', Time: t, Resources: ['arn:r'] }] }));
    const [m] = await drain(q.url, 1);
    const ev = JSON.parse(m.Body);
    // The event goes on as it was: same id, time and resources.
    assert.equal(ev.id, put.Entries[0].EventId);
    assert.equal(ev.time, '2025-02-03T04:05:06Z');
    assert.deepEqual(ev.resources, ['arn:r']);
    assert.equal(ev['detail-type'], 'relay');
    assert.deepEqual(ev.detail, { a: 1 });

    const sns = new SNSClient(clientConfig(s));
    const topic = (await sns.send(new CreateTopicCommand({ Name: uniq('t') }))).TopicArn;
    const q2 = await queue();
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q2.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await ruleTo(uniq('sns'), { source: ['to-sns'] }, [{ Id: 't', Arn: topic }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'to-sns', DetailType: 'n', Detail: '{"b":2}' }] }));
    const [n] = await drain(q2.url, 1);
    assert.deepEqual(JSON.parse(n.Body).detail, { b: 2 });
  });

  test('a rule that sends its bus\'s events back to the same bus does not loop forever', async () => {
    // Stratus stops forwarding an event after 5 bus-to-bus hops (AWS would bill the loop).
    const q = await queue();
    const bus = uniq('loop');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn;
    await ruleTo(uniq('self'), { source: ['loop'] }, [{ Id: 'b', Arn: busArn }, { Id: 'q', Arn: q.arn }], bus);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'loop', DetailType: 'x', Detail: '{}', EventBusName: bus }] }));
    const msgs = await drain(q.url, 6);
    assert.equal(msgs.length, 6);
    assert.ok(msgs.every((m) => JSON.parse(m.Body).id === put.Entries[0].EventId));
    assert.equal((await drain(q.url, 1, { seconds: 1 })).length, 0);
  });

  test('S3 buckets with EventBridge enabled put their events on the default bus', async () => {
    const s3 = new S3Client(clientConfig(s, { forcePathStyle: true }));
    const bucket = uniq('bkt');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    const q = await queue();
    await ruleTo(uniq('s3'), { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [bucket] } } }, [{ Id: 'q', Arn: q.arn }]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/cat.jpg', Body: 'meow' }));
    const [m] = await drain(q.url, 1);
    assert.ok(m, 'S3 event delivered');
    const ev = JSON.parse(m.Body);
    assert.equal(ev.source, 'aws.s3');
    assert.equal(ev['detail-type'], 'Object Created');
    assert.equal(ev.detail.object.key, 'photos/cat.jpg');
    assert.deepEqual(ev.resources, [`arn:aws:s3:::${bucket}`]);
  });

  test('rules invoke Lambda functions asynchronously', async () => {
    const lambda = new LambdaClient(clientConfig(s));
    const out = join(mkdtempSync(join(tmpdir(), 'ev-lambda-')), 'event.json');
    const name = uniq('fn');
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
      Environment: { Variables: { OUT: out } },
      Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async (e) => { require("fs").writeFileSync(process.env.OUT, JSON.stringify(e)); return "ok"; };' }) },
    }));
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration.FunctionArn;
    await ruleTo(uniq('fn'), { source: ['to-lambda'] }, [{ Id: 'f', Arn: fn }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'to-lambda', DetailType: 'call', Detail: '{"c":3}' }] }));
    const deadline = Date.now() + 20000;
    // Until the handler's file holds the whole event.
    const readEvent = () => { try { return JSON.parse(readFileSync(out, 'utf8')); } catch { return undefined; } };
    while (readEvent() === undefined && Date.now() < deadline) await sleep(100);
    const ev = readEvent();
    assert.ok(ev, 'the function ran');
    assert.equal(ev['detail-type'], 'call');
    assert.deepEqual(ev.detail, { c: 3 });
  });

  test('rules write events to a CloudWatch Logs log group, one stream per event id', async () => {
    const logs = new CloudWatchLogsClient(clientConfig(s));
    const group = `/aws/events/${uniq('lg')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const shapedGroup = `/aws/events/${uniq('lg')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: shapedGroup }));
    await ruleTo(uniq('logs'), { source: ['to-logs'] }, [
      { Id: 'l', Arn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}` },
      // An input transformer shapes the record: {"timestamp": ..., "message": ...} (CDK's LogGroupTargetInput).
      { Id: 's', Arn: `arn:aws:logs:us-east-1:000000000000:log-group:${shapedGroup}`, InputTransformer: {
        InputPathsMap: { t: '$.time', dt: '$.detail-type', l: '$.detail.l' }, InputTemplate: '{"timestamp": <t>, "message": "<dt> number <l>"}' } },
    ]);
    const time = new Date('2026-01-02T03:04:05Z');
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'to-logs', DetailType: 'logged', Detail: '{"l":1}', Time: time }] }));
    const id = put.Entries[0].EventId;
    let events = [];
    for (const deadline = Date.now() + 15000; !events.length && Date.now() < deadline; await sleep(50))
      events = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events;
    assert.equal(events.length, 1);
    assert.equal(events[0].logStreamName, id);
    assert.equal(events[0].timestamp, time.getTime());
    const ev = JSON.parse(events[0].message);
    assert.equal(ev.id, id);
    assert.equal(ev['detail-type'], 'logged');
    assert.deepEqual(ev.detail, { l: 1 });
    let shaped = [];
    for (const deadline = Date.now() + 15000; !shaped.length && Date.now() < deadline; await sleep(50))
      shaped = (await logs.send(new FilterLogEventsCommand({ logGroupName: shapedGroup }))).events;
    assert.equal(shaped.length, 1);
    assert.equal(shaped[0].message, 'logged number 1');
    assert.equal(shaped[0].timestamp, time.getTime());
  });

  test('archives keep matching events and replays send them back with replay-name', async () => {
    const q = await queue();
    const bus = uniq('bus');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn;
    const archiveName = uniq('arch');
    const a = await eb.send(new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: busArn, EventPattern: '{"source":["keep"]}' }));
    assert.equal(a.State, 'ENABLED');
    // AWS manages a rule on the bus for the archive.
    const managed = await eb.send(new DescribeRuleCommand({ Name: `Events-Archive-${archiveName}`, EventBusName: bus }));
    assert.equal(managed.ManagedBy, 'events.amazonaws.com');
    // Other tests move the Stratus clock forward: keep the replay window wide.
    const start = new Date(Date.now() - 60000);
    await eb.send(new PutEventsCommand({ Entries: [
      { Source: 'keep', DetailType: 'one', Detail: '{"n":1}', EventBusName: bus },
      { Source: 'drop', DetailType: 'two', Detail: '{"n":2}', EventBusName: bus },
    ] }));
    const d = await eb.send(new DescribeArchiveCommand({ ArchiveName: archiveName }));
    assert.equal(d.EventCount, 1);
    const rule = uniq('r');
    await ruleTo(rule, { source: ['keep'] }, [{ Id: 'q', Arn: q.arn }], bus);
    const replay = uniq('rp');
    const started = await eb.send(new StartReplayCommand({
      ReplayName: replay, EventSourceArn: a.ArchiveArn, EventStartTime: start, EventEndTime: new Date(Date.now() + 86400000),
      Destination: { Arn: busArn },
    }));
    assert.equal(started.State, 'STARTING');
    const [m] = await drain(q.url, 1);
    const ev = JSON.parse(m.Body);
    assert.equal(ev['replay-name'], replay);
    assert.deepEqual(ev.detail, { n: 1 });
    let state;
    for (const deadline = Date.now() + 15000; state !== 'COMPLETED' && Date.now() < deadline;) {
      state = (await eb.send(new DescribeReplayCommand({ ReplayName: replay }))).State;
      if (state !== 'COMPLETED') await sleep(50);
    }
    assert.equal(state, 'COMPLETED');
    // Replayed events are not archived again.
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: archiveName }))).EventCount, 1);
    await rejects(eb.send(new StartReplayCommand({ ReplayName: uniq('rp'), EventSourceArn: a.ArchiveArn, EventStartTime: new Date(), EventEndTime: new Date(Date.now() - 1000), Destination: { Arn: busArn } })),
      'ValidationException', 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  });

  test('archives drop events past their retention', async () => {
    const bus = uniq('bus');
    const busArn = (await eb.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn;
    const name = uniq('arch');
    await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn, RetentionDays: 1 }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'old', DetailType: 'x', Detail: '{}', EventBusName: bus }] }));
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: name }))).EventCount, 1);
    await s.advanceClock(2 * 86400 + 3601);
    let count;
    for (const deadline = Date.now() + 15000; count !== 0 && Date.now() < deadline;) {
      count = (await eb.send(new DescribeArchiveCommand({ ArchiveName: name }))).EventCount;
      if (count) await sleep(50);
    }
    assert.equal(count, 0);
  });

  test('scheduled rules fire when the clock moves', async () => {
    const q = await queue();
    const rule = uniq('every5');
    await eb.send(new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(5 minutes)' }));
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: q.arn }] }));
    assert.equal((await drain(q.url, 1, { seconds: 1 })).length, 0);
    await s.advanceClock(301);
    const [m] = await drain(q.url, 1);
    const ev = JSON.parse(m.Body);
    assert.equal(ev.source, 'aws.events');
    assert.equal(ev['detail-type'], 'Scheduled Event');
    assert.deepEqual(ev.resources, [`arn:aws:events:us-east-1:000000000000:rule/${rule}`]);
    assert.deepEqual(ev.detail, {});
    await rejects(eb.send(new PutRuleCommand({ Name: uniq('c'), ScheduleExpression: 'cron(0 12 * * * *)' })),
      'ValidationException', 'Parameter ScheduleExpression is not valid.');
    const bus = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    await rejects(eb.send(new PutRuleCommand({ Name: uniq('c'), ScheduleExpression: 'rate(1 day)', EventBusName: bus })),
      'ValidationException', 'ScheduleExpression is supported only on the default event bus.');
  });

  test('API destinations call HTTP endpoints with the connection\'s authorization', async () => {
    const seen = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, key: req.headers['x-api-key'], body });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const conn = await eb.send(new CreateConnectionCommand({ Name: uniq('c'), AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
      assert.equal(conn.ConnectionState, 'AUTHORIZED');
      const described = await eb.send(new DescribeConnectionCommand({ Name: conn.ConnectionArn.split('/')[1] }));
      assert.equal(described.AuthParameters.BasicAuthParameters.Username, 'u');
      assert.equal(described.AuthParameters.BasicAuthParameters.Password, undefined);
      const dest = await eb.send(new CreateApiDestinationCommand({ Name: uniq('d'), ConnectionArn: conn.ConnectionArn,
        InvocationEndpoint: `http://127.0.0.1:${server.address().port}/hook/*`, HttpMethod: 'POST' }));
      assert.equal(dest.ApiDestinationState, 'ACTIVE');
      await ruleTo(uniq('r'), { source: ['hook'] }, [{ Id: 'h', Arn: dest.ApiDestinationArn, RoleArn: 'arn:aws:iam::000000000000:role/r',
        HttpParameters: { PathParameterValues: ['orders'], QueryStringParameters: { a: 'b' }, HeaderParameters: { 'x-api-key': 'k1' } } }]);
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'hook', DetailType: 'x', Detail: '{"z":1}' }] }));
      const deadline = Date.now() + 15000;
      while (!seen.length && Date.now() < deadline) await sleep(20);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].method, 'POST');
      assert.equal(seen[0].url, '/hook/orders?a=b');
      assert.equal(seen[0].auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
      assert.equal(seen[0].key, 'k1');
      assert.deepEqual(JSON.parse(seen[0].body).detail, { z: 1 });
      assert.equal((await eb.send(new DescribeApiDestinationCommand({ Name: dest.ApiDestinationArn.split('/')[1] }))).HttpMethod, 'POST');
    } finally {
      server.close();
    }
  });
  test('buses, rules and targets survive a restart with --data-dir', async () => {
    const q = await queue();
    const bus = uniq('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const rule = uniq('r');
    await ruleTo(rule, { source: ['persist'], detail: { n: [{ numeric: ['>=', 1] }] } }, [{ Id: 'q', Arn: q.arn, InputPath: '$.detail' }], bus);
    await s.restart();
    eb = new EventBridgeClient(clientConfig(s));
    sqs = new SQSClient(clientConfig(s));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: rule, EventBusName: bus }))).State, 'ENABLED');
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'persist', DetailType: 'x', Detail: '{"n":2}', EventBusName: bus }] }));
    const [m] = await drain(q.url, 1);
    assert.equal(m.Body, '{"n":2}');
  });
});
