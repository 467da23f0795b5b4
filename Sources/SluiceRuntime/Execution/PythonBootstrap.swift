/// The bootstrap that runs `python3.x` functions with the machine's `python3` (`reference/runtime-api.md` §2.1):
/// it imports `module.function` from `_HANDLER`, then loops over the Runtime API (§1): `next`, call
/// `handler(event, context)`, post the JSON result to `/response` or the error object (errorMessage, errorType,
/// requestId, stackTrace, as awslambdaric posts it) to `/error`; import failures go to `/init/error`.
///
/// The context carries the fields AWS documents; `memory_limit_in_mb` is a string, as awslambdaric sets it.
/// One keep-alive connection on a plain socket serves all calls; `traceback` is imported only when an error is
/// reported, so a cold start imports little beyond `json` and `socket`.
enum PythonBootstrap {
    static let fileName = "sluice_python_bootstrap.py"

    static let source = #"""
        import importlib
        import json
        import os
        import socket
        import sys
        import time

        API = os.environ["AWS_LAMBDA_RUNTIME_API"]
        PREFIX = "/2018-06-01/runtime"
        _connection = None


        class _Connection:
            """One keep-alive HTTP/1.1 connection to the Runtime API, on a plain socket: http.client would cost
            its email-parsing imports at every cold start and a header parse per call."""

            def __init__(self):
                host, port = API.rsplit(":", 1)
                self.socket = socket.create_connection((host, int(port)))
                self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.reader = self.socket.makefile("rb")

            def request(self, method, path, body, headers):
                head = "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (method, path, API, len(body))
                for key, value in headers.items():
                    head += "%s: %s\r\n" % (key, value)
                self.socket.sendall(head.encode("latin-1") + b"\r\n" + body)
                status_line = self.reader.readline()
                if not status_line:
                    raise ConnectionError("the Runtime API closed the connection")
                status = int(status_line.split()[1])
                response_headers = {}
                while True:
                    line = self.reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    key, _, value = line.decode("latin-1").partition(":")
                    response_headers[key.strip().lower()] = value.strip()
                length = int(response_headers.get("content-length", "0"))
                return status, response_headers, self.reader.read(length) if length else b""

            def close(self):
                try:
                    self.reader.close()
                    self.socket.close()
                except OSError:
                    pass


        def call(method, path, body=None, headers=None):
            global _connection
            for attempt in (0, 1):
                if _connection is None:
                    _connection = _Connection()
                try:
                    return _connection.request(method, PREFIX + path, body or b"", headers or {})
                except (ConnectionError, OSError, ValueError, IndexError):
                    _connection.close()
                    _connection = None
                    if attempt == 1:
                        raise


        def error_object(error, request_id, error_type=None, skip=0):
            import traceback
            tb = error.__traceback__
            for _ in range(skip):
                if tb is not None:
                    tb = tb.tb_next
            return {
                "errorMessage": str(error),
                "errorType": error_type or type(error).__name__,
                "requestId": request_id,
                "stackTrace": traceback.format_list(traceback.extract_tb(tb)),
            }


        def post_error(path, obj):
            body = json.dumps(obj).encode()
            call("POST", path, body, {"Content-Type": "application/json",
                                      "Lambda-Runtime-Function-Error-Type": obj["errorType"]})


        class _Namespace:
            def __init__(self, **values):
                self.__dict__.update(values)


        class LambdaContext:
            def __init__(self, request_id, deadline_ms, invoked_function_arn):
                self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
                self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
                self.invoked_function_arn = invoked_function_arn
                self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                self.aws_request_id = request_id
                self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
                self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
                self.identity = None
                self.client_context = None
                self._deadline_ms = deadline_ms

            def with_client_context(self, text):
                """`Lambda-Runtime-Client-Context` as awslambdaric exposes it: client, custom and env."""
                data = json.loads(text)
                self.client_context = _Namespace(
                    client=_Namespace(**data["client"]) if isinstance(data.get("client"), dict) else None,
                    custom=data.get("custom"), env=data.get("env"))
                return self

            def get_remaining_time_in_millis(self):
                return max(self._deadline_ms - int(time.time() * 1000), 0)


        def load_handler():
            handler = os.environ.get("_HANDLER", "")
            task_root = os.environ.get("LAMBDA_TASK_ROOT", ".")
            sys.path.insert(0, task_root)
            module_name, _, function_name = handler.rpartition(".")
            if not module_name:
                raise LookupError("Runtime.MalformedHandlerName",
                                  "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler)
            try:
                module = importlib.import_module(module_name.replace("/", "."))
            except ImportError as error:
                raise LookupError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
            except SyntaxError as error:
                raise LookupError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error))
            function = getattr(module, function_name, None)
            if function is None:
                raise LookupError("Runtime.HandlerNotFound",
                                  "Handler '%s' missing on module '%s'" % (function_name, module_name))
            return function


        def main():
            try:
                handler = load_handler()
            except LookupError as error:
                error_type, message = error.args
                post_error("/init/error", {"errorMessage": message, "errorType": error_type,
                                           "requestId": "", "stackTrace": []})
                sys.exit(1)
            except Exception as error:
                post_error("/init/error", error_object(error, "", skip=1))
                sys.exit(1)
            while True:
                status, headers, body = call("GET", "/invocation/next")
                if status != 200:
                    sys.exit(1)
                request_id = headers.get("lambda-runtime-aws-request-id", "")
                if "lambda-runtime-trace-id" in headers:
                    os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
                context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms", "0")),
                                        headers.get("lambda-runtime-invoked-function-arn", ""))
                try:
                    if "lambda-runtime-client-context" in headers:
                        context.with_client_context(headers["lambda-runtime-client-context"])
                    event = json.loads(body) if body else {}
                    result = handler(event, context)
                except Exception as error:
                    post_error("/invocation/%s/error" % request_id, error_object(error, request_id, skip=1))
                    continue
                try:
                    payload = json.dumps(result).encode()
                except Exception as error:
                    post_error("/invocation/%s/error" % request_id, {
                        "errorMessage": "Unable to marshal response: %s" % error, "errorType": "Runtime.MarshalError",
                        "requestId": request_id, "stackTrace": []})
                    continue
                call("POST", "/invocation/%s/response" % request_id, payload, {"Content-Type": "application/json"})


        if __name__ == "__main__":
            main()
        """#
}
