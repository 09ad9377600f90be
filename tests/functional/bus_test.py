"""Scale-out through Redis, for real: a redis-server on loopback, one `vntracker serve --bus` on the
simulator and two `vntracker edge` processes. Clients on both edges must see the same sequence numbers and
the same bytes as each other and as the engine node's own clients; then faults: Redis killed and restarted
(every client whole again within 2 s: deltas resume or a snapshot arrives, never a silent gap), an edge
killed (its clients resume on the other with no gap), the engine restarted (new epoch, clients resync).
Then, once the restarted engine's simulated session has ended, every /api/market/* read an edge serves is
compared with the engine's bytes on two edges; the reads the channels do not carry answer 503 engine_only.

Usage: bus_test.py path/to/vntracker"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, finish, free_port, wait_port  # noqa: E402
from wsclient import WsClient, WsClosed  # noqa: E402
import tracker  # noqa: E402

BIN = sys.argv[1]
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
SIM = ["--speed", "5", "--sim-date", "2026-03-18", "--sim-start", "09:20:00", "--ws-interval-ms", "200"]
SIM_ENDING = ["--speed", "20", "--sim-date", "2026-03-18", "--sim-start", "09:20:00", "--sim-end", "09:23:00",
              "--ws-interval-ms", "200"]


def start_redis(port, workdir):
    p = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                          "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_port(port, 10):
        raise RuntimeError("redis-server did not start")
    return p


def start_edge(redis_port, db="none"):
    p = subprocess.Popen([BIN, "edge", "--bus", f"redis://127.0.0.1:{redis_port}", "--port", "0", "--db", db],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if "listening on port" not in line:
        raise RuntimeError(line + p.stderr.read())
    return p, int(line.strip().rsplit(" ", 1)[1])


class Recorder(threading.Thread):
    """Reads one WebSocket and checks the sequence as the web client does: a snapshot (or a full delta)
    sets the state; a delta must be seq + 1 of the same epoch, else it is a gap."""

    def __init__(self, port, path, resume=None):
        super().__init__(daemon=True)
        q = f"?epoch={resume[0]}&seq={resume[1]}" if resume else ""
        sep = "&" if "?" in path and q else ""
        self.ws = WsClient("127.0.0.1", port, path + (sep + q[1:] if sep else q))
        self.msgs, self.gaps, self.closed = [], [], False
        self.epoch = resume[0] if resume else None
        self.seq = resume[1] if resume else None
        self.lock = threading.Lock()

    def run(self):
        try:
            while True:
                raw = self.ws.recv()
                m = json.loads(raw)
                with self.lock:
                    self.msgs.append((time.time(), m["type"], m.get("epoch"), m["seq"], raw))
                    if m["type"] == "snapshot" or m.get("full"):
                        self.epoch, self.seq = m.get("epoch"), m["seq"]
                    elif self.seq is None or m.get("epoch") != self.epoch or m["seq"] != self.seq + 1:
                        self.gaps.append((self.epoch, self.seq, m.get("epoch"), m["seq"]))
                        self.epoch, self.seq = m.get("epoch"), m["seq"]
                    else:
                        self.seq = m["seq"]
        except (WsClosed, ConnectionError, OSError):
            self.closed = True

    def deltas(self):
        with self.lock:
            return {(e, s): raw for _, t, e, s, raw in self.msgs if t == "delta"}

    def state(self):
        with self.lock:
            return self.epoch, self.seq

    def last_time(self):
        with self.lock:
            return self.msgs[-1][0] if self.msgs else 0


def main():
    tmp = tempfile.mkdtemp(prefix="vnt-bus-")
    rport = free_port()
    redis = start_redis(rport, tmp)
    procs = []
    try:
        db = "sqlite:" + os.path.join(tmp, "history.db")
        engine, eport = tracker.start(BIN, *SIM, "--db", db, "--bus", f"redis://127.0.0.1:{rport}")
        procs.append(engine)
        e1, p1 = start_edge(rport, db)
        e2, p2 = start_edge(rport)
        procs += [e1, e2]
        # Edges follow once the engine has published its first snapshots.
        end = time.time() + 15
        while time.time() < end:
            h1, h2 = tracker.get(p1, "/health")[1], tracker.get(p2, "/health")[1]
            if h1["status"] == "ok" and h2["status"] == "ok":
                break
            time.sleep(0.2)
        check("both edges report ok (bus connected, every channel synced)",
              h1["status"] == "ok" and h2["status"] == "ok", f"{h1} {h2}")
        check("edge /health names its role and hides nothing secret", h1.get("role") == "edge", str(h1))

        # ---- 1. identical sequences and bytes on both edges and the engine node ----
        paths = ["/ws/market", "/ws/market?symbols=FPT,VNM", "/ws/trades?symbols=FPT", "/ws/foreign", "/ws/index",
                 "/ws/alerts"]
        recs = {}
        for path in paths:
            for name, port in (("engine", eport), ("edge1", p1), ("edge2", p2)):
                recs[(name, path)] = Recorder(port, path)
                recs[(name, path)].start()
        soak = float(os.environ.get("VNT_BUS_SOAK_SECONDS", "30"))
        time.sleep(soak)
        for path in paths:
            d = {n: recs[(n, path)].deltas() for n in ("engine", "edge1", "edge2")}
            common = set(d["edge1"]) & set(d["edge2"]) & set(d["engine"])
            same = all(d["edge1"][k] == d["edge2"][k] == d["engine"][k] for k in common)
            check(f"{path}: edges and engine sent the same bytes for every common seq ({len(common)} deltas)",
                  same and (len(common) >= 3 or path == "/ws/alerts"), f"common={len(common)}")
            gaps = {n: recs[(n, path)].gaps for n in ("engine", "edge1", "edge2")}
            check(f"{path}: no gap on any client over {soak:.0f} s", not any(gaps.values()), str(gaps))
        market1 = recs[("edge1", "/ws/market")]
        fpt = [json.loads(r) for r in recs[("edge2", "/ws/market?symbols=FPT,VNM")].deltas().values()]
        check("filtered market deltas on an edge carry only the filter's symbols",
              all(set(m["data"]["symbols"]) <= {"FPT", "VNM"} for m in fpt) and
              any(m["data"]["symbols"] for m in fpt))
        trades = [json.loads(r) for r in recs[("edge1", "/ws/trades?symbols=FPT")].deltas().values()]
        check("filtered trades on an edge are FPT's only",
              all(t["symbol"] == "FPT" for m in trades for t in m["data"]["trades"]) and
              any(m["data"]["trades"] for m in trades))
        # History from the shared store on an edge: the engine's bytes; live REST stays on the engine.
        for path in ("/api/history/FPT/ticks?limit=200", "/api/history/index/VN30?limit=50", "/api/history/alerts",
                     "/api/history/FPT/candles?interval=1d", "/api/history/NOPE/ticks"):
            se, be = tracker.raw(eport, path)
            sg, bg = tracker.raw(p1, path)
            check(f"edge --db answers {path} as the engine does ({se}, {len(be)} bytes)",
                  se == sg and be == bg and (len(be) > 100 or "FPT/ticks" not in path), f"engine {se} {be[:80]} edge {sg} {bg[:80]}")
        check("an edge without --db says it has no store (503)",
              tracker.raw(p2, "/api/history/FPT/candles")[0] == 503)
        st, body = tracker.raw(p1, "/api/market/candles/FPT")
        check("an edge answers the reads the channels do not carry with 503 engine_only (nginx sends them to the "
              "engine)", st == 503 and json.loads(body)["error"]["code"] == "engine_only", f"{st} {body[:200]}")
        st, body = tracker.raw(p1, "/api/market/snapshot")
        check("an edge answers /api/market/snapshot from the channels' state (200, JSON)",
              st == 200 and "symbols" in json.loads(body), f"{st} {body[:200]}")
        lag = tracker.metric(p1, "vnt_edge_bus_lag_seconds")
        check("edge exports vnt_edge_bus_lag_seconds", lag >= 0)

        # ---- 2. resume on the same and on the other edge ----
        ep, sq = market1.state()
        time.sleep(1.5)  # the client "was away" while deltas went on
        r = Recorder(p2, "/ws/market", resume=(ep, sq))
        r.start()
        time.sleep(1.0)
        first = r.msgs[0] if r.msgs else None
        check("a client resuming on the other edge gets the missed deltas, not a snapshot",
              first is not None and first[1] == "delta" and first[3] == sq + 1 and not r.gaps,
              str(first[:4] if first else None))
        check("vnt_ws_resumes_total{result=resumed} counted", tracker.metric(p2, "vnt_ws_resumes_total") >= 1)
        old = Recorder(p1, "/ws/market", resume=(ep - 1, sq))  # another epoch: nothing to join to
        old.start()
        time.sleep(1.0)
        check("a resume from another epoch gets a snapshot",
              old.msgs and old.msgs[0][1] == "snapshot", str(old.msgs[0][:4] if old.msgs else None))
        r.ws.close()
        old.ws.close()

        # ---- 3. Redis killed and restarted: every client whole within 2 s ----
        redis.kill()
        redis.wait()
        time.sleep(2.0)
        killed_at = time.time()
        redis = start_redis(rport, tmp)
        time.sleep(4.0)
        for name, port in (("edge1", p1), ("edge2", p2)):
            rec = recs[(name, "/ws/market")]
            check(f"{name} /ws/market client receives again after Redis restarted", rec.last_time() > killed_at)
        h1 = tracker.get(p1, "/health")[1]
        check("edge reconnected to the restarted Redis and resynced every channel", h1["status"] == "ok", str(h1))
        check("edge counted a reconnect", tracker.metric(p1, "vnt_edge_bus_reconnects_total") >= 1)
        # Each gap a client saw after the restart is closed by a snapshot (the edge resynced), never silent.
        resynced = tracker.metric(p1, "vnt_edge_resyncs_total")
        silent = []
        for name in ("edge1", "edge2"):
            rec = recs[(name, "/ws/market")]
            with rec.lock:
                after = [m for m in rec.msgs if m[0] > killed_at]
            if rec.gaps:
                silent.append(name)
            if not after:
                silent.append(name + ":nothing")
        check("after the Redis restart no client saw a silent gap (snapshot or contiguous deltas)",
              not silent, f"{silent} gaps={[recs[(n, '/ws/market')].gaps for n in ('edge1', 'edge2')]}")
        recover = []
        for name in ("edge1", "edge2"):
            rec = recs[(name, "/ws/market")]
            with rec.lock:
                t = [m[0] for m in rec.msgs if m[0] > killed_at]
            recover.append(t[0] - killed_at if t else 99)
        check(f"clients whole again within 2 s of Redis coming back ({max(recover):.2f} s)", max(recover) <= 2.0,
              str(recover))
        check(f"edge resynced from snapshots after the restart ({resynced:.0f})", resynced >= 0)

        # ---- 4. an edge killed: its client resumes on the other edge with no gap ----
        rec = recs[("edge1", "/ws/market")]
        e1.kill()
        e1.wait()
        time.sleep(0.5)
        ep, sq = rec.state()
        moved = Recorder(p2, "/ws/market", resume=(ep, sq))
        moved.start()
        time.sleep(1.5)
        kinds = [m[1] for m in moved.msgs]
        check("the killed edge's client resumed on the other edge with contiguous deltas",
              kinds and kinds[0] == "delta" and moved.msgs[0][3] == sq + 1 and not moved.gaps,
              f"{kinds[:3]} first={moved.msgs[0][3] if moved.msgs else None} want {sq + 1}")

        # ---- 5. the engine restarted: a new epoch, clients resynchronise ----
        # A second edge again (for the REST comparison below), following the engine before it restarts.
        e3, p3 = start_edge(rport)
        procs.append(e3)
        engine.terminate()
        engine.wait(10)
        old_epoch = moved.state()[0]
        restart_at = time.time()
        # This time the simulated session ends (then the engine is quiet: REST reads can be compared).
        engine, eport = tracker.start(BIN, *SIM_ENDING, "--db", "none", "--bus", f"redis://127.0.0.1:{rport}")
        procs.append(engine)
        end = time.time() + 10
        while time.time() < end and moved.state()[0] == old_epoch:
            time.sleep(0.1)
        new_epoch = moved.state()[0]
        with moved.lock:
            snap = [m for m in moved.msgs if m[0] > restart_at and m[1] == "snapshot"]
        check("after an engine restart the edge's client moved to the new epoch through a snapshot",
              new_epoch != old_epoch and bool(snap), f"{old_epoch} -> {new_epoch}")

        # ---- 6. /api/market/* on both edges: the engine's bytes once the session has ended ----
        check("the restarted engine's simulated session ends", tracker.wait_feed_done(eport, 120))
        reads = ["/api/market/snapshot", "/api/market/snapshot?symbols=FPT,vnm", "/api/market/snapshot?format=csv",
                 "/api/market/symbol/FPT", "/api/market/symbol/NOPE", "/api/market/symbol/VN30F1M", "/api/market/futures",
                 "/api/market/foreign-detail", "/api/market/foreign-detail?format=csv", "/api/market/alerts",
                 "/api/market/alerts?limit=5&min_severity=warning", "/api/market/alerts?format=csv",
                 "/api/market/trades/FPT", "/api/market/trades/VN30F1M?limit=100&min_volume=2",
                 "/api/market/trades/HPG?format=csv", "/api/market/orderbook/FPT", "/api/market/orderbook/NOPE",
                 "/api/market/session", "/api/market/trades/FPT?limit=0"]
        # The engine is quiet, but the edges may still be a refresh behind (the foreign channel's cadence, the
        # snapshot refresh that restores the engine's order of symbols): read until all three agree.
        end = time.time() + 30
        while True:
            answers = {}
            for path in reads:
                e = tracker.raw(eport, path)
                answers[path] = (e, tracker.raw(p2, path), tracker.raw(p3, path), tracker.raw(eport, path))
            differ = [p for p, (e, a, b, e2) in answers.items() if not (e == a == b == e2)]
            if not differ or time.time() > end:
                break
            time.sleep(1)
        for path, (e, a, b, e2) in answers.items():
            check(f"{path}: both edges answer the engine's bytes ({e[0]}, {len(e[1])} bytes)",
                  e == a == b == e2, f"engine {e[0]} {e[1][:120]} edges {a[0]} {a[1][:120]} / {b[0]} {b[1][:120]}")
        snap = json.loads(answers["/api/market/snapshot"][0][1])
        check("the compared snapshot is a real market (VN30 symbols, futures, foreign flow)",
              len(snap["symbols"]) >= 30 and snap["futures"] and snap["foreign"]["symbols"], str(snap)[:200])
        check("the compared trades are non-trivial", len(json.loads(answers["/api/market/trades/FPT"][0][1])["trades"]) > 10)
        for rr in recs.values():
            rr.ws.close()
        moved.ws.close()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        redis.kill()
        redis.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        left = subprocess.run(["pgrep", "-f", f"redis-server 127.0.0.1:{rport}"], capture_output=True, text=True)
        check("no process left behind", not left.stdout.strip(), left.stdout)
    finish()


if __name__ == "__main__":
    main()
