// EventBridge Scheduler through the JS SDK v3: schedule groups, schedules and their invocations on
// the Stratus clock (advanced by the test, never waited for), templated and universal targets,
// context attributes, dead-letter queues and ActionAfterCompletion.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  SchedulerClient, CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand, DeleteScheduleCommand,
  ListSchedulesCommand, CreateScheduleGroupCommand, GetScheduleGroupCommand, DeleteScheduleGroupCommand,
  ListScheduleGroupsCommand, TagResourceCommand, ListTagsForResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-scheduler';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { LambdaClient, CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientConfig, startStratus } from './harness.mjs';
import { ROLE as LAMBDA_ROLE, zipFiles } from './lambda_support.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uniq = (p) => `${p}-${randomUUID().slice(0, 8)}`;
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const pad = (n) => String(n).padStart(2, '0');
// at() takes wall-clock time without a zone.
const atExpr = (d) => `at(${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())})`;

async function rejects(promise, name, status, message) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, status);
    if (message !== undefined) assert.equal(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}`);
}

describe('scheduler', () => {
  let s, sch, sqs, eb;
  const queue = async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniq('q') }))).QueueUrl;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes.QueueArn;
    return { url, arn };
  };
  const drain = async (url, n = 1, seconds = 15) => {
    const out = [];
    const deadline = Date.now() + seconds * 1000;
    while (out.length < n && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      out.push(...(r.Messages || []));
      // Deleted at once: moving the clock would otherwise end their visibility timeout.
      if (r.Messages?.length)
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: r.Messages.map((m, i) => ({ Id: `${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
    return out;
  };
  // The Stratus clock, read from a schedule's CreationDate (tests before may have moved it).
  const stratusNow = async () => {
    const name = uniq('probe');
    await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:none', RoleArn: ROLE }, State: 'DISABLED' }));
    const t = (await sch.send(new GetScheduleCommand({ Name: name }))).CreationDate;
    await sch.send(new DeleteScheduleCommand({ Name: name }));
    return t;
  };

  before(async () => {
    s = await startStratus();
    sch = new SchedulerClient(clientConfig(s));
    sqs = new SQSClient(clientConfig(s));
    eb = new EventBridgeClient(clientConfig(s));
  });
  after(async () => {
    await s.stop();
  });

  test('schedule groups: default, create, tags, list, delete', async () => {
    const def = await sch.send(new GetScheduleGroupCommand({ Name: 'default' }));
    assert.equal(def.Arn, 'arn:aws:scheduler:us-east-1:000000000000:schedule-group/default');
    assert.equal(def.State, 'ACTIVE');
    const name = uniq('g');
    const c = await sch.send(new CreateScheduleGroupCommand({ Name: name, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(c.ScheduleGroupArn, `arn:aws:scheduler:us-east-1:000000000000:schedule-group/${name}`);
    await rejects(sch.send(new CreateScheduleGroupCommand({ Name: name })), 'ConflictException', 409, `Schedule group ${name} already exists.`);
    await sch.send(new TagResourceCommand({ ResourceArn: c.ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await sch.send(new UntagResourceCommand({ ResourceArn: c.ScheduleGroupArn, TagKeys: ['team'] }));
    assert.deepEqual((await sch.send(new ListTagsForResourceCommand({ ResourceArn: c.ScheduleGroupArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    const listed = await sch.send(new ListScheduleGroupsCommand({ NamePrefix: name }));
    assert.deepEqual(listed.ScheduleGroups.map((g) => g.Name), [name]);
    await sch.send(new CreateScheduleCommand({ Name: 'inside', GroupName: name, ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:x', RoleArn: ROLE } }));
    await sch.send(new DeleteScheduleGroupCommand({ Name: name }));
    await rejects(sch.send(new GetScheduleGroupCommand({ Name: name })), 'ResourceNotFoundException', 404);
    await rejects(sch.send(new GetScheduleCommand({ Name: 'inside', GroupName: name })), 'ResourceNotFoundException', 404);
  });

  test('schedules: create, get with defaults, list, update, delete, errors', async () => {
    const name = uniq('s');
    const q = await queue();
    const c = await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"a":1}' }, Description: 'weekday mornings' }));
    assert.equal(c.ScheduleArn, `arn:aws:scheduler:us-east-1:000000000000:schedule/default/${name}`);
    const g = await sch.send(new GetScheduleCommand({ Name: name }));
    assert.equal(g.GroupName, 'default');
    assert.equal(g.State, 'ENABLED');
    assert.equal(g.ScheduleExpressionTimezone, 'Europe/Berlin');
    assert.equal(g.ActionAfterCompletion, 'NONE');
    assert.deepEqual(g.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 });
    assert.deepEqual(g.Target.RetryPolicy, { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    assert.ok(g.CreationDate instanceof Date);
    const l = await sch.send(new ListSchedulesCommand({ NamePrefix: name }));
    assert.equal(l.Schedules.length, 1);
    assert.deepEqual(l.Schedules[0].Target, { Arn: q.arn });
    await sch.send(new UpdateScheduleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: ROLE }, State: 'DISABLED' }));
    const u = await sch.send(new GetScheduleCommand({ Name: name }));
    assert.equal(u.State, 'DISABLED');
    assert.equal(u.ScheduleExpression, 'rate(5 minutes)');
    await rejects(sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: ROLE } })), 'ConflictException', 409, `Schedule ${name} already exists.`);
    await rejects(sch.send(new CreateScheduleCommand({ Name: uniq('bad'), ScheduleExpression: 'every day', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: ROLE } })), 'ValidationException', 400);
    await rejects(sch.send(new CreateScheduleCommand({ Name: uniq('bad'), ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      ScheduleExpressionTimezone: 'Mars/Base', Target: { Arn: q.arn, RoleArn: ROLE } })), 'ValidationException', 400);
    await rejects(sch.send(new CreateScheduleCommand({ Name: uniq('bad'), ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      GroupName: 'nope', Target: { Arn: q.arn, RoleArn: ROLE } })), 'ResourceNotFoundException', 404, 'Schedule group nope does not exist.');
    await sch.send(new DeleteScheduleCommand({ Name: name }));
    await rejects(sch.send(new GetScheduleCommand({ Name: name })), 'ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
  });

  test('an at() schedule fires once on the clock, fills context attributes, and deletes itself', async () => {
    const q = await queue();
    const name = uniq('once');
    const now = await stratusNow();
    const when = new Date(now.getTime() + 120000);
    const arn = (await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: atExpr(when), FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"schedule":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","try":<aws.scheduler.attempt-number>}' } }))).ScheduleArn;
    assert.equal((await drain(q.url, 1, 1)).length, 0);
    await s.advanceClock(121);
    const [m] = await drain(q.url, 1);
    assert.ok(m, 'invoked');
    const body = JSON.parse(m.Body);
    assert.equal(body.schedule, arn);
    assert.equal(body.at, when.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.equal(body.try, 1);
    await rejects(sch.send(new GetScheduleCommand({ Name: name })), 'ResourceNotFoundException', 404);
  });

  test('a rate() schedule starts at once without StartDate and keeps firing as time passes', async () => {
    // schedule-types.html#rate-based: "If you don't provide a StartDate for a rate-based schedule,
    // your schedule starts invoking the target immediately."
    const q = await queue();
    const name = uniq('rate');
    await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(10 minutes)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '"<aws.scheduler.scheduled-time>"' } }));
    const first = await drain(q.url, 1);
    assert.equal(first.length, 1);
    await s.advanceClock(601);
    await s.advanceClock(600);
    const msgs = [...first, ...await drain(q.url, 2)];
    assert.equal(msgs.length, 3);
    const times = msgs.map((m) => Date.parse(JSON.parse(m.Body))).sort();
    assert.deepEqual([times[1] - times[0], times[2] - times[1]], [600000, 600000]);
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });

  test('cron() is evaluated in ScheduleExpressionTimezone', async () => {
    // Minute 30 in Asia/Kolkata (UTC+05:30, no daylight saving) is minute 0 in UTC.
    const q = await queue();
    const name = uniq('tz');
    await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'cron(30 * * * ? *)', ScheduleExpressionTimezone: 'Asia/Kolkata',
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: q.arn, RoleArn: ROLE, Input: '"<aws.scheduler.scheduled-time>"' } }));
    const now = (await stratusNow()).getTime();
    const nextHour = Math.floor(now / 3600000) * 3600000 + 3600000;
    await s.advanceClock(Math.ceil((nextHour - now) / 1000) + 1);
    const [m] = await drain(q.url, 1);
    assert.ok(m, 'invoked');
    assert.equal(JSON.parse(m.Body), new Date(nextHour).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });

  test('StartDate and EndDate bound a recurring schedule', async () => {
    const q = await queue();
    const name = uniq('window');
    const now = (await stratusNow()).getTime();
    const start = new Date(Math.ceil((now + 600000) / 1000) * 1000);
    // Occurrences at start, +5 min and +10 min; the EndDate falls before +15 min.
    const end = new Date(start.getTime() + 700000);
    await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)', StartDate: start, EndDate: end,
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: q.arn, RoleArn: ROLE, Input: '"<aws.scheduler.scheduled-time>"' } }));
    const g = await sch.send(new GetScheduleCommand({ Name: name }));
    assert.equal(g.StartDate.getTime(), start.getTime());
    assert.equal(g.EndDate.getTime(), end.getTime());
    await s.advanceClock(300);
    assert.equal((await drain(q.url, 1, 1)).length, 0, 'nothing before StartDate');
    for (let i = 0; i < 6; i++) await s.advanceClock(300);  // 30 minutes past the start
    const msgs = await drain(q.url, 3);
    assert.equal((await drain(q.url, 1, 1)).length, 0, 'nothing after EndDate');
    const times = msgs.map((m) => Date.parse(JSON.parse(m.Body))).sort();
    const t0 = start.getTime();
    assert.deepEqual(times, [t0, t0 + 300000, t0 + 600000]);
    await rejects(sch.send(new CreateScheduleCommand({ Name: uniq('bad'), ScheduleExpression: 'rate(5 minutes)', StartDate: end, EndDate: start,
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: q.arn, RoleArn: ROLE } })), 'ValidationException', 400);
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });

  test('a flexible time window invokes once within the window after the scheduled time', async () => {
    const q = await queue();
    const now = (await stratusNow()).getTime();
    const when = new Date(now + 120000);
    await sch.send(new CreateScheduleCommand({ Name: uniq('flex'), ScheduleExpression: atExpr(when), ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '"<aws.scheduler.scheduled-time>"' } }));
    await s.advanceClock(100);   // (20 s short: real time moves the clock too)
    assert.equal((await drain(q.url, 1, 1)).length, 0, 'not before the scheduled time');
    await s.advanceClock(21);    // the scheduled time has come: the window opens
    await s.advanceClock(301);   // and has closed
    const msgs = await drain(q.url, 1);
    assert.equal(msgs.length, 1);
    assert.equal((await drain(q.url, 1, 1)).length, 0, 'invoked once');
    assert.equal(JSON.parse(msgs[0].Body), when.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  test('Lambda targets are invoked asynchronously with the schedule\'s Input', async () => {
    const lambda = new LambdaClient(clientConfig(s));
    const out = join(mkdtempSync(join(tmpdir(), 'sch-lambda-')), 'event.json');
    const fnName = uniq('fn');
    await lambda.send(new CreateFunctionCommand({
      FunctionName: fnName, Runtime: 'nodejs20.x', Role: LAMBDA_ROLE, Handler: 'index.handler',
      Environment: { Variables: { OUT: out } },
      Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async (e) => { require("fs").writeFileSync(process.env.OUT, JSON.stringify(e)); return "ok"; };' }) },
    }));
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: fnName }))).Configuration.FunctionArn;
    const name = uniq('to-fn');
    const arn = (await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: fn, RoleArn: ROLE, Input: '{"job":"nightly","schedule":"<aws.scheduler.schedule-arn>"}' } }))).ScheduleArn;
    const deadline = Date.now() + 20000;
    // Until the handler's file holds the whole event.
    const readEvent = () => { try { return JSON.parse(readFileSync(out, 'utf8')); } catch { return undefined; } };
    while (readEvent() === undefined && Date.now() < deadline) await sleep(100);
    assert.deepEqual(readEvent(), { job: 'nightly', schedule: arn });
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });

  test('EventBridge PutEvents and universal (aws-sdk) targets', async () => {
    const q = await queue();
    await eb.send(new PutRuleCommand({ Name: 'from-scheduler', EventPattern: '{"source":["my.scheduler"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'from-scheduler', Targets: [{ Id: 'q', Arn: q.arn }] }));
    await sch.send(new CreateScheduleCommand({ Name: uniq('eb'), ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', RoleArn: ROLE, Input: '{"hello":"bus"}',
        EventBridgeParameters: { Source: 'my.scheduler', DetailType: 'Tick' } } }));
    const q2 = await queue();
    await sch.send(new CreateScheduleCommand({ Name: uniq('sdk'), ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: ROLE, Input: JSON.stringify({ QueueUrl: q2.url, MessageBody: 'via sdk' }) } }));
    await s.advanceClock(61);
    const [m] = await drain(q.url, 1);
    const ev = JSON.parse(m.Body);
    assert.equal(ev.source, 'my.scheduler');
    assert.equal(ev['detail-type'], 'Tick');
    assert.deepEqual(ev.detail, { hello: 'bus' });
    const [m2] = await drain(q2.url, 1);
    assert.equal(m2.Body, 'via sdk');
  });

  test('SNS topic targets publish the schedule\'s Input', async () => {
    const sns = new SNSClient(clientConfig(s));
    const topic = (await sns.send(new CreateTopicCommand({ Name: uniq('t') }))).TopicArn;
    const q = await queue();
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const name = uniq('to-sns');
    await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: topic, RoleArn: ROLE, Input: '{"report":"hourly"}' } }));
    const [m] = await drain(q.url, 1);
    assert.ok(m, 'published');
    assert.deepEqual(JSON.parse(m.Body), { report: 'hourly' });
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });

  test('schedules survive a restart with --data-dir and keep firing', async () => {
    const q = await queue();
    const name = uniq('kept');
    const group = uniq('g');
    await sch.send(new CreateScheduleGroupCommand({ Name: group }));
    await sch.send(new CreateScheduleCommand({ Name: name, GroupName: group, ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris', Description: 'hourly', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '"<aws.scheduler.scheduled-time>"' } }));
    const before = await sch.send(new GetScheduleCommand({ Name: name, GroupName: group }));
    await s.restart();
    sch = new SchedulerClient(clientConfig(s));
    sqs = new SQSClient(clientConfig(s));
    eb = new EventBridgeClient(clientConfig(s));
    const after = await sch.send(new GetScheduleCommand({ Name: name, GroupName: group }));
    assert.deepEqual({ ...after, $metadata: undefined }, { ...before, $metadata: undefined });
    const now = (await stratusNow()).getTime();
    const nextHour = Math.floor(now / 3600000) * 3600000 + 3600000;
    await s.advanceClock(Math.ceil((nextHour - now) / 1000) + 1);
    const [m] = await drain(q.url, 1);
    assert.ok(m, 'invoked after the restart');
    assert.equal(JSON.parse(m.Body), new Date(nextHour).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    await sch.send(new DeleteScheduleCommand({ Name: name, GroupName: group }));
  });

  test('failed invocations go to the dead-letter queue', async () => {
    const dlq = await queue();
    const name = uniq('dl');
    const arn = (await sch.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:missing-queue', RoleArn: ROLE, Input: '{"x":1}',
        DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 0 } } }))).ScheduleArn;
    await s.advanceClock(61);
    const [m] = await drain(dlq.url, 1);
    assert.ok(m, 'dead-lettered');
    assert.equal(m.Body, '{"x":1}');
    assert.equal(m.MessageAttributes.SCHEDULE_ARN.StringValue, arn);
    assert.equal(m.MessageAttributes.TARGET_ARN.StringValue, 'arn:aws:sqs:us-east-1:000000000000:missing-queue');
    assert.ok(m.MessageAttributes.ERROR_CODE.StringValue);
    await sch.send(new DeleteScheduleCommand({ Name: name }));
  });
});
