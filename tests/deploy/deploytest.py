"""Shared pieces of the deploy tests (tests/deploy/*_test.py): named checks with a closing 'N passed, N failed'
line (tests/functional/harness.py), the environment variables the tracker reads, Grafana template values and
process handling that leaves nothing behind."""
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "functional"))
from harness import check, finish, free_port, wait_port  # noqa: E402,F401

ENV_CALL = [
    re.compile(r'\bgetenv\(\s*"([A-Z][A-Z0-9_]*)"\s*\)'),
    re.compile(r'\bEnv\(\s*"([A-Z][A-Z0-9_]*)"\s*\)'),
    re.compile(r'\bOptionOrEnv\([^;]*?,\s*"([A-Z][A-Z0-9_]*)"\s*\)'),
    re.compile(r'\bfill\(\s*"--[a-z0-9-]+"\s*,\s*"([A-Z][A-Z0-9_]*)"'),  # main.cpp: AlertDeliveryFromEnv
]
HELP_NAME = re.compile(r"\b(?:[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]|PORT)\b")


def env_read_in_code(src_dir):
    """Names passed to getenv / Env / OptionOrEnv / the delivery env fill anywhere in src/ (tests, benchmarks
    and fuzzers left out): {name: [files]}."""
    out = {}
    for root, _, files in os.walk(src_dir):
        for f in files:
            if not f.endswith((".cpp", ".h")) or re.search(r"(_test|_benchmark|_fuzz)\.cpp$|test_util\.h$", f):
                continue
            path = os.path.join(root, f)
            text = open(path, encoding="utf-8").read()
            for rx in ENV_CALL:
                for m in rx.finditer(text):
                    out.setdefault(m.group(1), []).append(os.path.relpath(path, src_dir))
    return out


def serve_help(binary, command="serve"):
    return subprocess.run([binary, command, "--help"], capture_output=True, text=True, timeout=60).stdout


def env_documented(help_text):
    """Environment variable names in `serve --help` / `edge --help` (the description, before the options)."""
    head = help_text.split("Options:", 1)[0]
    return set(HELP_NAME.findall(head))


def serve_env(binary, src_dir, command="serve"):
    """(read, documented, in_code): `serve` (or `edge`) reads a variable when its --help names it and the code
    reads it."""
    documented = env_documented(serve_help(binary, command))
    in_code = env_read_in_code(src_dir)
    return documented & set(in_code), documented, in_code


def dotenv(path):
    """KEY=VALUE lines of an env file, in order, with the section (the last '# ====' heading) of each key."""
    out, section = [], ""
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("# ===="):
            section = s.strip("# =").strip()
        elif s and not s.startswith("#"):
            k, _, v = s.partition("=")
            out.append((k.strip(), v.strip(), section))
    return out


INTERP = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(text, env):
    """Docker Compose variable interpolation of ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $$."""
    def sub(m):
        name, op, arg = m.group(1), m.group(2), m.group(3)
        v = env.get(name)
        if op in (":-", ":?") and not v:
            if op == ":?":
                raise KeyError(f"{name}: {arg}")
            return arg
        if op in ("-", "?") and v is None:
            if op == "?":
                raise KeyError(f"{name}: {arg}")
            return arg
        return v if v is not None else ""
    return INTERP.sub(sub, text).replace("$$", "$")


class Procs:
    """Processes started by a test, stopped (SIGTERM, then SIGKILL) at the end whatever happens."""

    def __init__(self):
        self.procs = []

    def start(self, name, args, **kw):
        p = subprocess.Popen(args, start_new_session=True, **kw)
        self.procs.append((name, p))
        return p

    def stop_all(self, timeout=15):
        """Stops in reverse start order, each before the next (a client before its server)."""
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                print(f"note: {name} ignored SIGTERM for {timeout} s; killed", flush=True)
                p.kill()
                p.wait()

    def all_gone(self):
        """True when no started process (nor any process of its session) is left."""
        for _, p in self.procs:
            if p.poll() is None:
                return False
            try:
                os.killpg(p.pid, 0)
                return False  # a child of the session is still alive
            except ProcessLookupError:
                pass
            except PermissionError:
                return False
        return True
