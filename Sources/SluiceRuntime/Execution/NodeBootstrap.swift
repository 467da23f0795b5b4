/// The bootstrap that runs `nodejs*` functions with the machine's `node` (`reference/runtime-api.md` §2.1), with the
/// behaviour of AWS's Node runtime interface client (aws-lambda-nodejs-runtime-interface-client: `index.mjs`,
/// `Runtime.js`, `CallbackContext.js`, `InvokeContext.js`, `Errors.js`, `RAPIDClient.js`).
///
/// It loads `_HANDLER` (``loaderSource``), patches `console` (``consoleSource``), then loops over the Runtime API
/// (§1): `next`, call `handler(event, context, callback)`, and post the result once the returned promise settles or
/// the callback is called (after the event loop empties, unless `callbackWaitsForEmptyEventLoop` is false). Errors
/// are posted as `{"errorType","errorMessage","trace"}` with `Lambda-Runtime-Function-Error-Type`; a load failure
/// goes to `/init/error` as an uncaught exception, then the process exits (129). An uncaught exception or unhandled
/// rejection during an invocation is posted as its error, then the process exits (129, 128), which ends the
/// environment. `nodejs24.x` follows AWS's newer client: callback handlers are refused at init
/// (`Runtime.CallbackHandlerDeprecated`) and the context has no `succeed`/`fail`/`done`.
///
/// One keep-alive `http.Agent` serves all calls; `_X_AMZN_TRACE_ID` is set per invocation from
/// `Lambda-Runtime-Trace-Id`. The file is CommonJS (`.cjs`) so that no `package.json` around the runtime directory
/// changes how node reads it; ES module handlers are loaded with `import()`.
enum NodeBootstrap {
    static let fileName = "sluice_node_bootstrap.cjs"

    /// The whole script, in the order node evaluates it; `main()` runs last.
    static let source = [preludeSource, consoleSource, loaderSource, runtimeSource].joined(separator: "\n")

    /// Modules, the runtime generation (`AWS_EXECUTION_ENV`) and the error types of `Errors.js`.
    static let preludeSource = #"""
        'use strict';
        // Sluice's bootstrap for the nodejs runtimes: the behaviour of AWS's Node runtime interface client
        // (aws-lambda-nodejs-runtime-interface-client, src/index.mjs, Runtime.js, UserFunction.js, CallbackContext.js,
        // InvokeContext.js, Errors.js, LogPatch.js) over the Runtime API, with node's own http client.
        const fs = require('fs');
        const http = require('http');
        const path = require('path');
        const util = require('util');
        const { pathToFileURL } = require('url');

        const runtimeName = /^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV || '');
        const runtimeMajor = runtimeName ? Number(runtimeName[1]) : 0;
        // nodejs24.x and later run AWS's rewritten client: no callback handlers, no succeed/fail/done on the context.
        const promiseOnly = runtimeMajor >= 24;

        // Errors.js: the runtime's error types are named `Runtime.<Class>`.
        class ImportModuleError extends Error {}
        class HandlerNotFound extends Error {}
        class MalformedHandlerName extends Error {}
        class UserCodeSyntaxError extends Error {}
        class CallbackHandlerDeprecated extends Error {}
        class NodeJsExit extends Error {
          constructor() {
            super('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly ' +
              'caused by a Promise that was never settled. For more information, see ' +
              'https://nodejs.org/docs/latest/api/process.html#exit-codes');
          }
        }
        class UnhandledPromiseRejection extends Error {
          constructor(reason, promise) {
            super(reason);
            this.reason = reason;
            this.promise = promise;
          }
        }
        for (const type of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError,
          CallbackHandlerDeprecated, NodeJsExit, UnhandledPromiseRejection]) {
          type.prototype.name = `Runtime.${type.name}`;
        }

        function isErrorLike(value) {
          return value && typeof value.name === 'string' && value.name && typeof value.message === 'string' &&
            value.message && typeof value.stack === 'string' && value.stack;
        }

        function intoError(value) {
          return value instanceof Error ? value : new Error(value);
        }

        /** The body posted to `/error` and `/init/error`. */
        function toRapidResponse(error) {
          try {
            if (util.types.isNativeError(error) || isErrorLike(error)) {
              return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
            }
            return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
          } catch (_) {
            return {
              errorType: 'handled',
              errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or ' +
                'more of its message, name, and stack',
            };
          }
        }

        /** An error as the log shows it: a tab, then JSON with the name, message, code, own fields and stack lines. */
        function toFormatted(error) {
          const withFields = (_key, value) => {
            if (!(value instanceof Error)) return value;
            const named = { errorType: value.name, errorMessage: value.message, code: value.code };
            const fields = Object.assign(named, value);
            if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
            return fields;
          };
          try {
            return '\t' + JSON.stringify(error, withFields);
          } catch (_) {
            return '\t' + JSON.stringify(toRapidResponse(error));
          }
        }
        """#

    /// The Runtime API client, the callback context, the invocation context, the invoke loop and `main()`.
    static let runtimeSource = #"""
        // RAPIDClient.js: one keep-alive agent for every Runtime API call.
        const client = (() => {
          const [hostname, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
          const agent = new http.Agent({ keepAlive: true });
          const prefix = '/2018-06-01/runtime';
          const request = (method, requestPath, body, headers, retried) => new Promise((resolve) => {
            const options = { hostname, port, method, path: prefix + requestPath, headers, agent };
            const outgoing = http.request(options, (response) => {
              const chunks = [];
              response.on('data', (chunk) => chunks.push(chunk));
              response.on('end', () => resolve({
                status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'),
              }));
            });
            outgoing.on('error', () => {
              // A kept-alive connection the listener closed while idle is retried once on a new one; otherwise the
              // Runtime API is gone because Sluice stopped this environment.
              if (outgoing.reusedSocket && !retried) {
                resolve(request(method, requestPath, body, headers, true));
              } else {
                process.exit(1);
              }
            });
            outgoing.end(body);
          });
          const serialize = (value) => {
            let text;
            try {
              text = JSON.stringify(value === undefined ? null : value);
            } catch (_) {
              throw new Error('Unable to stringify response body');
            }
            // What AWS's native client answers when there is no JSON text (a function or a symbol).
            if (typeof text !== 'string') throw new TypeError('Wrong arguments');
            return text;
          };
          const postError = (requestPath, error, callback) => {
            const response = toRapidResponse(error);
            const body = JSON.stringify(response);
            const type = String(response.errorType).replace(/[^\x20-\x7e]/g, '');
            const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
              'Lambda-Runtime-Function-Error-Type': type };
            request('POST', requestPath, body, headers).then(() => callback());
          };
          return {
            async nextInvocation() {
              const next = await request('GET', '/invocation/next');
              // Anything but an invocation means the environment is being shut down.
              if (next.status !== 200) process.exit(1);
              return next;
            },
            postInvocationResponse(result, id, callback) {
              const body = serialize(result);
              const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
              request('POST', `/invocation/${encodeURIComponent(id)}/response`, body, headers).then(() => callback());
            },
            postInvocationError(error, id, callback) {
              postError(`/invocation/${encodeURIComponent(id)}/error`, error, callback);
            },
            postInitError(error, callback) {
              postError('/init/error', error, callback);
            },
          };
        })();

        // BeforeExitListener.js: what runs when the event loop is empty.
        const BEFORE_EXIT = Symbol.for('aws.lambda.beforeExit');
        const beforeExit = {
          invoke: () => global[BEFORE_EXIT](),
          reset: () => (global[BEFORE_EXIT] = () => {}),
          set: (listener) => (global[BEFORE_EXIT] = listener),
        };

        // CallbackContext.js: the node-style callback and the context's succeed/fail/done; only the first call counts.
        function callbackContext(id, scheduleNext) {
          const postError = (error, next) => {
            structuredConsole.logError('Invoke Error', error);
            client.postInvocationError(error, id, next);
          };
          let completed = false;
          const complete = (result, next) => {
            if (completed) {
              console.error('Invocation has already been reported as done. Cannot call complete more than once per ' +
                'invocation.');
              return;
            }
            completed = true;
            client.postInvocationResponse(result, id, next);
          };
          let waitForEmptyEventLoop = true;
          const callback = (error, result) => {
            beforeExit.reset();
            if (error !== undefined && error !== null) {
              postError(error, scheduleNext);
            } else if (!waitForEmptyEventLoop) {
              complete(result, scheduleNext);
            } else {
              beforeExit.set(() => setImmediate(() => complete(result, scheduleNext)));
            }
          };
          const done = (error, result) => {
            beforeExit.reset();
            if (error !== undefined && error !== null) {
              postError(error, scheduleNext);
            } else {
              complete(result, scheduleNext);
            }
          };
          let finished = false;
          const firstCallOnly = (body) => function () {
            if (!finished) {
              body.apply(null, arguments);
              finished = true;
            }
          };
          const context = {
            get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
            set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
            succeed: firstCallOnly((result) => done(null, result)),
            fail: firstCallOnly((error) => (error === undefined || error === null
              ? done('handled') : done(error, null))),
            done: firstCallOnly(done),
          };
          return { callback: firstCallOnly(callback), context, markCompleted: () => (completed = true) };
        }

        // InvokeContext.js: the invocation's fields from the `next` headers and the environment.
        function parseJsonHeader(value, name) {
          if (value === undefined) return undefined;
          try {
            return JSON.parse(value);
          } catch (error) {
            throw new Error(`Cannot parse ${name} as json: ${error.toString()}`);
          }
        }

        function attachInvocationData(target, headers) {
          const traceId = headers['lambda-runtime-trace-id'];
          if (traceId) {
            process.env._X_AMZN_TRACE_ID = traceId;
          } else {
            delete process.env._X_AMZN_TRACE_ID;
          }
          const deadline = Number(headers['lambda-runtime-deadline-ms']);
          return Object.assign(target, {
            functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
            functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
            memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
            logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
            logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
          }, {
            clientContext: parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
            identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
            invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
            awsRequestId: headers['lambda-runtime-aws-request-id'],
            tenantId: headers['lambda-runtime-aws-tenant-id'],
            getRemainingTimeInMillis: () => deadline - Date.now(),
          }, promiseOnly ? { xRayTraceId: traceId } : {});
        }

        // Runtime.js: one invocation per turn of the loop. The handler is called as a method of Runtime, so stack
        // traces read `at Runtime.handler` as on AWS.
        class Runtime {
          constructor(handler, errorCallbacks) {
            this.handler = handler;
            this.errorCallbacks = errorCallbacks;
            this.isAsync = promiseOnly || (handler.constructor && handler.constructor.name === 'AsyncFunction');
          }

          scheduleIteration() {
            setImmediate(() => {
              this.handleOnceNonStreaming().then(() => {}, (error) => {
                console.log(`Unexpected Top Level Error: ${error.toString()}`);
                this.errorCallbacks.uncaughtException(error);
              });
            });
          }

          async handleOnceNonStreaming() {
            const { body, headers } = await client.nextInvocation();
            const id = headers['lambda-runtime-aws-request-id'];
            global[REQUEST_ID] = id;
            const scheduleNext = () => this.scheduleIteration();
            const { callback, context, markCompleted } = callbackContext(id, scheduleNext);
            try {
              // Errors escaping the handler are this invocation's; the process ends once they are posted.
              const exit = (code) => () => process.exit(code);
              this.errorCallbacks.uncaughtException = (error) => client.postInvocationError(error, id, exit(129));
              this.errorCallbacks.unhandledRejection = (error) => client.postInvocationError(error, id, exit(128));
              // The event loop emptied with no result: null for a callback handler, an error for a promise.
              beforeExit.set(() => {
                markCompleted();
                if (this.isAsync) {
                  const error = new NodeJsExit();
                  structuredConsole.logError('Invoke Error', error);
                  client.postInvocationError(error, id, scheduleNext);
                } else {
                  client.postInvocationResponse(null, id, scheduleNext);
                }
              });
              // An empty payload is the event `{}`, as Sluice's python bootstrap reads it.
              const event = body.length === 0 ? {} : JSON.parse(body);
              const result = promiseOnly
                ? Promise.resolve().then(() => this.handler(event, attachInvocationData({}, headers)))
                : this.handler(event, attachInvocationData(context, headers), callback);
              if (result && typeof result.then === 'function') {
                result.then(context.succeed, context.fail).catch(context.fail);
              }
            } catch (error) {
              callback(error);
            }
          }
        }

        // index.mjs: load the handler; a failure to load is an uncaught exception, posted to /init/error.
        async function main() {
          patchConsole();
          const errorCallbacks = {
            uncaughtException: (error) => client.postInitError(error, () => process.exit(129)),
            unhandledRejection: (error) => client.postInitError(error, () => process.exit(128)),
          };
          process.on('uncaughtException', (error) => {
            structuredConsole.logError('Uncaught Exception', error);
            errorCallbacks.uncaughtException(error);
          });
          process.on('unhandledRejection', (reason, promise) => {
            const error = new UnhandledPromiseRejection(reason, promise);
            structuredConsole.logError('Unhandled Promise Rejection', error);
            errorCallbacks.unhandledRejection(error);
          });
          beforeExit.reset();
          process.on('beforeExit', beforeExit.invoke);
          const handler = await loadHandler(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER || '');
          if (promiseOnly && handler.length >= 3) {
            throw new CallbackHandlerDeprecated('ERROR: AWS Lambda has removed support for callback-based function ' +
              'handlers starting with Node.js 24. You need to modify this function to use a supported handler ' +
              'signature to use Node.js 24 or later. For more information see ' +
              'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.');
          }
          if (!promiseOnly && handler.length === 3 && handler.constructor.name !== 'AsyncFunction' &&
            process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING === undefined) {
            console.warn('AWS Lambda plans to remove support for callback-based function handlers starting with ' +
              'Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. ' +
              'For more information and to provide feedback on this change, see ' +
              'https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this ' +
              'warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.');
          }
          new Runtime(handler, errorCallbacks).scheduleIteration();
        }

        main().catch((error) => process.emit('uncaughtException', error));
        """#
}
