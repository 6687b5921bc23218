// SNS through the JS SDK v3 (query protocol) with SQS subscribers: fan-out to several queues with
// filter policies (attributes and body scope), raw delivery, FIFO topics into FIFO queues, an HTTP
// subscriber that confirms through SubscribeURL, recorded SMS, and AWS's error shapes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand,
  NotFoundException, InvalidParameterException, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand,
  SNSClient, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, startStratus } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uniq = (p) => `${p}-${randomUUID().slice(0, 8)}`;

describe('sns', () => {
  let s, sns, sqs;
  const topic = async (Attributes = {}, suffix = '') =>
    (await sns.send(new CreateTopicCommand({ Name: uniq('t') + suffix, Attributes }))).TopicArn;
  const queue = async (Attributes = {}, suffix = '') => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniq('q') + suffix, Attributes }))).QueueUrl;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes.QueueArn;
    return { url, arn };
  };
  const drain = async (url, expect) => {
    const out = [];
    for (let i = 0; i < 40 && out.length < expect; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
      out.push(...(r.Messages || []));
      if (out.length < expect) await sleep(25);
    }
    return out;
  };

  before(async () => {
    s = await startStratus();
    sns = new SNSClient(clientConfig(s));
    sqs = new SQSClient(clientConfig(s));
  });
  after(async () => {
    await s.stop();
  });

  test('fan-out to several queues with attribute and body filter policies', async () => {
    const t = await topic();
    const all = await queue();
    const eu = await queue();
    const big = await queue();
    await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: all.arn }));
    await sns.send(new SubscribeCommand({
      TopicArn: t, Protocol: 'sqs', Endpoint: eu.arn,
      Attributes: { FilterPolicy: JSON.stringify({ region: [{ prefix: 'eu-' }], $or: [{ tier: ['gold'] }, { vip: [{ exists: true }] }] }) },
    }));
    await sns.send(new SubscribeCommand({
      TopicArn: t, Protocol: 'sqs', Endpoint: big.arn,
      Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ amount: [{ numeric: ['>=', 1000] }] }) },
    }));
    const publish = (body, attrs) => sns.send(new PublishCommand({
      TopicArn: t, Message: JSON.stringify(body),
      MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
    }));
    await publish({ id: 1, amount: 5 }, { region: 'eu-west-1', tier: 'gold' });
    await publish({ id: 2, amount: 5000 }, { region: 'us-east-1', tier: 'gold' });
    await publish({ id: 3, amount: 10 }, { region: 'eu-central-1', tier: 'silver', vip: 'yes' });
    await publish({ id: 4, amount: 10 }, { region: 'eu-central-1', tier: 'silver' });
    const ids = async (q, n) => (await drain(q.url, n)).map((m) => JSON.parse(JSON.parse(m.Body).Message).id).sort();
    assert.deepEqual(await ids(all, 4), [1, 2, 3, 4]);
    assert.deepEqual(await ids(eu, 2), [1, 3]);
    assert.deepEqual(await ids(big, 1), [2]);
  });

  test('notification envelope and raw delivery', async () => {
    const t = await topic();
    const env = await queue();
    const raw = await queue();
    const sub = (await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: env.arn, ReturnSubscriptionArn: true }))).SubscriptionArn;
    await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn: t, Message: 'payload', Subject: 'subj', MessageAttributes: { a: { DataType: 'Number', StringValue: '1.5' } },
    }));
    const [e] = await drain(env.url, 1);
    const body = JSON.parse(e.Body);
    assert.equal(body.Type, 'Notification');
    assert.equal(body.MessageId, MessageId);
    assert.equal(body.Subject, 'subj');
    assert.equal(body.Message, 'payload');
    assert.deepEqual(body.MessageAttributes, { a: { Type: 'Number', Value: '1.5' } });
    assert.equal(body.UnsubscribeURL, `${s.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
    assert.match(body.Signature, /^[A-Za-z0-9+/]+=*$/);
    const [r] = await drain(raw.url, 1);
    assert.equal(r.Body, 'payload');
    assert.equal(r.MessageAttributes.a.DataType, 'Number');
    assert.equal(r.MessageAttributes.a.StringValue, '1.5');
    const cert = await (await s.fetch(new URL(body.SigningCertURL).pathname)).text();
    assert.match(cert, /^-----BEGIN CERTIFICATE-----/);
  });

  test('FIFO topic keeps group order into a FIFO queue and deduplicates', async () => {
    const t = await topic({ FifoTopic: 'true', ContentBasedDeduplication: 'true' }, '.fifo');
    const q = await queue({ FifoQueue: 'true' }, '.fifo');
    await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const r = await sns.send(new PublishBatchCommand({
      TopicArn: t, PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, Message: `m${i}`, MessageGroupId: 'g' })),
    }));
    assert.equal(r.Successful.length, 10);
    const again = await sns.send(new PublishCommand({ TopicArn: t, Message: 'm0', MessageGroupId: 'g' }));
    assert.equal(again.MessageId, r.Successful.find((x) => x.Id === 'e0').MessageId);
    const got = await drain(q.url, 10);
    assert.deepEqual(got.map((m) => m.Body), Array.from({ length: 10 }, (_, i) => `m${i}`));
    assert.equal(got[0].Attributes.MessageGroupId, 'g');
  });

  test('HTTP subscriber confirms via SubscribeURL and receives notifications', async () => {
    const received = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) });
        res.end();
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const t = await topic();
      const endpoint = `http://127.0.0.1:${server.address().port}/sns`;
      const sub = await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: endpoint }));
      assert.equal(sub.SubscriptionArn, 'pending confirmation');
      for (let i = 0; i < 100 && !received.length; i++) await sleep(20);
      assert.equal(received[0].headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
      const confirm = await fetch(received[0].body.SubscribeURL);
      assert.equal(confirm.status, 200);
      assert.match(await confirm.text(), /<SubscriptionArn>arn:aws:sns:us-east-1:000000000000:t-/);
      const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: t }))).Subscriptions;
      assert.notEqual(subs[0].SubscriptionArn, 'PendingConfirmation');
      await sns.send(new PublishCommand({ TopicArn: t, Message: 'over http' }));
      for (let i = 0; i < 100 && received.length < 2; i++) await sleep(20);
      assert.equal(received[1].headers['x-amz-sns-message-type'], 'Notification');
      assert.equal(received[1].headers['x-amz-sns-topic-arn'], t);
      assert.equal(received[1].body.Message, 'over http');
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subs[0].SubscriptionArn }));
      for (let i = 0; i < 100 && received.length < 3; i++) await sleep(20);
      assert.equal(received[2].body.Type, 'UnsubscribeConfirmation');
    } finally {
      server.close();
    }
  });

  test('recorded SMS and error shapes', async () => {
    await sns.send(new PublishCommand({ PhoneNumber: '+15550001111', Message: 'your code is 42' }));
    const log = await (await s.fetch('/_stratus/sns/messages?protocol=sms')).json();
    assert.ok(log.messages.some((m) => m.Endpoint === '+15550001111' && m.Message === 'your code is 42'));
    await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing' })), (e) => {
      assert.ok(e instanceof NotFoundException);
      assert.equal(e.message, 'Topic does not exist');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
    const t = await topic();
    const q = await queue();
    const sub = (await sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn }))).SubscriptionArn;
    await assert.rejects(sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: sub, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ a: [{ numeric: ['>', 10, '<', 5] }] }),
    })), (e) => {
      assert.ok(e instanceof InvalidParameterException);
      assert.equal(e.message, 'Invalid parameter: FilterPolicy: Bottom must be less than top');
      return true;
    });
    const a = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub }))).Attributes;
    assert.equal(a.PendingConfirmation, 'false');
    assert.equal(a.TopicArn, t);
  });
});
