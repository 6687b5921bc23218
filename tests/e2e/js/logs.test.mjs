// CloudWatch Logs through the JS SDK v3: groups, streams, events, tokens, filters, tags.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, startStratus } from './harness.mjs';

let s, logs;
before(async () => {
  s = await startStratus();
  logs = new CloudWatchLogsClient(clientConfig(s));
});
after(async () => {
  await s?.stop();
});

test('groups and streams with AWS errors', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/js/a' }));
  await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/js/a' })), (e) =>
    e.name === 'ResourceAlreadyExistsException' && e.message === 'The specified log group already exists');
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/js/a', logStreamName: 'one' }));
  const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/js/' }));
  assert.equal(g.logGroups.length, 1);
  assert.equal(g.logGroups[0].logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/js/a');
  const st = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/js/a' }));
  assert.equal(st.logStreams[0].logStreamName, 'one');
  assert.equal(st.logStreams[0].arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/js/a:log-stream:one');
  await assert.rejects(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/js/none' })), (e) =>
    e.name === 'ResourceNotFoundException' && e.message === 'The specified log group does not exist.');
});

test('events: put, get with tokens, filter with patterns and pagination', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/js/ev' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/js/ev', logStreamName: 's' }));
  const t = Date.now();
  await logs.send(new PutLogEventsCommand({
    logGroupName: '/js/ev', logStreamName: 's',
    logEvents: Array.from({ length: 6 }, (_, i) => ({ timestamp: t + i, message: i % 2 ? `odd ${i}` : `even ${i}` })),
  }));
  const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/js/ev', logStreamName: 's', startFromHead: true, limit: 4 }));
  assert.deepEqual(head.events.map((e) => e.message), ['even 0', 'odd 1', 'even 2', 'odd 3']);
  assert.ok(head.events.every((e) => typeof e.ingestionTime === 'number'));
  const more = await logs.send(new GetLogEventsCommand({ logGroupName: '/js/ev', logStreamName: 's', nextToken: head.nextForwardToken }));
  assert.deepEqual(more.events.map((e) => e.message), ['even 4', 'odd 5']);
  const back = await logs.send(new GetLogEventsCommand({ logGroupName: '/js/ev', logStreamName: 's', nextToken: more.nextBackwardToken, limit: 2 }));
  assert.deepEqual(back.events.map((e) => e.message), ['even 2', 'odd 3']);
  const odd = await logs.send(new FilterLogEventsCommand({ logGroupName: '/js/ev', filterPattern: 'odd' }));
  assert.deepEqual(odd.events.map((e) => e.message), ['odd 1', 'odd 3', 'odd 5']);
  assert.match(odd.events[0].eventId, /^\d{56}$/);
  const pages = [];
  for await (const p of paginateFilterLogEvents({ client: logs }, { logGroupName: '/js/ev', limit: 4 })) pages.push(p.events.length);
  assert.deepEqual(pages, [4, 2]);
});

test('retention, tags and deletion', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/js/t' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/js/t', retentionInDays: 14 }));
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/js/t';
  await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }));
  await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
  assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { b: '2' });
  const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/js/t' }));
  assert.equal(g.logGroups[0].retentionInDays, 14);
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/js/t' }));
  await assert.rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: '/js/t' })), (e) => e.name === 'ResourceNotFoundException');
});
