"""Shared pieces of the functional tests: named checks with a closing 'N passed, N failed' line, and
loopback ports (a free one; waiting until a server listens)."""
import socket
import sys
import time

_counts = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    _counts["passed" if ok else "failed"] += 1
    print(("ok   - " if ok else "FAIL - ") + name + ("" if ok else f" {detail}"), flush=True)


def finish():
    """Prints the summary and exits 1 when any check failed."""
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    sys.exit(1 if _counts["failed"] else 0)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, timeout=30):
    """True once something accepts connections on 127.0.0.1:port, False after `timeout` seconds."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False
