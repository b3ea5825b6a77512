"""A real OTLP/HTTP receiver for the interop checks `check_otlp` (traces) and `check_siem_otlp`
(logs): what a collector would see.

Usage:
  otlp_receiver.py serve PORT OUT   decodes every POST /v1/traces (protobuf) with the official
                                    `opentelemetry-proto` definitions and appends one JSON line
                                    per span to OUT: resource and scope, ids as hex, name, kind,
                                    times, status, attributes, flags, trace state; answers 200
                                    with an empty ExportTraceServiceResponse
  otlp_receiver.py logs PORT OUT    the same for POST /v1/logs: one JSON line per log record to
                                    OUT: resource and scope, times, severity, body, attributes,
                                    trace and span ids as hex, event name, the request's content
                                    type and headers; answers 200 with an empty
                                    ExportLogsServiceResponse
  otlp_receiver.py hang PORT        a collector that hangs: accepts connections, never answers

PORT 0 picks a free port. Prints `otlp receiver listening on http://127.0.0.1:PORT` when ready.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.logs.v1.logs_pb2 import SeverityNumber
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status


def value_of(v: AnyValue) -> Any:
    """An attribute's value as JSON."""
    which = v.WhichOneof("value")
    if which == "array_value":
        return [value_of(x) for x in v.array_value.values]
    if which == "kvlist_value":
        return {kv.key: value_of(kv.value) for kv in v.kvlist_value.values}
    if which == "bytes_value":
        return v.bytes_value.hex()
    return getattr(v, which) if which else None


def spans_of(request: ExportTraceServiceRequest, content_type: str) -> list[dict[str, Any]]:
    """One JSON object per span of an export request."""
    out = []
    for rs in request.resource_spans:
        resource = {kv.key: value_of(kv.value) for kv in rs.resource.attributes}
        for ss in rs.scope_spans:
            for s in ss.spans:
                out.append(
                    {
                        "resource": resource,
                        "scope": {"name": ss.scope.name, "version": ss.scope.version},
                        "trace_id": s.trace_id.hex(),
                        "span_id": s.span_id.hex(),
                        "parent_span_id": s.parent_span_id.hex(),
                        "trace_state": s.trace_state,
                        "flags": s.flags,
                        "name": s.name,
                        "kind": Span.SpanKind.Name(s.kind),
                        "start": s.start_time_unix_nano,
                        "end": s.end_time_unix_nano,
                        "status": {"code": Status.StatusCode.Name(s.status.code), "message": s.status.message},
                        "attributes": {kv.key: value_of(kv.value) for kv in s.attributes},
                        "content_type": content_type,
                    }
                )
    return out


def logs_of(request: ExportLogsServiceRequest, headers: dict[str, str]) -> list[dict[str, Any]]:
    """One JSON object per log record of an export request."""
    out = []
    for rl in request.resource_logs:
        resource = {kv.key: value_of(kv.value) for kv in rl.resource.attributes}
        for sl in rl.scope_logs:
            for r in sl.log_records:
                out.append(
                    {
                        "resource": resource,
                        "scope": {"name": sl.scope.name, "version": sl.scope.version},
                        "time": r.time_unix_nano,
                        "observed_time": r.observed_time_unix_nano,
                        "severity_number": SeverityNumber.Name(r.severity_number),
                        "severity_text": r.severity_text,
                        "body": value_of(r.body),
                        "attributes": {kv.key: value_of(kv.value) for kv in r.attributes},
                        "trace_id": r.trace_id.hex(),
                        "span_id": r.span_id.hex(),
                        "flags": r.flags,
                        "event_name": r.event_name,
                        "content_type": headers.get("content-type", ""),
                        "headers": headers,
                    }
                )
    return out


# What each mode accepts: the path, the request message, how it becomes JSON lines, the answer.
SIGNALS = {
    "serve": ("/v1/traces", ExportTraceServiceRequest, lambda r, h: spans_of(r, h.get("content-type", "")), ExportTraceServiceResponse),
    "logs": ("/v1/logs", ExportLogsServiceRequest, logs_of, ExportLogsServiceResponse),
}


def serve(mode: str, port: int, out: str) -> None:
    path, message, convert, response = SIGNALS[mode]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path != path:
                self.send_error(404)
                return
            request = message()
            try:
                request.ParseFromString(body)
            except Exception as e:  # a body that is not the message: what a collector answers
                self.send_error(400, f"not an {message.__name__}: {e}")
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            lines = convert(request, headers)
            with lock, open(out, "a", encoding="utf-8") as f:
                for line in lines:
                    f.write(json.dumps(line) + "\n")
            answer = response().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"otlp receiver listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


def hang(port: int) -> None:
    listener = socket.create_server(("127.0.0.1", port))
    print(f"otlp receiver listening on http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    held = []
    while True:
        conn, _ = listener.accept()
        held.append(conn)  # never read, never answered, never closed
        time.sleep(0)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in SIGNALS:
        serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "hang":
        hang(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
