// Starts a real `stratus` on an ephemeral port with a temporary data dir, for node:test suites.
//
//   const s = await startStratus();            // one server for a test file
//   const sts = new STSClient(clientConfig(s));
//   ...
//   await s.stop();
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..', '..');
export const BIN = process.env.STRATUS_BIN || join(ROOT, 'build', 'stratus');

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function clientConfig(server, extra = {}) {
  return { endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, ...extra };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// options: args (extra CLI flags), dataDir (true: a fresh temp dir; a path; false: in memory), env
export async function startStratus({ args = [], dataDir = true, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-e2e-'));
  const data = dataDir === true ? join(dir, 'data') : dataDir || null;
  const server = { dir, dataDir: data, output: '' };
  const launch = async () => {
    const portFile = join(dir, `port-${Date.now()}-${Math.random()}`);
    const argv = ['--port', '0', '--port-file', portFile, '--log-level', process.env.STRATUS_LOG_LEVEL || 'info'];
    if (data) argv.push('--data-dir', data);
    argv.push(...args);
    const proc = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    proc.stdout.on('data', (d) => (server.output += d));
    proc.stderr.on('data', (d) => (server.output += d));
    let exited = null;
    proc.on('exit', (code, signal) => (exited = { code, signal }));
    const deadline = Date.now() + 15000;
    while (!existsSync(portFile)) {
      if (exited) throw new Error(`stratus exited (${JSON.stringify(exited)}) before serving:\n${server.output}`);
      if (Date.now() > deadline) throw new Error(`stratus did not start within 15 s:\n${server.output}`);
      await sleep(5);
    }
    server.proc = proc;
    server.port = Number(readFileSync(portFile, 'utf8').trim());
    server.endpoint = `http://127.0.0.1:${server.port}`;
    server.exited = () => exited;
    server.waitExit = () =>
      exited ? Promise.resolve(exited) : new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  };
  await launch();
  // Graceful stop (SIGTERM); resolves with the exit status.
  server.stop = async () => {
    if (!server.proc || server.exited()) return server.exited();
    server.proc.kill('SIGTERM');
    const st = await server.waitExit();
    if (process.env.STRATUS_KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true });
    return st;
  };
  // kill -9, keeping the data dir; `restart()` starts a new process on it.
  server.kill9 = async () => {
    server.proc.kill('SIGKILL');
    return server.waitExit();
  };
  server.restart = async () => {
    if (!server.exited()) {
      server.proc.kill('SIGTERM');
      await server.waitExit();
    }
    await launch();
  };
  // Raw HTTP against the server (for unsigned and malformed requests).
  server.fetch = (path, init = {}) => fetch(server.endpoint + path, init);
  server.reset = () => server.fetch('/_stratus/reset', { method: 'POST' });
  server.advanceClock = (seconds) =>
    server.fetch('/_stratus/clock', { method: 'POST', body: JSON.stringify({ advance: seconds }) });
  return server;
}
