'use strict';
// lambda-sync local runtime for Node.js: one long-lived execution environment.
//
// Usage: node node.cjs CODE_DIR HANDLER INFO_JSON
//
// Standard input (fd 0) is the protocol channel, a unix socket to lambda-sync; stdout and
// stderr stay the function's own log. The runtime loads HANDLER once
// (`index.handler` -> CODE_DIR/index.{js,mjs,cjs}, export `handler`), says it is ready, then
// loops: read one event, call the handler as Lambda does (async, promise or callback), write
// an end marker on stdout and stderr, answer the result or the error. Between events the
// process blocks on the channel, so it is frozen as a Lambda environment is.
//
// Frames from lambda-sync: u32 BE header length, header JSON {requestId, deadlineMs, nonce},
// u32 BE event length, event JSON text. Frames to lambda-sync: "LSRT", one kind byte, u32 BE
// payload length, payload. Kinds: I ready, F init failed (error JSON), R result (nonce + JSON),
// E error (nonce + error JSON), X error after which this environment must end.
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [codeDir, handlerSetting, infoJson] = process.argv.slice(2);
const info = JSON.parse(infoJson);
const CHANNEL = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd, buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
    } catch (e) {
      if (e && e.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw e;
    }
  }
}

function readExact(n) {
  const buffer = Buffer.alloc(n);
  let offset = 0;
  while (offset < n) {
    let got;
    try {
      got = fs.readSync(CHANNEL, buffer, offset, n - offset, null);
    } catch (e) {
      if (e && e.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      throw e;
    }
    if (got === 0) return null;
    offset += got;
  }
  return buffer;
}

function send(kind, payload) {
  const body = Buffer.from(payload, 'utf8');
  const head = Buffer.alloc(9);
  head.write('LSRT', 0, 'latin1');
  head.write(kind, 4, 'latin1');
  head.writeUInt32BE(body.length, 5);
  writeAll(CHANNEL, Buffer.concat([head, body]));
}

function toError(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name,
      errorMessage: err.message,
      trace: String(err.stack || '').split('\n'),
    };
  }
  if (typeof err === 'string') {
    return { errorType: 'string', errorMessage: err, trace: [] };
  }
  let message;
  try {
    message = JSON.stringify(err);
  } catch (e) {
    message = String(err);
  }
  return { errorType: typeof err, errorMessage: message, trace: [] };
}

function named(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

// The invocation running now: {reject, fatal}.
let current = null;

function fatal(error) {
  if (current) {
    current.fatal = true;
    current.reject(error);
  } else {
    // Nothing to report it to: end the environment (lambda-sync starts a fresh one).
    process.exit(1);
  }
}

process.on('uncaughtException', (e) => fatal(e));
process.on('unhandledRejection', (e) =>
  fatal(named('Runtime.UnhandledPromiseRejection', String((e && e.message) || e))),
);

async function load() {
  const dot = handlerSetting.lastIndexOf('.');
  const modulePath = handlerSetting.slice(0, dot);
  const exportName = handlerSetting.slice(dot + 1);
  const base = path.resolve(codeDir, modulePath);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = base + ext;
    if (!fs.existsSync(file)) continue;
    let mod;
    if (ext === '.mjs') {
      mod = await import(pathToFileURL(file).href);
    } else {
      try {
        mod = require(file);
      } catch (e) {
        if (e && e.code === 'ERR_REQUIRE_ESM') {
          mod = await import(pathToFileURL(file).href);
        } else {
          throw e;
        }
      }
    }
    let fn = mod[exportName];
    if (typeof fn !== 'function' && mod.default) fn = mod.default[exportName];
    if (typeof fn !== 'function') {
      throw named('Runtime.HandlerNotFound', `${modulePath}.${exportName} is undefined or not exported`);
    }
    return fn;
  }
  throw named('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
}

function call(handler, event, header) {
  const deadline = Number(header.deadlineMs);
  return new Promise((resolve, reject) => {
    current = { reject, fatal: false };
    const callback = (err, value) => (err ? reject(err) : resolve(value));
    const context = {
      awsRequestId: header.requestId,
      functionName: info.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: info.invokedFunctionArn,
      memoryLimitInMB: String(info.memoryLimitInMB),
      logGroupName: `/aws/lambda/${info.functionName}`,
      logStreamName: info.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: callback,
      succeed: (value) => resolve(value),
      fail: (err) => reject(err),
    };
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(resolve, reject);
      } else if (handler.length < 3) {
        resolve(returned);
      }
    } catch (e) {
      reject(e);
    }
  });
}

function endMarker(stream, marker) {
  return new Promise((resolve) => {
    try {
      if (stream.destroyed || stream.writableEnded) {
        // The function closed its own output: lambda-sync stops waiting for the marker.
        resolve();
        return;
      }
      stream.write(marker, () => resolve());
    } catch (e) {
      resolve();
    }
  });
}

function stringify(value) {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

(async () => {
  let handler;
  try {
    handler = await load();
  } catch (e) {
    send('F', JSON.stringify(toError(e)));
    process.exit(1);
  }
  send('I', '');
  for (;;) {
    const headLength = readExact(4);
    if (!headLength) process.exit(0);
    const header = JSON.parse(readExact(headLength.readUInt32BE(0)).toString('utf8'));
    const eventLength = readExact(4).readUInt32BE(0);
    const input = eventLength ? readExact(eventLength).toString('utf8') : '';
    let kind;
    let text;
    try {
      const event = input.trim() === '' ? {} : JSON.parse(input);
      const result = await call(handler, event, header);
      try {
        text = stringify(result);
        kind = 'R';
        if (Buffer.byteLength(text, 'utf8') > info.maxResponseBytes) {
          kind = 'E';
          text = JSON.stringify({
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${info.maxResponseBytes} bytes).`,
          });
        }
      } catch (e) {
        kind = 'E';
        text = JSON.stringify({
          errorType: 'Runtime.MarshalError',
          errorMessage: 'Unable to stringify response body: ' + (e && e.message),
        });
      }
    } catch (e) {
      kind = current && current.fatal ? 'X' : 'E';
      text = JSON.stringify(toError(e));
    }
    current = null;
    const marker = '\x1eLSEND:' + header.nonce + '\n';
    // Through the streams, after what they still hold (a pipe write that would block is
    // queued, not lost), and only once they have flushed it.
    await Promise.all([process.stdout, process.stderr].map((stream) => endMarker(stream, marker)));
    send(kind, header.nonce + text);
  }
})().catch((e) => {
  try {
    process.stderr.write(`lambda-sync runtime: ${(e && e.stack) || e}\n`);
  } finally {
    process.exit(1);
  }
});
