#!/usr/bin/env python3
"""Turns the results of bench/run.sh into docs/PERFORMANCE.md.

usage: write_report.py RESULTS.jsonl SECONDS CONNECTIONS
The tables come from this run; the analysis after them is bench/analysis.md, verbatim.
"""
import datetime
import json
import os
import platform
import sys

results_path, seconds, connections = sys.argv[1:4]
http, raw = {}, {}
with open(results_path) as f:
    for line in f:
        r = json.loads(line)
        if r["kind"] == "http":
            http[(r["backend"], r["result"]["workload"])] = r["result"]
        else:
            raw.setdefault((r["backend"], r["result"]["shape"]), []).append(r["result"])


def mean_of(runs):
    """One raw figure from a shape's runs (PostgreSQL runs each shape twice): the mean."""
    out = dict(runs[0])
    for key in ("ops_per_s", "p50_ms", "p99_ms"):
        out[key] = sum(r[key] for r in runs) / len(runs)
    out["runs"] = [r["ops_per_s"] for r in runs]
    return out


raw = {k: mean_of(v) for k, v in raw.items()}

NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
BARS = {"sqlite": (40, "≥ 40%, p99 < 50 ms"), "postgres": (60, "≥ 60%")}
# Each workload is judged against the raw shape that writes every row it writes.
JUDGED = {"holds": "holds+log", "payments": "payments"}


def share(h, r):
    return 100.0 * h["rps"] / r["ops_per_s"] if r and r["ops_per_s"] else 0.0


def row(backend, workload):
    h = http.get((backend, workload))
    r = raw.get((backend, JUDGED[workload]))
    short = raw.get((backend, JUDGED[workload] + "/short"))
    if not h or not r:
        return f"| {workload} | {NAMES[backend]} | (not measured) ||||||||||"
    bar, bar_text = BARS[backend]
    s = share(h, r)
    met = s >= bar and (backend != "sqlite" or h["p99_ms"] < 50)
    short_share = f"{share(h, short):.0f}%" if short else "(not measured)"
    return (f"| {workload} | {NAMES[backend]} | {h['rps']:.0f} | {h['p50_ms']:.1f} | "
            f"{h['p99_ms']:.1f} | {h['errors']} | {r['shape']} ({r['rows']} rows) | "
            f"{r['ops_per_s']:.0f} | **{s:.0f}%** | {short_share} | "
            f"{bar_text}: {'met' if met else 'not met'} |")


def raw_row(backend, shape):
    r = raw.get((backend, shape))
    if not r:
        return f"| {NAMES[backend]} | {shape} | (not measured) |||||"
    runs = " + ".join(f"{x:.0f}" for x in r["runs"]) if len(r["runs"]) > 1 else "one run"
    return (f"| {NAMES[backend]} | {shape} | {r['rows']} | {r['ops_per_s']:.0f} | {runs} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")


rows = "\n".join(row(b, w) for w in ("holds", "payments") for b in ("sqlite", "postgres"))
raw_rows = "\n".join(raw_row(b, s) for b in ("sqlite", "postgres")
                     for s in ("holds", "holds+log", "payments", "holds+log/short",
                               "payments/short"))
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "analysis.md")) as f:
    analysis = f.read()

print(f"""# Performance

Measured by `bash bench/run.sh {seconds}` on {datetime.date.today()} on this project's
machine ({os.cpu_count()} cores, {platform.machine()}), load generator and server on the same
machine, every run on a fresh database.

**Workloads** (`bench/load_holds`, {connections} HTTP/1.1 keep-alive connections, each on its
own account with one service, {seconds} s after a 3 s warm-up):
- *holds*: place a non-payment hold → lift it, again and again. Every call is measured.
  Each is one durable transaction: a completed request with its history, the hold, three
  audit entries (hold, service, account), the derived service and account statuses; the
  background sequencer then puts the three entries into the tenant's Merkle log.
- *payments*: place a non-payment hold → send a signed `payment.received` event
  (`POST /v1/events/{{tenant}}`, Standard Webhooks signature). The event settles the account
  and the server reconnects it by itself through an automated reconnection request. Only
  the event calls are measured (req/s = events/s, each checked to answer `reconnected`);
  the hold placements between them load the server too, so one event = one whole cycle.

**Raw limit** (`bench/raw_limit`, same machine, same run): the same rows written straight
through the database library with the same durability. SQLite: WAL, `synchronous=FULL`,
100 operations per transaction, one writer. PostgreSQL: `synchronous_commit=on`, one
transaction per operation, 8 client threads. Shapes:
- *holds*: the rows of the change itself (request, hold, three audit entries, service,
  account): 7 rows. Earlier reports were judged against this one.
- *holds+log*: the same plus the audit log's rows for its three entries (leaf index and
  hash on each entry, the leaf and interior Merkle nodes, the log size): 17 rows, every row
  the server writes for the call. The holds workload is judged against this one.
- *payments*: one whole payments cycle: the hold placement, the event, the billing
  adjustment request and its audit entry, the reconnection request, the lifted hold, the
  service and the account, and the log rows of the cycle's seven audit entries: 40 rows.

Every shape writes the server's values: ids of 30 characters as the server makes them
(time-ordered, with a random tail), event ids as the load generator sends them, and JSON
columns of the length the server writes (request history, hold snapshots, results). The
*/short* shapes are the same rows with the short ids (`op_17`, `ten_bench`) and JSON of
earlier reports; the last column judges the HTTP figure against them.

| workload | backend | HTTP req/s | p50 ms | p99 ms | errors | judged against | raw ops/s | HTTP / raw | HTTP / raw (short values) | bar |
| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |
{rows}

| backend | raw shape | rows per op | raw ops/s | runs (ops/s) | p50 ms | p99 ms |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
{raw_rows}

Raw SQLite latency is the time of the 100-operation batch each operation waits for.
PostgreSQL's raw shapes run twice, before and after the HTTP runs, and the mean is the
raw figure: they wait on fsync, whose latency on this machine moves by a factor of two
from one minute to the next, while the HTTP runs are bound by CPU.

{analysis}""")
