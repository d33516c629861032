#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""
Capture the first client->server bytes of real clients on loopback.

Each sample runs a real client (curl, openssl s_client, dig, ssh) against
a listening socket on 127.0.0.1 that records everything the client sends
until it goes quiet, then closes. The client's first flight does not depend
on the server's answer (a TLS client sends its whole ClientHello, an SSH
client its banner, an HTTP client its request, a DNS client its query), so
a recording listener sees exactly what a real server would. Output: one
.bin file per sample in this directory, turned into a C header by
gen_header.py.

Run from this directory: python3 capture.py
Needs curl, openssl, dig (dnsutils) and ssh on PATH. Loopback only.
"""
import os
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def record_tcp(port, reply=b"", quiet=1.0, limit=65536):
    """Accept one connection, read until the client is quiet, return bytes."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(10)
    out = {}

    def run():
        conn, _ = srv.accept()
        conn.settimeout(quiet)
        buf = b""
        try:
            while len(buf) < limit:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
                if reply and b"\r\n\r\n" in buf:
                    conn.sendall(reply)
                    reply = b""
        except socket.timeout:
            pass
        out["data"] = buf
        conn.close()
        srv.close()

    t = threading.Thread(target=run)
    t.start()
    return t, out


def record_udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    s.settimeout(10)
    out = {}

    def run():
        data, _ = s.recvfrom(65536)
        out["data"] = data
        s.close()

    t = threading.Thread(target=run)
    t.start()
    return t, out


def run_client(argv, stdin=b""):
    try:
        subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=8)
    except subprocess.TimeoutExpired:
        pass


def save(name, data):
    with open(os.path.join(HERE, name + ".bin"), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


HTTP_REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def tcp_sample(name, port, argv, reply=b"", stdin=b""):
    t, out = record_tcp(port, reply=reply)
    time.sleep(0.1)
    run_client(argv, stdin)
    t.join()
    save(name, out["data"])


def main():
    p = 18080
    # HTTP: curl, origin-form, Host with a port.
    tcp_sample("http_curl_get", p,
               ["curl", "-s", "--resolve", f"shop.example.com:{p}:127.0.0.1",
                f"http://shop.example.com:{p}/api/items?id=7"],
               reply=HTTP_REPLY)
    # HTTP: curl POST with a body after the header block.
    tcp_sample("http_curl_post", p,
               ["curl", "-s", "--resolve", f"shop.example.com:{p}:127.0.0.1",
                "-d", "name=widget&qty=2",
                f"http://shop.example.com:{p}/api/orders"],
               reply=HTTP_REPLY)
    # HTTP: curl through a forward proxy: absolute-form request-target.
    tcp_sample("http_curl_proxy", p,
               ["curl", "-s", "-x", f"http://127.0.0.1:{p}",
                "http://Shop.Example.COM/index.html"],
               reply=HTTP_REPLY)

    # TLS: openssl s_client with SNI and ALPN h2,http/1.1.
    tcp_sample("tls_openssl_sni_alpn", p,
               ["openssl", "s_client", "-connect", f"127.0.0.1:{p}",
                "-servername", "shop.example.com", "-alpn", "h2,http/1.1"])
    # TLS: curl -k (TLS 1.3 + 1.2, ALPN h2,http/1.1).
    tcp_sample("tls_curl", p,
               ["curl", "-s", "-k", "--resolve",
                f"shop.example.com:{p}:127.0.0.1",
                f"https://shop.example.com:{p}/"])
    # TLS: no server_name extension at all.
    tcp_sample("tls_openssl_nosni", p,
               ["openssl", "s_client", "-connect", f"127.0.0.1:{p}",
                "-noservername"])
    # TLS: a large ClientHello from a real client: an ffdhe8192 key share
    # (1024 bytes) and a long ALPN list push it past one MTU.
    alpn = ",".join(["h2", "http/1.1"] + [f"x-proto-{i:03d}" for i in range(40)])
    tcp_sample("tls_openssl_big", p,
               ["openssl", "s_client", "-connect", f"127.0.0.1:{p}",
                "-servername", "big.shop.example.com", "-groups", "ffdhe8192",
                "-alpn", alpn])
    # TLS: the same client told to send records of at most 512 bytes: the
    # ClientHello handshake message is fragmented over several records.
    tcp_sample("tls_openssl_frag", p,
               ["openssl", "s_client", "-connect", f"127.0.0.1:{p}",
                "-servername", "frag.shop.example.com", "-groups", "ffdhe8192",
                "-max_send_frag", "512", "-alpn", "h2,http/1.1"])

    # SSH: OpenSSH client banner (and whatever follows before the server
    # speaks: nothing, the client waits for the server's banner).
    tcp_sample("ssh_openssh", p,
               ["ssh", "-p", str(p), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "test@127.0.0.1"])

    # DNS: dig, A query with EDNS (OPT record and cookie in additional).
    for name, args in (("dns_dig_a", ["www.debian.org", "A"]),
                       ("dns_dig_noedns", ["+noedns", "Mail.Corp.Example.", "AAAA"]),
                       ("dns_dig_srv", ["_ldap._tcp.corp.example", "SRV"])):
        t, out = record_udp(18053)
        time.sleep(0.1)
        run_client(["dig", "@127.0.0.1", "-p", "18053", "+tries=1",
                    "+time=1"] + args)
        t.join()
        save(name, out["data"])


if __name__ == "__main__":
    sys.exit(main())
