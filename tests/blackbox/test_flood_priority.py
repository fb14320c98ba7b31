# SPDX-License-Identifier: ISC
"""Requests come before child output in taskmasterd's loop: while a program
floods its log the answers stay prompt, and while clients keep the server
busy the output still drains, to the last byte."""

import os
import select
import socket
import statistics
import time
import xmlrpc.client

from conftest import T
from rpcutil import rpc

assert rpc  # fixture, imported for pytest

ROTATE = {'stdout_logfile_maxbytes': '20MB', 'stdout_logfile_backups': 1}


def flood_bytes(n):
    """The first n bytes flood writes (64-byte numbered lines)."""
    lines = (b'%015d' % i + b'x' * 48 + b'\n' for i in range(n // 64 + 1))
    return b''.join(lines)[:n]


def test_answers_stay_prompt_during_a_flood(tm, rpc):
    log = tm.path('flood.log')
    r = rpc({'flood': tm.program(tm.cmdline('flood', 0), stdout_logfile=log,
                                 **ROTATE)})
    r.start()
    # Rotated once: the pipe has been full for a while.
    tm.wait_until(lambda: os.path.exists(log + '.1'), msg='a full pipe')
    p = r.proxy()
    took = []
    for _ in range(30):
        t0 = time.monotonic()
        infos = p.supervisor.getAllProcessInfo()
        took.append(time.monotonic() - t0)
        assert infos[0]['statename'] == 'RUNNING'
        time.sleep(0.05)
    assert statistics.median(took) < 0.05, took
    assert max(took) < T / 2, took
    assert r.stop() == 0


class Hammer:
    """Keep-alive connections to the Unix socket, each sending getState
    again as soon as the last answer is in."""

    REQ = xmlrpc.client.dumps((), 'supervisor.getState').encode()

    def __init__(self, path, n):
        self.req = (b'POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n'
                    b'Content-Type: text/xml\r\nContent-Length: %d\r\n\r\n'
                    % len(self.REQ)) + self.REQ
        self.socks = []
        self.bufs = {}
        self.answers = {}
        for _ in range(n):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.sendall(self.req)
            self.socks.append(s)
            self.bufs[s] = b''
            self.answers[s] = 0

    def step(self):
        ready, _, _ = select.select(self.socks, [], [], T)
        assert ready, 'no answer within %.0fs' % T
        for s in ready:
            data = s.recv(65536)
            assert data, 'the server closed a connection'
            self.bufs[s] += data
            if b'</methodResponse>' in self.bufs[s]:
                assert b' 200 OK' in self.bufs[s]
                self.bufs[s] = b''
                self.answers[s] += 1
                s.sendall(self.req)

    def close(self):
        for s in self.socks:
            s.close()


def test_output_drains_while_clients_hammer(tm, rpc):
    """32 MiB through the pipe while 16 connections never leave the server
    idle: it all reaches the log, in order, before the clients let up."""
    n = 32 * 1024 * 1024
    log = tm.path('exact.log')
    r = rpc({'exact': tm.program(tm.cmdline('flood', '-s', n),
                                 autostart=False, stdout_logfile=log)})
    r.start()
    h = Hammer(r.sock, 16)
    try:
        for _ in range(50):
            h.step()
        r.proxy().supervisor.startProcess('exact', False)
        deadline = time.monotonic() + 3 * T
        while os.path.getsize(log) < n:
            assert time.monotonic() < deadline, \
                'log at %d of %d bytes' % (os.path.getsize(log), n)
            h.step()
        assert min(h.answers.values()) > 0, h.answers
    finally:
        h.close()
    with open(log, 'rb') as f:
        assert f.read() == flood_bytes(n)
    assert r.stop() == 0
