"""Raw HTTP/1.1 and WebSocket-handshake helpers over plain sockets, shared by the functional tests that
need byte-level control (security_test.py, soak_test.py): requests http.client would refuse to send,
responses read without trusting the server's framing."""
import base64
import json
import os
import socket
import time


class Resp:
    def __init__(self, status=None, headers=None, body=b"", error="", timed_out=False):
        self.status, self.headers, self.body, self.error, self.timed_out = status, headers or {}, body, error, timed_out

    def json(self):
        return strict_json(self.body)

    def err(self, key):
        try:
            return self.json()["error"][key]
        except Exception:  # noqa: BLE001
            return None

    def __repr__(self):
        return (f"<status={self.status} content-type={self.headers.get('content-type')!r} "
                f"body[{len(self.body)}]={self.body[:300]!r}{' ' + self.error if self.error else ''}>")


def strict_json(data):
    """JSON as a strict parser sees it: UTF-8 only, no NaN/Infinity."""
    def bad_constant(c):
        raise ValueError("not JSON: " + c)
    return json.loads(data.decode("utf-8"), parse_constant=bad_constant)


def build_request(port, method, target, headers=None, body=b"", keep_alive=False):
    if isinstance(target, str):
        target = target.encode("utf-8")
    if isinstance(body, str):
        body = body.encode()
    h = {"Host": f"127.0.0.1:{port}", "Connection": "keep-alive" if keep_alive else "close"}
    if body or method in ("POST", "PUT"):
        h["Content-Length"] = str(len(body))
    h.update(headers or {})
    head = method.encode() + b" " + target + b" HTTP/1.1\r\n"
    head += b"".join(f"{k}: {v}\r\n".encode("utf-8") for k, v in h.items())
    return head + b"\r\n" + body


def wait_closed(sock, timeout=5.0):
    """True once the peer has closed (EOF or reset) within `timeout`; discards what it reads."""
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            sock.settimeout(max(0.01, deadline - time.time()))
            if not sock.recv(65536):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True
    return False


def upgrade_request(port, path, headers=None):
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def tcp_state(sock):
    """Linux TCP_INFO tcpi_state: 1 ESTABLISHED, 7 CLOSE, 8 CLOSE_WAIT (peer sent FIN)..."""
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
    except OSError:
        return None
