#!/usr/bin/env python3
"""WebSocket fan-out load test on loopback: starts `vntracker serve` (simulator feed), connects N clients to
/ws/market, and measures for DURATION seconds: the server's CPU use (cores), its RSS, messages and bytes
delivered, and publish -> client latency (client receive time - the message's "sent_ms"; both clocks are
this machine's). Bounded in clients and time; loopback only.
Usage: ws_fanout.py VNTRACKER CLIENTS [DURATION_S=20] [SPEED=1]
With LOADGEN=build/release/bench/ws_loadgen the clients are the native load generator (needed for honest
latency figures: one Python process cannot keep up with 1,000 sockets); with DEFLATE=1 as well they offer
permessage-deflate (mb_per_s is then the compressed bytes on the wire). SERVE_ARGS adds server options."""
import asyncio
import base64
import json
import os
import re
import struct
import subprocess
import sys
import time

BIN, N = sys.argv[1], int(sys.argv[2])
DURATION = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
SPEED = sys.argv[4] if len(sys.argv) > 4 else "1"
latencies, counts = [], {"msgs": 0, "bytes": 0, "closed": 0}
SENT = re.compile(rb'"sent_ms":(\d+)')


async def client(port, measuring):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        counts["closed"] += 1
        return
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /ws/market HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await reader.readuntil(b"\r\n\r\n")
    msg = b""
    try:
        while True:
            b0, b1 = await reader.readexactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", await reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", await reader.readexactly(8))[0]
            payload = await reader.readexactly(n)
            op = b0 & 0x0F
            if op == 0x9:  # ping -> pong (masked)
                mask = os.urandom(4)
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                continue
            if op == 0x8:
                counts["closed"] += 1
                return
            msg += payload
            if b0 & 0x80:
                now = time.time() * 1000
                if measuring[0]:
                    counts["msgs"] += 1
                    counts["bytes"] += len(msg)
                    m = SENT.search(msg[:400])
                    if m:
                        latencies.append(now - int(m.group(1)))
                msg = b""
    except (asyncio.IncompleteReadError, ConnectionError):
        counts["closed"] += 1


def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().split(")")[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024


async def main():
    p = subprocess.Popen([BIN, "serve", "--port", "0", "--db", "none", "--speed", SPEED, "--sim-date", "2026-03-18",
                          "--sim-start", os.environ.get("SIM_START", "09:30:00"), "--ws-per-ip", str(N + 10), "--conn-per-ip", str(N + 10), *os.environ.get("SERVE_ARGS", "").split()], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(p.stdout.readline().strip().rsplit(" ", 1)[1])
    if os.environ.get("LOADGEN"):
        lg_args = [os.environ["LOADGEN"], str(port), str(N), str(DURATION), "/ws/market"]
        if os.environ.get("DEFLATE") == "1":  # the clients offer permessage-deflate as browsers do
            lg_args.append("deflate")
        lg = subprocess.Popen(lg_args, stdout=subprocess.PIPE, text=True)
        time.sleep(3)
        c0, t0 = cpu_seconds(p.pid), time.time()
        out = lg.communicate(timeout=DURATION + 60)[0]
        c1, t1 = cpu_seconds(p.pid), time.time()
        rss = rss_mb(p.pid)
        p.terminate()
        p.wait(timeout=20)
        res = json.loads(out)
        res.update({"server_cpu_cores": round((c1 - c0) / (t1 - t0), 3), "server_rss_mb": round(rss, 1)})
        print(json.dumps(res))
        return
    measuring = [False]
    tasks = []
    for i in range(N):
        tasks.append(asyncio.create_task(client(port, measuring)))
        if i % 200 == 199:
            await asyncio.sleep(0.2)
    await asyncio.sleep(3)
    measuring[0] = True
    c0, t0 = cpu_seconds(p.pid), time.time()
    await asyncio.sleep(DURATION)
    c1, t1 = cpu_seconds(p.pid), time.time()
    measuring[0] = False
    rss = rss_mb(p.pid)
    p.terminate()
    p.wait(timeout=20)
    for t in tasks:
        t.cancel()
    latencies.sort()
    pct = lambda q: latencies[int(q * (len(latencies) - 1))] if latencies else float("nan")
    print(json.dumps({"clients": N, "duration_s": round(t1 - t0, 1), "server_cpu_cores": round((c1 - c0) / (t1 - t0), 3),
                      "server_rss_mb": round(rss, 1), "messages": counts["msgs"],
                      "messages_per_s": round(counts["msgs"] / (t1 - t0)), "mb_per_s": round(counts["bytes"] / (t1 - t0) / 1e6, 1),
                      "latency_ms_p50": round(pct(0.5), 2), "latency_ms_p99": round(pct(0.99), 2),
                      "clients_closed": counts["closed"]}))


asyncio.run(main())
