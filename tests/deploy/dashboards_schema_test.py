#!/usr/bin/env python3
"""deploy/grafana/dashboards/*.json against Grafana's dashboard model, two ways:

1. The required fields of the declared schemaVersion (39: Grafana 10.4-11.x), checked here: uid, title,
   schemaVersion, panels with unique ids, a gridPos inside the 24 columns and not overlapping another panel,
   a type; rows with collapsed and panels; every query panel with the provisioned Prometheus datasource
   (uid vnt-prometheus) and targets with unique refIds and an expr; template variables with name, type and
   query; the built-in annotation.
2. Type-checked by TypeScript against Grafana's published schema, @grafana/schema at the Grafana image's
   version (tests/deploy/grafana_schema/package.json, installed from its lockfile with `npm ci` when needed):
   each dashboard as a `Dashboard` object literal (so unknown keys and wrong types are errors, enums as
   their JSON values), each panel's options and fieldConfig.defaults.custom against its panel plugin's
   Options and FieldConfig. A deliberately broken copy must fail the same check, so the check is not vacuous.

Usage: dashboards_schema_test.py SOURCE_DIR WORK_DIR"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import yaml

from deploytest import check, finish

SRC = os.path.abspath(sys.argv[1])
WORK = os.path.abspath(sys.argv[2])
DASH_DIR = os.path.join(SRC, "deploy", "grafana", "dashboards")
SCHEMA_DIR = os.path.join(SRC, "tests", "deploy", "grafana_schema")
COMPOSE = yaml.safe_load(open(os.path.join(SRC, "deploy", "docker-compose.yml")))
DS_UID = yaml.safe_load(open(os.path.join(SRC, "deploy/grafana/provisioning/datasources/prometheus.yml")))[
    "datasources"][0]["uid"]

# Panel plugin -> (the module of its Options / FieldConfig types in @grafana/schema, has a FieldConfig type).
PANEL_TYPES = {
    "timeseries": ("timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen", True),
    "stat": ("stat/panelcfg/x/StatPanelCfg_types.gen", False),
    "heatmap": ("heatmap/panelcfg/x/HeatmapPanelCfg_types.gen", True),
    "bargauge": ("bargauge/panelcfg/x/BarGaugePanelCfg_types.gen", False),
}

dashboards = {}
for path in sorted(glob.glob(os.path.join(DASH_DIR, "*.json"))):
    try:
        dashboards[os.path.basename(path)] = json.load(open(path, encoding="utf-8"))
        check(f"{os.path.basename(path)}: valid JSON", True)
    except ValueError as e:
        check(f"{os.path.basename(path)}: valid JSON", False, str(e))
check("four dashboards: feed and engine, server and WebSockets, store, host",
      sorted(dashboards) == ["vnt-feed-engine.json", "vnt-host.json", "vnt-server-ws.json", "vnt-store.json"],
      str(sorted(dashboards)))

# ---- 1. required fields of schemaVersion 39 ----
uids = []
for name, d in dashboards.items():
    check(f"{name}: schemaVersion 39 (Grafana 10.4-11.x, the image is {COMPOSE['services']['grafana']['image']})",
          d.get("schemaVersion") == 39, str(d.get("schemaVersion")))
    for key, typ in (("uid", str), ("title", str), ("panels", list), ("time", dict), ("templating", dict),
                     ("annotations", dict)):
        check(f"{name}: {key} is a {typ.__name__}", isinstance(d.get(key), typ))
    uids.append(d.get("uid"))
    check(f"{name}: uid is file name", d.get("uid") == name[:-5])
    ids, cells = [], []
    n_queries = 0
    for p in d.get("panels", []):
        ids.append(p.get("id"))
        gp = p.get("gridPos", {})
        ok = all(isinstance(gp.get(k), int) for k in "hwxy") and gp["x"] >= 0 and gp["w"] > 0 and gp["h"] > 0 \
            and gp["x"] + gp["w"] <= 24
        check(f"{name}: panel {p.get('id')} '{p.get('title')}' gridPos inside 24 columns", ok, str(gp))
        if ok:
            cells.append((p.get("id"), gp))
        check(f"{name}: panel {p.get('id')} has a type and a title", bool(p.get("type")) and bool(p.get("title")))
        if p.get("type") == "row":
            check(f"{name}: row {p.get('id')} has collapsed and panels",
                  isinstance(p.get("collapsed"), bool) and isinstance(p.get("panels"), list))
            continue
        check(f"{name}: panel {p['id']} '{p['title']}' is a known panel type ({p['type']})", p["type"] in PANEL_TYPES)
        check(f"{name}: panel {p['id']} uses the provisioned datasource",
              p.get("datasource", {}).get("uid") == DS_UID and p["datasource"].get("type") == "prometheus")
        targets = p.get("targets", [])
        refs = [t.get("refId") for t in targets]
        check(f"{name}: panel {p['id']} has targets with unique refIds and an expr",
              targets and len(set(refs)) == len(refs) and all(t.get("expr") for t in targets)
              and all(t.get("datasource", {}).get("uid") == DS_UID for t in targets))
        check(f"{name}: panel {p['id']} has a description", bool(p.get("description")))
        n_queries += len(targets)
    check(f"{name}: panel ids are unique", len(ids) == len(set(ids)), str(ids))
    overlaps = [(a, b) for i, (a, ga) in enumerate(cells) for b, gb in cells[i + 1:]
                if ga["x"] < gb["x"] + gb["w"] and gb["x"] < ga["x"] + ga["w"]
                and ga["y"] < gb["y"] + gb["h"] and gb["y"] < ga["y"] + ga["h"]]
    check(f"{name}: no two panels overlap", not overlaps, str(overlaps))
    for v in d.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        check(f"{name}: variable {v.get('name')} has name, type, query and the datasource",
              v.get("name") and v.get("type") == "query" and q and v.get("datasource", {}).get("uid") == DS_UID)
    ann = d.get("annotations", {}).get("list", [])
    check(f"{name}: the built-in annotation", any(a.get("builtIn") == 1 and a.get("datasource") for a in ann))
    print(f"{name}: {sum(p.get('type') != 'row' for p in d['panels'])} panels, {n_queries} queries")
check("dashboard uids are unique", len(uids) == len(set(uids)))

# ---- 2. TypeScript against @grafana/schema ----
def ensure_node_modules():
    """npm ci from the lockfile when node_modules is missing or older than it (as scripts/web.sh does)."""
    nm = os.path.join(SCHEMA_DIR, "node_modules")
    lock = os.path.join(SCHEMA_DIR, "package-lock.json")
    if os.path.isdir(nm) and os.path.getmtime(nm) >= os.path.getmtime(lock) \
            and os.path.isdir(os.path.join(nm, "@grafana", "schema")):
        return True, "present"
    t0 = time.time()
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SCHEMA_DIR, capture_output=True, text=True,
                       timeout=600)
    if r.returncode == 0:
        os.utime(nm)
    return r.returncode == 0, f"npm ci {time.time() - t0:.1f} s" + ("" if r.returncode == 0 else r.stderr[-2000:])

ok, how = ensure_node_modules()
check(f"@grafana/schema and typescript installed from the lockfile ({how.splitlines()[0] if how else ''})", ok, how)
if not ok:
    finish()
schema_version = json.load(open(os.path.join(SCHEMA_DIR, "node_modules/@grafana/schema/package.json")))["version"]
grafana_version = COMPOSE["services"]["grafana"]["image"].rsplit(":", 1)[1]
check(f"@grafana/schema {schema_version} is the Grafana image's version ({grafana_version})",
      schema_version == grafana_version)

JSON_TYPE = """// A JSON document's view of a schema type: string enums become their string values (JSON has no enums).
export type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
"""


def ts_module(d):
    """One dashboard as a TypeScript module of typed object literals."""
    lines = ["import type { Dashboard } from '@grafana/schema';", "import type { Json } from './json';"]
    for t, (mod, _) in sorted(PANEL_TYPES.items()):
        lines.append(f"import type * as P_{t} from '@grafana/schema/dist/esm/raw/composable/{mod}';")
    lines.append(f"export const dashboard: Json<Dashboard> = {json.dumps(d, indent=1)};")
    for p in d.get("panels", []):
        if p.get("type") not in PANEL_TYPES:
            continue
        t, pid = p["type"], p["id"]
        lines.append(f"export const p{pid}_options: Json<Partial<P_{t}.Options>> = {json.dumps(p.get('options', {}))};")
        if PANEL_TYPES[t][1]:
            custom = p.get("fieldConfig", {}).get("defaults", {}).get("custom", {})
            lines.append(f"export const p{pid}_custom: Json<Partial<P_{t}.FieldConfig>> = {json.dumps(custom)};")
    return "\n".join(lines) + "\n"


def tsc(dash_by_name, tag):
    """Type-checks one module per dashboard; (exit code, {module file: error lines}, output, seconds)."""
    d = os.path.join(WORK, f"schema-{tag}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    open(os.path.join(d, "json.ts"), "w").write(JSON_TYPE)
    files = ["json.ts"]
    for name, dash in sorted(dash_by_name.items()):
        f = name.replace(".json", "").replace("-", "_") + ".ts"
        open(os.path.join(d, f), "w").write(ts_module(dash))
        files.append(f)
    nm = os.path.join(SCHEMA_DIR, "node_modules")
    json.dump({"compilerOptions": {
        "strict": True, "noEmit": True, "skipLibCheck": True, "target": "es2022", "module": "commonjs",
        "moduleResolution": "node10", "types": [], "baseUrl": d,
        "paths": {"@grafana/schema": [f"{nm}/@grafana/schema/dist/esm/index.d.ts"],
                  "@grafana/schema/*": [f"{nm}/@grafana/schema/*"]},
        "typeRoots": []}, "files": files}, open(os.path.join(d, "tsconfig.json"), "w"), indent=1)
    t0 = time.time()
    r = subprocess.run(["node", os.path.join(nm, "typescript", "bin", "tsc"), "-p", d], capture_output=True,
                       text=True, timeout=300)
    out = r.stdout + r.stderr
    errors = {}
    for line in out.splitlines():
        m = re.match(r"(?:.*/)?([\w.-]+\.ts)\(\d+,\d+\): error", line)
        if m:
            errors.setdefault(m.group(1), []).append(line)
    return r.returncode, errors, out, time.time() - t0


rc, errors, out, dt = tsc(dashboards, "dashboards")
check(f"the dashboards type-check against @grafana/schema {schema_version} ({dt:.1f} s)", rc == 0 and not errors,
      out[-4000:])

# Not vacuous: the same check refuses broken copies, one defect each: a gridPos without h, an unknown
# dashboard key, a threshold mode that does not exist, a stat option of the wrong type, a legend without calcs.
def broken(fn):
    d = json.loads(json.dumps(dashboards["vnt-store.json"]))
    fn(d)
    return d

def first(d, typ):
    return next(p for p in d["panels"] if p["type"] == typ)

cases = {
    "broken-gridpos.json": broken(lambda d: first(d, "stat")["gridPos"].pop("h")),
    "broken-key.json": broken(lambda d: d.update(refreshInterval="30s")),
    "broken-threshold.json": broken(lambda d: first(d, "stat")["fieldConfig"]["defaults"]["thresholds"].update(
        mode="relative")),
    "broken-option.json": broken(lambda d: first(d, "stat")["options"].update(colorMode=3)),
    "broken-legend.json": broken(lambda d: first(d, "timeseries")["options"]["legend"].pop("calcs")),
}
rc, errors, out, _ = tsc(cases, "broken")
for name in cases:
    f = name.replace(".json", "").replace("-", "_") + ".ts"
    check(f"the schema check refuses {name[:-5]}", rc != 0 and f in errors, out[-3000:])
finish()
