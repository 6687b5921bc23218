// Lambda through the JS SDK v3: the function lifecycle, invocations on real node/python/provided
// runtimes, errors Lambda's way, logs in CloudWatch Logs. Assertions are AWS's documented behaviour.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetAccountSettingsCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig, startStratus } from './harness.mjs';
import { decode, ROLE, SHELL_BOOTSTRAP, TUTORIAL_BOOTSTRAP, TUTORIAL_FUNCTION, zipFiles } from './lambda_support.mjs';

let s, lambda, logs;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  s = await startStratus();
  lambda = new LambdaClient(clientConfig(s));
  logs = new CloudWatchLogsClient(clientConfig(s));
});
after(async () => {
  await s?.stop();
});

async function create(name, files, extra = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipFiles(files) },
      ...extra,
    }),
  );
}

async function invoke(name, payload, extra = {}) {
  const r = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: payload === undefined ? undefined : JSON.stringify(payload), ...extra }),
  );
  return { ...r, text: decode(r.Payload), json: r.Payload?.length ? JSON.parse(decode(r.Payload)) : undefined };
}

async function rejects(promise, name, status, messageIncludes) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name);
    if (status) assert.equal(e.$metadata.httpStatusCode, status);
    if (messageIncludes) assert.ok(e.message.includes(messageIncludes), `${e.message} should include ${messageIncludes}`);
    return true;
  });
}

describe('function lifecycle', () => {
  test('CreateFunction answers 201 with the configuration, Pending; it is Active afterwards', async () => {
    const r = await create('life', { 'index.js': 'exports.handler = async () => 1;' }, {
      Description: 'd', Timeout: 7, MemorySize: 256, Environment: { Variables: { A: '1' } }, Tags: { team: 'x' },
    });
    assert.equal(r.$metadata.httpStatusCode, 201);
    assert.equal(r.FunctionName, 'life');
    assert.equal(r.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:life');
    assert.equal(r.Runtime, 'nodejs20.x');
    assert.equal(r.Handler, 'index.handler');
    assert.equal(r.Timeout, 7);
    assert.equal(r.MemorySize, 256);
    assert.equal(r.Version, '$LATEST');
    assert.equal(r.State, 'Pending');
    assert.equal(r.StateReasonCode, 'Creating');
    assert.equal(r.PackageType, 'Zip');
    assert.deepEqual(r.Architectures, ['x86_64']);
    assert.deepEqual(r.Environment.Variables, { A: '1' });
    assert.match(r.CodeSha256, /^[A-Za-z0-9+/]{43}=$/);
    assert.match(r.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.match(r.RevisionId, /^[0-9a-f-]{36}$/);
    assert.equal(r.LoggingConfig.LogGroup, '/aws/lambda/life');
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'life' });
    const g = await lambda.send(new GetFunctionCommand({ FunctionName: 'life' }));
    assert.equal(g.Configuration.State, 'Active');
    assert.equal(g.Configuration.LastUpdateStatus, 'Successful');
    assert.deepEqual(g.Tags, { team: 'x' });
    assert.equal(g.Code.RepositoryType, 'S3');
    const zip = await fetch(g.Code.Location);
    assert.equal(zip.status, 200);
    assert.equal((await zip.arrayBuffer()).byteLength, r.CodeSize);
  });

  test('duplicate names, missing functions and bad input get Lambda errors', async () => {
    await rejects(create('life', { 'index.js': '' }), 'ResourceConflictException', 409, 'Function already exist: life');
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })),
      'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    );
    await rejects(
      lambda.send(new CreateFunctionCommand({
        FunctionName: 'badzip', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: Buffer.from('not a zip') },
      })),
      'InvalidParameterValueException', 400, 'Could not unzip uploaded file',
    );
    await rejects(
      create('reserved', { 'index.js': '' }, { Environment: { Variables: { AWS_REGION: 'x' } } }),
      'InvalidParameterValueException', 400, 'Reserved keys used in this request: AWS_REGION',
    );
    await rejects(
      create('img', { 'index.js': '' }, { PackageType: 'Image', Code: { ImageUri: 'x' } }),
      'InvalidParameterValueException', 400, 'container images',
    );
    await rejects(create('old', { 'index.js': '' }, { Runtime: 'nodejs12.x' }), 'InvalidParameterValueException', 400,
      'nodejs12.x is no longer supported');
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'life', Payload: Buffer.from('{not json') })),
      'InvalidRequestContentException', 400, 'Could not parse request body into json',
    );
  });

  test('ListFunctions, UpdateFunctionConfiguration, UpdateFunctionCode, DeleteFunction', async () => {
    const list = await lambda.send(new ListFunctionsCommand({}));
    assert.ok(list.Functions.some((f) => f.FunctionName === 'life'));
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'life' }));
    const u = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'life', Timeout: 9, Environment: { Variables: { B: '2' } } }));
    assert.equal(u.Timeout, 9);
    assert.deepEqual(u.Environment.Variables, { B: '2' });
    assert.equal(u.LastUpdateStatus, 'InProgress');
    assert.notEqual(u.RevisionId, before.RevisionId);
    await rejects(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'life', Timeout: 5, RevisionId: before.RevisionId })),
      'PreconditionFailedException', 412,
    );
    const c = await lambda.send(new UpdateFunctionCodeCommand({
      FunctionName: 'life', ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => 2;' }),
    }));
    assert.notEqual(c.CodeSha256, before.CodeSha256);
    assert.equal((await invoke('life', {})).json, 2);
    const d = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'life' }));
    assert.equal(d.$metadata.httpStatusCode, 204);
    await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'life' })), 'ResourceNotFoundException', 404);
  });

  test('GetAccountSettings reports limits and usage', async () => {
    const r = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(r.AccountLimit.ConcurrentExecutions, 1000);
    assert.equal(r.AccountLimit.CodeSizeUnzipped, 262144000);
    assert.equal(typeof r.AccountUsage.FunctionCount, 'number');
  });
});

describe('node.js runtime', () => {
  before(async () => {
    await create('node-cjs', {
      'index.js': `
        console.log('init phase');
        exports.handler = async (event, context) => {
          console.log('event', JSON.stringify(event));
          console.error('to stderr');
          return {
            event,
            requestId: context.awsRequestId,
            fn: context.functionName,
            version: context.functionVersion,
            memory: context.memoryLimitInMB,
            arn: context.invokedFunctionArn,
            group: context.logGroupName,
            stream: context.logStreamName,
            remaining: context.getRemainingTimeInMillis(),
            client: context.clientContext,
            env: {
              region: process.env.AWS_REGION,
              name: process.env.AWS_LAMBDA_FUNCTION_NAME,
              handler: process.env._HANDLER,
              root: process.env.LAMBDA_TASK_ROOT,
              api: process.env.AWS_LAMBDA_RUNTIME_API,
              tz: process.env.TZ,
              mine: process.env.MINE,
              trace: process.env._X_AMZN_TRACE_ID,
              exec: process.env.AWS_EXECUTION_ENV,
              cwd: process.cwd(),
            },
          };
        };`,
    }, { Environment: { Variables: { MINE: 'yes' } }, Timeout: 10 });
  });

  test('invokes a CommonJS async handler with the full context and environment', async () => {
    const r = await invoke('node-cjs', { a: 1 });
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, undefined);
    assert.equal(r.ExecutedVersion, '$LATEST');
    const o = r.json;
    assert.deepEqual(o.event, { a: 1 });
    assert.match(o.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(r.$metadata.requestId, o.requestId);
    assert.equal(o.fn, 'node-cjs');
    assert.equal(o.version, '$LATEST');
    assert.equal(o.memory, '128');
    assert.equal(o.arn, 'arn:aws:lambda:us-east-1:000000000000:function:node-cjs');
    assert.equal(o.group, '/aws/lambda/node-cjs');
    assert.match(o.stream, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(o.remaining > 5000 && o.remaining <= 10000, `remaining ${o.remaining}`);
    assert.equal(o.env.region, 'us-east-1');
    assert.equal(o.env.name, 'node-cjs');
    assert.equal(o.env.handler, 'index.handler');
    assert.equal(o.env.cwd, o.env.root);
    assert.match(o.env.api, /^127\.0\.0\.1:\d+$/);
    assert.equal(o.env.tz, ':UTC');
    assert.equal(o.env.mine, 'yes');
    assert.equal(o.env.exec, 'AWS_Lambda_nodejs20.x');
    assert.match(o.env.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
  });

  test('LogType Tail returns the last 4 KB of the log, base64, with START/END/REPORT', async () => {
    const r = await invoke('node-cjs', { b: 2 }, { LogType: 'Tail' });
    const tail = Buffer.from(r.LogResult, 'base64').toString();
    const id = r.json.requestId;
    assert.ok(tail.includes(`START RequestId: ${id} Version: $LATEST`), tail);
    assert.match(tail, new RegExp(`\\t${id}\\tINFO\\tevent {"b":2}`));
    assert.match(tail, new RegExp(`\\t${id}\\tERROR\\tto stderr`));
    assert.ok(tail.includes(`END RequestId: ${id}`));
    assert.match(tail, new RegExp(`REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`));
  });

  test('ClientContext reaches context.clientContext; Event and DryRun invocations', async () => {
    const cc = Buffer.from(JSON.stringify({ custom: { k: 'v' }, env: { e: 1 } })).toString('base64');
    const r = await invoke('node-cjs', {}, { ClientContext: cc });
    assert.deepEqual(r.json.client.custom, { k: 'v' });
    const ev = await lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', InvocationType: 'Event', Payload: '{}' }));
    assert.equal(ev.StatusCode, 202);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', ClientContext: '%%%' })),
      'InvalidRequestContentException', 400, 'Client context must be a valid Base64-encoded JSON object.',
    );
  });

  test('ES module, callback and context.succeed handlers', async () => {
    await create('node-esm', { 'app.mjs': 'export const run = async (e) => ({ esm: true, e });' }, { Handler: 'app.run' });
    assert.deepEqual((await invoke('node-esm', { x: 1 })).json, { esm: true, e: { x: 1 } });
    await create('node-pkg-esm', {
      'package.json': '{"type":"module"}',
      'src/h.js': 'import { sep } from "node:path"; export const h = { nested: async () => sep };',
    }, { Handler: 'src/h.h.nested' });
    assert.equal((await invoke('node-pkg-esm', {})).json, '/');
    await create('node-cb', {
      'index.js': `exports.handler = (event, context, callback) => {
        setTimeout(() => { globalThis.late = true; }, 50);
        callback(null, { cb: event.n * 2 });
      };`,
    });
    assert.deepEqual((await invoke('node-cb', { n: 21 })).json, { cb: 42 });
    await create('node-succeed', { 'index.js': 'exports.handler = (e, ctx) => { ctx.succeed({ ok: 1 }); };' });
    assert.deepEqual((await invoke('node-succeed', {})).json, { ok: 1 });
    await create('node-undef', { 'index.js': 'exports.handler = async () => undefined;' });
    assert.equal((await invoke('node-undef', {})).text, 'null');
  });

  test('errors thrown by handlers come back as Unhandled function errors', async () => {
    await create('node-throw', {
      'index.js': 'class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } }\n' +
        'exports.handler = async () => { throw new MyError("boom"); };',
    });
    const r = await invoke('node-throw', {}, { LogType: 'Tail' });
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'MyError');
    assert.equal(r.json.errorMessage, 'boom');
    assert.ok(Array.isArray(r.json.trace) && r.json.trace[0].startsWith('MyError: boom'));
    const tail = Buffer.from(r.LogResult, 'base64').toString();
    assert.match(tail, /\tERROR\tInvoke Error \t\{"errorType":"MyError","errorMessage":"boom"/);
  });

  test('init failures: missing module, missing handler, syntax error, bad handler string', async () => {
    await create('node-nomod', { 'other.js': '' });
    let r = await invoke('node-nomod', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.ImportModuleError');
    assert.match(r.json.errorMessage, /^Error: Cannot find module 'index'/);
    await create('node-nohandler', { 'index.js': 'exports.other = () => 1;' });
    r = await invoke('node-nohandler', {});
    assert.equal(r.json.errorType, 'Runtime.HandlerNotFound');
    assert.equal(r.json.errorMessage, 'index.handler is undefined or not exported');
    await create('node-syntax', { 'index.js': 'exports.handler = async () => { return 1 +; };' });
    r = await invoke('node-syntax', {});
    assert.equal(r.json.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(r.json.errorMessage, /^SyntaxError: /);
    await create('node-badhandler', { 'index.js': '' }, { Handler: 'nodot' });
    r = await invoke('node-badhandler', {});
    assert.equal(r.json.errorType, 'Runtime.MalformedHandlerName');
    assert.equal(r.json.errorMessage, 'Bad handler');
  });

  test('timeouts end the invocation with Sandbox.Timedout; the next one gets a fresh environment', async () => {
    await create('node-slow', {
      'index.js': 'let n = 0; exports.handler = async (e) => { n++; if (e.sleep) await new Promise(r => setTimeout(r, e.sleep)); return n; };',
    }, { Timeout: 1 });
    const r = await invoke('node-slow', { sleep: 5000 }, { LogType: 'Tail' });
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Sandbox.Timedout');
    assert.match(r.json.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    const tail = Buffer.from(r.LogResult, 'base64').toString();
    assert.match(tail, /Task timed out after 1\.00 seconds/);
    assert.match(tail, /Status: timeout/);
    assert.equal((await invoke('node-slow', {})).json, 1, 'a timed-out environment is not reused');
    assert.equal((await invoke('node-slow', {})).json, 2, 'warm environments are reused');
  });

  test('a crashing runtime is Runtime.ExitError with the exit status', async () => {
    await create('node-exit', { 'index.js': 'exports.handler = async () => { process.exit(3); };' });
    const r = await invoke('node-exit', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.ExitError');
    assert.match(r.json.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
  });

  test('an environment waiting for its next event is frozen, and thawed for it', async () => {
    await create('node-freeze', {
      'index.js': 'let n = 0; setInterval(() => n++, 10).unref(); exports.handler = async () => ({ pid: process.pid, n });',
    });
    const { pid } = (await invoke('node-freeze', {})).json;
    // Linux shows a stopped process as state T in /proc/<pid>/stat.
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
    for (let i = 0; i < 100 && state() !== 'T'; i++) await sleep(50);
    assert.equal(state(), 'T', 'the idle runtime process is stopped');
    const again = (await invoke('node-freeze', {})).json;
    assert.equal(again.pid, pid, 'the frozen environment is reused');
  });

  test("node runs with AWS's flags: global.gc, a V8 heap sized from MemorySize", async () => {
    const src = 'const v8 = require("node:v8");\n' +
      'exports.handler = async () => ({ gc: typeof global.gc, heapMb: v8.getHeapStatistics().heap_size_limit / 1048576 });';
    await create('node-flags', { 'index.js': src });
    const small = (await invoke('node-flags', {})).json;
    assert.equal(small.gc, 'function');
    // --max-old-space-size = MemorySize - MemorySize/10 (116 MB of 128), plus the young generation.
    assert.ok(small.heapMb > 110 && small.heapMb < 160, `heap limit ${small.heapMb} MB`);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'node-flags', MemorySize: 1024 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'node-flags' });
    const big = (await invoke('node-flags', {})).json;
    assert.ok(big.heapMb > 900 && big.heapMb < 1200, `heap limit ${big.heapMb} MB`);
  });

  test('responses over 6 MB fail with Function.ResponseSizeTooLarge', async () => {
    await create('node-big', { 'index.js': 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);' });
    const r = await invoke('node-big', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Function.ResponseSizeTooLarge');
  });

  test('memory beyond MemorySize is Runtime.OutOfMemory', async () => {
    await create('node-oom', {
      'index.js': 'const keep = []; exports.handler = async () => { for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise(r => setImmediate(r)); } };',
    }, { MemorySize: 128, Timeout: 30 });
    const r = await invoke('node-oom', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.OutOfMemory');
  });
});

describe('memory of a custom runtime', () => {
  test("memory counts the bootstrap's child processes too (Runtime.OutOfMemory)", async () => {
    const bootstrap = [
      '#!/bin/sh',
      'while true; do',
      '  H="$(mktemp)"',
      '  curl -sS -o /dev/null -D "$H" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"',
      '  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d "[:space:]" | cut -d: -f2)',
      '  node -e "const keep = []; setInterval(() => keep.push(Buffer.alloc(16 << 20, 1)), 5)"',
      '  curl -sS -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$ID/response" -d "{}"',
      'done',
    ].join('\n');
    await create('child-oom', { bootstrap: { content: bootstrap + '\n', mode: 0o755 } },
      { Runtime: 'provided.al2023', Handler: 'x', MemorySize: 128, Timeout: 60 });
    const r = await invoke('child-oom', {}, { LogType: 'Tail' });
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.OutOfMemory');
    assert.match(r.json.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    const tail = Buffer.from(r.LogResult, 'base64').toString();
    assert.match(tail, /Memory Size: 128 MB\tMax Memory Used: 128 MB\t/);
    assert.match(tail, /Status: error\tError Type: Runtime.OutOfMemory/);
  });
});

describe('python and provided runtimes', () => {
  test('a python handler gets the event and context; errors carry Lambda\'s stack trace', async () => {
    await create('py', {
      'app.py': [
        'import json, os',
        'def handler(event, context):',
        '    print("hello from python", json.dumps(event))',
        '    return {"event": event, "fn": context.function_name, "rid": context.aws_request_id,',
        '            "remaining": context.get_remaining_time_in_millis(), "region": os.environ["AWS_REGION"]}',
        'def fail(event, context):',
        '    raise ValueError("bad value")',
      ].join('\n'),
    }, { Runtime: 'python3.12', Handler: 'app.handler' });
    const r = await invoke('py', { p: 1 }, { LogType: 'Tail' });
    assert.equal(r.FunctionError, undefined);
    assert.deepEqual(r.json.event, { p: 1 });
    assert.equal(r.json.fn, 'py');
    assert.equal(r.json.region, 'us-east-1');
    assert.ok(Buffer.from(r.LogResult, 'base64').toString().includes('hello from python {"p": 1}'));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'py', Handler: 'app.fail' }));
    const e = await invoke('py', {});
    assert.equal(e.FunctionError, 'Unhandled');
    assert.equal(e.json.errorType, 'ValueError');
    assert.equal(e.json.errorMessage, 'bad value');
    assert.equal(e.json.requestId, e.$metadata.requestId);
    assert.ok(e.json.stackTrace.some((l) => l.includes('raise ValueError("bad value")')));
    await create('py-missing', { 'app.py': 'x = 1' }, { Runtime: 'python3.12', Handler: 'nope.handler' });
    const m = await invoke('py-missing', {});
    assert.equal(m.json.errorType, 'Runtime.ImportModuleError');
    assert.equal(m.json.errorMessage, "Unable to import module 'nope': No module named 'nope'");
  });

  test('a shell custom runtime (provided.al2023) with curl works unchanged', async () => {
    await create('shell', {
      bootstrap: { content: SHELL_BOOTSTRAP, mode: 0o755 },
      'function.sh': 'handler () { EVENT_DATA=$1; echo "{\\"echo\\":$EVENT_DATA}"; }\n',
    }, { Runtime: 'provided.al2023', Handler: 'function.handler' });
    const r = await invoke('shell', { hi: 'there' });
    assert.equal(r.FunctionError, undefined);
    assert.deepEqual(r.json, { echo: { hi: 'there' } });
    await create('shell-missing', { 'x.sh': '' }, { Runtime: 'provided.al2', Handler: 'x' });
    const m = await invoke('shell-missing', {});
    assert.equal(m.FunctionError, 'Unhandled');
    assert.equal(m.json.errorType, 'Runtime.InvalidEntrypoint');
  });
});

describe('custom runtimes as AWS documents them', () => {
  test("AWS's tutorial runtime (a #!/bin/sh bootstrap with bash-isms and curl) works unchanged", async () => {
    await create('tutorial', {
      bootstrap: { content: TUTORIAL_BOOTSTRAP, mode: 0o755 },
      'function.sh': TUTORIAL_FUNCTION + 'echo_event () { echo "{\\"event\\":$1,\\"shell\\":\\"${BASH_VERSION:+bash}\\"}"; }\n',
    }, { Runtime: 'provided.al2023', Handler: 'function.handler' });
    const r = await invoke('tutorial', { key1: 'value1' });
    assert.equal(r.FunctionError, undefined, r.text);
    assert.deepEqual(r.json, { statusCode: 200, body: 'Hello from Lambda!' });
    // Warm: the loop answers the next event too; the event reaches the handler as its argument.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'tutorial', Handler: 'function.echo_event' }));
    const e = await invoke('tutorial', { n: 1 });
    assert.deepEqual(e.json, { event: { n: 1 }, shell: 'bash' });
    assert.deepEqual((await invoke('tutorial', { n: 2 })).json.event, { n: 2 });
  });

  test('the Runtime API answers a runtime as Lambda does: headers, 202, 400 for a wrong id, 413 above 6 MB', async () => {
    // A custom runtime in node that probes the API and reports what it saw in its next response.
    const bootstrap = `#!/usr/bin/env node
const http = require('node:http');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const call = (method, path, body) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, method, path: '/2018-06-01/runtime' + path }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
  });
  req.on('error', reject);
  req.end(body);
});
let seen = {};
(async () => {
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const event = JSON.parse(next.text);
    if (event.step === 1) {
      seen.next = { status: next.status, headers: next.headers, id };
      const wrong = await call('POST', '/invocation/not-' + id + '/response', '{}');
      seen.wrongId = { status: wrong.status, body: JSON.parse(wrong.text) };
      const big = await call('POST', '/invocation/' + id + '/response', JSON.stringify('x'.repeat(7 * 1024 * 1024)));
      seen.tooLarge = { status: big.status, body: JSON.parse(big.text) };
    } else {
      const ok = await call('POST', '/invocation/' + id + '/response', JSON.stringify(seen));
      seen = { previousResponse: { status: ok.status, body: JSON.parse(ok.text) } };
    }
  }
})();
`;
    await create('api-probe', { bootstrap: { content: bootstrap, mode: 0o755 } },
      { Runtime: 'provided.al2023', Handler: 'none', Timeout: 30 });
    const cc = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
    const first = await invoke('api-probe', { step: 1 }, { ClientContext: cc });
    assert.equal(first.FunctionError, 'Unhandled');
    assert.equal(first.json.errorType, 'Function.ResponseSizeTooLarge');
    const seen = (await invoke('api-probe', { step: 2 })).json;
    const h = seen.next.headers;
    assert.equal(seen.next.status, 200);
    assert.equal(seen.next.id, first.$metadata.requestId);
    assert.equal(h['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:000000000000:function:api-probe');
    assert.match(h['lambda-runtime-deadline-ms'], /^\d{13}$/);
    assert.match(h['lambda-runtime-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]/);
    assert.deepEqual(JSON.parse(h['lambda-runtime-client-context']).custom, { a: 1 });
    assert.equal(seen.wrongId.status, 400);
    assert.deepEqual(seen.wrongId.body, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    assert.equal(seen.tooLarge.status, 413);
    assert.equal(seen.tooLarge.body.errorType, 'RequestEntityTooLarge');
    // The environment survives a failed invocation; a well-formed response is 202 {"status":"OK"}.
    const third = (await invoke('api-probe', { step: 3 })).json;
    assert.deepEqual(third.previousResponse, { status: 202, body: { status: 'OK' } });
  });

  test('a bootstrap without the execute permission is Runtime.InvalidEntrypoint', async () => {
    await create('not-exec', { bootstrap: { content: TUTORIAL_BOOTSTRAP, mode: 0o644 }, 'function.sh': TUTORIAL_FUNCTION },
      { Runtime: 'provided.al2023', Handler: 'function.handler' });
    const r = await invoke('not-exec', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(r.json.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(r.json.errorMessage, /^RequestId: [0-9a-f-]{36} Error: fork\/exec \S+\/bootstrap: permission denied$/);
  });
});

describe('logs in CloudWatch Logs', () => {
  test('each environment writes a stream in /aws/lambda/<name> with START/END/REPORT', async () => {
    await create('logged', { 'index.js': 'exports.handler = async (e) => { console.log("marker-" + e.n); return e.n; };' });
    const r = await invoke('logged', { n: 7 });
    const id = r.$metadata.requestId;
    let events = [];
    for (let i = 0; i < 50 && !events.some((e) => e.message.startsWith('REPORT')); i++) {
      const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logged' }));
      if (streams.logStreams.length) {
        const got = await logs.send(new GetLogEventsCommand({
          logGroupName: '/aws/lambda/logged', logStreamName: streams.logStreams[0].logStreamName, startFromHead: true,
        }));
        events = got.events;
      }
      if (!events.some((e) => e.message.startsWith('REPORT'))) await sleep(100);
    }
    const messages = events.map((e) => e.message);
    assert.ok(messages.some((m) => m.startsWith('INIT_START Runtime Version: nodejs:20')), messages.join(''));
    assert.ok(messages.includes(`START RequestId: ${id} Version: $LATEST\n`));
    assert.ok(messages.some((m) => m.includes(`\t${id}\tINFO\tmarker-7`)));
    assert.ok(messages.includes(`END RequestId: ${id}\n`));
    assert.ok(messages.some((m) => m.startsWith(`REPORT RequestId: ${id}\tDuration: `) && m.includes('Init Duration: ')));
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logged', filterPattern: '"marker-7"' }));
    assert.equal(filtered.events.length, 1);
    assert.ok(filtered.events[0].logStreamName.includes('[$LATEST]'));
  });
});
