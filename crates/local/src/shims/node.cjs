'use strict';
// lambda-sync local runtime shim for Node.js.
//
// Usage: node node.cjs CODE_DIR HANDLER RESULT_FILE ERROR_FILE CONTEXT_JSON
// Loads HANDLER (`index.handler` -> CODE_DIR/index.{js,mjs,cjs}, export `handler`), reads the
// event (JSON) from stdin, calls the handler as Lambda does (async, promise or callback), and
// writes the result as JSON to RESULT_FILE, or the error as {errorType, errorMessage, trace} to
// ERROR_FILE. stdout and stderr stay the function's own log.
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [codeDir, handlerSetting, resultFile, errorFile, contextJson] = process.argv.slice(2);
const info = JSON.parse(contextJson);
let finished = false;

function finish(file, value) {
  if (finished) return;
  finished = true;
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    file = errorFile;
    text = JSON.stringify({
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to stringify response body: ' + (e && e.message),
    });
  }
  fs.writeFileSync(file, text === undefined ? 'null' : text);
  process.exit(0);
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

process.on('uncaughtException', (e) => finish(errorFile, toError(e)));
process.on('unhandledRejection', (e) =>
  finish(errorFile, {
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: String((e && e.message) || e),
    trace: [],
  }),
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

(async () => {
  const input = fs.readFileSync(0, 'utf8');
  const event = input.trim() === '' ? {} : JSON.parse(input);
  const handler = await load();
  const deadline = Number(info.deadlineMs);
  const result = await new Promise((resolve, reject) => {
    const callback = (err, value) => (err ? reject(err) : resolve(value));
    const context = {
      awsRequestId: info.requestId,
      functionName: info.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: info.invokedFunctionArn,
      memoryLimitInMB: String(info.memoryLimitInMB),
      logGroupName: `/aws/lambda/${info.functionName}`,
      logStreamName: 'lambda-sync-local',
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
  finish(resultFile, result);
})().catch((e) => finish(errorFile, toError(e)));
