// Helpers for the API Gateway suites: requests to invoke URLs on <api>.execute-api.localhost
// hosts (which the test machine's resolver may not know) and a local echo backend for
// HTTP/HTTP_PROXY integrations.
import http from 'node:http';

// Resolves every host to 127.0.0.1 (the invoke URLs' *.execute-api.localhost names).
export function localLookup(hostname, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  if (options && options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}
export const localAgent = new http.Agent({ keepAlive: true, lookup: localLookup });

// A request to any URL, with DNS pinned to 127.0.0.1. Resolves {status, headers, body, json()}.
export function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, lookup: localLookup }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body: buf.toString('utf8'), raw: buf,
          json: () => JSON.parse(buf.toString('utf8')) });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// An HTTP server answering every request with what it received.
export async function echoServer() {
  const seen = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(record);
      if (req.url.startsWith('/status/')) {
        res.writeHead(Number(req.url.split('/')[2]), { 'content-type': 'application/json', 'x-backend': 'echo' });
        res.end(JSON.stringify({ status: Number(req.url.split('/')[2]) }));
        return;
      }
      if (req.url.startsWith('/slow')) {
        setTimeout(() => { res.writeHead(200); res.end('late'); }, 1500);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'echo',
        'access-control-allow-origin': 'https://backend.example' });
      res.end(JSON.stringify(record));
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}`, seen, close: () => new Promise((r) => srv.close(r)) };
}

// A stored (uncompressed) .zip archive of text files, for Lambda function code.
const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
export function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text), nameBuf = Buffer.from(name), crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    locals.push(local, nameBuf, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE((3 << 8) | 20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28); central.writeUInt32LE(((0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// An HTTP server that records JSON posted to it (events forwarded by test functions).
export async function recorder() {
  const events = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try { events.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch { /* ignored */ }
      res.end('ok');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}`, events, close: () => new Promise((r) => srv.close(r)) };
}
