#!/usr/bin/env python3
"""Memory of a running `switchboard serve` under the attacks of docs/SECURITY.md ("Bounded
memory and rate limits"): resident memory (VmRSS) before, the peak during (VmHWM, the
kernel's high-water mark) and after each attack, on SQLite with the default limits.

    python3 bench/abuse_memory.py [BINARY]      (default ./build/src/switchboard)

Attacks, in order, on one server:
  events   20,000 unsigned posts to /v1/events/<random tenant id>, from 20,000 source
           addresses of 127.0.0.0/8 (the worst case for the per-address table)
  keys     5,000 requests with made-up API keys from one address
  yaml     16 concurrent POST /v1/policy-pack/validate of a 1 MB list of 500k integers
  nodes    16 concurrent validates of the largest tree the limits let through (~20k nodes)
  laughs   16 concurrent validates of an alias bomb (a billion strings)
  idle     1,000 connections held open (half of them with a header never finished) while a
           normal client calls /v1/whoami 50 times; its answers are the row's
  bodies   4 bodies of 100 MB announced by Content-Length, then 4 chunked bodies streamed
           until the server stops them
  deep     16 concurrent JSON bodies nested 10,000 levels deep
"""
import concurrent.futures
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def send(port, method, target, body=b"", headers=None, source="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                      source_address=(source, 0))
    try:
        conn.request(method, target, body=body, headers=headers or {})
        r = conn.getresponse()
        r.read()
        return r.status
    except OSError as e:
        return f"error: {e}"
    finally:
        conn.close()


def measure(pid, name, attack):
    time.sleep(1)
    before = proc_kb(pid, "VmRSS")
    reset_peak(pid)
    t0 = time.time()
    statuses = attack()
    seconds = time.time() - t0
    peak = proc_kb(pid, "VmHWM")
    time.sleep(2)
    after = proc_kb(pid, "VmRSS")
    counts = {}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    row = {"attack": name, "rss_before_mb": round(before / 1024, 1),
           "rss_peak_mb": round(peak / 1024, 1), "rss_after_mb": round(after / 1024, 1),
           "seconds": round(seconds, 1), "answers": counts}
    print(json.dumps(row), flush=True)
    return row


def hold_connections(port, n, fn):
    """Opens n connections (every other one sends half a header), runs fn, closes them."""
    held = []
    try:
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            if i % 2:
                s.sendall(b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        return fn()
    finally:
        for s in held:
            s.close()


def big_body(port, key, chunked):
    """Sends a 100 MB body (announced, or chunked as fast as the server reads it); returns the
    status line's code, or the error."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(60)
    framing = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: 104857600"
    s.sendall(b"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              key.encode() + b"\r\nContent-Type: application/json\r\n" + framing + b"\r\n\r\n")
    try:
        if chunked:
            chunk = b"100000\r\n" + b" " * (1 << 20) + b"\r\n"
            for _ in range(100):
                s.sendall(chunk)
        answer = s.recv(64)
        return int(answer.split()[1]) if answer.startswith(b"HTTP/") else "no answer"
    except OSError:
        try:
            answer = s.recv(64)
            return int(answer.split()[1]) if answer.startswith(b"HTTP/") else "reset"
        except OSError as e:
            return f"error: {e}"
    finally:
        s.close()


def concurrently(n, fn):
    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda _: fn(), range(n)))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "./build/src/switchboard"
    work = tempfile.mkdtemp(prefix="sb-abuse.")
    port = free_port()
    log = open(os.path.join(work, "stdout.log"), "w+")
    server = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", work,
         "--database-url", f"sqlite:{work}/switchboard.db"],
        stdout=log, stderr=subprocess.DEVNULL)
    try:
        key = ""
        for _ in range(200):
            time.sleep(0.1)
            log.seek(0)
            for line in log:
                if '"api_key"' in line:
                    key = json.loads(line)["api_key"]
            if key and send(port, "GET", "/readyz") == 200:
                break
        assert key, "no demo key on stdout"
        pid = server.pid
        auth = {"Authorization": "Bearer " + key, "Content-Type": "application/yaml"}

        def events():
            out = []
            for i in range(20000):
                tenant = "ten_%016x" % random.getrandbits(64)
                source = "127.%d.%d.%d" % (1 + i // 65536, (i // 256) % 256, 1 + i % 254)
                out.append(send(port, "POST", "/v1/events/" + tenant,
                                b'{"id":"e","type":"x","data":{}}',
                                {"Content-Type": "application/json"}, source))
            return out

        def keys():
            return [send(port, "GET", "/v1/accounts", headers={
                "Authorization": "Bearer sb_%032x" % random.getrandbits(128)})
                for _ in range(5000)]

        ints = ("version: x\nlist: [" + ",".join(["1"] * 500000) + "]\n").encode()  # 1 MB
        tree = ("version: x\nlist:\n" + "".join("- %d\n" % i for i in range(19990))).encode()
        laughs = 'version: x\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        for c in "bcdefghi":
            p = chr(ord(c) - 1)
            laughs += f"{c}: &{c} [" + ",".join(["*" + p] * 10) + "]\n"
        laughs = laughs.encode()

        def validate(body):
            return lambda: concurrently(16, lambda: send(
                port, "POST", "/v1/policy-pack/validate", body, auth, "127.0.0.1"))

        bearer = {"Authorization": "Bearer " + key}
        deep = ('{"external_ref":' + "[" * 10000 + "]" * 10000 + "}").encode()

        def idle():
            return hold_connections(port, 1000, lambda: [
                send(port, "GET", "/v1/whoami", headers=bearer) for _ in range(50)])

        def bodies():
            return ([big_body(port, key, False) for _ in range(4)] +
                    [big_body(port, key, True) for _ in range(4)])

        def deep_json():
            return concurrently(16, lambda: send(
                port, "POST", "/v1/accounts", deep,
                dict(bearer, **{"Content-Type": "application/json"})))

        rows = [measure(pid, "events: 20,000 forged posts, random tenants", events),
                measure(pid, "keys: 5,000 made-up API keys", keys),
                measure(pid, "yaml: 16 x 1 MB list of 500k integers", validate(ints)),
                measure(pid, "nodes: 16 x %d KB list of 19,990 integers" % (len(tree) // 1024),
                        validate(tree)),
                measure(pid, "laughs: 16 x alias bomb", validate(laughs)),
                measure(pid, "idle: 1,000 held connections, 50 calls beside them", idle),
                measure(pid, "bodies: 4 x 100 MB announced, 4 x 100 MB chunked", bodies),
                measure(pid, "deep: 16 x JSON nested 10,000 deep", deep_json)]
        print("\n| attack | RSS before | peak during | after | answers |")
        print("| --- | --- | --- | --- | --- |")
        for r in rows:
            answers = ", ".join(f"{k}: {v}" for k, v in sorted(r["answers"].items()))
            print(f"| {r['attack']} | {r['rss_before_mb']} MB | {r['rss_peak_mb']} MB | "
                  f"{r['rss_after_mb']} MB | {answers} |")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
