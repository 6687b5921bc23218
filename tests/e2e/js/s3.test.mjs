// S3 through the JS SDK v3: streamed uploads (aws-chunked with trailing checksums, CRC32 by
// default), checksum validation on download, presigned URLs (s3-request-presigner) used by fetch
// and curl with expiry on Stratus's clock, presigned POST forms (s3-presigned-post) sent as
// multipart/form-data, lib-storage's Upload for streams of unknown length, virtual-hosted
// addressing, multipart, pagination, error classes and CORS from fetch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, PutBucketCorsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client, S3ServiceException, UploadPartCommand, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig, startStratus } from './harness.mjs';

const md5 = (b) => createHash('md5').update(b).digest('hex');
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
// CRC32 as S3 reports it: the big-endian bytes, base64.
const crc32b64 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out.toString('base64');
};
// The headers of every request a client sends (finalizeRequest: after signing).
const recordHeaders = (client) => {
  const seen = [];
  client.middlewareStack.add((next) => async (args) => {
    seen.push({ ...args.request.headers });
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordHeaders' });
  return seen;
};

describe('s3 (JS SDK v3)', () => {
  let s, s3;
  const bucket = `js-${randomBytes(5).toString('hex')}`;
  before(async () => {
    s = await startStratus();
    s3 = new S3Client(clientConfig(s, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    await s.stop();
  });

  test('string body: ETag is the MD5, SDK default CRC32 checksum stored and returned', async () => {
    const r = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'hello.txt', Body: 'hello', ContentType: 'text/plain' }));
    assert.equal(r.ETag, `"${md5('hello')}"`);
    assert.equal(r.ChecksumCRC32, 'NhCmhg==');
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'hello.txt', ChecksumMode: 'ENABLED' }));
    assert.equal(await g.Body.transformToString(), 'hello');
    assert.equal(g.ChecksumCRC32, 'NhCmhg==');
    assert.equal(g.ContentType, 'text/plain');
    assert.equal(g.ContentLength, 5);
  });

  test('stream upload with aws-chunked framing and a trailing checksum', async () => {
    const chunks = [randomBytes(70000), randomBytes(2 * 1024 * 1024), randomBytes(33)];
    const all = Buffer.concat(chunks);
    const r = await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'stream.bin', Body: Readable.from(chunks), ContentLength: all.length,
      ChecksumAlgorithm: 'CRC32C',
    }));
    assert.equal(r.ETag, `"${md5(all)}"`);
    assert.ok(r.ChecksumCRC32C);
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.bin', ChecksumMode: 'ENABLED' }));
    const back = Buffer.from(await g.Body.transformToByteArray());
    assert.equal(back.length, all.length);
    assert.ok(back.equals(all));
    assert.equal(g.ChecksumCRC32C, r.ChecksumCRC32C);
    // Content-Encoding: aws-chunked is framing, not stored metadata.
    assert.equal(g.ContentEncoding, undefined);
  });

  test('stream upload with the SDK defaults: aws-chunked, CRC32 in a trailer, validated on download', async () => {
    const client = new S3Client(clientConfig(s, { forcePathStyle: true }));
    const seen = recordHeaders(client);
    const chunks = [randomBytes(64 * 1024), randomBytes(3 * 1024 * 1024 + 5), randomBytes(1)];
    const all = Buffer.concat(chunks);
    const r = await client.send(new PutObjectCommand({
      Bucket: bucket, Key: 'default-stream.bin', Body: Readable.from(chunks), ContentLength: all.length,
    }));
    const sent = seen.at(-1);
    assert.match(sent['content-encoding'], /aws-chunked/);
    assert.equal(sent['x-amz-trailer'], 'x-amz-checksum-crc32');
    assert.equal(sent['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.equal(sent['x-amz-decoded-content-length'], String(all.length));
    assert.equal(r.ETag, `"${md5(all)}"`);
    assert.equal(r.ChecksumCRC32, crc32b64(all));
    // The SDK checks the CRC32 of what it downloads against the header (ChecksumMode).
    const g = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'default-stream.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(g.ChecksumCRC32, crc32b64(all));
    assert.equal(g.ChecksumType, 'FULL_OBJECT');
    assert.ok(Buffer.from(await g.Body.transformToByteArray()).equals(all));
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'default-stream.bin' }));
    assert.equal(h.ContentLength, all.length);
    assert.equal(h.ContentEncoding, undefined);
  });

  test('aws-chunked bodies: a wrong trailing checksum is BadDigest, a short stream IncompleteBody, a missing trailer MalformedTrailerError', async () => {
    const send = (trailer, decodedLength, data = 'hello') => {
      const body = `${data.length.toString(16)}\r\n${data}\r\n0\r\n${trailer}\r\n`;
      return s.fetch(`/${bucket}/chunked-raw`, { method: 'PUT', body, headers: {
        'Content-Encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(decodedLength), 'x-amz-trailer': 'x-amz-checksum-crc32',
        Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      } });
    };
    let r = await send('x-amz-checksum-crc32:AAAAAA==\r\n', 5);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
    r = await send(`x-amz-checksum-crc32:${crc32b64(Buffer.from('hello'))}\r\n`, 6);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<Code>IncompleteBody<\/Code>/);
    // The announced trailer never came.
    r = await send('', 5);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<Code>MalformedTrailerError<\/Code>/);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'chunked-raw' })), { name: 'NotFound' });
    r = await send(`x-amz-checksum-crc32:${crc32b64(Buffer.from('hello'))}\r\n`, 5);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-amz-checksum-crc32'), crc32b64(Buffer.from('hello')));
  });

  test('lib-storage Upload: streams of unknown length, single PUT and multipart', async () => {
    const small = randomBytes(100 * 1024);
    const up1 = new Upload({ client: s3, params: { Bucket: bucket, Key: 'lib/small.bin', Body: Readable.from([small]) } });
    const r1 = await up1.done();
    assert.equal(r1.ETag, `"${md5(small)}"`);
    const parts = Array.from({ length: 11 }, () => randomBytes(1024 * 1024));
    const all = Buffer.concat(parts);
    const progress = [];
    const up2 = new Upload({
      client: s3, partSize: 5 * 1024 * 1024, queueSize: 2,
      params: { Bucket: bucket, Key: 'lib/big.bin', Body: Readable.from(parts), ContentType: 'application/x-test' },
    });
    up2.on('httpUploadProgress', (p) => progress.push(p.loaded));
    const r2 = await up2.done();
    assert.match(r2.ETag, /^"[0-9a-f]{32}-3"$/);
    assert.equal(progress.at(-1), all.length);
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'lib/big.bin' }));
    assert.equal(g.ContentType, 'application/x-test');
    assert.equal(g.ContentLength, all.length);
    assert.ok(Buffer.from(await g.Body.transformToByteArray()).equals(all));
  });

  test('presigned URLs from s3-request-presigner work with curl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-curl-'));
    try {
      const data = randomBytes(200 * 1024);
      writeFileSync(join(dir, 'up.bin'), data);
      const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'curl/up.bin', ContentType: 'image/png' }), { expiresIn: 300 });
      const head = execFileSync('curl', ['-sS', '-D', '-', '-o', '/dev/null', '-T', join(dir, 'up.bin'), '-H', 'Content-Type: image/png', put]).toString();
      assert.match(head, /^HTTP\/1\.1 200 OK/m);
      assert.match(head, new RegExp(`^ETag: "${md5(data)}"`, 'mi'));
      const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'curl/up.bin' }), { expiresIn: 300 });
      execFileSync('curl', ['-sS', '-f', '-o', join(dir, 'down.bin'), get]);
      assert.ok(readFileSync(join(dir, 'down.bin')).equals(data));
      const g = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'curl/up.bin' }));
      assert.equal(g.ContentType, 'image/png');
      const ranged = execFileSync('curl', ['-sS', '-f', '-r', '0-9', get]);
      assert.ok(ranged.equals(data.subarray(0, 10)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('presigned POST from s3-presigned-post: a multipart/form-data upload checked against its policy', async () => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: bucket, Key: 'avatars/${filename}', Expires: 600,
      Fields: { 'Content-Type': 'image/png', success_action_status: '201' },
      Conditions: [['starts-with', '$key', 'avatars/'], ['content-length-range', 1, 1024], ['starts-with', '$Content-Type', 'image/'],
        { success_action_status: '201' }],
    });
    assert.equal(new URL(url).pathname, `/${bucket}`);
    const form = (over = {}, data = Buffer.from('PNG bytes')) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ ...fields, ...over })) f.append(k, v);
      f.append('file', new Blob([data], { type: 'image/png' }), 'me.png');
      return f;
    };
    let r = await fetch(url, { method: 'POST', body: form() });
    assert.equal(r.status, 201, await r.clone().text());
    const xml = await r.text();
    assert.match(xml, new RegExp(`<Bucket>${bucket}</Bucket>`));
    assert.match(xml, /<Key>avatars\/me.png<\/Key>/);
    assert.equal(r.headers.get('etag'), `"${md5('PNG bytes')}"`);
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'avatars/me.png' }));
    assert.equal(g.ContentType, 'image/png');
    assert.equal(await g.Body.transformToString(), 'PNG bytes');
    // Too large for content-length-range.
    r = await fetch(url, { method: 'POST', body: form({}, Buffer.alloc(2000, 1)) });
    assert.equal(r.status, 400);
    const tooLarge = await r.text();
    assert.match(tooLarge, /<Code>EntityTooLarge<\/Code>/);
    assert.match(tooLarge, /<RequestId>[0-9A-F]{16}<\/RequestId>/);
    assert.match(tooLarge, /<HostId>[A-Za-z0-9+/=]+<\/HostId>/);
    // A field the policy does not allow.
    r = await fetch(url, { method: 'POST', body: form({ 'Content-Type': 'text/html' }) });
    assert.equal(r.status, 403);
    assert.match((await r.text()).replaceAll('&quot;', '"'),
      /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \["starts-with", "\$Content-Type", "image\/"\]<\/Message>/);
    // A key outside the policy's prefix.
    r = await fetch(url, { method: 'POST', body: form({ key: 'elsewhere/x.png' }) });
    assert.equal(r.status, 403);
  });

  test('errors are the modelled exception classes', async () => {
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), (e) => {
      assert.ok(e instanceof NoSuchKey);
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.equal(e.message, 'The specified key does not exist.');
      assert.equal(e.Key, 'missing');
      return true;
    });
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })), (e) => {
      assert.ok(e instanceof S3ServiceException);
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.equal(e.name, 'NotFound');
      return true;
    });
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'no-such-js-bucket', Key: 'k' })), { name: 'NoSuchBucket' });
  });

  test('ranges and conditional reads', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digits', Body: '0123456789' }));
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: 'bytes=-4' }));
    assert.equal(g.$metadata.httpStatusCode, 206);
    assert.equal(g.ContentRange, 'bytes 6-9/10');
    assert.equal(await g.Body.transformToString(), '6789');
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', Range: 'bytes=20-' })),
      (e) => e.name === 'InvalidRange' && e.$metadata.httpStatusCode === 416);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'digits', IfMatch: '"x"' })),
      (e) => e.name === 'PreconditionFailed' && e.$metadata.httpStatusCode === 412);
  });

  test('presigned GET and PUT URLs, expiry enforced on the Stratus clock', async () => {
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'signed.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
    const pr = await fetch(put, { method: 'PUT', body: 'from the browser', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(pr.status, 200);
    assert.equal(pr.headers.get('etag'), `"${md5('from the browser')}"`);
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'signed.txt' }), { expiresIn: 60 });
    const gr = await fetch(get);
    assert.equal(gr.status, 200);
    assert.equal(await gr.text(), 'from the browser');
    await s.advanceClock(61);
    const late = await fetch(get);
    assert.equal(late.status, 403);
    const body = await late.text();
    assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    assert.match(body, /<X-Amz-Expires>60<\/X-Amz-Expires>/);
  });

  test('virtual-hosted style addressing', async () => {
    const agent = new http.Agent({ lookup: (host, opts, cb) => (opts && opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) });
    const vh = new S3Client(clientConfig(s, {
      endpoint: `http://s3.localhost.localstack.cloud:${s.port}`,
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    }));
    await vh.send(new PutObjectCommand({ Bucket: bucket, Key: 'vhost/key', Body: 'virtual' }));
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'vhost/key' }));
    assert.equal(await g.Body.transformToString(), 'virtual');
    const l = await vh.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'vhost/' }));
    assert.deepEqual(l.Contents.map((o) => o.Key), ['vhost/key']);
  });

  test('multipart upload: md5-of-md5s ETag', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1000)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp.bin' }));
    const done = [];
    for (const [i, p] of parts.entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mp.bin', UploadId, PartNumber: i + 1, Body: p }));
      done.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    const c = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mp.bin', UploadId, MultipartUpload: { Parts: done } }));
    const md5s = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
    assert.equal(c.ETag, `"${md5(md5s)}-2"`);
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp.bin' }));
    assert.ok(Buffer.from(await g.Body.transformToByteArray()).equals(Buffer.concat(parts)));
  });

  test('pagination, copy, versioning', async () => {
    const b = `pages-${randomBytes(4).toString('hex')}`;
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    for (let i = 0; i < 7; i++) await s3.send(new PutObjectCommand({ Bucket: b, Key: `k${i}`, Body: `${i}` }));
    const keys = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 3 }, { Bucket: b })) keys.push(...(page.Contents || []).map((o) => o.Key));
    assert.deepEqual(keys, ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    const cp = await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'copy', CopySource: `${b}/k3` }));
    assert.equal(cp.CopyObjectResult.ETag, `"${md5('3')}"`);
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    const v = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k0', Body: 'new' }));
    assert.match(v.VersionId, /^[A-Za-z0-9._]{32}$/);
    const d = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k0' }));
    assert.equal(d.DeleteMarker, true);
  });

  test('CORS preflight from fetch follows the bucket rules', async () => {
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [
      { AllowedOrigins: ['http://localhost:3000'], AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] }] } }));
    const ok = await s.fetch(`/${bucket}/upload.png`, { method: 'OPTIONS', headers: {
      Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.equal(ok.headers.get('access-control-allow-methods'), 'PUT, GET');
    const denied = await s.fetch(`/${bucket}/upload.png`, { method: 'OPTIONS', headers: {
      Origin: 'http://elsewhere:3000', 'Access-Control-Request-Method': 'PUT' } });
    assert.equal(denied.status, 403);
  });
});

// --auth strict: the SDK's signatures are checked, streamed uploads included (their Content-Encoding:
// aws-chunked is part of what was signed).
describe('s3 (JS SDK v3) under --auth strict', () => {
  let s, s3;
  const creds = { accessKeyId: 'AKIDS3STRICT', secretAccessKey: 's3-strict-secret' };
  const bucket = `strict-${randomBytes(5).toString('hex')}`;
  before(async () => {
    s = await startStratus({ args: ['--auth', 'strict', '--credentials', `${creds.accessKeyId}:${creds.secretAccessKey}`] });
    s3 = new S3Client(clientConfig(s, { forcePathStyle: true, credentials: creds }));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    await s.stop();
  });

  test('streamed PUT (aws-chunked, CRC32 trailer) and lib-storage multipart pass signature checks', async () => {
    const data = randomBytes(300 * 1024);
    const r = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'stream', Body: Readable.from([data]), ContentLength: data.length }));
    assert.equal(r.ChecksumCRC32, crc32b64(data));
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream' }));
    assert.equal(g.ContentEncoding, undefined);
    assert.ok(Buffer.from(await g.Body.transformToByteArray()).equals(data));
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const up = new Upload({ client: s3, params: { Bucket: bucket, Key: 'mp', Body: Readable.from(parts), ContentEncoding: 'gzip' } });
    assert.match((await up.done()).ETag, /-2"$/);
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mp' }));
    assert.equal(h.ContentLength, parts[0].length + parts[1].length);
    assert.equal(h.ContentEncoding, 'gzip');
    const wrong = new S3Client(clientConfig(s, { forcePathStyle: true, credentials: { ...creds, secretAccessKey: 'nope' } }));
    await assert.rejects(wrong.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: Readable.from([data]), ContentLength: data.length })),
      { name: 'SignatureDoesNotMatch' });
  });

  test('presigned PUT and POST are verified; a tampered signature is refused', async () => {
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'signed.txt' }), { expiresIn: 60 });
    assert.equal((await fetch(put, { method: 'PUT', body: 'ok' })).status, 200);
    const bad = put.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`);
    const r = await fetch(bad, { method: 'PUT', body: 'no' });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const { url, fields } = await createPresignedPost(s3, { Bucket: bucket, Key: 'form.txt', Expires: 60 });
    const form = (over = {}) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ ...fields, ...over })) f.append(k, v);
      f.append('file', new Blob(['form body']), 'f.txt');
      return f;
    };
    assert.equal((await fetch(url, { method: 'POST', body: form() })).status, 204);
    const forged = await fetch(url, { method: 'POST', body: form({ 'X-Amz-Signature': '0'.repeat(64) }) });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const g = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'form.txt' }));
    assert.equal(await g.Body.transformToString(), 'form body');
  });
});
