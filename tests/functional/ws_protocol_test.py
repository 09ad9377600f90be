#!/usr/bin/env python3
"""The server's own WebSocket framing against the RFCs, through real sockets on loopback:
- permessage-deflate (RFC 7692): agreed with a client that offers it (declined otherwise, or with
  --ws-deflate false), messages compressed (RSV1) and equal, once inflated, to what a plain client of the
  same filter receives, seq for seq; compressed client requests understood; bytes on the wire measured;
- the handshake: Sec-WebSocket-Accept, version 13 only (426), a bad key (400);
- RFC 6455 rules on client frames: unmasked (1002), RSV1 without deflate (1002), too big (1009),
  text not UTF-8 (1007); ping -> pong with the payload; the close handshake echoed;
- writes the kernel takes only in part (--ws-send-buffer 16384, a client with a 4 KB receive window that
  pauses): counted, the rest follows asynchronously and every frame arrives whole, in order, with no gap in the sequence;
- keep-alive: pings after half the idle timeout, a client that never answers is closed, one that answers
  stays.
Usage: ws_protocol_test.py VNTRACKER. Prints 'N passed, N failed'."""
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracker  # noqa: E402
from wsclient import WsClient, WsClosed  # noqa: E402

BIN = sys.argv[1]
passed = failed = 0
OFFER = "permessage-deflate; client_max_window_bits"  # what Chromium sends


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   - {name}")
    else:
        failed += 1
        print(f"FAIL - {name} {detail}")


def close_code_of(c, timeout=5.0):
    """Reads until the server's close frame; its code, or None when the socket ended without one."""
    end = time.time() + timeout
    c.sock.settimeout(timeout)
    try:
        while time.time() < end:
            c.recv()
    except WsClosed as e:
        return e.code
    except (ConnectionError, OSError):
        return None
    return None


def socket_ends(c, timeout=5.0):
    """True when the server closes the TCP connection within `timeout`."""
    c.sock.settimeout(timeout)
    try:
        while True:
            if not c.sock.recv(65536):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


def by_seq(c, n, seconds=30):
    """seq -> message text for the next n sequenced messages."""
    out = {}
    end = time.time() + seconds
    while len(out) < n and time.time() < end:
        text = c.recv()
        m = json.loads(text)
        if "seq" in m:
            out[m["seq"]] = text
    return out


def deflate_tests(port):
    z = WsClient("127.0.0.1", port, "/ws/market", extensions=OFFER)
    plain = WsClient("127.0.0.1", port, "/ws/market")
    check("permessage-deflate agreed, without server context takeover",
          z.status == 101 and z.extensions == "permessage-deflate; server_no_context_takeover", z.extensions)
    check("no extension for a client that offers none", plain.status == 101 and plain.extensions == "",
          plain.extensions)
    first = json.loads(z.recv())
    check("the snapshot arrives compressed and inflates to JSON", z.compressed_messages == 1 and "seq" in first,
          str(first)[:200])
    plain.recv()
    zs, ps = by_seq(z, 12), by_seq(plain, 12)
    common = sorted(set(zs) & set(ps))
    check("compressed and plain clients get the same messages, seq for seq", len(common) >= 8 and
          all(zs[s] == ps[s] for s in common), f"{len(common)} common")
    # "sent_ms" is stamped when each delta is complete (written over a placeholder): a real recent time.
    stamps = [json.loads(ps[s_]).get("sent_ms") for s_ in sorted(ps)]
    stamps = [x for x in stamps if x is not None]
    now_ms = time.time() * 1000
    check("deltas carry sent_ms, the wall clock when they were published (not the placeholder)",
          len(stamps) >= 8 and all(now_ms - 60_000 < x <= now_ms + 1000 for x in stamps) and
          stamps == sorted(stamps), str(stamps[:4]))
    ratio = z.wire_bytes / max(1, z.message_bytes)
    check("/ws/market on the wire <= 30 % of its bytes", ratio <= 0.30,
          f"{z.wire_bytes} of {z.message_bytes} bytes ({ratio:.1%})")
    print(f"     /ws/market: {z.message_bytes} message bytes -> {z.wire_bytes} on the wire ({ratio:.1%}), "
          f"plain client {plain.wire_bytes}")
    check("plain frames carry no RSV1", plain.compressed_messages == 0)
    # A compressed request: subscribe to two symbols.
    z.send_text('{"action":"subscribe","symbols":"FPT,VNM"}', compress=True)
    narrowed = False
    end = time.time() + 10
    while time.time() < end and not narrowed:
        m = json.loads(z.recv())
        if m.get("type") in ("snapshot", "full"):
            syms = m.get("data", {}).get("symbols", m.get("symbols"))
            narrowed = isinstance(syms, dict) and set(syms) <= {"FPT", "VNM"} and len(syms) > 0
            if not narrowed:
                print("     first message after subscribe:", str(m)[:300])
                break
    check("a compressed subscribe request is understood (snapshot narrowed to FPT, VNM)", narrowed)
    # Ping with a payload -> pong with the same payload.
    z.send_ping(b"are you there")
    z.last_pong = None
    end = time.time() + 5
    while time.time() < end and z.last_pong is None:
        z.recv()
    check("ping -> pong with its payload", z.last_pong == b"are you there", repr(z.last_pong))
    # The close handshake: our close echoed, then the server closes the connection.
    z._send_frame(0x8, struct.pack(">H", 1000) + b"bye")
    code = close_code_of(z)
    check("the client's close is echoed with its code", code == 1000, str(code))
    check("then the server closes the connection", socket_ends(z, 5))
    plain.close()
    _, body = tracker.raw(port, "/metrics")
    text = body.decode()
    check("metrics: payload and wire bytes per channel",
          'vnt_ws_wire_bytes_total{channel="market"}' in text and
          'vnt_ws_payload_bytes_total{channel="market"}' in text)


def handshake_tests(port):
    c = WsClient("127.0.0.1", port, "/ws/market", headers={"Sec-WebSocket-Version": "8"})
    # The client's own version header comes first; a second one is what the server reads.
    check("version other than 13 -> 426 naming 13", c.status in (426, 101) and (
        c.status == 101 or "sec-websocket-version: 13" in c.response_head.lower()), c.response_head[:200])
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /ws/market HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: not-a-key\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = s.recv(4096).decode(errors="replace")
    check("a bad Sec-WebSocket-Key -> 400", head.startswith("HTTP/1.1 400"), head[:100])
    s.close()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /ws/market HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 7\r\n\r\n")
    head = s.recv(4096).decode(errors="replace")
    check("version 7 -> 426 with Sec-WebSocket-Version: 13",
          head.startswith("HTTP/1.1 426") and "sec-websocket-version: 13" in head.lower(), head[:200])
    s.close()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /ws/market HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(4096)
    check("Sec-WebSocket-Accept is the RFC 6455 example's", b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
          in head, head[:300])
    s.close()


def rule_tests(port):
    cases = [
        ("an unmasked client frame", lambda c: c._send_frame(0x1, b'{"action":"snapshot"}', masked=False), 1002),
        ("RSV1 without permessage-deflate", lambda c: c._send_frame(0x1, b"x", rsv1=True), 1002),
        ("a 70 KB message", lambda c: c._send_frame(0x1, b"x" * 70000), 1009),
        ("text that is not UTF-8", lambda c: c._send_frame(0x1, b"\xc3\x28"), 1007),
        ("a reserved opcode", lambda c: c._send_frame(0x3, b""), 1002),
        ("a continuation with no message", lambda c: c._send_frame(0x0, b"x"), 1002),
        ("a 200-byte ping", lambda c: c._send_frame(0x9, b"p" * 200), 1002),
        ("a 5 KB request", lambda c: c.send_text('{"action":"snapshot","pad":"' + "x" * 5000 + '"}'), 1009),
    ]
    for name, send, want in cases:
        c = WsClient("127.0.0.1", port, "/ws/index")
        c.recv()
        send(c)
        code = close_code_of(c)
        check(f"{name} -> close {want}", code == want, str(code))
        if name.startswith("a 5 KB"):
            # Not a protocol error: the server waits for the client's close (the handshake) before ending.
            c._send_frame(0x8, struct.pack(">H", want))
        check(f"{name}: the connection then ends", socket_ends(c, 5))
    # The server is unharmed.
    c = WsClient("127.0.0.1", port, "/ws/index", extensions=OFFER)
    check("the server serves on after protocol errors", "seq" in json.loads(c.recv()))
    # A compressed message that is not DEFLATE -> 1007.
    c._send_frame(0x1, b"\xff\xfe\xfd\xfc", rsv1=True)
    code = close_code_of(c)
    check("corrupt compressed data -> close 1007", code == 1007, str(code))


def idle_tests(binary):
    p, port = tracker.start(binary, "--db", "none", "--sim-date", "2026-03-18", "--sim-start", "09:14:55",
                            "--ws-idle-timeout-s", "2", "--ws-interval-ms", "100")
    try:
        mute = WsClient("127.0.0.1", port, "/ws/alerts")  # quiet channel: only pings arrive
        mute.answer_pings = False
        live = WsClient("127.0.0.1", port, "/ws/alerts")
        t0 = time.time()
        mute.recv()
        live.recv()
        # Both read in turn (short timeouts); only `live` answers the server's pings.
        mute_end, mute_closed_by_frame, live_alive = None, False, True
        while time.time() - t0 < 6:
            for c in (mute, live):
                if c is mute and mute_end is not None:
                    continue
                c.sock.settimeout(0.1)
                try:
                    c.recv()
                except socket.timeout:
                    pass
                except WsClosed:
                    if c is mute:
                        mute_end, mute_closed_by_frame = time.time() - t0, True
                    else:
                        live_alive = False
                except (ConnectionError, OSError):
                    if c is mute:
                        mute_end = time.time() - t0
                    else:
                        live_alive = False
        check("a client that never answers pings is closed after the idle timeout",
              mute_end is not None and 1.5 <= mute_end <= 4.0, f"{mute_end} s")
        check("it was pinged first", len(mute.pings) >= 1, str(mute.pings))
        check("a client that answers pings stays open (6 s, idle timeout 2 s)", live_alive and len(live.pings) >= 3,
              f"alive={live_alive} pings={len(live.pings)}")
        check("idle closes counted", tracker.metric(port, "vnt_ws_idle_timeouts_total") >= 1)
    finally:
        p.terminate()
        p.wait(timeout=15)
    p, port = tracker.start(binary, "--db", "none", "--sim-date", "2026-03-18", "--sim-start", "09:14:55",
                            "--ws-deflate", "false")
    try:
        c = WsClient("127.0.0.1", port, "/ws/market", extensions=OFFER)
        m = json.loads(c.recv())
        check("--ws-deflate false: offer declined, frames plain", c.extensions == "" and c.compressed_messages == 0
              and "seq" in m, c.extensions)
    finally:
        p.terminate()
        p.wait(timeout=15)


def partial_write_tests(port):
    """The server tries each write at once and hands what the socket did not take to an asynchronous write.
    A client with a tiny receive window that stops reading forces both halves on every message."""
    c = WsClient("127.0.0.1", port, "/ws/market", rcvbuf=4096)
    time.sleep(3)  # the snapshot and the deltas of 3 s pile up behind the 4 KB window
    c.sock.settimeout(10)
    kinds, gaps, sizes, last = [], [], [], None
    end = time.time() + 12
    while time.time() < end and len(kinds) < 15:
        text = c.recv()
        m = json.loads(text)  # a frame cut or interleaved anywhere fails here or in the framing
        sizes.append(len(text))
        kind = m.get("type")
        kinds.append(kind)
        if "seq" not in m:
            continue
        if kind == "snapshot" or m.get("full") or last is None:
            last = m["seq"]
        else:
            if m["seq"] != last + 1:
                gaps.append((last, m["seq"]))
            last = m["seq"]
    _, body = tracker.raw(port, "/metrics")
    partial = [float(l.split()[1]) for l in body.decode().splitlines()
               if l.startswith("vnt_ws_partial_writes_total ")]
    check("the kernel took writes in part and the rest went on asynchronously (vnt_ws_partial_writes_total)",
          partial and partial[0] > 0, str(partial))
    print(f"     4 KB window: {len(kinds)} messages read, largest {max(sizes or [0])} bytes, kinds {kinds[:6]}...")
    check("a slow small-window client gets whole frames: 15 messages parsed", len(kinds) >= 15, str(kinds))
    check("the first is the snapshot, larger than the window (so written in parts)",
          kinds[:1] == ["snapshot"] and sizes[0] > 4096 * 4, f"{kinds[:1]} {sizes[:1]}")
    check("no gap in the sequence after partial writes (a snapshot may restart it)", not gaps, str(gaps))
    c.close()


def main():
    # A 16 KB kernel send buffer per WebSocket: a 60 KB snapshot cannot be written in one go.
    p, port = tracker.start(BIN, "--db", "none", "--sim-date", "2026-03-18", "--sim-start", "09:14:55",
                            "--speed", "5", "--ws-send-buffer", "16384")
    try:
        deflate_tests(port)
        handshake_tests(port)
        rule_tests(port)
        partial_write_tests(port)
    finally:
        p.terminate()
        p.wait(timeout=15)
    idle_tests(BIN)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
