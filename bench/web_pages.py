#!/usr/bin/python3
"""The API calls each console and portal page makes, timed as the page makes them.

Signs a staff admin in the way the console does (the CLI's invitation accepted, then the
password and a TOTP code: POST /v1/sessions; an admin, so that every page's calls are allowed).
Then, for each page, it makes the page's GET calls one after another, ROUNDS times each, with
the session cookie, and prints one JSON line per call: p50, p95 and max in milliseconds.
Sequential on purpose: what one person waits for, not the server's throughput.

    bench/web_pages.py BASE TENANT BINARY DATA_DIR DATABASE_URL [ROUNDS]

With SB_BENCH_KEY (an admin API key) and SB_BENCH_EXTRA=N, first files N more requests on the
demo accounts (status syncs, completed at once, and personal-details changes left waiting),
so the queue, the account page and the dashboard read a busier day than the demo's.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

import pyotp

BASE, TENANT, BINARY, DATA_DIR, DATABASE_URL = sys.argv[1:6]
ROUNDS = int(sys.argv[6]) if len(sys.argv) > 6 else 200
HOST = urllib.parse.urlparse(BASE)
conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)


def call(method, path, body=None, headers=None):
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    res = conn.getresponse()
    data = res.read()
    return res.status, res.getheaders(), data


def sign_in_admin():
    email = "bench.admin.%d@client.example" % time.time_ns()
    out = subprocess.run(
        [BINARY, "user", "invite", "--data-dir", DATA_DIR, "--database-url", DATABASE_URL,
         "--tenant", TENANT, "--email", email, "--name", "Bench Admin", "--role", "admin"],
        check=True, capture_output=True, text=True).stdout
    token = out.strip().splitlines()[-1]
    password = "correct horse battery staple"
    status, _, data = call("POST", "/v1/invitations/accept", {"token": token, "password": password})
    if status != 200:
        sys.exit(f"invitation: {status} {data[:300]!r}")
    secret = json.loads(data)["totp"]["secret"]
    status, headers, data = call("POST", "/v1/sessions", {
        "tenant_id": TENANT, "email": email, "password": password,
        "totp_code": pyotp.TOTP(secret).now()})
    if status not in (200, 201):
        sys.exit(f"sign-in: {status} {data[:300]!r}")
    cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    return {"Cookie": cookie}


def timed(path, headers):
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        status, _, data = call("GET", path, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        if status != 200:
            sys.exit(f"GET {path}: {status} {data[:300]!r}")
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
        "bytes": len(data),
    }


def seed(extra):
    key = {"Authorization": "Bearer " + os.environ["SB_BENCH_KEY"]}
    _, _, data = call("GET", "/v1/accounts?limit=100", headers=key)
    accounts = [a["id"] for a in json.loads(data)["data"]]
    for n in range(extra):
        body = {"type": "status_sync", "account_id": accounts[n % len(accounts)]}
        reason = "agent_correction"
        if n % 2:
            body = {"type": "personal_info_update", "account_id": accounts[n % len(accounts)],
                    "payload": {"phone": "+336%08d" % n}}
            reason = "customer_request"
        status, _, out = call("POST", "/v1/requests", body, {**key, "X-Reason": reason})
        if status not in (200, 201, 202):
            sys.exit(f"seed: {status} {out[:300]!r}")


def main():
    extra = int(os.environ.get("SB_BENCH_EXTRA", "0"))
    if extra:
        seed(extra)
    session = sign_in_admin()
    _, _, data = call("GET", "/v1/accounts?limit=100", headers=session)
    accounts = json.loads(data)["data"]
    # The account page of the account with the most history.
    account = max(accounts, key=lambda a: a.get("version", 0))["id"]
    _, _, data = call("GET", f"/v1/accounts/{account}/timeline?limit=50", headers=session)
    entries = [i for i in json.loads(data)["data"] if i.get("kind") == "audit_entry"]
    pages = {
        "every page": ["/v1/whoami"],
        "work queue": ["/v1/requests?state=received&sort=due_at&limit=100",
                       "/v1/requests?sort=due_at&limit=100"],
        "account": [f"/v1/accounts/{account}", f"/v1/requests?account_id={account}&limit=100",
                    f"/v1/accounts/{account}/timeline?limit=50"],
        "audit verify": ["/v1/audit/checkpoint"],
        "filing, approvals": ["/v1/policy-pack/request-types",
                              "/v1/requests?state=awaiting_approval&sort=due_at&limit=100"],
        "dashboard": ["/v1/kpis/dashboard"],
        "bulk jobs": ["/v1/bulk-jobs?limit=20"],
        "policy pack": ["/v1/policy-pack"],
    }
    if entries:
        pages["audit verify"].append(f"/v1/audit/entries/{entries[0]['id']}/proof")
    for page, paths in pages.items():
        for path in paths:
            row = {"page": page, "call": path.replace(account, "{id}"), "rounds": ROUNDS,
                   "extra_requests": extra}
            row.update(timed(path, session))
            print(json.dumps(row), flush=True)


main()
