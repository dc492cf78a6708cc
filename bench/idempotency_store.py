#!/usr/bin/env python3
"""Measures the idempotency store under a keyed write load, and after the purge.

Starts `switchboard serve` on SQLite (test clock, its own data directory), sends WRITES keyed
account creations (each with a profile and a service) and keyed hold placements, then reads:
the database size, the idempotency_keys rows and their bytes, and their share of the database
(SQLite's dbstat). It then moves the server's clock past the keys' time to live, waits for the
job runner's purge (every minute) and reads the same figures again. Figures go to stdout as
JSON; docs/SECURITY.md records a run.

    python3 bench/idempotency_store.py [--writes 2000] [--binary build/src/switchboard]
"""
import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(port, key, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    req.add_header("Authorization", "Bearer " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def figures(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows, body_bytes = db.execute(
        "SELECT count(*), coalesce(sum(length(response_body) + length(response_headers_json) "
        "+ length(fingerprint) + length(key)), 0) FROM idempotency_keys").fetchone()
    try:
        pages = dict(db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    except sqlite3.OperationalError:
        pages = {}
    db.close()
    total = sum(pages.values()) if pages else os.path.getsize(db_path)
    store = pages.get("idempotency_keys", 0) + pages.get("idempotency_keys_expiry", 0)
    return {
        "idempotency_rows": rows,
        "idempotency_bytes": body_bytes,
        "idempotency_pages_bytes": store,
        "database_pages_bytes": total,
        "idempotency_share_percent": round(100.0 * store / total, 1) if total else None,
        "database_file_bytes": os.path.getsize(db_path),
    }


def checkpoint(db_path):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=2000)
    ap.add_argument("--binary", default="build/src/switchboard")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sb-idem-")
    cfg = os.path.join(work, "bench.yaml")
    with open(cfg, "w") as f:
        f.write("limits:\n  rate_limit_per_second: 0\n")
    port = free_port()
    out = open(os.path.join(work, "stdout.log"), "w+")
    server = subprocess.Popen(
        [args.binary, "serve", "--config", cfg, "--listen", f"127.0.0.1:{port}",
         "--data-dir", work, "--test-clock"],
        stdout=out, stderr=open(os.path.join(work, "stderr.log"), "w"))
    try:
        key = None
        for _ in range(200):
            out.seek(0)
            for line in out:
                if '"api_key"' in line:
                    key = json.loads(line)["api_key"]
            if key:
                break
            time.sleep(0.1)
        assert key, "no demo key"
        db_path = os.path.join(work, "switchboard.db")
        start = time.time()
        for i in range(args.writes):
            status, body = call(port, key, "POST", "/v1/accounts", {
                "external_ref": f"bench-{i}",
                "name": f"Customer Number {i}",
                "email": f"customer{i}@example.com",
                "phone": f"+4477009{i:05d}",
                "address": f"{i} Long Street, Somewhere Town",
                "plans": ["mobile_basic"],
            }, {"Idempotency-Key": f"create-{i}"})
            assert status == 201, body
            account = body["account"]["id"]
            status, body = call(port, key, "POST", f"/v1/accounts/{account}/holds",
                                {"hold_type": "voluntary_pause"},
                                {"Idempotency-Key": f"hold-{i}", "X-Reason": "customer_request"})
            assert status in (201, 202), body
        elapsed = time.time() - start
        checkpoint(db_path)
        loaded = figures(db_path)
        # Past the time to live; the purge runs every minute of real time.
        status, body = call(port, key, "POST", "/v1/test/clock", {"advance_seconds": 25 * 3600})
        assert status == 200, body
        time.sleep(70)
        checkpoint(db_path)
        purged = figures(db_path)
        print(json.dumps({"keyed_writes": 2 * args.writes, "seconds": round(elapsed, 1),
                          "after_load": loaded, "after_purge": purged}, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
