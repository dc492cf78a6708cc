#!/usr/bin/env python3
"""Writes the results of bench/run.sh into docs/PERFORMANCE.md.

usage: write_report.py RESULTS.jsonl SECONDS CONNECTIONS REPORT.md
The report's opening, from its first line down to the line MARK, is replaced with this run's
tables; everything after MARK (the analysis, the other benches) is kept as it is.
"""
import datetime
import json
import os
import platform
import sys

results_path, seconds, connections, report_path = sys.argv[1:5]
MARK = "<!-- The lines above are written by bench/run.sh; edit below. -->"
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
# The bars: HTTP / raw and p99 (ms).
BARS = {"sqlite": (80, 25), "postgres": (80, 50)}
# Each workload is judged against the raw shape that writes every row it writes the way its
# backend's design writes them: on SQLite each audit entry is sequenced in its write, on
# PostgreSQL a sequencer puts them into the log in batches (see bench/raw_limit.cc).
JUDGED = {("sqlite", "holds"): "holds+log", ("sqlite", "payments"): "payments",
          ("postgres", "holds"): "holds+seq", ("postgres", "payments"): "payments+seq"}
RAW_SHAPES = {"sqlite": ("holds", "holds+log", "payments", "holds+log/short", "payments/short"),
              "postgres": ("holds", "holds+log", "holds+seq", "payments", "payments+seq",
                           "holds+seq/short", "payments+seq/short")}


def share(h, r):
    return 100.0 * h["rps"] / r["ops_per_s"] if r and r["ops_per_s"] else 0.0


def row(backend, workload):
    h = http.get((backend, workload))
    r = raw.get((backend, JUDGED[(backend, workload)]))
    short = raw.get((backend, JUDGED[(backend, workload)] + "/short"))
    if not h or not r:
        return f"| {workload} | {NAMES[backend]} | (not measured) ||||||||||"
    bar, p99_bar = BARS[backend]
    bar_text = f"≥ {bar}%, p99 < {p99_bar} ms"
    s = share(h, r)
    met = s >= bar and h["p99_ms"] < p99_bar
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


# Request Tracker 5 on this machine class, in the same cycle (create a ticket, change its
# status, comment): about 1.1 cycles/s. The aim is 1,000 times that.
PEER_CYCLES_PER_S = 1.1
PEER_AIM = 1000


def peer_row(backend):
    h = http.get((backend, "requests"))
    if not h:
        return f"| {NAMES[backend]} | (not measured) |||||"
    times = h["rps"] / PEER_CYCLES_PER_S
    met = "met" if times >= PEER_AIM else "not met"
    return (f"| {NAMES[backend]} | {h['rps']:.0f} | {h['p50_ms']:.1f} | {h['p99_ms']:.1f} | "
            f"{h['errors']} | **{times:,.0f}×** | ≥ {PEER_AIM:,}×: {met} |")


rows = "\n".join(row(b, w) for w in ("holds", "payments") for b in ("sqlite", "postgres"))
peer_rows = "\n".join(peer_row(b) for b in ("sqlite", "postgres"))
raw_rows = "\n".join(raw_row(b, s) for b in ("sqlite", "postgres") for s in RAW_SHAPES[b])
with open(report_path) as f:
    report = f.read()
if MARK not in report:
    sys.exit(f"{report_path} has no line {MARK}")
kept = report[report.index(MARK):]

opening = f"""# Performance

Measured by `bash bench/run.sh {seconds}` on {datetime.date.today()} on this project's
machine ({os.cpu_count()} cores, {platform.machine()}), load generator and server on the same
machine, every run on a fresh database.

**Workloads** (`bench/load_holds`, {connections} HTTP/1.1 keep-alive connections, each on its
own account with one service, {seconds} s after a 3 s warm-up):
- *holds*: place a non-payment hold → lift it, again and again. Every call is measured.
  Each is one durable transaction: a completed request (and its lifecycle step), the hold,
  four audit entries (hold, service, account, the request's completion), three events in the
  outbox (`service.suspended`, `account.status_changed`, `request.completed`), the derived
  service and account statuses; the entries go into the tenant's Merkle log in the same
  write on SQLite, and by the sequencer in batches on PostgreSQL.
- *payments*: place a non-payment hold → send a signed `payment.received` event
  (`POST /v1/events/{{tenant}}`, Standard Webhooks signature). The event settles the account
  and the server reconnects it by itself through an automated reconnection request. Only
  the event calls are measured (req/s = events/s, each checked to answer `reconnected`);
  the hold placements between them load the server too, so one event = one whole cycle.

**Raw limit** (`bench/raw_limit`, same machine, same run): the same rows written straight
through the database library with the same durability, the way the server's design could
best write them. SQLite: the server's writer connection (its pragmas and page cache, its
checkpointer beside it), `synchronous=FULL`, 100 operations per transaction, one writer.
PostgreSQL: `synchronous_commit=on`, one transaction per request, 8 client threads. Shapes
("rows per op" counts statements; the lifecycle step is written by a trigger):
- *holds*: the rows of one hold placement (request, lifecycle step, hold, four audit
  entries, three events, service, account), its entries not yet in the log.
- *holds+log*: the same with each entry put into the log in the operation's own write (its
  leaf index and hash, its leaf and one interior Merkle node, the log size): how the SQLite
  server writes them. The SQLite holds workload is judged against this one.
- *holds+seq*: the same change rows, one transaction per operation, and a ninth connection
  that puts the entries into the log as the server's sequencer does (a pass at most every
  25 ms: lock the log size, read up to 1,000 entries, their leaves and nodes one statement
  each, the size and a signed checkpoint); the run ends when the log has caught up. How the
  PostgreSQL server writes them; its holds workload is judged against this one.
- *payments*, *payments+seq*: one whole payments cycle (the hold placement, then the event,
  the billing adjustment request and its audit entry, the reconnection request with its
  entries and events, the lifted hold, the service and the account), the log written in the
  operations (SQLite's judge) or by the sequencer (PostgreSQL's). Two requests, so two
  transactions on PostgreSQL.

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

**Against a peer** (*requests* workload, the same connections): a request's life as a ticket
system counts it, one cycle of three calls, each checked: file a billing adjustment
(`POST /v1/requests`: the pack's checks run and it waits for a second person's approval),
approve it with a second admin key (it completes, the credit is applied to the account,
its audit entries and events are written), and comment on it. Judged against Request
Tracker 5, about {PEER_CYCLES_PER_S} cycles/s for the same cycle on this machine class.

| backend | cycles/s | p50 ms | p99 ms | errors | × Request Tracker | aim |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
{peer_rows}

Raw SQLite latency is the time of the 100-operation batch each operation waits for.
PostgreSQL's raw shapes run twice, before and after the HTTP runs, and the mean is the
raw figure: they wait on fsync, whose latency on this machine moves by a factor of two
from one minute to the next, while the HTTP runs are bound by CPU. Every PostgreSQL run,
raw and HTTP, is measured on tables with statistics, as in a database in service: 3 s of
the same load, then `ANALYZE`, then the measured run ("Plans made on empty tables" below).

"""
with open(report_path, "w") as f:
    f.write(opening + kept)
