"""Stratus's Python runtime: the Lambda Runtime API client loop that AWS's python3.x runtimes run,
written for Stratus (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).

Behaves like AWS's runtime interface client (awslambdaric): handler strings ("pkg/mod.fn"),
Runtime.* init errors, the context object, the root logger's Lambda format (Text and JSON),
error documents with stack traces, Decimal-aware response marshalling. Standard library only.
"""
import decimal
import http.client
import json
import logging
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
BASE = "/2018-06-01/runtime"
_request_id = None
_JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ---- Runtime API client ----------------------------------------------------------------------------

class RuntimeClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host, self.port = host, int(port)
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def next(self):
        return self._request("GET", BASE + "/invocation/next")

    def post_result(self, invoke_id, body, content_type="application/json"):
        return self._request("POST", "%s/invocation/%s/response" % (BASE, invoke_id), body,
                             {"Content-Type": content_type})

    def post_error(self, invoke_id, error, xray_cause=None):
        headers = {"Content-Type": "application/json",
                   "Lambda-Runtime-Function-Error-Type": _header_safe(error.get("errorType", "Unhandled"))}
        return self._request("POST", "%s/invocation/%s/error" % (BASE, invoke_id), to_json(error), headers)

    def post_init_error(self, error):
        headers = {"Content-Type": "application/json",
                   "Lambda-Runtime-Function-Error-Type": _header_safe(error.get("errorType", "Unhandled"))}
        return self._request("POST", BASE + "/init/error", to_json(error), headers)


def _header_safe(text):
    return str(text).replace("\r", " ").replace("\n", " ")


# ---- Serialisation and errors ----------------------------------------------------------------------

def _decimal_serializer(o):
    if isinstance(o, decimal.Decimal):
        return float(o)
    raise TypeError(repr(o) + " is not JSON serializable")


def to_json(obj):
    return json.dumps(obj, default=_decimal_serializer)


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "Exception",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace is not None else [],
    }


def build_fault_result(exc_info, msg, invoke_id=None):
    etype, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    # Frames of this bootstrap are not the user's business.
    for i, frame in enumerate(frames):
        if not frame.filename.endswith("bootstrap.py"):
            frames = frames[i:]
            break
    else:
        frames = []
    return make_error(msg if msg else str(value), etype.__name__, traceback.format_list(frames), invoke_id)


def log_error(error):
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    if _JSON_LOGS:
        record = {"timestamp": _iso_now(), "level": "ERROR", "message": error.get("errorMessage", ""),
                  "logger": "root", "requestId": _request_id or "", "errorType": error.get("errorType"),
                  "stackTrace": error.get("stackTrace", [])}
        _write_line(json.dumps(record))
        return
    lines = [description]
    stack = error.get("stackTrace")
    if stack is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack:
            lines.extend(element.splitlines() if element else [""])
    _write_line("\n".join(lines))


def _write_line(text):
    sys.stdout.write(text.replace("\n", "\r") + "\n")
    sys.stdout.flush()


def _iso_now():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000)


# ---- Logging ---------------------------------------------------------------------------------------

class _LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            _write_line(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never break the function
            self.handleError(record)


class _TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
                         "%Y-%m-%dT%H:%M:%S")
        self.converter = time.gmtime


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        record.message = record.getMessage()
        out = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
               + "Z", "level": record.levelname, "message": record.message, "logger": record.name,
               "requestId": getattr(record, "aws_request_id", "")}
        if record.exc_info:
            out["errorType"] = record.exc_info[0].__name__
            out["errorMessage"] = str(record.exc_info[1])
            out["stackTrace"] = traceback.format_tb(record.exc_info[2])
        return json.dumps(out, default=str)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id if _request_id is not None else ""
        return True


def _setup_logging():
    handler = _LambdaLogHandler()
    handler.setFormatter(_JsonFormatter() if _JSON_LOGS else _TextFormatter())
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    if level and hasattr(logging, level):
        root.setLevel(getattr(logging, level))


# ---- Context ----------------------------------------------------------------------------------------

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _make_obj(cls, d):
    if d is None:
        return None
    obj = cls()
    for slot in cls.__slots__:
        setattr(obj, slot, d.get(slot))
    return obj


class LambdaContext:
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn=None,
                 tenant_id=None):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = _make_obj(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _make_obj(Client, self.client_context.client)
        self.identity = _make_obj(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        delta = self._deadline_ms - int(time.time() * 1000)
        return delta if delta > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s])"
                % (self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                   self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                   self.client_context, self.identity))


# ---- Handler ----------------------------------------------------------------------------------------

def _fault_handler(fault):
    def handler(*_):
        raise fault
    return handler


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module %s as a handler module" % modname)
        import importlib
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR,
                             "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             "Syntax error in module '%s': %s" % (modname, e), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        return _fault_handler(FaultException(FaultException.HANDLER_NOT_FOUND,
                                             "Handler '%s' missing on module '%s'" % (fname, modname)))


def _parse_json_header(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def handle(client, handler, invoke_id, body, headers):
    error = None
    result = None
    try:
        context = LambdaContext(invoke_id, _parse_json_header(headers.get("lambda-runtime-client-context")),
                                _parse_json_header(headers.get("lambda-runtime-cognito-identity")),
                                int(headers.get("lambda-runtime-deadline-ms", "0")),
                                headers.get("lambda-runtime-invoked-function-arn"),
                                headers.get("lambda-runtime-aws-tenant-id"))
        try:
            event = json.loads(body) if body else {}
        except ValueError as e:
            raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % e)
        response = handler(event, context)
        try:
            result = to_json(response)
        except Exception as e:  # noqa: BLE001
            raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % e)
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:  # noqa: BLE001
        error = build_fault_result(sys.exc_info(), None, invoke_id)
    if error is not None:
        log_error(error)
        client.post_error(invoke_id, error)
    else:
        client.post_result(invoke_id, result)


def main():
    global _request_id
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, task_root)
    _setup_logging()
    client = RuntimeClient(API)
    try:
        handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    except Exception:  # noqa: BLE001
        error = build_fault_result(sys.exc_info(), None)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    while True:
        status, headers, body = client.next()
        if status != 200:
            sys.exit(1)
        invoke_id = headers.get("lambda-runtime-aws-request-id")
        _request_id = invoke_id
        trace = headers.get("lambda-runtime-trace-id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        handle(client, handler, invoke_id, body, headers)


if __name__ == "__main__":
    main()
