# lambda-sync local runtime for Python: one long-lived execution environment.
#
# Usage: python3 python.py CODE_DIR HANDLER INFO_JSON
#
# Standard input (fd 0) is the protocol channel, a unix socket to lambda-sync: the runtime
# moves it to a private descriptor that child processes do not inherit and puts /dev/null in
# its place. stdout and stderr stay the function's own log. The runtime imports HANDLER once
# (`lambda_function.lambda_handler` -> CODE_DIR/lambda_function.py, function
# `lambda_handler`), says it is ready, then loops: read one event, call the handler with a
# context object, write an end marker on stdout and stderr, answer the result or the error.
#
# Frames: see node.cjs (the same protocol).
import importlib
import json
import os
import struct
import sys
import time
import traceback

code_dir, handler_setting, info_json = sys.argv[1:4]
info = json.loads(info_json)

channel = os.dup(0)
os.set_inheritable(channel, False)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exact(n):
    chunks = []
    while n > 0:
        chunk = os.read(channel, n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def send(kind, payload):
    body = payload.encode("utf-8")
    write_all(channel, b"LSRT" + kind + struct.pack(">I", len(body)) + body)


def error_json(error, request_id, error_type=None):
    return json.dumps(
        {
            "errorMessage": str(error),
            "errorType": error_type or type(error).__name__,
            "requestId": request_id,
            "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
        }
    )


class LambdaContext:
    def __init__(self, header):
        self.aws_request_id = header["requestId"]
        self.function_name = info["functionName"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = info["invokedFunctionArn"]
        self.memory_limit_in_mb = int(info["memoryLimitInMB"])
        self.log_group_name = "/aws/lambda/" + info["functionName"]
        self.log_stream_name = info["logStreamName"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = int(header["deadlineMs"])

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def load():
    module_name, _, attribute = handler_setting.rpartition(".")
    sys.path.insert(0, code_dir)
    os.chdir(code_dir)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as e:
        send(b"F", error_json(e, None, "Runtime.ImportModuleError"))
        sys.exit(1)
    handler = getattr(module, attribute, None)
    if not callable(handler):
        message = "Handler '%s' missing on module '%s'" % (attribute, module_name)
        send(
            b"F",
            json.dumps(
                {
                    "errorMessage": message,
                    "errorType": "Runtime.HandlerNotFound",
                    "requestId": None,
                    "stackTrace": [],
                }
            ),
        )
        sys.exit(1)
    return handler


def main():
    handler = load()
    send(b"I", "")
    while True:
        head_length = read_exact(4)
        if head_length is None:
            return
        header = json.loads(read_exact(struct.unpack(">I", head_length)[0]).decode("utf-8"))
        event_length = struct.unpack(">I", read_exact(4))[0]
        raw = read_exact(event_length).decode("utf-8") if event_length else ""
        request_id = header["requestId"]
        try:
            event = json.loads(raw) if raw.strip() else {}
            result = handler(event, LambdaContext(header))
            try:
                kind, text = b"R", json.dumps(result)
            except Exception as e:
                kind, text = b"E", error_json(e, request_id, "Runtime.MarshalError")
            if len(text.encode("utf-8")) > info["maxResponseBytes"]:
                limit = info["maxResponseBytes"]
                kind, text = b"E", json.dumps(
                    {
                        "errorMessage": "Response payload size exceeded maximum allowed payload size (%d bytes)." % limit,
                        "errorType": "Function.ResponseSizeTooLarge",
                        "requestId": request_id,
                        "stackTrace": [],
                    }
                )
        except Exception as e:
            kind, text = b"E", error_json(e, request_id)
        marker = ("\x1eLSEND:" + header["nonce"] + "\n").encode("latin-1")
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            try:
                stream.flush()
            except Exception:
                pass
            try:
                write_all(fd, marker)
            except OSError:
                pass
        send(kind, header["nonce"] + text)


main()
