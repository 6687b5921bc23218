// S3 through the JS SDK v3: streamed uploads (aws-chunked with trailing checksums), checksum
// validation on download, presigned URLs (s3-request-presigner) with expiry on Stratus's clock,
// virtual-hosted addressing, multipart, pagination, error classes and CORS from fetch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, PutBucketCorsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client, S3ServiceException, UploadPartCommand, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig, startStratus } from './harness.mjs';

const md5 = (b) => createHash('md5').update(b).digest('hex');

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
