// The foundation through the JS SDK v3 and raw fetch: STS, internal endpoints, error shapes,
// accounts and regions, strict SigV4, durability across kill -9.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, startStratus } from './harness.mjs';

describe('core (open auth)', () => {
  let s, sts;
  before(async () => {
    s = await startStratus();
    sts = new STSClient(clientConfig(s));
  });
  after(async () => {
    const st = await s.stop();
    assert.equal(st.code, 0, 'graceful shutdown exits 0');
  });

  test('GetCallerIdentity: default account and root ARN', async () => {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(r.Account, '000000000000');
    assert.equal(r.Arn, 'arn:aws:iam::000000000000:root');
    assert.match(r.$metadata.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(r.$metadata.httpStatusCode, 200);
  });

  test('a 12-digit access key id is the account', async () => {
    const c = new STSClient(clientConfig(s, { credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } }));
    const r = await c.send(new GetCallerIdentityCommand({}));
    assert.equal(r.Account, '123456789012');
    const info = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }));
    assert.equal(info.Account, '000000000000');
    // AccessKeyId is at least 16 characters in the model: a 12-digit id is rejected there.
    await assert.rejects(sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: '210987654321' })),
      (e) => e.name === 'ValidationError' && /at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16/.test(e.message));
  });

  test('AssumeRole credentials act as the role in its account', async () => {
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/app/worker', RoleSessionName: 'job-1' }));
    assert.match(r.Credentials.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(r.Credentials.SecretAccessKey.length, 40);
    assert.ok(r.Credentials.Expiration instanceof Date);
    const ttl = r.Credentials.Expiration.getTime() - Date.now();
    assert.ok(ttl > 3500e3 && ttl <= 3600e3, `default duration is one hour (${ttl} ms)`);
    assert.equal(r.AssumedRoleUser.Arn, 'arn:aws:sts::111122223333:assumed-role/worker/job-1');
    assert.match(r.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:job-1$/);
    const as = new STSClient(clientConfig(s, { credentials: r.Credentials && {
      accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken } }));
    const me = await as.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, '111122223333');
    assert.equal(me.Arn, 'arn:aws:sts::111122223333:assumed-role/worker/job-1');
    assert.equal(me.UserId, r.AssumedRoleUser.AssumedRoleId);
    // Session credentials cannot get session tokens (AWS: AccessDenied).
    await assert.rejects(as.send(new GetSessionTokenCommand({})), (e) => e.name === 'AccessDenied' && e.$metadata.httpStatusCode === 403);
  });

  test('model validation answers with the Coral message', async () => {
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:short', RoleSessionName: 'x' })),
      (e) => {
        assert.equal(e.name, 'ValidationError');
        assert.equal(e.$metadata.httpStatusCode, 400);
        assert.equal(e.message, "2 validation errors detected: Value 'arn:short' at 'roleArn' failed to satisfy constraint: " +
          "Member must have length greater than or equal to 20; Value 'x' at 'roleSessionName' failed to satisfy constraint: " +
          'Member must have length greater than or equal to 2');
        return true;
      });
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ok', DurationSeconds: 60 })),
      (e) => e.name === 'ValidationError' && /durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/.test(e.message));
  });

  test('health, LocalStack alias and coverage', async () => {
    for (const path of ['/_stratus/health', '/_localstack/health']) {
      const r = await s.fetch(path);
      assert.equal(r.status, 200);
      const h = await r.json();
      assert.equal(h.services.sts, 'running');
      assert.equal(typeof h.version, 'string');
      assert.equal(h.stratus.persistent, true);
    }
    const cov = await (await s.fetch('/_stratus/coverage')).json();
    assert.ok(cov.sts.implemented_operations.includes('AssumeRole'));
    assert.ok(cov.sts.operations >= cov.sts.implemented);
  });

  test('unknown X-Amz-Target → UnknownOperationException; the server keeps serving', async () => {
    const r = await s.fetch('/', { method: 'POST', headers: { 'X-Amz-Target': 'NoSuchService_20200101.DoIt', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}' });
    assert.equal(r.status, 400);
    const body = await r.json();
    assert.match(body.__type, /UnknownOperationException$/);
    assert.ok(r.headers.get('x-amzn-requestid'));
    assert.ok((await sts.send(new GetCallerIdentityCommand({}))).Account);
  });

  test('broken JSON → SerializationException; the server keeps serving', async () => {
    for (const body of ['{"QueueNamePrefix": ', '[1, 2]', '\u0000\u0001garbage']) {
      const r = await s.fetch('/', { method: 'POST', headers: { 'X-Amz-Target': 'AmazonSQS.ListQueues', 'Content-Type': 'application/x-amz-json-1.0' }, body });
      assert.equal(r.status, 400);
      const e = await r.json();
      assert.equal(e.__type, 'com.amazon.coral.service#SerializationException');
    }
    const wrongType = await s.fetch('/', { method: 'POST', headers: { 'X-Amz-Target': 'AmazonSQS.ListQueues', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{"MaxResults": "ten"}' });
    assert.equal(wrongType.status, 400);
    assert.equal((await wrongType.json()).message, 'STRING_VALUE can not be converted to an Integer');
    assert.ok((await sts.send(new GetCallerIdentityCommand({}))).Account);
  });

  test('unknown query Action → InvalidAction in an ErrorResponse', async () => {
    const r = await s.fetch('/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=FlyToTheMoon&Version=2011-06-15' });
    assert.equal(r.status, 400);
    const xml = await r.text();
    assert.match(xml, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>The action FlyToTheMoon is not valid for this web service.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
    assert.equal(xml.match(/<RequestId>(.*)<\/RequestId>/)[1], r.headers.get('x-amzn-requestid'));
  });


  test('CORS: preflight and response headers for browsers', async () => {
    const pre = await s.fetch('/', { method: 'OPTIONS', headers: { Origin: 'http://app.local:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' } });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.local:3000');
    assert.match(pre.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type,x-amz-target');
    const r = await s.fetch('/', { method: 'POST', headers: { Origin: 'http://app.local:3000', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://app.local:3000');
    assert.match(r.headers.get('access-control-expose-headers'), /x-amzn-RequestId/);
  });

  test('every response carries Date and a request id', async () => {
    const r = await s.fetch('/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.ok(!Number.isNaN(Date.parse(r.headers.get('date'))));
    assert.match(r.headers.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/);
    assert.match(await r.text(), /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/);
  });

  test('the clock control endpoint moves time forward only', async () => {
    const before = await (await s.fetch('/_stratus/clock')).json();
    const r = await s.advanceClock(3600);
    assert.equal(r.status, 200);
    const after = await r.json();
    assert.ok(after.epoch_ms - before.epoch_ms >= 3600e3);
    const back = await s.fetch('/_stratus/clock', { method: 'POST', body: JSON.stringify({ advance: -5 }) });
    assert.equal(back.status, 400);
  });

  test('reset drops state (issued credentials are forgotten)', async () => {
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/r', RoleSessionName: 'gone' }));
    const creds = { accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken };
    const as = new STSClient(clientConfig(s, { credentials: creds }));
    assert.equal((await as.send(new GetCallerIdentityCommand({}))).Account, '444455556666');
    for (const path of ['/_stratus/reset', '/moto-api/reset']) {
      const res = await s.fetch(path, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).status, 'ok');
    }
    assert.equal((await as.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  });
});

describe('routing without a fallback service', () => {
  test('a request nobody claims gets an error naming what was looked at', async () => {
    // S3 takes unclaimed path-style requests; without it nothing claims this one.
    const s = await startStratus({ args: ['--services', 'sts'], dataDir: false });
    try {
      const r = await s.fetch('/some/path', { method: 'POST', body: 'x' });
      assert.equal(r.status, 400);
      const body = await r.json();
      assert.match(body.__type, /UnrecognizedServiceException/);
      assert.match(body.message, /does not recognise this request/);
      assert.match(body.message, /\/some\/path/);
      const e = await s.fetch('/', { method: 'POST', headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00' }, body: 'Action=DescribeInstances' });
      assert.equal(e.status, 400);
      assert.match(await e.text(), /service 'ec2', which Stratus does not emulate/);
    } finally {
      await s.stop();
    }
  });
});

describe('durability', () => {
  test('acknowledged writes survive kill -9 with --data-dir', async () => {
    const s = await startStratus();
    const sts = new STSClient(clientConfig(s));
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/durable', RoleSessionName: 'k9' }));
    await s.kill9();
    await s.restart();
    const as = new STSClient(clientConfig(s, { credentials: {
      accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken } }));
    const me = await as.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:sts::777788889999:assumed-role/durable/k9');
    await s.stop();
  });

  test('without --data-dir state is in memory', async () => {
    const s = await startStratus({ dataDir: false });
    const h = await (await s.fetch('/_stratus/health')).json();
    assert.equal(h.stratus.persistent, false);
    await s.stop();
  });
});

describe('strict SigV4', () => {
  let s;
  before(async () => { s = await startStratus({ args: ['--auth', 'strict', '--credentials', 'AKIDSTRICT:strict-secret,123456789012:other-secret'] }); });
  after(async () => { await s.stop(); });

  test('a correct signature is accepted and names the account', async () => {
    const c = new STSClient(clientConfig(s, { credentials: { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'strict-secret' } }));
    assert.equal((await c.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
    const d = new STSClient(clientConfig(s, { credentials: { accessKeyId: '123456789012', secretAccessKey: 'other-secret' } }));
    assert.equal((await d.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
  });

  test('a wrong secret → SignatureDoesNotMatch (403)', async () => {
    const c = new STSClient(clientConfig(s, { credentials: { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'wrong' } }));
    await assert.rejects(c.send(new GetCallerIdentityCommand({})), (e) => {
      assert.equal(e.name, 'SignatureDoesNotMatch');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, /^The request signature we calculated does not match the signature you provided/);
      return true;
    });
  });

  test('an unknown key → InvalidClientTokenId (403)', async () => {
    const c = new STSClient(clientConfig(s, { credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } }));
    await assert.rejects(c.send(new GetCallerIdentityCommand({})),
      (e) => e.name === 'InvalidClientTokenId' && e.$metadata.httpStatusCode === 403 && e.message === 'The security token included in the request is invalid.');
  });

  test('an unsigned request → MissingAuthenticationToken (403)', async () => {
    const r = await s.fetch('/', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/);
  });

  test('credentials STS issues are accepted in strict mode', async () => {
    const c = new STSClient(clientConfig(s, { credentials: { accessKeyId: 'AKIDSTRICT', secretAccessKey: 'strict-secret' } }));
    const r = await c.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123123123123:role/x', RoleSessionName: 'strict' }));
    const as = new STSClient(clientConfig(s, { credentials: {
      accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken } }));
    assert.equal((await as.send(new GetCallerIdentityCommand({}))).Account, '123123123123');
  });
});
