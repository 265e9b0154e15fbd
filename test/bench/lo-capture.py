#!/usr/bin/env python3
"""Kernel-timestamped capture of UDP datagrams on the loopback interface.

For the mapping benchmark (mapping-wire.ts, which points stdout at a file
read after the run): prints one line per IPv4 UDP datagram sent on lo to one
of the given destination ports,
"<seconds>.<nanoseconds> <destination port> <payload hex>", stamped by the
kernel when the datagram was handed to lo (SO_TIMESTAMPNS), so neither the
sender's nor the receiver's event loop is in the measurement. Prints "ready"
on stderr once capturing, and stops on SIGTERM or when stdin (a pipe from
the parent) closes.
Linux only; needs root (a raw AF_PACKET socket).

    lo-capture.py PORT[:PREFIX] [PORT[:PREFIX] ...]

A kernel filter (classic BPF) passes only outgoing IPv4 UDP datagrams to the
ports, and for a PORT:PREFIX only those whose payload starts with the first
four bytes of PREFIX, so the capture wakes for the datagrams it reports and
takes little CPU from what it measures.
"""
import ctypes
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35
PACKET_OUTGOING = 4
ETH_HEADER = 14
ETHERTYPE_IPV4 = 0x0800
IPPROTO_UDP = 17


SO_ATTACH_FILTER = 26
SKF_AD_PKTTYPE = 0xFFFFF004  # SKF_AD_OFF + SKF_AD_PKTTYPE
UDP_DESTINATION = ETH_HEADER + 20 + 2  # IPv4 header without options
UDP_PAYLOAD = ETH_HEADER + 20 + 8
LD_H_ABS, LD_B_ABS, LD_W_ABS, JEQ_K, RET_K = 0x28, 0x30, 0x20, 0x15, 0x06


def bpf_filter(wanted: list) -> bytes:
    """Accept outgoing IPv4 UDP to the wanted (port, four-byte prefix or None) pairs."""
    accept, reject = "accept", "reject"
    program = [
        (LD_H_ABS, 0, 0, 12), (JEQ_K, 0, reject, ETHERTYPE_IPV4),
        (LD_B_ABS, 0, 0, ETH_HEADER + 9), (JEQ_K, 0, reject, IPPROTO_UDP),
        (LD_W_ABS, 0, 0, SKF_AD_PKTTYPE), (JEQ_K, 0, reject, PACKET_OUTGOING),
    ]
    for i, (port, prefix) in enumerate(wanted):
        following = f"port{i + 1}" if i + 1 < len(wanted) else reject
        program.append((f"port{i}", LD_H_ABS, 0, 0, UDP_DESTINATION))
        if prefix is None:
            program.append((JEQ_K, accept, following, port))
        else:
            program.append((JEQ_K, 0, following, port))
            program.append((LD_W_ABS, 0, 0, UDP_PAYLOAD))
            program.append((JEQ_K, accept, following, struct.unpack("!I", prefix)[0]))
    program.append(("accept", RET_K, 0, 0, 0x40000))
    program.append(("reject", RET_K, 0, 0, 0))
    labels = {}
    plain = []
    for instruction in program:
        if isinstance(instruction[0], str):
            labels[instruction[0]] = len(plain)
            instruction = instruction[1:]
        plain.append(instruction)
    encoded = b""
    for at, (code, jt, jf, k) in enumerate(plain):
        jump = lambda target: target if isinstance(target, int) else labels[target] - at - 1
        encoded += struct.pack("HBBI", code, jump(jt), jump(jf), k)
    return encoded


def main() -> None:
    wanted = []
    for argument in sys.argv[1:]:
        port, _, prefix = argument.partition(":")
        wanted.append((int(port), prefix.encode()[:4].ljust(4, b"\0") if prefix else None))
    ports = {port for port, _ in wanted}
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    program = bpf_filter(wanted)
    buffer = ctypes.create_string_buffer(program)
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, struct.pack("HL", len(program) // 8, ctypes.addressof(buffer)))
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    sock.bind(("lo", 0))
    running = True

    def stop(*_: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    print("ready", file=sys.stderr, flush=True)
    out = sys.stdout
    while running:
        readable, _, _ = select.select([sock, sys.stdin], [], [], 0.2)
        if sys.stdin in readable and not sys.stdin.read(1):
            break
        if sock not in readable:
            continue
        data, ancillary, _, address = sock.recvmsg(65536, 64)
        # Loopback shows each datagram twice (sent, then received): keep the sending.
        if address[2] != PACKET_OUTGOING or len(data) < ETH_HEADER + 28:
            continue
        if struct.unpack_from("!H", data, 12)[0] != ETHERTYPE_IPV4:
            continue
        ip_header = (data[ETH_HEADER] & 0x0F) * 4
        if data[ETH_HEADER + 9] != IPPROTO_UDP:
            continue
        udp = ETH_HEADER + ip_header
        destination, length = struct.unpack_from("!HH", data, udp + 2)
        if destination not in ports:
            continue
        stamp = None
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                stamp = f"{seconds}.{nanoseconds:09d}"
        if stamp is None:
            continue
        payload = data[udp + 8 : udp + length]
        out.write(f"{stamp} {destination} {payload.hex()}\n")
    out.flush()


if __name__ == "__main__":
    main()
