#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Echo server for the kernel tests: TCP and UDP, IPv4 and IPv6, on every
port given, in one process (no fork per connection: the guest is slow)."""
import asyncio
import socket
import sys


class Udp(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def tcp(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


def v6_socket(kind, port):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    return s


async def main(ports):
    loop = asyncio.get_running_loop()
    for port in ports:
        await asyncio.start_server(tcp, sock=v6_socket(socket.SOCK_STREAM, port))
        await loop.create_datagram_endpoint(
            Udp, sock=v6_socket(socket.SOCK_DGRAM, port))
    await asyncio.Event().wait()


asyncio.run(main([int(p) for p in sys.argv[1:]]))
