#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink to the sgw family, for what sgctl never sends.

    genl.py dup-segment-names
    genl.py update-refusals RULE_ID

send transactions sgctl would refuse before they reached the kernel.
dup-segment-names: two segments with one name; prints the kernel's answer
to the commit as "errno MESSAGE" (0 when it was accepted).
update-refusals: updates (SGW_TXN_F_UPDATE) the module must refuse, RULE_ID
being the id of a loaded rule, and a names-only segment dump with unknown
flag bits; prints one line per case, "CASE errno
MESSAGE" for the first refusal of the case, or "CASE 0" if none came.
The caller checks that the module refuses them by itself, with the reason,
and changes nothing.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NETLINK_EXT_ACK = 11

# include/uapi/linux/sgw.h
SGW_CMD_TXN_BEGIN, SGW_CMD_TXN_ADD_SEGMENT, SGW_CMD_TXN_COMMIT = 2, 3, 5
SGW_CMD_TXN_ABORT = 6
SGW_CMD_TXN_ADD_RULE, SGW_CMD_TXN_DEL_RULE = 4, 14
SGW_A_GENERATION, SGW_A_HOOKS, SGW_A_TXN_FLAGS = 2, 3, 4
SGW_A_SEGMENT, SGW_A_RULE = 6, 7
SGW_RULE_A_ID, SGW_RULE_A_SRCS, SGW_RULE_A_DSTS, SGW_RULE_A_PROTO = 1, 3, 4, 5
SGW_TXN_F_UPDATE = 1
SGW_CMD_GET_SEGMENTS, SGW_A_DUMP_FLAGS = 7, 16
NLM_F_DUMP = 0x300
SGW_SEG_A_ID, SGW_SEG_A_NAME, SGW_SEG_A_PREFIXES, SGW_SEG_A_PREFIX = 1, 2, 3, 4
NLA_F_NESTED = 1 << 15


def attr(kind, payload):
    hdr = struct.pack("=HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * (-len(payload) % 4)


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(270, NETLINK_EXT_ACK, 1)  # SOL_NETLINK
        self.sock.bind((0, 0))
        self.seq = 0
        self.family = self.resolve("sgw")

    def request(self, family, cmd, attrs=b"", version=1, flags=NLM_F_ACK):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + attrs
        msg = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | flags, self.seq, 0) + body
        self.sock.send(msg)
        return self.answer()

    def answer(self):
        """(errno, extack message, payload of a reply) for the last request."""
        reply = None
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off < len(data):
                length, kind, flags, seq, _ = struct.unpack_from("=IHHII", data, off)
                if seq == self.seq and kind == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", data, off + 16)[0]
                    return err, self.extack(data, off, length), reply
                if seq == self.seq:
                    reply = data[off + 20:off + length]
                off += (length + 3) & ~3

    @staticmethod
    def extack(data, off, length):
        # After the error code, the request's header (capped), then TLVs.
        pos = off + 16 + 4 + 16
        orig_len = struct.unpack_from("=I", data, off + 20)[0]
        flags = struct.unpack_from("=H", data, off + 6)[0]
        if not flags & 0x100:  # NLM_F_CAPPED
            pos += ((orig_len + 3) & ~3) - 16
        end = off + length
        while pos + 4 <= end:
            alen, akind = struct.unpack_from("=HH", data, pos)
            if alen < 4:
                break
            if akind == NLMSGERR_ATTR_MSG:
                return data[pos + 4:pos + alen].split(b"\0")[0].decode()
            pos += (alen + 3) & ~3
        return ""

    def resolve(self, name):
        err, msg, reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                       attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err or reply is None:
            sys.exit(f"genl.py: no family {name}: {os.strerror(err)}")
        pos = 0
        while pos + 4 <= len(reply):
            alen, akind = struct.unpack_from("=HH", reply, pos)
            if akind == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", reply, pos + 4)[0]
            pos += (alen + 3) & ~3
        sys.exit("genl.py: no family id in the answer")


def segment(seg_id, name, prefix):
    net, plen = prefix.split("/")
    pfx = struct.pack("=BB2x16s", socket.AF_INET, int(plen),
                      socket.inet_aton(net))
    return attr(SGW_A_SEGMENT | NLA_F_NESTED,
                attr(SGW_SEG_A_ID, struct.pack("=H", seg_id)) +
                attr(SGW_SEG_A_NAME, name.encode() + b"\0") +
                attr(SGW_SEG_A_PREFIXES | NLA_F_NESTED,
                     attr(SGW_SEG_A_PREFIX, pfx)))


def dup_segment_names(g):
    for step in ((SGW_CMD_TXN_BEGIN, b""),
                 (SGW_CMD_TXN_ADD_SEGMENT, segment(1, "twin", "10.77.1.0/24")),
                 (SGW_CMD_TXN_ADD_SEGMENT, segment(2, "twin", "10.77.2.0/24"))):
        err, msg, _ = g.request(g.family, *step)
        if err:
            print(f"{errno.errorcode.get(err, err)} staging: {msg}")
            g.request(g.family, SGW_CMD_TXN_ABORT)
            return
    err, msg, _ = g.request(g.family, SGW_CMD_TXN_COMMIT)
    print(f"{errno.errorcode.get(err, err) if err else 0} {msg}")


def u32(kind, value):
    return attr(kind, struct.pack("=I", value))


def rule(rule_id, full=True):
    body = u32(SGW_RULE_A_ID, rule_id)
    if full:  # world -> world tcp: valid in any policy
        body += (attr(SGW_RULE_A_SRCS, struct.pack("=H", 0)) +
                 attr(SGW_RULE_A_DSTS, struct.pack("=H", 0)) +
                 attr(SGW_RULE_A_PROTO, struct.pack("=B", 6)))
    return attr(SGW_A_RULE | NLA_F_NESTED, body)


def update_refusals(g, loaded_id):
    update = (SGW_CMD_TXN_BEGIN, u32(SGW_A_TXN_FLAGS, SGW_TXN_F_UPDATE))
    commit = (SGW_CMD_TXN_COMMIT, b"")
    cases = {
        "hooks-in-update": [
            (SGW_CMD_TXN_BEGIN, u32(SGW_A_TXN_FLAGS, SGW_TXN_F_UPDATE) +
             u32(SGW_A_HOOKS, 1))],
        "segment-in-update": [
            update,
            (SGW_CMD_TXN_ADD_SEGMENT, segment(1, "web", "10.77.1.0/24"))],
        "delete-outside-update": [
            (SGW_CMD_TXN_BEGIN, b""),
            (SGW_CMD_TXN_DEL_RULE, rule(loaded_id, full=False))],
        "delete-unknown-id": [
            update, (SGW_CMD_TXN_DEL_RULE, rule(1, full=False)), commit],
        "delete-twice": [
            update, (SGW_CMD_TXN_DEL_RULE, rule(loaded_id, full=False)),
            (SGW_CMD_TXN_DEL_RULE, rule(loaded_id, full=False)), commit],
        "add-loaded-id": [
            update, (SGW_CMD_TXN_ADD_RULE, rule(loaded_id)), commit],
        "stale-generation": [
            (SGW_CMD_TXN_BEGIN, u32(SGW_A_TXN_FLAGS, SGW_TXN_F_UPDATE) +
             u32(SGW_A_GENERATION, 0xffffffff))],
        "dump-unknown-flags": [
            (SGW_CMD_GET_SEGMENTS, u32(SGW_A_DUMP_FLAGS, 0x80), 1,
             NLM_F_DUMP)],
    }
    for name, steps in cases.items():
        answer = "0"
        for step in steps:
            err, msg, _ = g.request(g.family, *step)
            if err:
                # 6.1 sends no extack message for a dump that fails to
                # start: for dumps, the errno alone.
                dump = len(step) > 3 and step[3] == NLM_F_DUMP
                answer = f"{errno.errorcode.get(err, err)}" + ("" if dump else f" {msg}")
                break
        g.request(g.family, SGW_CMD_TXN_ABORT)
        print(f"{name} {answer}")


def main():
    if sys.argv[1:] == ["dup-segment-names"]:
        dup_segment_names(Genl())
    elif len(sys.argv) == 3 and sys.argv[1] == "update-refusals":
        update_refusals(Genl(), int(sys.argv[2], 0))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
