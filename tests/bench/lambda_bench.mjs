// Lambda benchmarks (issue 6; not part of the test suite, no pass/fail timing assertions):
//   1. cold start of a node hello-world vs `node -e ''`, interleaved in the same run
//      (target: cold Invoke ≤ node's own start-up + 10 ms)
//   2. warm Invoke latency vs a no-op API call on the same keep-alive connection, interleaved, and
//      the CPU Stratus and the runtime process spend per warm invoke (target: ≤ 0.3 ms p50 / 1 ms p99
//      above the handler)
//   3. 100 concurrent invokes of a 3 s handler: all succeed, one environment each
//   4. CPU used by Stratus and its ~100 parked environments while nothing happens (target: 0)
// Usage: STRATUS_BIN=build/stratus node tests/bench/lambda_bench.mjs [--warm N] [--cold N]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const e2e = resolve(here, '..', 'e2e', 'js');
const { startStratus } = await import(join(e2e, 'harness.mjs'));
const { zipFiles, ROLE } = await import(join(e2e, 'lambda_support.mjs'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const WARM = arg('--warm', 5000);
const COLD = arg('--cold', 15);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(3)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const TICK_MS = 10;  // USER_HZ = 100 on Linux
const cpuMs = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
};
const children = (ppid) => {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      if (f[1] === String(ppid)) out.push(Number(d));
    } catch {}
  }
  return out;
};

process.env.STRATUS_LOG_LEVEL ??= 'warn';
const s = await startStratus({ dataDir: false });
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x';

// A minimal keep-alive HTTP/1.1 client (one request at a time): the latencies measured are
// Stratus's, not an HTTP library's.
function rawClient() {
  const sock = connect({ host: '127.0.0.1', port: s.port });
  sock.setNoDelay(true);
  let buf = Buffer.alloc(0), waiter = null;
  sock.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0 || !waiter) return;
    const head = buf.toString('latin1', 0, end);
    const len = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (buf.length < end + 4 + len) return;
    const body = buf.subarray(end + 4, end + 4 + len).toString();
    buf = buf.subarray(end + 4 + len);
    const w = waiter;
    waiter = null;
    w({ status: Number(head.split(' ')[1]), head, body });
  });
  const ready = new Promise((r) => sock.once('connect', r));
  return {
    async send(method, path, body = '', headers = {}) {
      await ready;
      const b = Buffer.from(body);
      let h = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Length: ${b.length}\r\n`;
      for (const [k, v] of Object.entries(headers)) h += `${k}: ${v}\r\n`;
      const p = new Promise((r) => (waiter = r));
      sock.write(Buffer.concat([Buffer.from(h + '\r\n'), b]));
      return p;
    },
    close: () => sock.destroy(),
  };
}
const api = rawClient();
const call = async (method, path, body) => {
  const r = await api.send(method, path, body ? JSON.stringify(body) : '', body ? { 'Content-Type': 'application/json' } : {});
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
  return r;
};
const createFunction = (name, source, extra = {}) =>
  call('POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipFiles({ 'index.js': source }).toString('base64') }, ...extra,
  });
const invokePath = (name) => `/2015-03-31/functions/${name}/invocations`;

try {
  await createFunction('hello', 'exports.handler = async () => ({ pid: process.pid });');

  // 1. Cold starts: a configuration change retires the environment, so the next invoke is cold.
  //    `node -e ''` is spawned by this process between cold invokes, so both see the same load.
  const nodeStarts = [], colds = [], inits = [];
  const nodeE = () => new Promise((r) => {
    const t = performance.now();
    // The clean environment a function gets (NODE_EXTRA_CA_CERTS alone would add ~50 ms of CPU).
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore', env: { PATH: process.env.PATH } }).on('exit', () => r(performance.now() - t));
  });
  for (let i = 0; i < COLD; i++) {
    nodeStarts.push(await nodeE());
    await call('PUT', '/2015-03-31/functions/hello/configuration', { Environment: { Variables: { ROUND: String(i) } } });
    const t = performance.now();
    const r = await api.send('POST', invokePath('hello'), '{}', { 'X-Amz-Log-Type': 'Tail' });
    colds.push(performance.now() - t);
    const tail = Buffer.from(/x-amz-log-result:\s*(\S+)/i.exec(r.head)?.[1] ?? '', 'base64').toString();
    const init = /Init Duration: ([\d.]+) ms/.exec(tail);
    if (init) inits.push(Number(init[1]));
    else throw new Error(`invoke ${i} was not cold: ${tail}`);
  }
  const n50 = pct(nodeStarts, 50), c50 = pct(colds, 50);
  console.log(`cold start:  node -e '' p50 ${ms(n50)} | cold Invoke p50 ${ms(c50)} (${c50 - n50 >= 0 ? '+' : ''}${ms(c50 - n50)}, ` +
    `target ≤ +10 ms), min ${ms(Math.min(...colds))} vs ${ms(Math.min(...nodeStarts))}; REPORT Init Duration p50 ${ms(pct(inits, 50))}`);

  // 2. Warm invokes vs a no-op API call (GetAccountSettings) on the same connection, in alternating
  //    blocks of 100; the CPU of Stratus and of the runtime process over the invoke blocks.
  const first = JSON.parse((await api.send('POST', invokePath('hello'), '{}')).body);
  for (let i = 0; i < 500; i++) await api.send('POST', invokePath('hello'), '{}');
  const warm = [], noop = [];
  let stratusCpu = 0, runtimeCpu = 0, invokes = 0, noopCpu = 0;
  for (let done = 0; done < WARM; done += 100) {
    const c0 = cpuMs(s.proc.pid), r0 = cpuMs(first.pid);
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const r = await api.send('POST', invokePath('hello'), '{}');
      warm.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`warm invoke: ${r.status}`);
    }
    stratusCpu += cpuMs(s.proc.pid) - c0;
    runtimeCpu += cpuMs(first.pid) - r0;
    invokes += 100;
    const n0 = cpuMs(s.proc.pid);
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await api.send('GET', '/2016-08-19/account-settings');
      noop.push(performance.now() - t);
    }
    noopCpu += cpuMs(s.proc.pid) - n0;
  }
  const w50 = pct(warm, 50), w99 = pct(warm, 99), o50 = pct(noop, 50), o99 = pct(noop, 99);
  console.log(`warm invoke: p50 ${ms(w50)} p99 ${ms(w99)} | no-op API call p50 ${ms(o50)} p99 ${ms(o99)} | ` +
    `overhead above the call: p50 ${ms(w50 - o50)} p99 ${ms(w99 - o99)} (targets 0.3 / 1 ms)`);
  console.log(`warm CPU:    Stratus ${(stratusCpu / invokes * 1000).toFixed(0)} µs/invoke (no-op API call ` +
    `${(noopCpu / invokes * 1000).toFixed(0)} µs), runtime process ${(runtimeCpu / invokes * 1000).toFixed(0)} µs/invoke ` +
    `(${invokes} invokes, ${TICK_MS} ms ticks)`);

  // 3. 100 concurrent invokes of a function that takes 3 s (longer than 100 cold starts take on a
  //    small machine, so every request finds the others busy): one environment each, no errors.
  await createFunction('busy', 'exports.handler = async () => { await new Promise(r => setTimeout(r, 3000)); return process.pid; };',
    { Timeout: 60 });
  const t0 = performance.now();
  const clients = Array.from({ length: 100 }, rawClient);
  const results = await Promise.all(clients.map((c) => c.send('POST', invokePath('busy'), '{}')));
  const elapsed = performance.now() - t0;
  const ok = results.filter((r) => r.status === 200 && !/x-amz-function-error/i.test(r.head));
  const pids = new Set(ok.map((r) => r.body));
  console.log(`concurrency: 100 simultaneous invokes: ${ok.length} ok, ${results.length - ok.length} errors, ` +
    `${pids.size} environments, ${ms(elapsed)} wall`);
  const again = await Promise.all(clients.map((c) => c.send('POST', invokePath('busy'), '{}')));
  const reused = again.filter((r) => pids.has(r.body)).length;
  console.log(`             again, warm: ${again.filter((r) => r.status === 200).length} ok, ${reused} on the same environments`);
  for (const c of clients) c.close();

  // 4. Idle: Stratus and every environment it spawned, over 5 s of nothing (after 3 s for the
  //    last connections to close and the runtimes' garbage collectors to settle).
  await sleep(3000);
  const procs = [s.proc.pid, ...children(s.proc.pid)];
  const before = procs.map(cpuMs);
  await sleep(5000);
  const used = procs.map((p, i) => cpuMs(p) - before[i]);
  const envs = used.slice(1).reduce((a, b) => a + b, 0);
  console.log(`idle:        ${procs.length - 1} parked environments used ${envs} ms CPU in 5 s, Stratus ${used[0]} ms (target 0)`);
} finally {
  api.close();
  await s.stop();
}
