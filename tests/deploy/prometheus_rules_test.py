#!/usr/bin/env python3
"""deploy/prometheus: `promtool check config`, `promtool check rules`, `promtool test rules` (Debian's
prometheus package), and that the unit tests cover every alert both ways: each alert is expected to fire in
at least one test case and expected silent in at least one. Every alert carries a severity (critical or
warning), a summary and a description; the jobs the dashboards and rules select exist in prometheus.yml.

Usage: prometheus_rules_test.py SOURCE_DIR"""
import glob
import os
import re
import subprocess
import sys
import time

import yaml

from deploytest import check, finish

SRC = os.path.abspath(sys.argv[1])
PROM = os.path.join(SRC, "deploy", "prometheus")
CONFIG = os.path.join(PROM, "prometheus.yml")
RULES = os.path.join(PROM, "rules", "vntracker.rules.yml")
TESTS = os.path.join(PROM, "rules", "vntracker.rules.test.yml")


def promtool(*args):
    t0 = time.time()
    r = subprocess.run(["promtool", *args], capture_output=True, text=True, timeout=120)
    return r, time.time() - t0


version = subprocess.run(["promtool", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
print(version)
r, dt = promtool("check", "config", CONFIG)
check(f"promtool check config deploy/prometheus/prometheus.yml ({dt:.1f} s)", r.returncode == 0, r.stdout + r.stderr)
r, dt = promtool("check", "rules", RULES)
check(f"promtool check rules ({dt:.1f} s)", r.returncode == 0, r.stdout + r.stderr)
r, dt = promtool("test", "rules", TESTS)
check(f"promtool test rules ({dt:.1f} s)", r.returncode == 0 and "SUCCESS" in r.stdout, r.stdout + r.stderr)

rules = yaml.safe_load(open(RULES))
alerts = [rule for g in rules["groups"] for rule in g["rules"] if "alert" in rule]
names = [a["alert"] for a in alerts]
print(f"{len(alerts)} alerts: {' '.join(names)}")
check("alert names are unique", len(names) == len(set(names)))
for a in alerts:
    check(f"{a['alert']}: severity critical or warning",
          a.get("labels", {}).get("severity") in ("critical", "warning"), str(a.get("labels")))
    ann = a.get("annotations", {})
    check(f"{a['alert']}: summary and description", bool(ann.get("summary")) and bool(ann.get("description")))

tests = yaml.safe_load(open(TESTS))
fires, silent = {}, {}
for t in tests["tests"]:
    for art in t.get("alert_rule_test", []):
        (fires if art.get("exp_alerts") else silent).setdefault(art["alertname"], []).append(t.get("name", "?"))
for n in names:
    check(f"{n}: a unit test where it fires", n in fires)
    check(f"{n}: a unit test where it stays silent", n in silent)
check("the unit tests name no unknown alert", set(fires) | set(silent) <= set(names),
      str((set(fires) | set(silent)) - set(names)))

# Jobs: what the rules and dashboards select exists in the scrape config.
config = yaml.safe_load(open(CONFIG))
jobs = {j["job_name"] for j in config["scrape_configs"]}
used = set()
for path in glob.glob(os.path.join(SRC, "deploy", "grafana", "dashboards", "*.json")):
    used |= set(re.findall(r'job=\\?"([^"\\]+)\\?"', open(path).read()))
check(f"the dashboards select existing jobs ({', '.join(sorted(used))})", used and used <= jobs, str(used - jobs))
check("prometheus.yml loads the rules file",
      [os.path.normpath(os.path.join(PROM, f)) for f in config.get("rule_files", [])] == [RULES])
finish()
