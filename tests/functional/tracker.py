"""The tracker as the functional tests drive it: start `vntracker serve` on a free port, call its REST API,
wait for its feed to end, read its market numbers and /metrics."""
import http.client
import json
import subprocess
import time

FIELDS = ("total_vol", "active_buy_vol", "active_sell_vol", "neutral_vol", "total_val", "last_price", "high", "low",
          "trade_count", "vwap")


def start(binary, *args):
    """Starts `serve --port 0 ARGS`; returns (process, port) once it listens."""
    p = subprocess.Popen([binary, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    if "listening on port" not in line:
        raise RuntimeError(line + p.stderr.read())
    return p, int(line.strip().rsplit(" ", 1)[1])


def raw(port, path, method="GET", body=None):
    """(status, body bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body=body, headers={"Content-Type": "application/json"} if body is not None else {})
    r = c.getresponse()
    return r.status, r.read()


def get(port, path, method="GET", body=None):
    """(status, parsed JSON or None)."""
    st, data = raw(port, path, method, body)
    return st, (json.loads(data) if data else None)


def wait_feed_done(port, timeout=180):
    end = time.time() + timeout
    while time.time() < end:
        _, h = get(port, "/health")
        if h["feed"]["state"] in ("session-ended", "replay-finished"):
            return True
        time.sleep(0.3)
    return False


def numbers(port):
    """Per-symbol aggregates, VN30 foreign totals and futures (volume, last, basis) from the snapshot."""
    _, d = get(port, "/api/market/snapshot")
    return ({s: {f: v[f] for f in FIELDS} for s, v in d["symbols"].items()}, d["foreign"]["vn30"],
            {f["symbol"]: (f["volume"], f["last"], f["basis"]) for f in d["futures"]})


def metric(port, name):
    """Sum of every series of a /metrics family."""
    _, body = raw(port, "/metrics")
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total
