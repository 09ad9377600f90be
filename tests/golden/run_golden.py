#!/usr/bin/env python3
"""Golden replay runner: feeds the frames of a .golden file through the real `vntracker replay` and
checks the expected state and events. Format (one directive per line, '#' comments):

  vn30 ACB,FPT,SSI                 VN30 basket for the engine (default: the built-in one)
  env NAME=VALUE                   environment for the binary (e.g. FUTURES_OVERRIDE=VN30F2M)
  rule {json}                      a user alert rule for the whole replay (as POST /api/alerts/rules takes it)
  <DataType> {content JSON}        one Broadcast frame: the content is double-encoded into a SignalR
                                   frame exactly as SSI sends it (DataType: X-TRADE, X-QUOTE, X, R, MI, F, B)
  raw <frame>                      a literal frame line
  expect PATH VALUE                state after the frames so far (`replay --summary`); PATH is dotted
                                   (symbols.ACB.active_buy_vol, alerts.0.type, alerts.length); VALUE is JSON
  expect-approx PATH VALUE TOL     numeric state within TOL
  expect-trade N KEY VALUE         the N-th classified trade so far (0-based) has KEY = VALUE
  expect-trades COUNT              number of classified trades so far
  expect-candle N KEY VALUE        the N-th closed 1-minute candle (0-based, in closing order; the replay
                                   closes the open ones at its end) has KEY = VALUE
  expect-conservation              active buy + sell + neutral = total_vol for every symbol and session
Exit status 0 when every expectation holds; prints 'N passed, N failed'.
"""
import json
import os
import subprocess
import sys


def frame_for(datatype, content):
    payload = json.dumps({"DataType": datatype, "Content": json.dumps(json.loads(content), separators=(",", ":"))},
                         separators=(",", ":"))
    return json.dumps({"C": "d-G0", "M": [{"H": "FcMarketDataV2Hub", "M": "Broadcast", "A": [payload]}]},
                      separators=(",", ":"))


def lookup(obj, path):
    cur = obj
    for part in path.split("."):
        if part == "length" and isinstance(cur, (list, dict)):
            cur = len(cur)
        elif isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                raise KeyError(f"{path}: no '{part}' (have {sorted(cur)[:12]})")
            cur = cur[part]
        else:
            raise KeyError(f"{path}: '{part}' of a scalar")
    return cur


class Golden:
    def __init__(self, binary, path):
        self.binary, self.path = binary, path
        self.frames, self.env, self.vn30, self.rules = [], dict(os.environ), None, []
        self.passed = self.failed = 0
        self._summary = self._trades = self._candles = None

    def run(self, summary):
        args = [self.binary, "replay", "-"] + (["--summary"] if summary else [])
        if self.vn30:
            args += ["--vn30", self.vn30]
        for r in self.rules:
            args += ["--rule", r]
        p = subprocess.run(args, input="\n".join(self.frames) + "\n", capture_output=True, text=True, env=self.env,
                           timeout=60)
        if p.returncode != 0:
            raise RuntimeError(f"replay exited {p.returncode}: {p.stderr}")
        return p.stdout

    def summary(self):
        if self._summary is None:
            self._summary = json.loads(self.run(True))
        return self._summary

    def events(self, kind):
        return [json.loads(l)[kind] for l in self.run(False).splitlines() if l.strip() and json.loads(l)["event"] == kind]

    def trades(self):
        if self._trades is None:
            self._trades = self.events("trade")
        return self._trades

    def candles(self):
        if self._candles is None:
            self._candles = self.events("candle")
        return self._candles

    def check(self, lineno, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {os.path.basename(self.path)}:{lineno}: {what}")

    def execute(self):
        for lineno, raw in enumerate(open(self.path, encoding="utf-8"), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            rest = rest.strip()
            try:
                if word == "vn30":
                    self.vn30 = rest
                elif word == "rule":
                    self.rules.append(rest)
                    self._summary = self._trades = self._candles = None
                elif word == "env":
                    k, _, v = rest.partition("=")
                    self.env[k] = v
                elif word == "raw":
                    self.frames.append(rest)
                    self._summary = self._trades = self._candles = None
                elif word in ("X-TRADE", "X-QUOTE", "X", "R", "MI", "F", "B", "OL"):
                    self.frames.append(frame_for(word, rest))
                    self._summary = self._trades = self._candles = None
                elif word == "expect":
                    path, _, value = rest.partition(" ")
                    want, got = json.loads(value), lookup(self.summary(), path)
                    self.check(lineno, got == want, f"{path}: expected {want!r}, got {got!r}")
                elif word == "expect-approx":
                    path, value, tol = rest.split()
                    got = lookup(self.summary(), path)
                    ok = got is not None and abs(got - float(value)) <= float(tol)
                    self.check(lineno, ok, f"{path}: expected {value} ± {tol}, got {got!r}")
                elif word == "expect-trades":
                    got = len(self.trades())
                    self.check(lineno, got == int(rest), f"trades: expected {rest}, got {got}")
                elif word == "expect-trade":
                    n, key, value = rest.split(" ", 2)
                    trades = self.trades()
                    got = trades[int(n)].get(key) if int(n) < len(trades) else f"<only {len(trades)} trades>"
                    self.check(lineno, got == json.loads(value), f"trade {n}.{key}: expected {value}, got {got!r}")
                elif word == "expect-candle":
                    n, key, value = rest.split(" ", 2)
                    candles = self.candles()
                    got = candles[int(n)].get(key) if int(n) < len(candles) else f"<only {len(candles)} candles>"
                    self.check(lineno, got == json.loads(value), f"candle {n}.{key}: expected {value}, got {got!r}")
                elif word == "expect-conservation":
                    bad = []
                    for sym, s in self.summary()["symbols"].items():
                        for name, f in [("total", s)] + list(s["sessions"].items()):
                            if f["active_buy_vol"] + f["active_sell_vol"] + f["neutral_vol"] != f["total_vol"]:
                                bad.append(f"{sym}.{name}")
                    self.check(lineno, not bad, f"conservation broken for {bad}")
                else:
                    raise ValueError(f"unknown directive '{word}'")
            except Exception as e:  # a broken expectation file is a failure, never a pass
                self.check(lineno, False, f"{type(e).__name__}: {e}")


def main():
    binary, files = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for f in files:
        g = Golden(binary, f)
        g.execute()
        print(f"{os.path.basename(f)}: {g.passed} passed, {g.failed} failed")
        passed += g.passed
        failed += g.failed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
