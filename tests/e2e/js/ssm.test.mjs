// SSM Parameter Store through the JS SDK v3: versions, selectors, SecureString, paths, labels,
// pagination, tags and AWS's errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { clientConfig, startStratus } from './harness.mjs';

let s, ssm;
before(async () => {
  s = await startStratus();
  ssm = new SSMClient(clientConfig(s));
});
after(async () => {
  await s?.stop();
});

async function rejects(promise) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.$metadata.httpStatusCode, 400);
    return e;
  }
  assert.fail('expected an error');
}

test('put, overwrite, versions and selectors', async () => {
  const r = await ssm.send(new PutParameterCommand({ Name: '/js/url', Value: 'v1', Type: 'String' }));
  assert.deepEqual([r.Version, r.Tier], [1, 'Standard']);
  const e = await rejects(ssm.send(new PutParameterCommand({ Name: '/js/url', Value: 'v2', Type: 'String' })));
  assert.ok(e instanceof ParameterAlreadyExists);
  assert.equal(e.message, 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  const r2 = await ssm.send(new PutParameterCommand({ Name: '/js/url', Value: 'v2', Overwrite: true }));
  assert.equal(r2.Version, 2);
  const p = (await ssm.send(new GetParameterCommand({ Name: '/js/url:1' }))).Parameter;
  assert.equal(p.Name, '/js/url');
  assert.equal(p.Value, 'v1');
  assert.equal(p.Selector, ':1');
  assert.equal(p.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/js/url');
  assert.ok(p.LastModifiedDate instanceof Date);
  const missing = await rejects(ssm.send(new GetParameterCommand({ Name: '/js/none' })));
  assert.ok(missing instanceof ParameterNotFound);
  const v = await rejects(ssm.send(new GetParameterCommand({ Name: '/js/url:9' })));
  assert.equal(v.name, 'ParameterVersionNotFound');
  const bad = await rejects(ssm.send(new PutParameterCommand({ Name: 'ssm-x', Value: 'v', Type: 'String' })));
  assert.equal(bad.name, 'ValidationException');
  assert.equal(bad.message, 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
});

test('SecureString values need WithDecryption', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/js/secret', Value: 's3cret', Type: 'SecureString' }));
  const hidden = (await ssm.send(new GetParameterCommand({ Name: '/js/secret' }))).Parameter.Value;
  assert.notEqual(hidden, 's3cret');
  const shown = (await ssm.send(new GetParameterCommand({ Name: '/js/secret', WithDecryption: true }))).Parameter.Value;
  assert.equal(shown, 's3cret');
  const r = await ssm.send(new GetParametersCommand({ Names: ['/js/secret', '/js/nope'], WithDecryption: true }));
  assert.deepEqual(r.Parameters.map((x) => x.Value), ['s3cret']);
  assert.deepEqual(r.InvalidParameters, ['/js/nope']);
});

test('paths, filters and pagination', async () => {
  for (const n of ['/tree/a', '/tree/b', '/tree/c', '/tree/x/d', '/tree/x/y/e']) {
    await ssm.send(new PutParameterCommand({ Name: n, Value: n, Type: 'String' }));
  }
  const names = [];
  for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 2 }, { Path: '/tree', Recursive: true })) {
    assert.ok(page.Parameters.length <= 2);
    names.push(...page.Parameters.map((x) => x.Name));
  }
  assert.deepEqual(names.sort(), ['/tree/a', '/tree/b', '/tree/c', '/tree/x/d', '/tree/x/y/e']);
  const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: '/tree/x' }));
  assert.deepEqual(oneLevel.Parameters.map((x) => x.Name), ['/tree/x/d']);
  const described = [];
  for await (const page of paginateDescribeParameters({ client: ssm, pageSize: 2 }, {
    ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/tree/x'] }],
  })) {
    described.push(...page.Parameters.map((x) => x.Name));
  }
  assert.deepEqual(described.sort(), ['/tree/x/d', '/tree/x/y/e']);
  const e = await rejects(ssm.send(new DescribeParametersCommand({
    ParameterFilters: [{ Key: 'Name', Option: 'Recursive', Values: ['/tree'] }],
  })));
  assert.equal(e.name, 'InvalidFilterOption');
  const k = await rejects(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })));
  assert.equal(k.name, 'InvalidFilterKey');
});

test('labels, history and deletes', async () => {
  for (let i = 1; i <= 3; i++) {
    await ssm.send(new PutParameterCommand({ Name: '/js/h', Value: `v${i}`, Type: 'String', Overwrite: i > 1 }));
  }
  const l = await ssm.send(new LabelParameterVersionCommand({ Name: '/js/h', ParameterVersion: 2, Labels: ['blue', '9lives'] }));
  assert.deepEqual([l.ParameterVersion, l.InvalidLabels], [2, ['9lives']]);
  const p = (await ssm.send(new GetParameterCommand({ Name: '/js/h:blue' }))).Parameter;
  assert.deepEqual([p.Version, p.Value, p.Selector], [2, 'v2', ':blue']);
  const h = await ssm.send(new GetParameterHistoryCommand({ Name: '/js/h' }));
  assert.deepEqual(h.Parameters.map((x) => [x.Version, x.Labels]), [[1, []], [2, ['blue']], [3, []]]);
  const u = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/js/h', ParameterVersion: 2, Labels: ['blue', 'red'] }));
  assert.deepEqual([u.RemovedLabels, u.InvalidLabels], [['blue'], ['red']]);
  await ssm.send(new DeleteParameterCommand({ Name: '/js/h' }));
  const gone = await rejects(ssm.send(new DeleteParameterCommand({ Name: '/js/h' })));
  assert.equal(gone.name, 'ParameterNotFound');
  const d = await ssm.send(new DeleteParametersCommand({ Names: ['/js/url', '/js/never'] }));
  assert.deepEqual([d.DeletedParameters, d.InvalidParameters], [['/js/url'], ['/js/never']]);
});

test('tags', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/js/t', Value: 'v', Type: 'String', Tags: [{ Key: 'a', Value: '1' }] }));
  await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/js/t', Tags: [{ Key: 'b', Value: '2' }] }));
  await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/js/t', TagKeys: ['a'] }));
  const t = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/js/t' }));
  assert.deepEqual(t.TagList, [{ Key: 'b', Value: '2' }]);
  const e = await rejects(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/js/none' })));
  assert.equal(e.name, 'InvalidResourceId');
});
