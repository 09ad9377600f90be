#!/usr/bin/env python3
"""`vntracker sim-server` speaks SSI FastConnect Data v2 the way SSI's SDKs expect (fastconnect-v2.md §1-§3,
§7): the exact AccessToken JSON and an 8 h JWT, the REST envelope with any-case parameters, SignalR 2
negotiate (GET and POST, protocol echoed and clamped), connect with the init frame, SwitchChannels with I
as a number or a string and a lower-case hub name, only subscribed Broadcast frames (double-encoded),
Error for a bad channel, keep-alives, start / ping / abort, /reconnect keeping the subscription, refusals
without a token, and the two fault flags (--fault-malformed-every, --fault-silence-after-s).

usage: sim_server_test.py VNTRACKER   (prints 'N passed, N failed')
"""
import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, finish, free_port, wait_port  # noqa: E402
from wsclient import WsClient  # noqa: E402

BIN = sys.argv[1]
CD = urllib.parse.quote('[{"name":"FcMarketDataV2Hub"}]')





def request(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    return r.status, r.read().decode()


def serve(args, body, stop=signal.SIGTERM, env=None):
    """Runs body(port) against a sim-server started with args, then checks that it stops cleanly on `stop`."""
    port = free_port()
    p = subprocess.Popen([BIN, "sim-server", "--listen", f"127.0.0.1:{port}", "--sim-date", "2026-03-18", *args],
                         stderr=subprocess.DEVNULL, env=env)
    try:
        wait_port(port)
        body(port)
    finally:
        p.send_signal(stop)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
        check(f"sim-server stops on {signal.Signals(stop).name}", p.returncode == 0, p.returncode)


def main():
    serve(["--consumer-id", "cid", "--consumer-secret", "csecret", "--sim-start", "09:20:00", "--speed", "5",
           "--keepalive-ms", "300"], run)
    serve(["--sim-start", "10:00:00", "--speed", "2", "--keepalive-ms", "200", "--fault-malformed-every", "4",
           "--fault-silence-after-s", "3"], run_faults, signal.SIGINT,
          {k: v for k, v in os.environ.items() if not k.startswith("SSI_CONSUMER")})
    serve(["--consumer-id", "cid", "--consumer-secret", "csecret", "--sim-start", "09:20:00", "--speed", "0",
           "--client-queue-limit", "100"], run_slow)
    serve(["--consumer-id", "cid", "--consumer-secret", "csecret", "--sim-start", "08:50:00", "--speed", "1"],
          run_pre_open)
    finish()


def run_pre_open(port):
    """08:50, nothing traded: DailyStockPrice already has today's reference, ceiling and floor (what the SSI
    client reads before the first trade) for stocks and futures, by KRX code and by alias."""
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"cid","consumerSecret":"csecret"}')
    token = json.loads(body)["data"]["accessToken"]
    st, body = request(port, "GET", "/api/v2/Market/SecuritiesDetails?market=HOSE&symbol=FPT", token=token)
    check("pre-open: SecuritiesDetails ReportDate is the simulated day",
          json.loads(body)["data"][0]["ReportDate"] == "18/03/2026", body[:200])
    st, body = request(port, "GET", "/api/v2/Market/DailyStockPrice?symbol=FPT&market=HOSE&fromDate=18/03/2026"
                       "&toDate=18/03/2026", token=token)
    r = json.loads(body)
    row = r["data"][0] if r.get("data") else {}
    check("pre-open: DailyStockPrice FPT has RefPrice/CeilingPrice/FloorPrice, nothing traded",
          r["totalRecord"] == 1 and float(row["FloorPrice"]) < float(row["RefPrice"]) < float(row["CeilingPrice"])
          and row["TotalMatchVol"] == "0" and row["ClosePrice"] == "0", body[:400])
    st, body = request(port, "GET", "/api/v2/Market/DailyStockPrice?market=HOSE&fromDate=18/03/2026&toDate=18/03/2026"
                       "&pageSize=100", token=token)
    check("pre-open: every VN30 stock has its row", json.loads(body)["totalRecord"] == 30, body[:200])
    st, body = request(port, "GET", "/api/v2/Market/DailyStockPrice?symbol=VN30F1M&fromDate=18/03/2026"
                       "&toDate=18/03/2026", token=token)
    r = json.loads(body)
    check("pre-open: the front-month future by alias, in index points",
          r["totalRecord"] == 1 and r["data"][0]["Symbol"].startswith("41I1") and
          1000 < float(r["data"][0]["RefPrice"]) < 3000, body[:300])


def run(port):
    # ---- §1 AccessToken ----
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"cid","consumerSecret":"csecret"}')
    reply = json.loads(body)
    check("AccessToken: exactly message/status/data, data exactly accessToken",
          st == 200 and set(reply) == {"message", "status", "data"} and set(reply["data"]) == {"accessToken"}
          and reply["status"] == 200 and reply["message"] == "Success", body)
    token = reply["data"]["accessToken"]
    head, payload, sig = token.split(".")
    check("JWT header RS256", json.loads(base64.urlsafe_b64decode(head + "==")) == {"alg": "RS256", "typ": "JWT"})
    check("JWT payload decodes with the standard alphabet (Python SDK)", "-" not in payload and "_" not in payload)
    claims = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    check("JWT exp - iat = 8 h", claims["exp"] - claims["iat"] == 28800, claims)
    st, body = request(port, "POST", "/api/v2/market/accesstoken", '{"ConsumerID":"cid","ConsumerSecret":"csecret"}')
    check("AccessToken: PascalCase body keys, any-case path", json.loads(body)["status"] == 200, body)
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"cid","consumerSecret":"nope"}')
    r = json.loads(body)
    check("wrong credentials: HTTP 200, status 401, no token", st == 200 and r["status"] == 401 and r["data"] is None, body)

    # ---- §2 REST ----
    st, body = request(port, "GET", "/api/v2/Market/IndexComponents?indexCode=VN30&pageIndex=1&pageSize=100")
    check("REST without a token: SSI's 401 body", json.loads(body) == {"message": "Missing Authorization header", "status": 401}, body)
    st, body = request(port, "GET", "/api/v2/Market/IndexComponents?lookupRequest.indexCode=VN30&lookupRequest.pageSize=100", token=token)
    r = json.loads(body)
    check("IndexComponents: envelope, lookupRequest. prefix, 30 components",
          r["status"] == "Success" and r["totalRecord"] == 1 and r["data"][0]["TotalSymbolNo"] == "30"
          and len(r["data"][0]["IndexComponent"]) == 30, body[:200])
    st, body = request(port, "GET", "/api/v2/Market/Securities?Market=hose&PageIndex=2&PageSize=10", token=token)
    r = json.loads(body)
    check("Securities: case-insensitive names and values, paging", r["totalRecord"] == 30 and len(r["data"]) == 10
          and set(r["data"][0]) == {"Market", "Symbol", "StockName", "StockEnName"}, body[:200])
    st, body = request(port, "GET", "/api/v2/Market/Securities?market=DER", token=token)
    check("Securities DER: the four listed futures by KRX code",
          [d["Symbol"][:4] for d in json.loads(body)["data"]] == ["41I1"] * 4, body[:200])
    st, body = request(port, "GET", "/api/v2/Market/Securities?pageSize=7", token=token)
    check("bad pageSize: an error envelope", json.loads(body)["data"] is None and "pageSize" in body, body)
    time.sleep(1.5)
    st, body = request(port, "GET", "/api/v2/Market/DailyStockPrice?symbol=FPT&fromDate=18/03/2026&toDate=18/03/2026", token=token)
    r = json.loads(body)
    check("DailyStockPrice: string numbers, dd/MM/yyyy", r["totalRecord"] == 1 and r["data"][0]["TradingDate"] == "18/03/2026"
          and isinstance(r["data"][0]["TotalMatchVol"], str) and int(r["data"][0]["TotalMatchVol"]) > 0, body[:300])
    st, body = request(port, "GET", "/api/v2/Market/DailyIndex?indexId=VN30&fromDate=18/03/2026&toDate=18/03/2026", token=token)
    check("DailyIndex VN30", json.loads(body)["data"][0]["IndexId"] == "VN30", body[:200])
    st, body = request(port, "GET", "/api/v2/Market/DailyOhlc?symbol=FPT&fromDate=01/01/2025&toDate=31/01/2025", token=token)
    check("a date without simulated history: empty list", json.loads(body)["totalRecord"] == 0, body)
    st, body = request(port, "GET", "/api/v2/Market/DailyOhlc?symbol=FPT&fromDate=2026-03-18&toDate=18/03/2026", token=token)
    check("a bad date: an error envelope naming it", "fromDate" in json.loads(body)["message"], body)

    # ---- §3 SignalR ----
    for proto, expect in (("1.3", "1.3"), ("1.4", "1.4"), ("1.5", "1.5"), ("2.1", "2.1"), ("1.0", "1.2"), ("3.0", "2.1")):
        st, body = request(port, "GET", f"/v2.0/signalr/negotiate?clientProtocol={proto}&connectionData={CD}", token=token)
        check(f"negotiate GET clientProtocol {proto} -> {expect}", st == 200 and json.loads(body)["ProtocolVersion"] == expect, body)
    for proto in ("1.3", "1.4", "2.1"):
        st, body = request(port, "POST", f"/v2.0/signalr/negotiate?clientProtocol={proto}&connectionData={CD}", token=token)
        check(f"negotiate POST clientProtocol {proto}", st == 200 and json.loads(body)["ProtocolVersion"] == proto, body)
    st, body = request(port, "POST", f"/v2.0/signalr/negotiate?clientProtocol=1.5&connectionData={CD}", token=token)
    neg = json.loads(body)
    check("negotiate POST (Python SDK) with the documented fields",
          st == 200 and neg["TryWebSockets"] is True and neg["KeepAliveTimeout"] == 0.6 and
          {"Url", "ConnectionToken", "ConnectionId", "DisconnectTimeout", "ConnectionTimeout", "TransportConnectTimeout",
           "LongPollDelay"} <= set(neg), body)
    st, body = request(port, "GET", f"/v2.0/signalr/negotiate?clientProtocol=1.5&connectionData={CD}")
    check("negotiate without a token: 401", st == 401, st)

    ct = urllib.parse.quote(neg["ConnectionToken"], safe="")
    q = f"transport=webSockets&clientProtocol=1.5&connectionToken={ct}&connectionData={CD}"
    bad = WsClient("127.0.0.1", port, f"/v2.0/signalr/connect?{q}")
    check("connect without a token: refused (401)", bad.status == 401, bad.status)
    ws = WsClient("127.0.0.1", port, f"/v2.0/signalr/connect?{q}&tid=10", headers={"Authorization": "Bearer " + token})
    check("connect: WebSocket upgrade", ws.status == 101, ws.status)
    init = ws.recv_json()
    check("init frame {C, S:1, M:[]}", init.get("S") == 1 and init.get("M") == [] and "C" in init, init)
    st, body = request(port, "GET", f"/v2.0/signalr/start?{q}", token=token)
    check("/start -> started", json.loads(body) == {"Response": "started"}, body)

    ws.send_text(json.dumps({"H": "fcmarketdatav2hub", "M": "SwitchChannels", "A": ["X-TRADE:FPT,MI:VN30"], "I": 0}))
    kinds, completion, keep_alive = set(), None, False
    end = time.time() + 8
    while time.time() < end and not (completion and keep_alive is not None and len(kinds) >= 2):
        m = ws.recv_json()
        if m == {}:
            keep_alive = True
            continue
        if "I" in m:
            completion = m
            continue
        for msg in m.get("M", []):
            payload = json.loads(msg["A"][0])
            content = json.loads(payload["Content"])
            kinds.add((payload["DataType"], content.get("Symbol") or content.get("IndexId")))
    check("completion {I:'0'} for an integer I", completion == {"I": "0"}, completion)
    check("only subscribed frames, double-encoded", kinds and kinds <= {("X-TRADE", "FPT"), ("MI", "VN30")}, kinds)
    check("both subscribed channels arrive", len(kinds) == 2, kinds)

    ws.send_text(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["BOGUS:FPT"], "I": "1"}))
    got_error = got_e = False
    end = time.time() + 5
    while time.time() < end and not (got_error and got_e):
        m = ws.recv_json()
        if m.get("I") == "1" and "E" in m:
            got_e = True
        for msg in m.get("M", []):
            if msg.get("M") == "Error":
                got_error = True
    check("bad channel: the hub calls Error", got_error)
    check("bad channel: completion carries E (string I accepted)", got_e)

    quiet = time.time()
    ws.send_text(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["MI:VNINDEX"], "I": 2}))
    # Additive across types: MI replaced by VNINDEX, X-TRADE:FPT kept.
    seen = set()
    end = time.time() + 6
    while time.time() < end and len(seen) < 2:
        m = ws.recv_json()
        for msg in m.get("M", []):
            if msg.get("M") == "Broadcast":
                payload = json.loads(msg["A"][0])
                content = json.loads(payload["Content"])
                seen.add((payload["DataType"], content.get("Symbol") or content.get("IndexId")))
    check("a new list for a type replaces only that type", ("MI", "VNINDEX") in seen and ("X-TRADE", "FPT") in seen
          and ("MI", "VN30") not in seen, seen)
    del quiet

    st, body = request(port, "GET", f"/v2.0/signalr/ping?{q}", token=token)
    check("/ping -> pong", json.loads(body) == {"Response": "pong"}, body)
    st, _ = request(port, "POST", f"/v2.0/signalr/abort?{q}", token=token)
    closed = False
    try:
        for _ in range(10000):
            ws.recv()
    except Exception:
        closed = True
    check("/abort closes the connection", st == 200 and closed)

    # Keep-alives on an idle connection (nothing subscribed).
    st, body = request(port, "GET", f"/v2.0/signalr/negotiate?clientProtocol=1.4&connectionData={CD}", token=token)
    ct2 = urllib.parse.quote(json.loads(body)["ConnectionToken"], safe="")
    ws2 = WsClient("127.0.0.1", port, f"/v2.0/signalr/connect?transport=webSockets&clientProtocol=1.4&connectionToken={ct2}"
                   f"&connectionData={CD}&access_token={urllib.parse.quote(token)}")
    check("token as access_token query parameter (Java SDK)", ws2.status == 101, ws2.status)
    ws2.recv_json()
    t0 = time.time()
    kas = 0
    while time.time() - t0 < 1.5:
        if ws2.recv_json() == {}:
            kas += 1
    check("keep-alive {} about every --keepalive-ms", 3 <= kas <= 7, kas)

    # /reconnect with the same connection token keeps the subscription.
    ws2.send_text(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["MI:VN30"], "I": 0}))
    check("completion before the transport drops", wait_for(ws2, lambda m: m.get("I") == "0"))
    ws2.sock.close()  # the transport dies without a close frame
    time.sleep(0.3)
    ws3 = WsClient("127.0.0.1", port, f"/v2.0/signalr/reconnect?transport=webSockets&clientProtocol=1.4"
                   f"&connectionToken={ct2}&connectionData={CD}&messageId=x", headers={"Authorization": "Bearer " + token})
    check("reconnect: WebSocket upgrade", ws3.status == 101, ws3.status)
    first = ws3.recv_json()
    check("reconnect: first frame {C, T:1, M:[]}", first.get("T") == 1 and first.get("M") == [], first)
    check("reconnect: the subscription survives (MI:VN30 without a new SwitchChannels)",
          wait_for(ws3, lambda m: any(json.loads(x["A"][0])["DataType"] == "MI" for x in m.get("M", [])), 12))
    ws3.close()
    bad = WsClient("127.0.0.1", port, f"/v2.0/signalr/reconnect?transport=webSockets&clientProtocol=1.4"
                   f"&connectionToken=nope&connectionData={CD}", headers={"Authorization": "Bearer " + token})
    check("reconnect with an unknown connection token: refused", bad.status == 400, bad.status)


def wait_for(ws, pred, seconds=5):
    end = time.time() + seconds
    while time.time() < end:
        try:
            if pred(ws.recv_json()):
                return True
        except (OSError, ValueError):
            return False
    return False


def run_slow(port):
    """--speed 0 --client-queue-limit 100: a client that does not read is disconnected; the server goes on."""
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"cid","consumerSecret":"csecret"}')
    token = json.loads(body)["data"]["accessToken"]
    st, body = request(port, "GET", f"/v2.0/signalr/negotiate?clientProtocol=2.1&connectionData={CD}", token=token)
    ct = urllib.parse.quote(json.loads(body)["ConnectionToken"], safe="")
    ws = WsClient("127.0.0.1", port, f"/v2.0/signalr/connect?transport=webSockets&clientProtocol=2.1&connectionToken={ct}"
                  f"&connectionData={CD}", headers={"Authorization": "Bearer " + token})
    ws.recv_json()
    ws.send_text(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["X:ALL,X-QUOTE:ALL"], "I": 0}))
    time.sleep(3)  # not reading: the server's queue for this client overflows
    closed = False
    ws.sock.settimeout(5)
    try:
        for _ in range(1000000):
            ws.recv()
    except socket.timeout:
        closed = False  # still open, only quiet
    except (OSError, ConnectionError, ValueError):
        closed = True
    except Exception as e:  # WsClosed
        closed = "closed" in str(e)
    check("a client that stops reading is disconnected (--client-queue-limit)", closed)
    st, body = request(port, "GET", "/api/v2/Market/IndexList", token=token)
    check("the server goes on after dropping a slow client", st == 200 and json.loads(body)["status"] == "Success", body)


def run_faults(port):
    """--fault-malformed-every 4 --fault-silence-after-s 3: every 4th Broadcast frame is cut, then silence."""
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"any","consumerSecret":"pair"}')
    token = json.loads(body)["data"]["accessToken"]
    check("no credentials configured: any non-empty pair gets a token", json.loads(body)["status"] == 200, body)
    st, body = request(port, "POST", "/api/v2/Market/AccessToken", '{"consumerID":"","consumerSecret":"x"}')
    check("no credentials configured: an empty ConsumerID is still refused", json.loads(body)["status"] == 401, body)
    st, body = request(port, "GET", f"/v2.0/signalr/negotiate?clientProtocol=1.5&connectionData={CD}", token=token)
    ct = urllib.parse.quote(json.loads(body)["ConnectionToken"], safe="")
    ws = WsClient("127.0.0.1", port, f"/v2.0/signalr/connect?transport=webSockets&clientProtocol=1.5&connectionToken={ct}"
                  f"&connectionData={CD}", headers={"Authorization": "Bearer " + token})
    t0 = time.time()
    ws.recv_json()
    ws.send_text(json.dumps({"H": "FcMarketDataV2Hub", "M": "SwitchChannels", "A": ["X-QUOTE:ALL,X-TRADE:ALL"], "I": 0}))
    good = bad = 0
    ws.sock.settimeout(0.5)
    while time.time() - t0 < 2.5:
        try:
            text = ws.recv()
        except socket.timeout:
            continue
        try:
            m = json.loads(text)
            good += bool(m.get("M"))
        except ValueError:
            bad += 1
    check("--fault-malformed-every 4: about a quarter of the data frames are garbled",
          bad > 0 and abs(good - 3 * bad) <= 3, (good, bad))
    # Drain what was queued before the deadline, then expect nothing at all while the socket stays open.
    time.sleep(max(0.0, t0 + 3.3 - time.time()))
    ws.sock.settimeout(0.3)
    try:
        while time.time() < t0 + 8:
            ws.recv()
    except socket.timeout:
        pass
    ws.sock.settimeout(1.5)
    try:
        ws.recv()
        silent = False
    except socket.timeout:
        silent = True
    except (OSError, ConnectionError):
        silent = False  # closed: the fault must keep the TCP connection open
    check("--fault-silence-after-s 3: nothing at all (no data, no keep-alives), the socket stays open", silent)
    ws.close()


if __name__ == "__main__":
    main()
