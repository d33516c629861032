#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""
Build the samples no client on this machine sends, byte by byte, to the
wire formats of RFC 8446 and RFC 1035. Deterministic (fixed "random").

- tls_synth_pq_ech.bin: a ClientHello shaped like a current browser's:
  GREASE values, X25519MLKEM768 (0x11ec, 1216-byte share) plus x25519 key
  shares, SNI, ALPN h2/http/1.1, supported_versions with TLS 1.3, and an
  encrypted_client_hello (0xfe0d) outer extension. Debian 12's OpenSSL 3.0
  and curl offer neither ML-KEM nor ECH, hence synthetic. About 1.8 KB in
  one record, so more than one MTU.
- tls_synth_split.bin: the same ClientHello cut into records of 1, 7, 300
  and the rest bytes: a handshake message fragmented over four records.
- dns_synth_two_q.bin: a query with two questions, the second compressed
  with a pointer back into the first (legal, though resolvers send one).

Run from this directory: python3 synth.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def ext(t, body):
    return u16(t) + vec16(body)


def fill(n, seed):
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def client_hello():
    sni = ext(0, vec16(u8(0) + vec16(b"shop.example.com")))
    alpn = ext(16, vec16(vec8(b"h2") + vec8(b"http/1.1")))
    versions = ext(43, vec8(u16(0x7A7A) + u16(0x0304) + u16(0x0303)))
    groups = ext(10, vec16(u16(0x4A4A) + u16(0x11EC) + u16(0x001D) +
                           u16(0x0017) + u16(0x0018)))
    shares = ext(51, vec16(u16(0x4A4A) + vec16(b"\x00") +
                           u16(0x11EC) + vec16(fill(1216, 1)) +
                           u16(0x001D) + vec16(fill(32, 2))))
    sigalgs = ext(13, vec16(b"".join(u16(x) for x in (
        0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601))))
    # ECHClientHello outer: type 0, cipher suite, config id, enc, payload.
    ech = ext(0xFE0D, u8(0) + u16(0x0001) + u16(0x0001) + u8(0x42) +
              vec16(fill(32, 3)) + vec16(fill(208, 4)))
    exts = (ext(0x0A0A, b"") + sni + ext(23, b"") + ext(65281, b"\x00") +
            groups + ext(11, vec8(b"\x00")) + ext(35, b"") + alpn +
            ext(5, b"\x01\x00\x00\x00\x00") + sigalgs + shares +
            ext(45, vec8(b"\x01")) + versions + ech + ext(0x1A1A, b"\x00"))
    suites = b"".join(u16(x) for x in (
        0x2A2A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030,
        0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035))
    body = (u16(0x0303) + fill(32, 5) + vec8(fill(32, 6)) + vec16(suites) +
            vec8(b"\x00") + vec16(exts))
    return u8(1) + u24(len(body)) + body


def records(msg, sizes):
    out = b""
    i = 0
    for n in sizes:
        out += b"\x16\x03\x01" + vec16(msg[i:i + n])
        i += n
    if i < len(msg):
        out += b"\x16\x03\x01" + vec16(msg[i:])
    return out


def dns_two_questions():
    hdr = u16(0x1234) + u16(0x0100) + u16(2) + u16(0) + u16(0) + u16(0)
    q1 = b"\x03www\x04corp\x07example\x00" + u16(1) + u16(1)
    # "mail" + pointer to "corp.example" at offset 12 + 4.
    q2 = b"\x04mail\xc0\x10" + u16(28) + u16(1)
    return hdr + q1 + q2


def save(name, data):
    with open(os.path.join(HERE, name + ".bin"), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def main():
    ch = client_hello()
    save("tls_synth_pq_ech", records(ch, [len(ch)]))
    save("tls_synth_split", records(ch, [1, 7, 300]))
    save("dns_synth_two_q", dns_two_questions())


if __name__ == "__main__":
    main()
