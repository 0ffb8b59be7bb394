"""A small HTTP server for the deploy gate tests: version, Prometheus query and flag endpoints.

Usage: python3 gate_server.py STATE_DIR
Binds 127.0.0.1 on a free port, prints the port on stdout, and serves until killed:
  GET /version        {"version": <STATE_DIR/version>}
  GET /api/v1/query   a Prometheus instant-vector answer whose one sample is STATE_DIR/metric
  GET /flag           {"enabled": <STATE_DIR/flag as JSON>}
Missing state files answer 503. The state files are re-read on every request, so a test
changes what the server says by rewriting them. Exits by itself after 10 minutes.
"""
import http.server
import json
import os
import signal
import sys
import threading
import time

state = sys.argv[1]
# The parent may have blocked these signals; a test stops this server with them.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})


def read(name):
    try:
        with open(os.path.join(state, name)) as handle:
            return handle.read().strip()
    except FileNotFoundError:
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/version":
            value = read("version")
            if value is None:
                return self.answer(503, {"error": "starting"})
            return self.answer(200, {"version": value, "status": "ok"})
        if path == "/api/v1/query":
            value = read("metric")
            if value is None:
                return self.answer(200, {"status": "success", "data": {"resultType": "vector", "result": []}})
            return self.answer(200, {"status": "success", "data": {"resultType": "vector", "result": [
                {"metric": {"job": "web"}, "value": [time.time(), value]}]}})
        if path == "/flag":
            value = read("flag")
            if value is None:
                return self.answer(404, {"error": "no such flag"})
            return self.answer(200, {"key": "read-full-name", "enabled": json.loads(value)})
        self.answer(404, {"error": "not found"})

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(600, server.shutdown).start()
server.serve_forever()
