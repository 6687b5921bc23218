'use strict';
// Stratus's Node.js runtime: the Lambda Runtime API client loop that AWS's nodejs runtimes run,
// written for Stratus (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
// It behaves like AWS's runtime interface client: handler strings ("dir/file.nested.fn"), CommonJS
// and ES modules, async / callback / context.succeed styles, callbackWaitsForEmptyEventLoop, the
// context object, console patching (Text and JSON log formats), error serialisation, the
// Runtime.* init errors, uncaught exceptions and unhandled rejections, and response streaming
// (awslambda.streamifyResponse, awslambda.HttpResponseStream).
// Only Node's built-in modules are used, and only those cheap to load, to keep cold starts short.

const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');

const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const API_HOST = API.slice(0, API.lastIndexOf(':'));
const API_PORT = Number(API.slice(API.lastIndexOf(':') + 1));
const BASE = '/2018-06-01/runtime';
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');

// ---- Runtime API client: one keep-alive connection, one request at a time -------------------------
// Raw HTTP/1.1 instead of node:http: no parser/agent set-up on the cold path, and the socket can be
// unref'd while a handler runs so that 'beforeExit' fires when the function's event loop drains
// (callbackWaitsForEmptyEventLoop), exactly as with AWS's native client.
class RapidClient {
  constructor() {
    this.socket = null;
    this.pending = null;
    this.chunks = [];
    this.size = 0;
  }

  _connect() {
    const s = net.connect({ host: API_HOST, port: API_PORT });
    s.setNoDelay(true);
    s.on('data', (d) => this._onData(d));
    s.on('error', (e) => this._fail(e));
    s.on('close', () => {
      this.socket = null;
      this._fail(new Error('Runtime API connection closed'));
    });
    this.socket = s;
  }

  _fail(err) {
    const p = this.pending;
    this.pending = null;
    if (p) p.reject(err);
  }

  request(method, urlPath, headers, body) {
    return new Promise((resolve, reject) => {
      if (!this.socket) this._connect();
      this.pending = { resolve, reject };
      this.chunks = [];
      this.size = 0;
      const b = body == null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(String(body));
      let head = `${method} ${urlPath} HTTP/1.1\r\nHost: ${API}\r\nContent-Length: ${b.length}\r\n`;
      for (const k of Object.keys(headers || {})) head += `${k}: ${String(headers[k]).replace(/[\r\n]/g, ' ')}\r\n`;
      this.socket.ref();
      this.socket.write(b.length ? Buffer.concat([Buffer.from(head + '\r\n'), b]) : head + '\r\n');
    });
  }

  _onData(d) {
    this.chunks.push(d);
    this.size += d.length;
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [buf];
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const lines = buf.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(':');
      if (c > 0) headers[lines[i].slice(0, c).trim().toLowerCase()] = lines[i].slice(c + 1).trim();
    }
    const length = Number(headers['content-length'] || 0);
    if (buf.length < end + 4 + length) return;
    const body = buf.subarray(end + 4, end + 4 + length);
    this.chunks = [];
    this.size = 0;
    const p = this.pending;
    this.pending = null;
    if (this.socket) this.socket.unref();
    if (p) p.resolve({ status, headers, body });
  }

  next() {
    return this.request('GET', `${BASE}/invocation/next`, {}, null);
  }

  postResponse(id, result) {
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (err) {
      throw new Error('Unable to stringify response body');
    }
    return this.request('POST', `${BASE}/invocation/${id}/response`, { 'Content-Type': 'application/json' }, body);
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
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
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
