#!/usr/bin/env python3
"""The SSI client's TLS: SNI is sent, the certificate chain and the host name are verified, and an
extra CA file can be trusted. A real TLS server on loopback (Python's ssl) plays the SSI REST host and
refuses the credentials, so a run that gets through TLS logs the server's refusal.

usage: ssi_tls_test.py VNTRACKER
"""
import http.server
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import threading

BIN = sys.argv[1]
FAILS = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def make_cert(tmp, name, san):
    key, crt = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", crt, "-subj", "/CN=" + san.split(":")[1].split(",")[0],
                    "-addext", "subjectAltName=" + san], check=True, capture_output=True)
    return key, crt


class Server:
    """An HTTPS server that answers AccessToken with a refusal and records SNI names and requests."""

    def __init__(self, key, crt):
        self.sni, self.paths = [], []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                outer.paths.append(self.path)
                n = int(self.headers.get("Content-Length", 0))
                self.rfile.read(n)
                body = b'{"message":"Invalid consumerID or consumerSecret","status":401,"data":null}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        ctx.sni_callback = lambda sock, name, c: outer.sni.append(name)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def run_client(port, extra):
    env = dict(os.environ, SSI_CONSUMER_ID="id", SSI_CONSUMER_SECRET="wrong", LOG_LEVEL="INFO")
    url = "https://localhost:%d/" % port
    p = subprocess.Popen([BIN, "record", "--feed", "ssi", "--out", os.devnull, "--ssi-rest-url", url,
                          "--ssi-stream-url", url] + extra, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    try:
        p.wait(timeout=2.5)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=15)
    return p.returncode, err


def main():
    with tempfile.TemporaryDirectory() as tmp:
        good_key, good_crt = make_cert(tmp, "good", "DNS:localhost,IP:127.0.0.1")
        bad_key, bad_crt = make_cert(tmp, "bad", "DNS:wrong.example")

        srv = Server(good_key, good_crt)
        rc, err = run_client(srv.port, [])
        check("certificate verify failed" in err, "an untrusted certificate is refused: " + err.strip()[-160:])
        check(srv.paths == [], "no request is sent over an unverified connection")
        check("localhost" in srv.sni, "SNI carries the host name (%s)" % srv.sni[:1])
        check(rc == 0, "record stops cleanly on SIGINT while retrying (rc %s)" % rc)

        rc, err = run_client(srv.port, ["--ssi-ca-file", good_crt])
        check("Invalid consumerID or consumerSecret" in err,
              "with the CA trusted, TLS succeeds and the server's refusal is logged")
        check(srv.paths[:1] == ["/api/v2/Market/AccessToken"], "AccessToken was requested: %s" % srv.paths[:1])
        check(err.count("Invalid consumerID or consumerSecret") <= 2,
              "the same failure is not logged on every retry")
        srv.close()

        srv = Server(bad_key, bad_crt)
        rc, err = run_client(srv.port, ["--ssi-ca-file", bad_crt])
        check("TLS handshake" in err and srv.paths == [],
              "a trusted certificate for another host name is refused: " + err.strip()[-160:])
        srv.close()

        rc, err = run_client(1, ["--ssi-ca-file", os.path.join(tmp, "missing.pem")])
        check(rc == 2 and "CA file" in err, "a missing CA file is a start-up error (rc %s)" % rc)

    print("%d passed, %d failed" % (CHECKS[0] - len(FAILS), len(FAILS)))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
