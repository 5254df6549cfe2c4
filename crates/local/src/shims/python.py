# lambda-sync local runtime shim for Python.
#
# Usage: python3 python.py CODE_DIR HANDLER RESULT_FILE ERROR_FILE CONTEXT_JSON
# Imports HANDLER (`lambda_function.lambda_handler` -> CODE_DIR/lambda_function.py, function
# `lambda_handler`), reads the event (JSON) from stdin, calls it with a context object and
# writes the result as JSON to RESULT_FILE, or the error as
# {errorMessage, errorType, requestId, stackTrace} to ERROR_FILE. stdout and stderr stay the
# function's own log.
import importlib
import json
import os
import sys
import time
import traceback

code_dir, handler_setting, result_file, error_file, context_json = sys.argv[1:6]
info = json.loads(context_json)


def finish(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def error_json(error, error_type=None):
    return json.dumps(
        {
            "errorMessage": str(error),
            "errorType": error_type or type(error).__name__,
            "requestId": info["requestId"],
            "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
        }
    )


class LambdaContext:
    def __init__(self):
        self.aws_request_id = info["requestId"]
        self.function_name = info["functionName"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = info["invokedFunctionArn"]
        self.memory_limit_in_mb = int(info["memoryLimitInMB"])
        self.log_group_name = "/aws/lambda/" + info["functionName"]
        self.log_stream_name = "lambda-sync-local"
        self._deadline_ms = int(info["deadlineMs"])

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def main():
    raw = sys.stdin.buffer.read().decode("utf-8")
    event = json.loads(raw) if raw.strip() else {}
    module_name, _, attribute = handler_setting.rpartition(".")
    sys.path.insert(0, code_dir)
    os.chdir(code_dir)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as e:
        finish(error_file, error_json(e, "Runtime.ImportModuleError"))
    handler = getattr(module, attribute, None)
    if not callable(handler):
        finish(
            error_file,
            json.dumps(
                {
                    "errorMessage": "Handler '%s' missing on module '%s'" % (attribute, module_name),
                    "errorType": "Runtime.HandlerNotFound",
                    "requestId": info["requestId"],
                    "stackTrace": [],
                }
            ),
        )
    try:
        result = handler(event, LambdaContext())
    except Exception as e:
        finish(error_file, error_json(e))
    try:
        text = json.dumps(result)
    except Exception as e:
        finish(error_file, error_json(e, "Runtime.MarshalError"))
    finish(result_file, text)


main()
