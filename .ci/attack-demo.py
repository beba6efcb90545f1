#!/usr/bin/env python3
"""Repeats, from outside, the attacks of the hardening review against a running `ferry demo`: scopes, strict
JSON, hostile text, CSV formulas, callbacks into the network, repeated headers, time ranges, slow bodies.

Usage: start `install/bin/ferry demo`, then, with the FERRY_* lines it printed exported:
  python3 .ci/attack-demo.py
Prints one line per attack: PASS (refused with a problem) or FAIL with what came back.
"""
import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.parse

URL = urllib.parse.urlparse(os.environ.get("FERRY_URL", "http://127.0.0.1:8080"))
HOST, PORT = URL.hostname, URL.port or 80
KEY = os.environ["FERRY_API_KEY"]
ADMIN = os.environ["FERRY_ADMIN_KEY"]
results = []


def req(method, path, body=None, headers=()):
    c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    c.putrequest(method, path, skip_accept_encoding=True)
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    for k, v in headers:
        c.putheader(k, v)
    if data is not None:
        c.putheader("Content-Length", str(len(data)))
    c.endheaders()
    if data is not None:
        c.send(data)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), text


def check(name, ok, got):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else "  -> " + got[:300]))


def problem(status, headers, text, want_status, want_word=None):
    is_problem = headers.get("content-type", "").startswith("application/problem+json")
    return status == want_status and (want_status == 405 or is_problem) and (
        want_word is None or want_word.lower() in text.lower())


CUSTOMER = {"name": "Attack GmbH", "street": "Hauptstrasse 1", "postalCode": "69190", "city": "Walldorf",
            "country": "DE", "language": "de", "currency": "EUR",
            "salesArea": {"salesOrganization": "1000", "distributionChannel": "10", "division": "00"}}
JSON = ("Content-Type", "application/json")
stamp = str(int(time.time()))


def customer(**kw):
    c = dict(CUSTOMER)
    c.update(kw)
    return c


def new_key(scopes):
    s, h, t = req("POST", "/admin/v1/keys", json.dumps({"scopes": scopes}), [("X-API-Key", ADMIN), JSON])
    assert s == 201, (s, t)
    return json.loads(t)["key"]


read_key = new_key(["customers:read"])
admin_only = new_key(["admin"])

# 1. batches and scopes
batch = json.dumps([customer(externalId="ATK-B-" + stamp)])
for label, k in (("customers:read", read_key), ("admin-only", admin_only)):
    for mode in ("insert", "update", "upsert"):
        s, h, t = req("POST", "/v1/customer-batches?mode=" + mode, batch, [("X-API-Key", k), JSON])
        check(f"1 batch {mode} with a {label} key is refused", problem(s, h, t, 403, "scope"), f"{s} {t}")
s, h, t = req("HEAD", "/admin/v1/keys")
check("1 HEAD /admin/v1/keys without a key is refused", s == 401, f"{s}")
s, h, t = req("GET", "/v1/customer-batches/01ANYBATCH/results", None, [("X-API-Key", admin_only)])
check("1 batch results with an admin-only key are refused", problem(s, h, t, 403), f"{s} {t}")

# 4. strict JSON
body = json.dumps(customer(externalId="ATK-4-" + stamp))
s, h, t = req("POST", "/v1/customers", body + "xyz", [("X-API-Key", KEY), JSON])
check("4 trailing content is a 400", problem(s, h, t, 400), f"{s} {t}")
s, h, t = req("POST", "/v1/customers", body + body, [("X-API-Key", KEY), JSON])
check("4 two JSON values are a 400", problem(s, h, t, 400), f"{s} {t}")
s, h, t = req("POST", "/admin/v1/keys", '{"scopes":["customers:read"]}{"scopes":["admin"]}',
              [("X-API-Key", ADMIN), JSON])
check("4 admin key body with trailing value is a 400", problem(s, h, t, 400), f"{s} {t}")
s, h, t = req("POST", "/v1/customers", '{"name":"A","name":"B",' + body[1:], [("X-API-Key", KEY), JSON])
check("4 duplicate member is a 400 naming it", problem(s, h, t, 400, "name"), f"{s} {t}")

# 5. control characters and blank names
for label, name in (("NUL", "Bad\u0000Name"), ("ESC", "Bad\u001bName"), ("LF", "Bad\nName"),
                    ("C1", "Bad\u0085Name"), ("lone surrogate", "Bad\ud800Name"),
                    ("zero-width only", "\u200b\u200b"), ("NBSP only", "\u00a0\u00a0")):
    # A lone surrogate can only travel as a JSON escape (\ud800); raw, it is not UTF-8 at all.
    b = json.dumps(customer(externalId="ATK-5-" + stamp, name=name), ensure_ascii=(label == "lone surrogate"))
    s, h, t = req("POST", "/v1/customers", b, [("X-API-Key", KEY), JSON])
    check(f"5 name with {label} is a 422 naming name", problem(s, h, t, 422, "name"), f"{s} {t}")

# 6. CSV formula injection
b = json.dumps([customer(externalId="=2+2")])
s, h, t = req("POST", "/v1/customer-batches?mode=insert", b,
              [("X-API-Key", KEY), JSON, ("Idempotency-Key", "atk6-" + stamp)])
loc = h.get("location", "")
ok6 = False
got6 = f"{s} {t}"
if s == 202:
    path = urllib.parse.urlparse(loc).path
    for _ in range(100):
        s2, h2, t2 = req("GET", path, None, [("X-API-Key", KEY)])
        if s2 == 200:
            break
        time.sleep(0.2)
    s3, h3, t3 = req("GET", path + "/results", None, [("X-API-Key", KEY), ("Accept", "text/csv")])
    got6 = t3
    ok6 = "'=2+2" in t3 and ",=2+2" not in t3 and "\n=2+2" not in t3
check("6 results CSV neutralises =2+2", ok6, got6)

# 7. callbacks inside the network
for cb in ("http://127.0.0.1:9/x", "http://[64:ff9b::a9fe:a9fe]/x", "http://[::a9fe:a9fe]/x",
           "http://[::ffff:127.0.0.1]/x", "http://169.254.169.254/latest", "http://10.0.0.1/x"):
    s, h, t = req("POST", "/v1/customers?callbackUrl=" + urllib.parse.quote(cb, safe=""),
                  json.dumps(customer(externalId="ATK-7-" + stamp)), [("X-API-Key", KEY), JSON])
    check(f"7 callbackUrl {cb} is refused", problem(s, h, t, 422, "callbackUrl") or problem(s, h, t, 400, "callbackUrl"),
          f"{s} {t}")

# 8. repeated security headers
body = json.dumps(customer(externalId="ATK-8-" + stamp))
s, h, t = req("GET", "/v1/connection", None, [("X-API-Key", KEY), ("X-API-Key", "fk_invalid")])
check("8 two X-API-Key headers are a 400", problem(s, h, t, 400, "X-API-Key"), f"{s} {t}")
s, h, t = req("GET", "/v1/connection", None, [("X-API-Key", KEY), ("Authorization", "Bearer fk_other")])
check("8 X-API-Key plus another bearer is a 400", problem(s, h, t, 400), f"{s} {t}")
s, h, t = req("POST", "/v1/customers", body,
              [("X-API-Key", KEY), JSON, ("Idempotency-Key", "a-" + stamp), ("Idempotency-Key", "b-" + stamp)])
check("8 two Idempotency-Key headers are a 400", problem(s, h, t, 400, "Idempotency-Key"), f"{s} {t}")
s, h, t = req("PATCH", "/v1/customers/0000001000", '{"city":"Walldorf"}',
              [("X-API-Key", KEY), ("Content-Type", "application/merge-patch+json"), ("If-Match", '"a"'),
               ("If-Match", '"b"')])
check("8 two If-Match headers are a 400", problem(s, h, t, 400, "If-Match"), f"{s} {t}")

# 9. far-future expiresAt
s, h, t = req("POST", "/admin/v1/keys", '{"scopes":["customers:read"],"expiresAt":"+999999999-12-31T23:59:59Z"}',
              [("X-API-Key", ADMIN), JSON])
check("9 far-future expiresAt is a 422", problem(s, h, t, 422, "expiresAt") or problem(s, h, t, 400, "expiresAt"),
      f"{s} {t}")
s, h, t = req("POST", "/admin/v1/keys", '{"scopes":["customers:read"],"expiresAt":"9999-12-31T23:59:59Z"}',
              [("X-API-Key", ADMIN), JSON])
check("9 year-9999 expiresAt is not a 500", s != 500, f"{s} {t}")

# 2. slow bodies: 300 connections trickling bodies while normal requests must answer within 1 s
socks = []
def slow(path, headers):
    try:
        s = socket.create_connection((HOST, PORT), timeout=5)
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   f"Content-Length: 100000\r\n{headers}\r\n").encode() + b"{")
        socks.append(s)
    except OSError:
        pass
for i in range(300):
    slow("/agent/v1/enroll", "")
    slow("/v1/customers", f"X-API-Key: {KEY}\r\n")
time.sleep(1)
worst = 0.0
for _ in range(5):
    t0 = time.time()
    try:
        req("GET", "/healthz")
        req("GET", "/v1/connection", None, [("X-API-Key", KEY)])
    except OSError:
        pass
    worst = max(worst, time.time() - t0)
    for so in socks[:50]:
        try:
            so.send(b" ")
        except OSError:
            pass
    time.sleep(0.5)
try:
    s3, h3, t3 = req("POST", "/v1/customers", json.dumps(customer(externalId="ATK-2-" + stamp)), [("X-API-Key", KEY), JSON])
except OSError as e:
    s3, t3 = 0, str(e)
check(f"2 with {len(socks)} slow bodies open, healthz+connection answer in {worst:.2f}s and a create {s3}",
      worst < 2.0 and s3 in (200, 201), f"worst={worst} create={s3} {t3}")
for so in socks:
    so.close()

print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if all(results) else 1)
