// Helpers for the Lambda suites: in-memory .zip archives (stored entries, Unix modes kept) and
// small function factories. Not a test file itself.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// files: { "index.js": "source", "bootstrap": { content: "...", mode: 0o755 } }
export function zipFiles(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(files)) {
    const content = Buffer.from(typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : spec.content);
    const mode = typeof spec === 'object' && !Buffer.isBuffer(spec) && spec.mode ? spec.mode : 0o644;
    const nameBuf = Buffer.from(name);
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(content.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, content);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(content.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + content.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

// A shell custom runtime speaking the Runtime API with curl, as in AWS's tutorial
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-walkthrough.html).
export const SHELL_BOOTSTRAP = `#!/bin/sh
set -eu
. "$LAMBDA_TASK_ROOT/$(echo $_HANDLER | cut -d. -f1).sh"
while true; do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
  curl -sS -X POST "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE" >/dev/null
  rm -f "$HEADERS"
done
`;

// AWS's tutorial runtime and function exactly as the tutorial gives them: `#!/bin/sh` with bash-isms
// (`set -o pipefail`, `source`, `function f ()`), which Amazon Linux's bash-as-sh accepts.
export const TUTORIAL_BOOTSTRAP = `#!/bin/sh

set -euo pipefail

# Initialization - load function handler
source $LAMBDA_TASK_ROOT/"$(echo $_HANDLER | cut -d. -f1).sh"

# Processing
while true
do
  HEADERS="$(mktemp)"
  # Get an event. The HTTP request will block until one is received
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")

  # Extract request ID by scraping response headers received above
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)

  # Run the handler function from the script
  RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")

  # Send the response
  curl "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response"  -d "$RESPONSE"
done
`;
export const TUTORIAL_FUNCTION = `function handler () {
  EVENT_DATA=$1

  RESPONSE="{\\"statusCode\\": 200, \\"body\\": \\"Hello from Lambda!\\"}"
  echo $RESPONSE
}
`;

export const decode = (payload) => (payload ? Buffer.from(payload).toString('utf8') : '');

// Plain HTTP with a chosen Host header (fetch forbids setting Host): function URLs are addressed
// by host name, which resolves nowhere, so requests go to Stratus's port with that Host.
export async function hostRequest(endpoint, host, path = '/', { method = 'GET', headers = {}, body } = {}) {
  const http = await import('node:http');
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method, headers: { ...headers, host } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
