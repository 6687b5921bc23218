// SQS through the JS SDK v3 (JSON protocol; the SDK verifies MD5OfBody / MD5OfMessageBody) and
// sqs-consumer as a real consumer library: queues, messages, long polling, batches, FIFO order
// under concurrent consumers, dead-letter queues, redrive and the integrations of the error shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand,
  GetQueueAttributesCommand, GetQueueUrlCommand, ListMessageMoveTasksCommand, ListQueuesCommand, PurgeQueueCommand,
  QueueDoesNotExist, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand,
  SQSClient, StartMessageMoveTaskCommand, CancelMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { clientConfig, startStratus } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uniq = (p) => `${p}-${randomUUID().slice(0, 8)}`;
const md5 = (s) => createHash('md5').update(s).digest('hex');

describe('sqs (JSON protocol)', () => {
  let s, sqs;
  const queue = async (prefix = 'q', Attributes = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: uniq(prefix), Attributes }))).QueueUrl;
  const attrs = async (QueueUrl, names = ['All']) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names }))).Attributes;
  const arnOf = async (url) => (await attrs(url, ['QueueArn'])).QueueArn;

  before(async () => {
    s = await startStratus();
    sqs = new SQSClient(clientConfig(s));
  });
  after(async () => {
    await s.stop();
  });

  test('create, send with attributes, receive, delete', async () => {
    const url = await queue();
    assert.match(url, new RegExp(`^${s.endpoint}/000000000000/q-[0-9a-f]{8}$`));
    const sent = await sqs.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: 'héllo',
      MessageAttributes: { n: { DataType: 'Number', StringValue: '3' }, b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
    }));
    assert.equal(sent.MD5OfMessageBody, md5('héllo'));
    assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);
    const r = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    }));
    assert.equal(r.Messages.length, 1);
    const m = r.Messages[0];
    assert.equal(m.Body, 'héllo');
    assert.deepEqual([...m.MessageAttributes.b.BinaryValue], [1, 2, 3]);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.Attributes.ApproximateReceiveCount, '1');
    assert.deepEqual(Object.keys(m.Attributes).sort(), ['ApproximateReceiveCount', 'SentTimestamp']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    const a = await attrs(url);
    assert.equal(a.ApproximateNumberOfMessages, '0');
    assert.equal(a.ApproximateNumberOfMessagesNotVisible, '0');
  });

  test('QueueDoesNotExist: modeled error, legacy code in x-amzn-query-error', async () => {
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope-nope' })), (e) => {
      assert.ok(e instanceof QueueDoesNotExist, e.name);
      assert.equal(e.message, 'The specified queue does not exist.');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
    const res = await s.fetch('/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'nope-nope' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(await res.json(), {
      __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.',
    });
  });

  test('malformed input gets AWS errors, not 5xx', async () => {
    const url = await queue();
    const call = async (target, body) => {
      const res = await s.fetch('/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}` },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json(), qerr: res.headers.get('x-amzn-query-error') };
    };
    let r = await call('SendMessage', { QueueUrl: url, MessageBody: '' });
    assert.equal(r.status, 400);
    assert.equal(r.body.__type, 'com.amazonaws.sqs#MissingParameter');
    r = await call('SendMessage', { QueueUrl: 'not a url', MessageBody: 'x' });
    assert.equal(r.status, 400);
    assert.equal(r.body.__type, 'com.amazonaws.sqs#InvalidAddress');
    r = await call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 'ten' });
    assert.equal(r.status, 400);
    r = await call('SendMessage', '{"QueueUrl":');
    assert.equal(r.status, 400);
    r = await call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: 'AQEBx', VisibilityTimeout: 5 });
    assert.equal(r.body.__type, 'com.amazonaws.sqs#ReceiptHandleIsInvalid');
    assert.equal(r.qerr, 'ReceiptHandleIsInvalid;Sender');
    r = await call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Nope'] });
    assert.equal(r.body.__type, 'com.amazonaws.sqs#InvalidAttributeName');
    assert.equal(r.body.message, 'Unknown Attribute Nope.');
  });

  test('visibility timeout follows the service clock', async () => {
    const url = await queue('vis', { VisibilityTimeout: '20' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages[0];
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    await s.advanceClock(21);
    const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages[0];
    assert.equal(again.MessageId, first.MessageId);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0 }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages.length, 1);
  });

  test('long poll parks and wakes on send', async () => {
    const url = await queue('lp');
    const t0 = Date.now();
    const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await sleep(200);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const r = await poll;
    assert.equal(r.Messages[0].Body, 'wake up');
    assert.ok(Date.now() - t0 < 15000, 'woken by the send, not the end of the poll');
  });

  test('many parked pollers: each gets at most one copy, all are served', async () => {
    const url = await queue('many');
    const polls = Array.from({ length: 50 }, () => sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })));
    await sleep(300);
    // The 50 polls hold all 50 of this client's sockets (the SDK's default maxSockets): send
    // through another client, or the batch waits for a poll to end.
    const sender = new SQSClient(clientConfig(s));
    await sender.send(new SendMessageBatchCommand({
      QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })),
    }));
    await s.advanceClock(21);
    const results = await Promise.all(polls);
    sender.destroy();
    const bodies = results.flatMap((r) => (r.Messages || []).map((m) => m.Body));
    assert.equal(bodies.length, 10);
    assert.equal(new Set(bodies).size, 10);
  });

  test('batches: send, receive, delete', async () => {
    const url = await queue('batch');
    const sent = await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `body-${i}` })),
    }));
    assert.equal(sent.Successful.length, 10);
    for (const e of sent.Successful) assert.equal(e.MD5OfMessageBody, md5(`body-${e.Id.slice(1)}`));
    const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages;
    assert.equal(got.length, 10);
    const del = await sqs.send(new DeleteMessageBatchCommand({
      QueueUrl: url, Entries: got.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
    }));
    assert.equal(del.Successful.length, 10);
    assert.deepEqual(del.Failed, []);
    await assert.rejects(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })),
      (e) => e.name === 'EmptyBatchRequest');
    await assert.rejects(sqs.send(new SendMessageBatchCommand({
      QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }],
    })), (e) => e.name === 'BatchEntryIdsNotDistinct');
  });

  test('FIFO: per-group order under concurrent consumers', async () => {
    const url = (await sqs.send(new CreateQueueCommand({
      QueueName: `${uniq('fifo')}.fifo`, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    }))).QueueUrl;
    const groups = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 10; i++) {
      await sqs.send(new SendMessageBatchCommand({
        QueueUrl: url, Entries: groups.map((g) => ({ Id: `${g}${i}`, MessageBody: `${g}:${i}`, MessageGroupId: g })),
      }));
    }
    // Each consumer records what it got; a group locked while in flight means the messages of a
    // group arrive in order and exactly once, whichever consumer gets them.
    const seen = Object.fromEntries(groups.map((g) => [g, []]));
    const worker = async () => {
      for (let idle = 0; idle < 3;) {
        const r = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: url, MaxNumberOfMessages: 3, MessageSystemAttributeNames: ['MessageGroupId'],
        }));
        if (!r.Messages) { idle++; continue; }
        idle = 0;
        for (const m of r.Messages) seen[m.Attributes.MessageGroupId].push(Number(m.Body.split(':')[1]));
        await sleep(5);
        for (const m of r.Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    for (const g of groups) assert.deepEqual(seen[g], [...Array(10).keys()], `group ${g} in order`);
  });

  test('dead-letter queue after maxReceiveCount, then redrive with a move task', async () => {
    const dlq = await queue('dlq');
    const dlqArn = await arnOf(dlq);
    const src = await queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) });
    await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0 }))).Messages.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
    assert.equal((await attrs(dlq)).ApproximateNumberOfMessages, '1');
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    assert.ok(TaskHandle);
    let task;
    for (let i = 0; i < 100; i++) {
      task = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results[0];
      if (task.Status === 'COMPLETED') break;
      await sleep(20);
    }
    assert.equal(task.Status, 'COMPLETED');
    assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
    assert.equal(task.SourceArn, dlqArn);
    const back = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages;
    assert.equal(back[0].Body, 'poison');
    await assert.rejects(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), (e) => e.$metadata.httpStatusCode === 400);
  });

  test('purge twice within 60 s', async () => {
    const url = await queue('purge');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    await assert.rejects(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), (e) => {
      assert.equal(e.name, 'PurgeQueueInProgress');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
  });

  test('attributes round trip and ListQueues pagination', async () => {
    const prefix = uniq('lq');
    for (let i = 0; i < 3; i++) await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }));
    const p1 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    assert.equal(p1.QueueUrls.length, 2);
    const p2 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: p1.NextToken }));
    assert.equal(p2.QueueUrls.length, 1);
    assert.equal(p2.NextToken, undefined);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: p1.QueueUrls[0], Attributes: { DelaySeconds: '7' } }));
    assert.equal((await attrs(p1.QueueUrls[0], ['DelaySeconds'])).DelaySeconds, '7');
  });

  test('sqs-consumer consumes and deletes', async () => {
    const url = await queue('consumer');
    for (let i = 0; i < 5; i++) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `job-${i}` }));
    const handled = [];
    const consumer = Consumer.create({
      queueUrl: url, sqs, waitTimeSeconds: 1, batchSize: 5, pollingWaitTimeMs: 10,
      handleMessage: async (m) => { handled.push(m.Body); return m; },
    });
    const errors = [];
    consumer.on('error', (e) => errors.push(e));
    consumer.on('processing_error', (e) => errors.push(e));
    consumer.start();
    for (let i = 0; i < 200 && handled.length < 5; i++) await sleep(20);
    consumer.stop({ abort: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(handled.sort(), ['job-0', 'job-1', 'job-2', 'job-3', 'job-4']);
    const a = await attrs(url);
    assert.equal(a.ApproximateNumberOfMessages, '0');
    assert.equal(a.ApproximateNumberOfMessagesNotVisible, '0');
  });
});
