#!/usr/bin/env python3
"""Turns the JSON lines of bench/run.sh into docs/PERFORMANCE.md."""
import datetime
import json
import os
import platform
import sys

http_sqlite, raw_sqlite, http_pg, raw_pg = (json.loads(a) for a in sys.argv[1:5])
seconds, connections = sys.argv[5], sys.argv[6]


def row(name, http, raw, bar):
    share = 100.0 * http["rps"] / raw["ops_per_s"] if raw["ops_per_s"] else 0.0
    return (f"| {name} | {http['rps']:.0f} | {http['p50_ms']:.1f} | {http['p99_ms']:.1f} | "
            f"{http['errors']} | {raw['ops_per_s']:.0f} | {raw['p50_ms']:.1f} | {raw['p99_ms']:.1f} | "
            f"**{share:.0f}%** (bar {bar}) |")


print(f"""# Performance

Measured by `bash bench/run.sh {seconds}` on {datetime.date.today()} on this project's
machine ({os.cpu_count()} cores, {platform.machine()}), load generator and server on the same
machine.

**Workload.** `bench/load_holds` opens {connections} HTTP/1.1 keep-alive connections; each
creates its own account with one service, then repeats *place a non-payment hold* → *lift
it* for {seconds} s (after a 3 s warm-up). Every call is a real write: the hold, a completed
request with its history, three audit entries (hold, service, account), the derived service
and account statuses, all in one durable transaction, then sequenced into the Merkle log by
the background sequencer.

**Raw limit.** `bench/raw_limit` writes the same rows per operation (one request, the hold,
three audit entries, the service and the account) straight through the database library
with the same durability, on the same machine in the same run: SQLite in WAL with
`synchronous=FULL`, 100 operations per transaction, one writer; PostgreSQL with
`synchronous_commit=on`, one transaction per operation, 8 client threads.

| backend | HTTP req/s | HTTP p50 ms | HTTP p99 ms | errors | raw ops/s | raw p50 ms | raw p99 ms | HTTP / raw |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{row("SQLite", http_sqlite, raw_sqlite, "≥ 40%, p99 < 50 ms")}
{row("PostgreSQL", http_pg, raw_pg, "≥ 60%")}

Raw SQLite latency is the time of the 100-operation batch each operation waits for.
""")
