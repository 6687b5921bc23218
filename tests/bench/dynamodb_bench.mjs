// DynamoDB benchmarks: Stratus side by side with dynalite (npm), in the same run, on this machine.
//
//   node tests/bench/dynamodb_bench.mjs [--duration 10] [--connections 64] [--query-items 1000000] [--rss-items 0]
//
// PutItem / GetItem: wrk with 64 keep-alive connections against each server.
// Query: one 100-item page from a partition of --query-items items (Stratus only; dynalite would
// take hours to load 1M items). RSS: --rss-items items of 1 KB with --data-dir, then the
// process's resident set size. dynalite is looked up under $PEERS (default /tmp/peers:
// `npm install --prefix /tmp/peers dynalite`); it is never a dependency of the test suite.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..', '..');
const BIN = process.env.STRATUS_BIN || join(ROOT, 'build', 'stratus');
const PEERS = process.env.PEERS || '/tmp/peers';
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const DURATION = Number(args.duration || 10);
const CONNS = Number(args.connections || 64);
const QUERY_ITEMS = Number(args['query-items'] ?? 1000000);
const RSS_ITEMS = Number(args['rss-items'] ?? 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'ddb-bench-'));
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });
process.on('SIGINT', () => process.exit(130));

const AUTH = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000',
  'x-amz-date': '20240101T000000Z',
};

async function call(endpoint, op, body) {
  let r;
  for (let attempt = 0; ; attempt++) {
    try {
      r = await fetch(endpoint, { method: 'POST', headers: { ...AUTH, 'x-amz-target': `DynamoDB_20120810.${op}` }, body: JSON.stringify(body) });
      break;
    } catch (e) {
      if (attempt >= 3) throw new Error(`${op} against ${endpoint}: ${e.cause?.message || e.message}`);
      await sleep(100);
    }
  }
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${op}: ${r.status} ${text}`);
  return JSON.parse(text);
}

async function startStratus(extra = []) {
  const portFile = join(dir, `port-${Math.random()}`);
  const proc = spawn(BIN, ['--port', '0', '--port-file', portFile, '--log-level', 'warn', ...extra], { stdio: 'ignore' });
  children.add(proc);
  for (let i = 0; i < 3000 && !existsSync(portFile); i++) await sleep(5);
  const port = Number(readFileSync(portFile, 'utf8'));
  return { name: 'stratus', proc, endpoint: `http://127.0.0.1:${port}` };
}

async function startDynalite() {
  const cli = join(PEERS, 'node_modules', 'dynalite', 'cli.js');
  if (!existsSync(cli)) return null;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn(process.execPath, [cli, '--port', String(port), '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'], { stdio: 'ignore' });
  children.add(proc);
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 500; i++) {
    try { await call(endpoint, 'ListTables', {}); break; } catch { await sleep(20); }
  }
  return { name: 'dynalite', proc, endpoint };
}

async function createTable(endpoint, name) {
  await call(endpoint, 'CreateTable', {
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  for (let i = 0; i < 100; i++) {
    const d = await call(endpoint, 'DescribeTable', { TableName: name });
    if (d.Table.TableStatus === 'ACTIVE') return;
    await sleep(20);
  }
}

async function load(endpoint, table, n, pk, payload, concurrency = 8) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const start = next;
      next += 25;
      const reqs = [];
      for (let i = start; i < Math.min(start + 25, n); i++)
        reqs.push({ PutRequest: { Item: { pk: { S: pk(i) }, sk: { N: String(i) }, data: { S: payload } } } });
      await call(endpoint, 'BatchWriteItem', { RequestItems: { [table]: reqs } });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function wrk(endpoint, lua) {
  const script = join(dir, `bench-${Math.random()}.lua`);
  writeFileSync(script, lua);
  const out = execFileSync('wrk', ['-t2', `-c${CONNS}`, `-d${DURATION}s`, '--latency', '-s', script, endpoint], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] || '0';
  return { rps, p99, errors: Number(errors) };
}

const headers = (op) => Object.entries({ ...AUTH, 'X-Amz-Target': `DynamoDB_20120810.${op}` })
  .map(([k, v]) => `wrk.headers["${k}"] = "${v}"`).join('\n');

const putLua = `${headers('PutItem')}
wrk.method = "POST"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"TableName":"bench","Item":{"pk":{"S":"k' .. math.random(1, 100000000) .. '"},"sk":{"N":"' .. n .. '"},"v":{"S":"payload-payload-payload-payload"},"n":{"N":"42"}}}')
end`;
const getLua = `${headers('GetItem')}
wrk.method = "POST"
request = function()
  local i = math.random(0, 9999)
  return wrk.format(nil, nil, nil, '{"TableName":"bench","Key":{"pk":{"S":"g' .. i .. '"},"sk":{"N":"' .. i .. '"}}}')
end`;

async function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

const results = {};
try {
  const servers = [await startStratus()];
  const dyn = await startDynalite();
  if (dyn) servers.push(dyn);
  else console.log(`(dynalite not found under ${PEERS}: npm install --prefix ${PEERS} dynalite)`);
  for (const s of servers) {
    await createTable(s.endpoint, 'bench');
    await load(s.endpoint, 'bench', 10000, (i) => `g${i}`, 'x'.repeat(100));
    results[s.name] = { put: wrk(s.endpoint, putLua), get: wrk(s.endpoint, getLua) };
    console.log(`${s.name.padEnd(9)} PutItem ${results[s.name].put.rps.toFixed(0).padStart(7)}/s (p99 ${results[s.name].put.p99}, errors ${results[s.name].put.errors})  ` +
      `GetItem ${results[s.name].get.rps.toFixed(0).padStart(7)}/s (p99 ${results[s.name].get.p99}, errors ${results[s.name].get.errors})`);
  }
  if (results.dynalite)
    console.log(`ratio     PutItem ${(results.stratus.put.rps / results.dynalite.put.rps).toFixed(1)}x  GetItem ${(results.stratus.get.rps / results.dynalite.get.rps).toFixed(1)}x  (targets: 5x, 3x)`);
  for (const s of servers) s.proc.kill();

  if (QUERY_ITEMS > 0) {
    const s = await startStratus();
    await createTable(s.endpoint, 'query1m');
    const t0 = Date.now();
    await load(s.endpoint, 'query1m', QUERY_ITEMS, () => 'hot', 'y'.repeat(50), 4);
    console.log(`loaded ${QUERY_ITEMS} items into one partition in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const lat = [];
    for (let i = 0; i < 500; i++) {
      const from = Math.floor(Math.random() * QUERY_ITEMS);
      const t = process.hrtime.bigint();
      const r = await call(s.endpoint, 'Query', { TableName: 'query1m', KeyConditionExpression: 'pk = :p AND sk >= :s', Limit: 100,
        ExpressionAttributeValues: { ':p': { S: 'hot' }, ':s': { N: String(from) } } });
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.Count !== Math.min(100, QUERY_ITEMS - from)) throw new Error(`query returned ${r.Count}`);
    }
    lat.sort((a, b) => a - b);
    console.log(`Query (100-item page, ${QUERY_ITEMS}-item partition): p50 ${lat[250].toFixed(2)} ms, p99 ${lat[495].toFixed(2)} ms (target < 2 ms)`);
    s.proc.kill();
  }

  if (RSS_ITEMS > 0) {
    const s = await startStratus(['--data-dir', join(dir, 'data')]);
    await createTable(s.endpoint, 'rss1kb');
    const t0 = Date.now();
    await load(s.endpoint, 'rss1kb', RSS_ITEMS, (i) => `p${i % 1000}`, 'z'.repeat(1000), 4);
    console.log(`loaded ${RSS_ITEMS} items of 1 KB with --data-dir in ${((Date.now() - t0) / 1000).toFixed(1)} s; RSS ${(await rss(s.proc.pid)).toFixed(0)} MB (target < 100 MB)`);
    s.proc.kill();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
