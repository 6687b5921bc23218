// Lambda benchmarks (not part of the test suite; no pass/fail timing assertions):
//   1. cold start of a node hello-world vs `node -e ''` measured in the same run
//   2. warm Invoke latency (p50/p99) and its overhead above the handler and a no-op API call
//   3. 100 concurrent invokes scaling out with no errors
//   4. CPU used by Stratus and its idle environments while nothing happens
// Usage: STRATUS_BIN=build-lambda/stratus node tests/bench/lambda_bench.mjs [--warm N]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const e2e = resolve(here, '..', 'e2e');
const require = createRequire(join(e2e, 'package.json'));
const { LambdaClient, CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand } = require('@aws-sdk/client-lambda');
const { startStratus, clientConfig } = await import(join(e2e, 'js', 'harness.mjs'));
const { zipFiles, ROLE } = await import(join(e2e, 'js', 'lambda_support.mjs'));

const args = process.argv.slice(2);
const WARM = Number(args[args.indexOf('--warm') + 1]) || 2000;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(3)} ms`;

const s = await startStratus({ dataDir: false, args: ['--log-level', 'warn'] });
const lambda = new LambdaClient(clientConfig(s));
try {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'hello', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => "hello";' }) },
  }));

  // Raw keep-alive HTTP for the latency measurements: the SDK's own overhead is not Stratus's.
  const url = `${s.endpoint}/2015-03-31/functions/hello/invocations`;
  const headers = { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' };
  const invokeRaw = async () => {
    const r = await fetch(url, { method: 'POST', body: '{}', headers });
    await r.text();
    if (r.status !== 200) throw new Error(`status ${r.status}`);
  };

  // 1. Cold starts: each configuration change retires the environment, so the next invoke is cold.
  const nodeStarts = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    nodeStarts.push(performance.now() - t);
  }
  const colds = [];
  for (let i = 0; i < 10; i++) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Environment: { Variables: { N: String(i) } } }));
    const t = performance.now();
    await invokeRaw();
    colds.push(performance.now() - t);
  }
  console.log(`cold start   node -e '' p50 ${fmt(pct(nodeStarts, 50))}; cold Invoke p50 ${fmt(pct(colds, 50))} ` +
    `(+${fmt(pct(colds, 50) - pct(nodeStarts, 50))}), min ${fmt(Math.min(...colds))}`);

  // 2. Warm invokes vs a no-op API call on the same connection.
  for (let i = 0; i < 200; i++) await invokeRaw();
  const warm = [];
  for (let i = 0; i < WARM; i++) {
    const t = performance.now();
    await invokeRaw();
    warm.push(performance.now() - t);
  }
  const noop = [];
  for (let i = 0; i < WARM; i++) {
    const t = performance.now();
    const r = await fetch(`${s.endpoint}/2016-08-19/account-settings`, { headers });
    await r.text();
    noop.push(performance.now() - t);
  }
  console.log(`warm invoke  p50 ${fmt(pct(warm, 50))} p99 ${fmt(pct(warm, 99))}; no-op API call p50 ${fmt(pct(noop, 50))} ` +
    `p99 ${fmt(pct(noop, 99))}; invoke overhead above an API call p50 ${fmt(pct(warm, 50) - pct(noop, 50))} ` +
    `p99 ${fmt(pct(warm, 99) - pct(noop, 99))}`);

  // 3. 100 concurrent invokes of a function that takes 200 ms.
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'busy', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 30,
    Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => { await new Promise(r => setTimeout(r, 200)); return process.pid; };' }) },
  }));
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 100 }, () => lambda.send(new InvokeCommand({ FunctionName: 'busy', Payload: '{}' }))),
  );
  const elapsed = performance.now() - t0;
  const ok = results.filter((r) => r.status === 'fulfilled' && !r.value.FunctionError);
  const pids = new Set(ok.map((r) => Buffer.from(r.value.Payload).toString()));
  console.log(`concurrency  100 invokes: ${ok.length} ok, ${results.length - ok.length} errors, ` +
    `${pids.size} environments, ${fmt(elapsed)} wall`);

  // 4. Idle CPU: Stratus and its ~100 parked environments over 3 s.
  const ticks = () => {
    const pids = spawnSync('pgrep', ['-g', String(s.proc.pid)]).stdout.toString().trim().split('\n').filter(Boolean);
    const all = new Set([String(s.proc.pid), ...pids]);
    for (const p of spawnSync('pgrep', ['-P', String(s.proc.pid)]).stdout.toString().trim().split('\n').filter(Boolean)) all.add(p);
    let sum = 0;
    for (const p of all) {
      try {
        const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
        sum += Number(f[11]) + Number(f[12]);
      } catch {}
    }
    return sum;
  };
  const descendants = () => {
    let n = 0;
    for (const line of spawnSync('ps', ['-eo', 'pid,ppid']).stdout.toString().split('\n'))
      if (line.trim().split(/\s+/)[1] === String(s.proc.pid)) n++;
    return n;
  };
  await new Promise((r) => setTimeout(r, 500));
  const before = ticks();
  await new Promise((r) => setTimeout(r, 3000));
  const used = ticks() - before;
  console.log(`idle         ${descendants()} child processes; CPU used in 3 s idle: ${used} ticks (${used * 10} ms)`);
} finally {
  await s.stop();
}
