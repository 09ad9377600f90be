"""A minimal WebSocket client (RFC 6455) on the standard library, for the functional tests: the test
machine has no third-party Python packages. Text messages only; answers pings; handles fragments;
permessage-deflate (RFC 7692) when `extensions` offers it."""
import base64
import json
import os
import socket
import struct
import zlib


class WsClosed(Exception):
    def __init__(self, code, reason):
        super().__init__(f"closed {code} {reason}")
        self.code, self.reason = code, reason


class WsClient:
    def __init__(self, host, port, path, headers=None, timeout=10.0, extensions=None, rcvbuf=None):
        if rcvbuf:  # a small receive window must be set before connect to shape the TCP window
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.sock.settimeout(timeout)
            self.sock.connect((host, port))
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        self.deflate = False      # permessage-deflate agreed
        self.wire_bytes = 0       # frame payload bytes received (compressed where RSV1)
        self.message_bytes = 0    # message bytes after inflating
        self.compressed_messages = 0
        self.pings = []           # payloads of pings received (each answered with a pong)
        self.answer_pings = True
        headers = dict(headers or {})
        if extensions:
            headers["Sec-WebSocket-Extensions"] = extensions
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])
        self.response_head = head.decode(errors="replace")
        if self.status != 101:
            # The body (a JSON error) follows; read what is there.
            self.error_body = self.buf.decode(errors="replace")
        self.extensions = ""
        for line in self.response_head.split("\r\n")[1:]:
            k, _, v = line.partition(":")
            if k.strip().lower() == "sec-websocket-extensions":
                self.extensions = v.strip()
        if "permessage-deflate" in self.extensions:
            self.deflate = True
            self._inflater = zlib.decompressobj(-15)

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send_frame(self, opcode, payload, rsv1=False, fin=True, masked=True):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode])
        mbit = 0x80 if masked else 0
        if n < 126:
            header += bytes([mbit | n])
        elif n < 65536:
            header += bytes([mbit | 126]) + struct.pack(">H", n)
        else:
            header += bytes([mbit | 127]) + struct.pack(">Q", n)
        if not masked:
            self.sock.sendall(header + payload)
            return
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + data)

    def send_text(self, text, compress=False):
        data = text.encode() if isinstance(text, str) else text
        if compress:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            z = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
            self._send_frame(0x1, z[:-4] if z.endswith(b"\x00\x00\xff\xff") else z, rsv1=True)
        else:
            self._send_frame(0x1, data)

    def send_ping(self, payload=b""):
        self._send_frame(0x9, payload)

    def recv(self):
        """Next text message (str). Raises WsClosed on a close frame."""
        message = b""
        compressed = False
        while True:
            b0, b1 = self._read_exact(2)
            fin, opcode = b0 & 0x80, b0 & 0x0F
            if opcode in (0x1, 0x2) and b0 & 0x40:
                compressed = True
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read_exact(8))[0]
            if b1 & 0x80:
                mask = self._read_exact(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exact(n)))
            else:
                payload = self._read_exact(n)
            if opcode == 0x9:  # ping
                self.pings.append(payload)
                if self.answer_pings:
                    self._send_frame(0xA, payload)
                continue
            if opcode == 0xA:
                self.last_pong = payload
                continue
            if opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise WsClosed(code, payload[2:].decode(errors="replace"))
            message += payload
            self.wire_bytes += len(payload)
            if fin:
                if compressed:
                    self.compressed_messages += 1
                    message = self._inflater.decompress(message + b"\x00\x00\xff\xff")
                self.message_bytes += len(message)
                return message.decode()

    def recv_json(self):
        return json.loads(self.recv())

    def close(self):
        try:
            self._send_frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        self.sock.close()
