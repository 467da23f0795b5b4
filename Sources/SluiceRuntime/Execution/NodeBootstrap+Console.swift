extension NodeBootstrap {
    /// `LogPatch.js`: every `console` method writes one line to stdout, `<ISO time>\t<request id>\t<LEVEL>\t<message>`
    /// (the request id is `undefined` during init and stays the last one between invocations), or a JSON object with
    /// `AWS_LAMBDA_LOG_FORMAT=JSON`; `AWS_LAMBDA_LOG_LEVEL` drops lower levels. `console.log` is `INFO`.
    ///
    /// AWS's stdout fallback turns newlines inside a message into `\r` so that a line collector keeps one event; on
    /// AWS proper each message is one framed event that keeps its newlines. Sluice's log is a byte stream read by
    /// people (`sluice logs`, `LogType=Tail`), so newlines are kept.
    static let consoleSource = #"""
        // LogPatch.js: console lines are `<ISO time>\t<request id>\t<LEVEL>\t<message>` (or JSON with
        // AWS_LAMBDA_LOG_FORMAT=JSON), filtered by AWS_LAMBDA_LOG_LEVEL.
        const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
        const structuredConsole = {};

        function patchConsole() {
          const levels = {
            TRACE: { name: 'TRACE', priority: 1 }, DEBUG: { name: 'DEBUG', priority: 2 },
            INFO: { name: 'INFO', priority: 3 }, WARN: { name: 'WARN', priority: 4 },
            ERROR: { name: 'ERROR', priority: 5 }, FATAL: { name: 'FATAL', priority: 6 },
          };
          const json = (process.env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
          const minimum = levels[(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || levels.TRACE;
          const write = (level, message, ...params) => {
            const time = new Date().toISOString();
            const requestId = global[REQUEST_ID];
            const line = json
              ? jsonLine(requestId, time, level, message, ...params)
              : `${time}\t${requestId}\t${level.name}\t${util.format(message, ...params)}`;
            process.stdout.write(line + '\n');
          };
          const logger = (level) => level.priority >= minimum.priority
            ? (message, ...params) => write(level, message, ...params)
            : () => {};
          console.trace = logger(levels.TRACE);
          console.debug = logger(levels.DEBUG);
          console.info = logger(levels.INFO);
          console.log = console.info;
          console.warn = logger(levels.WARN);
          console.error = logger(levels.ERROR);
          console.fatal = (message, ...params) => write(levels.FATAL, message, ...params);
          structuredConsole.logError = json
            ? (_message, error) => console.error(intoError(error))
            : (message, error) => console.error(message, toFormatted(intoError(error)));
        }

        function jsonLine(requestId, timestamp, level, ...messageParams) {
          const errorFields = (error) => ({
            errorType: (error.constructor && error.constructor.name) || 'UnknownError',
            errorMessage: error.message,
            stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : error.stack,
          });
          const result = { timestamp, level: level.name, requestId };
          if (messageParams.length === 1) {
            result.message = messageParams[0];
            try {
              return JSON.stringify(result, (_key, value) =>
                value instanceof Error ? Object.assign(errorFields(value), value) : value);
            } catch (_) {
              result.message = util.format(result.message);
              return JSON.stringify(result);
            }
          }
          result.message = util.format(...messageParams);
          const error = messageParams.find((param) => param instanceof Error);
          if (error) {
            Object.assign(result, errorFields(error));
            if (typeof error.stack !== 'string') result.stackTrace = [];
          }
          return JSON.stringify(result);
        }
        """#
}
