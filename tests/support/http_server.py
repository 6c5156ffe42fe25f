"""A real HTTP server on loopback for the webhook tests: each POST is
written to DIR as <n>.body (the exact bytes) and <n>.headers; a path
ending in /fail is answered 500, any other 200.

usage: python3 http_server.py DIR PORT
Prints "ready" once it listens.
"""
import http.server
import os
import sys

out, port = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
count = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        count[0] += 1
        base = os.path.join(out, str(count[0]))
        with open(base + ".body", "wb") as f:
            f.write(body)
        with open(base + ".headers", "w") as f:
            for k, v in self.headers.items():
                f.write("%s: %s\n" % (k.lower(), v))
        self.send_response(500 if self.path.endswith("/fail") else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", port), Handler)
print("ready", flush=True)
server.serve_forever()
