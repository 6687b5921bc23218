'use strict';
// Stratus's Node.js runtime: the Lambda Runtime API client loop that AWS's nodejs runtimes run,
// written for Stratus (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
// It behaves like AWS's runtime interface client: handler strings ("dir/file.nested.fn"), CommonJS
// and ES modules, async / callback / context.succeed styles, callbackWaitsForEmptyEventLoop, the
// context object, console patching (Text and JSON log formats), error serialisation, the
// Runtime.* init errors, uncaught exceptions and unhandled rejections, and response streaming
// (awslambda.streamifyResponse, awslambda.HttpResponseStream).
// Only Node's built-in modules are used, and only those cheap to load, to keep cold starts short.

const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');

const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const API_HOST = API.slice(0, API.lastIndexOf(':'));
const API_PORT = Number(API.slice(API.lastIndexOf(':') + 1));
const BASE = '/2018-06-01/runtime';
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
// Responses up to this size are posted together with the next GET /next (HTTP pipelining).
const PIPELINE_MAX = 1 << 20;

// ---- Runtime API transport ------------------------------------------------------------------------
// One TCP connection. Preferably a bare libuv TCP handle: `net` drags in ~25 stream modules, and under
// the V8 flags Lambda passes node (which make V8 reject node's built-in code cache) compiling them
// costs ~9 ms of every cold start; a bare handle also runs a fraction of the JavaScript per request.
// `net` is the fallback when the handle API is not there (or would print a deprecation warning).
// open(onData, onEnd) → { write(head, body), ref(), unref() }; onEnd(err) once, when the connection is gone.

function rawTransport() {
  const pending = process.execArgv.concat((process.env.NODE_OPTIONS || '').split(/\s+/));
  if (pending.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1') return null;
  let tw, sw;
  try {
    tw = process.binding('tcp_wrap');
    sw = process.binding('stream_wrap');
  } catch (_) {
    return null;
  }
  const { TCP, TCPConnectWrap, constants } = tw || {};
  const { WriteWrap, streamBaseState: state, kReadBytesOrError, kArrayBufferOffset, kLastWriteWasAsync } = sw || {};
  if (typeof TCP !== 'function' || typeof TCPConnectWrap !== 'function' || typeof WriteWrap !== 'function' || !state ||
      kReadBytesOrError === undefined || kArrayBufferOffset === undefined || kLastWriteWasAsync === undefined)
    return null;
  return function open(onData, onEnd) {
    const handle = new TCP(constants.SOCKET);
    let connected = false, ended = false, refs = true;
    let outbox = [];
    const end = (err) => {
      if (ended) return;
      ended = true;
      outbox = null;
      handle.onread = () => {};
      handle.close();
      onEnd(err);
    };
    const errno = (code, op) => {
      const e = new Error(`Runtime API ${op} failed: ${util.getSystemErrorName(code)}`);
      e.errno = code;
      e.code = util.getSystemErrorName(code);
      return e;
    };
    const send = (data) => {
      const req = new WriteWrap();
      req.handle = handle;
      req.oncomplete = (status) => {
        req.data = null;
        if (status < 0) end(errno(status, 'write'));
      };
      req.async = false;
      const err = typeof data === 'string' ? handle.writeUtf8String(req, data) : handle.writev(req, data, false);
      if (err !== 0) return end(errno(err, 'write'));
      if (state[kLastWriteWasAsync]) req.data = data;  // kept alive until the write completes
    };
    handle.onread = (arrayBuffer) => {
      const n = state[kReadBytesOrError];
      if (n > 0) return void onData(Buffer.from(arrayBuffer, state[kArrayBufferOffset], n));
      if (n < 0) end(n === -4095 ? null : errno(n, 'read'));  // UV_EOF
    };
    const req = new TCPConnectWrap();
    req.oncomplete = (status) => {
      if (ended) return;
      if (status < 0) return end(errno(status, 'connect'));
      connected = true;
      handle.setNoDelay(true);
      if (!refs) handle.unref();
      const err = handle.readStart();
      if (err) return end(errno(err, 'read'));
      const queued = outbox;
      outbox = [];
      for (const d of queued) send(d);
    };
    req.address = API_HOST;
    req.port = API_PORT;
    const err = handle.connect(req, API_HOST, API_PORT);
    if (err) process.nextTick(() => end(errno(err, 'connect')));
    return {
      write(head, body) {
        if (ended) return;
        const data = body === undefined ? head : typeof body === 'string' ? head + body : [head, 'utf8', body, 'buffer'];
        if (connected) send(data);
        else outbox.push(data);
      },
      ref() {
        refs = true;
        if (!ended) handle.ref();
      },
      unref() {
        refs = false;
        if (!ended) handle.unref();
      },
    };
  };
}

function netTransport(onData, onEnd) {
  const s = require('node:net').connect({ host: API_HOST, port: API_PORT });
  s.setNoDelay(true);
  let ended = false;
  const end = (err) => {
    if (ended) return;
    ended = true;
    s.destroy();
    onEnd(err);
  };
  s.on('data', onData);
  s.on('error', end);
  s.on('close', () => end(null));
  return {
    write(head, body) {
      if (body === undefined || typeof body === 'string') s.write(body === undefined ? head : head + body);
      else s.write(Buffer.concat([Buffer.from(head), body]));
    },
    ref: () => s.ref(),
    unref: () => s.unref(),
  };
}

// ---- Runtime API client: one keep-alive connection, requests answered in order ----------------------
// Hand-written HTTP/1.1 instead of node:http: no parser/agent set-up on the cold path, and the
// connection is unref'd while no request is outstanding, so that 'beforeExit' fires when the
// function's event loop drains (callbackWaitsForEmptyEventLoop), exactly as with AWS's native client.
// A response is posted together with the following GET /next in one write.
const openTransport = rawTransport() || netTransport;

class RapidClient {
  constructor() {
    this.conn = null;
    this.queue = [];  // { resolve, reject } per request written, oldest first
    this.head = null;  // the response being read: { status, headers, length }
    this.chunks = [];
    this.size = 0;
    this.prefetched = null;  // a GET /next already sent
  }

  _open() {
    const conn = openTransport(
      (d) => this._onData(d),
      (err) => {
        if (this.conn === conn) this.conn = null;
        this.head = null;
        this.chunks = [];
        this.size = 0;
        const q = this.queue;
        this.queue = [];
        const e = err || new Error('Runtime API connection closed');
        for (const p of q) p.reject(e);
      },
    );
    this.conn = conn;
    return conn;
  }

  static _head(method, urlPath, headers, length) {
    let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${API}\r\nContent-Length: ${length}\r\n`;
    if (headers) for (const k of Object.keys(headers)) head += `${k}: ${String(headers[k]).replace(/[\r\n]/g, ' ')}\r\n`;
    return head + '\r\n';
  }

  // Writes one or more requests ([method, path, headers, body]) at once; a promise per request.
  _send(requests) {
    const conn = this.conn || this._open();
    let head = '', body;
    const promises = [];
    for (let i = 0; i < requests.length; i++) {
      const [method, urlPath, headers, b] = requests[i];
      const isBuf = b != null && typeof b !== 'string';
      const len = b == null ? 0 : isBuf ? b.length : Buffer.byteLength(b);
      if (body !== undefined) {
        conn.write(head, body);
        head = '';
        body = undefined;
      }
      head += RapidClient._head(method, urlPath, headers, len);
      if (len) {
        if (isBuf) body = b;
        else head += b;
      }
      promises.push(new Promise((resolve, reject) => this.queue.push({ resolve, reject })));
    }
    conn.ref();
    conn.write(head, body);
    return promises;
  }

  request(method, urlPath, headers, body) {
    return this._send([[method, urlPath, headers, body]])[0];
  }

  _onData(d) {
    while (d && d.length) {
      if (!this.head) {
        this.chunks.push(d);
        this.size += d.length;
        const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
        this.chunks = [buf];
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.toString('latin1', 0, end).split('\r\n');
        const headers = {};
        for (let i = 1; i < lines.length; i++) {
          const c = lines[i].indexOf(':');
          if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
        }
        this.head = { status: Number(lines[0].split(' ')[1]), headers, length: Number(headers['content-length'] || 0) };
        d = buf.subarray(end + 4);
        this.chunks = [];
        this.size = 0;
      }
      // The body: gathered until Content-Length bytes are there, then joined once.
      const want = this.head.length - this.size;
      const take = d.length <= want ? d : d.subarray(0, want);
      if (take.length) {
        this.chunks.push(take);
        this.size += take.length;
      }
      d = d.length > want ? d.subarray(want) : null;
      if (this.size < this.head.length) return;
      const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
      const { status, headers } = this.head;
      this.head = null;
      this.chunks = [];
      this.size = 0;
      const p = this.queue.shift();
      if (!this.queue.length && this.conn) this.conn.unref();
      if (p) p.resolve({ status, headers, body });
    }
  }

  next() {
    const p = this.prefetched;
    this.prefetched = null;
    return p || this.request('GET', `${BASE}/invocation/next`, null, null);
  }

  postResponse(id, result) {
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      throw new Error('Unable to stringify response body');
    }
    const post = ['POST', `${BASE}/invocation/${id}/response`, { 'Content-Type': 'application/json' }, body];
    if (this.prefetched || body.length > PIPELINE_MAX) return this.request(...post);
    const [posted, next] = this._send([post, ['GET', `${BASE}/invocation/next`, null, null]]);
    next.catch(() => {});  // its failure surfaces when the invoke loop asks for it
    this.prefetched = next;
    return posted;
  }

  postError(id, err) {
    const r = toRapidResponse(err);
    return this.request(
      'POST',
      `${BASE}/invocation/${id}/error`,
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': r.errorType },
      JSON.stringify(r),
    );
  }

  postInitError(err) {
    const r = toRapidResponse(err);
    return this.request(
      'POST',
      `${BASE}/init/error`,
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': r.errorType },
      JSON.stringify(r),
    );
  }
}

// ---- Errors -----------------------------------------------------------------------------------------

function runtimeError(name) {
  const C = class extends Error {};
  Object.defineProperty(C, 'name', { value: name });
  C.prototype.name = `Runtime.${name}`;
  return C;
}
const ImportModuleError = runtimeError('ImportModuleError');
const HandlerNotFound = runtimeError('HandlerNotFound');
const MalformedHandlerName = runtimeError('MalformedHandlerName');
const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';
class NodeJsExit extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a ' +
        'Promise that was never settled. For more information, see ' +
        'https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
NodeJsExit.prototype.name = 'Runtime.NodeJsExit';

function isErrorLike(o) {
  return o && typeof o.name === 'string' && typeof o.message === 'string' && typeof o.stack === 'string';
}

function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function withEnumerableProperties(v) {
  if (v instanceof Error) {
    const out = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
    if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
    return out;
  }
  return v;
}

function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch (_) {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

const intoError = (e) => (e instanceof Error ? e : new Error(e));

// ---- Console ------------------------------------------------------------------------------------------

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};
const JSON_FORMAT = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
let logError;

function jsonReplacer(_k, value) {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value?.constructor?.name ?? 'UnknownError',
        errorMessage: value.message,
        stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
      },
      value,
    );
  }
  return value;
}

function formatJson(level, params) {
  const out = { timestamp: new Date().toISOString(), level: level.name, requestId: global[REQUEST_ID] };
  if (params.length === 1) {
    out.message = params[0];
    try {
      return JSON.stringify(out, jsonReplacer);
    } catch (_) {
      out.message = util.format(out.message);
      return JSON.stringify(out);
    }
  }
  out.message = util.format(...params);
  for (const p of params) {
    if (p instanceof Error) {
      out.errorType = p?.constructor?.name ?? 'UnknownError';
      out.errorMessage = p.message;
      out.stackTrace = typeof p.stack === 'string' ? p.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(out);
}

function write(level, params) {
  const line = JSON_FORMAT
    ? formatJson(level, params)
    : `${new Date().toISOString()}\t${global[REQUEST_ID]}\t${level.name}\t${util.format(...params)}`;
  writeOut(line.replace(/\n/g, '\r') + '\n');
}

// Log lines are written synchronously, as Lambda's runtime writes them to its telemetry descriptor
// (and process.stdout, a pipe here, is synchronous too); touching process.stdout would load `net`.
function writeOut(text) {
  let buf = Buffer.from(text);
  for (let tries = 0; buf.length && tries < 1000; ) {
    try {
      const n = fs.writeSync(1, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if (e.code !== 'EAGAIN') return;  // Stratus is gone: nothing to log to
      tries++;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function patchConsole() {
  const min = LEVELS[(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || LEVELS.TRACE;
  const nop = () => {};
  const make = (level) => (level.priority >= min.priority ? (...p) => write(level, p) : nop);
  console.trace = make(LEVELS.TRACE);
  console.debug = make(LEVELS.DEBUG);
  console.info = make(LEVELS.INFO);
  console.log = console.info;
  console.warn = make(LEVELS.WARN);
  console.error = make(LEVELS.ERROR);
  console.fatal = (...p) => write(LEVELS.FATAL, p);
  logError = JSON_FORMAT
    ? (_msg, err) => console.error(intoError(err))
    : (msg, err) => console.error(msg, toFormatted(intoError(err)));
}

// ---- Loading the handler ------------------------------------------------------------------------------

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

class HttpResponseStream {
  static from(stream, prelude) {
    stream.setContentType('application/vnd.awslambda.http-integration-response');
    const text = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (w) => {
      w(text);
      w(new Uint8Array(8));
    };
    return stream;
  }
}

function hasModuleType(folder) {
  for (;;) {
    if (folder.endsWith('/node_modules')) return false;
    const pj = path.join(folder, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj)).type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (folder === '/' || folder === path.dirname(folder)) return false;
    folder = path.dirname(folder);
  }
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const file = path.resolve(appRoot, moduleRoot, moduleName);
  const tryRequire = (f) => (fs.existsSync(f) ? require(f) : undefined);
  const tryImport = async (f) => (fs.existsSync(f) ? await import(f) : undefined);
  const extensionless = tryRequire(file);
  if (extensionless) return extensionless;
  const esm = hasModuleType(path.dirname(file));
  if (!esm) {
    const cjs = tryRequire(file + '.js');
    if (cjs) return cjs;
  }
  const loaded =
    (esm && (await tryImport(file + '.js'))) || (await tryImport(file + '.mjs')) || tryRequire(file + '.cjs');
  if (loaded) return loaded;
  return require(require.resolve(moduleName, { paths: [appRoot, path.resolve(appRoot, moduleRoot)] }));
}

async function loadHandler(appRoot, full) {
  if (full.includes('..'))
    throw new MalformedHandlerName(
      `'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  const base = path.basename(full);
  const moduleRoot = full.substring(0, full.indexOf(base));
  const m = base.match(/^([^.]*)\.(.*)$/);
  if (!m) throw new MalformedHandlerName('Bad handler');
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[STREAMING] = 'response';
      if (typeof options?.highWaterMark === 'number') handler[HIGH_WATER_MARK] = parseInt(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
  let app;
  try {
    app = await loadModule(appRoot, moduleRoot, m[1]);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }
  const fn = m[2].split('.').reduce((o, k) => o && o[k], app);
  if (!fn) throw new HandlerNotFound(`${full} is undefined or not exported`);
  if (typeof fn !== 'function') throw new HandlerNotFound(`${full} is not a function`);
  if (fn[STREAMING] !== undefined && fn[STREAMING] !== null && fn[STREAMING] !== false && fn[STREAMING] !== 'response')
    throw new MalformedStreamingHandler('Only response streaming is supported.');
  return fn;
}

// ---- The invoke loop -----------------------------------------------------------------------------------

const client = new RapidClient();
let beforeExit = null;
let errorCallbacks = {
  uncaughtException: (err) => client.postInitError(err).finally(() => process.exit(129)),
  unhandledRejection: (err) => client.postInitError(err).finally(() => process.exit(128)),
};

function parseJson(text, name) {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

function buildContext(headers, extra) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return Object.assign(extra, {
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJson(headers['lambda-runtime-client-context'], 'ClientContext'),
    identity: parseJson(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}

function scheduleNext() {
  setImmediate(() => {
    handleOnce().catch((err) => {
      console.log(`Unexpected Top Level Error: ${err.toString()}`);
      errorCallbacks.uncaughtException(err);
    });
  });
}

function callbackContext(id) {
  let completed = false;
  let finished = false;
  let waitForEmptyEventLoop = true;
  const postError = (err) => {
    logError('Invoke Error', err);
    client.postError(id, err).then(scheduleNext, (e) => errorCallbacks.uncaughtException(e));
  };
  const complete = (result) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    let p;
    try {
      p = client.postResponse(id, result);
    } catch (err) {
      completed = false;
      postError(err);
      return;
    }
    p.then(scheduleNext, (e) => errorCallbacks.uncaughtException(e));
  };
  const once = (fn) =>
    function (...args) {
      if (finished) return;
      finished = true;
      fn(...args);
    };
  const callback = once((err, result) => {
    beforeExit = null;
    if (err !== undefined && err !== null) postError(err);
    else if (!waitForEmptyEventLoop) complete(result);
    else beforeExit = () => setImmediate(() => complete(result));
  });
  const done = (err, result) => {
    beforeExit = null;
    if (err !== undefined && err !== null) postError(err);
    else complete(result);
  };
  const ctx = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(v) {
      waitForEmptyEventLoop = v;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };
  return { callback, ctx, markCompleted: () => (completed = true) };
}

function setErrorCallbacks(id) {
  errorCallbacks = {
    uncaughtException: (err) => client.postError(id, err).finally(() => process.exit(129)),
    unhandledRejection: (err) => client.postError(id, err).finally(() => process.exit(128)),
  };
}

let handler;
let isAsync = false;
let streaming = false;

async function handleOnce() {
  const res = await client.next();
  const headers = res.headers;
  const id = headers['lambda-runtime-aws-request-id'];
  global[REQUEST_ID] = id;
  if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;
  setErrorCallbacks(id);
  if (streaming) return handleStreaming(id, headers, res.body);
  const { callback, ctx, markCompleted } = callbackContext(id);
  beforeExit = () => {
    markCompleted();
    if (isAsync) {
      const err = new NodeJsExit();
      logError('Invoke Error', err);
      client.postError(id, err).then(scheduleNext);
    } else {
      client.postResponse(id, null).then(scheduleNext);
    }
  };
  try {
    const context = buildContext(headers, ctx);
    const result = handler(JSON.parse(res.body.toString('utf8') || 'null'), context, callback);
    if (result && typeof result.then === 'function') result.then(ctx.succeed, ctx.fail).catch(ctx.fail);
  } catch (err) {
    callback(err);
  }
}

// Response streaming: a chunked POST whose errors travel as HTTP trailers.
function createResponseStream(id, highWaterMark) {
  const http = require('node:http');
  let started = false;
  const req = http.request({
    host: API_HOST,
    port: API_PORT,
    method: 'POST',
    path: `${BASE}/invocation/${id}/response`,
    agent: false,
    highWaterMark,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      'Content-Type': 'application/octet-stream',
    },
  });
  const done = new Promise((resolve, reject) => {
    req.on('response', (r) => {
      r.resume();
      r.on('end', resolve);
    });
    req.on('error', reject);
  });
  const origWrite = req.write.bind(req);
  const origEnd = req.end.bind(req);
  const first = () => {
    if (!started) {
      started = true;
      if (typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((c) => origWrite(c));
    }
  };
  req.setContentType = (type) => {
    if (started) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    req.setHeader('Content-Type', type);
  };
  req.write = (chunk, encoding, cb) => {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && chunk?.constructor !== Uint8Array)
      chunk = JSON.stringify(chunk);
    first();
    return origWrite(chunk, encoding, cb);
  };
  req.end = (chunk, encoding, cb) => {
    if (typeof chunk === 'function') return req.end(undefined, undefined, chunk);
    if (chunk !== undefined && chunk !== null) req.write(chunk, encoding);
    first();
    return origEnd(cb);
  };
  const fail = (err, cb) => {
    const e = toRapidResponse(err);
    first();
    req.addTrailers({
      'Lambda-Runtime-Function-Error-Type': e.errorType,
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(e)).toString('base64'),
    });
    origEnd(cb);
  };
  return { stream: req, done, fail };
}

async function handleStreaming(id, headers, body) {
  const { stream, done, fail } = createResponseStream(id, handler[HIGH_WATER_MARK]);
  beforeExit = () => scheduleNext();
  try {
    const ctx = buildContext(headers, {});
    const result = handler(JSON.parse(body.toString('utf8') || 'null'), stream, ctx);
    if (!result || typeof result.then !== 'function') {
      fail('Streaming does not support non-async handlers.');
      await done.catch(() => {});
      return scheduleNext();
    }
    const value = await result;
    if (typeof value !== 'undefined') console.warn('Streaming handlers ignore return values.');
    if (!stream.writableEnded) stream.end();
    await done;
    scheduleNext();
  } catch (err) {
    logError('Invoke Error', err);
    if (!stream.writableEnded) fail(err);
    await done.catch(() => {});
    scheduleNext();
  }
}

async function main() {
  patchConsole();
  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    errorCallbacks.uncaughtException(error);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', error);
    errorCallbacks.unhandledRejection(error);
  });
  process.on('beforeExit', () => {
    const fn = beforeExit;
    beforeExit = null;
    if (fn) fn();
  });
  handler = await loadHandler(process.env.LAMBDA_TASK_ROOT || process.cwd(), process.env._HANDLER || '');
  isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
  streaming = handler[STREAMING] === 'response';
  scheduleNext();
}

main().catch((error) => {
  logError('Uncaught Exception', error);
  errorCallbacks.uncaughtException(error);
});
