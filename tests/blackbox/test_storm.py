# SPDX-License-Identifier: ISC
"""Storms against taskmasterd: 200 programs crashing and restarting in loops
while clients hammer the XML-RPC interface, and programs writing output as
fast as they can (endless lines, invalid UTF-8, control bytes).  Afterwards
the daemon holds no zombie, no extra descriptor and no extra memory, every
process is where its policy puts it, every log is complete, and every reply
parses."""

import os
import random
import threading
import time
import xmlrpc.client

import pytest

from conftest import STATES, T, wait_until
from rpcutil import (RUNNING_STATES, call_within, child_states, close_proxy,
                     fd_count, hung_daemons, infos, log_tail, long_proxy, rpc,
                     rss_kb, sanitizer_build, start_daemon, zombies_of)

assert rpc and hung_daemons  # fixtures, imported for pytest

STORM = float(os.environ.get('TASKMASTER_STORM_SECS', '10'))
ASAN = sanitizer_build()
# Freed memory sits in the sanitizer's quarantine and inflates the RSS of
# the sanitizer build: the storms run it with a small quarantine, and
# leaks there are LeakSanitizer's to report.
RSS_MARGIN_KB = (40 if ASAN else 12) * 1024
SAN_ENV = {'ASAN_OPTIONS': ':'.join(
    [o for o in [os.environ.get('ASAN_OPTIONS')] if o] +
    ['quarantine_size_mb=16'])} if ASAN else {}
# Faults a racing client may get: the process changed state under it.
RACE_FAULTS = {40, 50, 60, 70}   # ABNORMAL_TERMINATION, SPAWN_ERROR,
#                                  ALREADY_STARTED, NOT_RUNNING
# The longest a call may take while a storm rages.
SLOW = T / 2


@pytest.fixture(autouse=True)
def _guard(hung_daemons):
    yield


def settled(fn, dt=0.3):
    """fn()'s value once two reads dt seconds apart agree."""
    last = [fn()]

    def same():
        time.sleep(dt)
        v = fn()
        ok = v == last[0]
        last[0] = v
        return ok
    wait_until(same, msg='a steady value of %s' % fn.__name__)
    return last[0]


# ---------------------------------------------------------------- crash storm

# (group, count, command args, keys): 200 processes in all.
CRASH_GROUPS = [
    # Exit 1 after 20 ms, restarted at once for ever.
    ('loop', 70, ('exiter', '-q', 20, 1), {'startsecs': 0,
                                           'autorestart': True}),
    # Killed by a signal: never expected, so restarted for ever.
    ('kill', 30, ('exiter', '-q', '-k', 9, 20, 0),
     {'startsecs': 0, 'autorestart': 'unexpected'}),
    # Exits before startsecs: BACKOFF, then FATAL after one retry.
    ('fatal', 40, ('exiter', '-q', 20, 1), {'startsecs': 1,
                                          'startretries': 1}),
    # The same with many retries: still in BACKOFF when the storm ends.
    ('backoff', 20, ('exiter', '-q', 0, 3), {'startsecs': 1,
                                            'startretries': 50}),
    # An expected exit: EXITED, and stays so.
    ('done', 20, ('exiter', '-q', 30, 0), {'startsecs': 0,
                                          'autorestart': 'unexpected'}),
    # Long-running, started and stopped by the clients.
    ('sleep', 20, ('sleeper',), {'startsecs': 0}),
]


def crash_programs(tm):
    progs = {}
    for group, n, cmd, keys in CRASH_GROUPS:
        body = tm.program(tm.cmdline(*cmd), numprocs=n, autostart=False,
                          process_name='%(program_name)s_%(process_num)02d',
                          **keys)
        progs[group] = body
    return progs


def names_of(group):
    n = [g for g in CRASH_GROUPS if g[0] == group][0][1]
    return ['%s:%s_%02d' % (group, group, i) for i in range(n)]


class Clients:
    """Client threads calling the daemon until told to stop; they record
    every unexpected error and the slowest answer."""

    def __init__(self, r):
        self.r = r
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.calls = 0
        self.slowest = 0.0
        self.threads = []

    def spawn(self, fn, unix=False):
        def loop():
            p = self.r.unix_proxy() if unix else self.r.proxy()
            rnd = random.Random(len(self.threads))
            try:
                while not self.stop.is_set():
                    t0 = time.monotonic()
                    try:
                        fn(p, rnd)
                    except xmlrpc.client.Fault as e:
                        if e.faultCode not in RACE_FAULTS:
                            self.fail('%s: fault %r' % (fn.__name__, e))
                    except Exception as e:  # noqa: BLE001
                        self.fail('%s: %r' % (fn.__name__, e))
                        return
                    took = time.monotonic() - t0
                    with self.lock:
                        self.calls += 1
                        self.slowest = max(self.slowest, took)
                    if took > SLOW:
                        self.fail('%s took %.1fs' % (fn.__name__, took))
            finally:
                try:
                    close_proxy(p)
                except Exception:  # noqa: BLE001
                    pass
        t = threading.Thread(target=loop, daemon=True)
        self.threads.append(t)
        t.start()

    def fail(self, text):
        with self.lock:
            self.errors.append(text)

    def join(self):
        self.stop.set()
        deadline = time.monotonic() + SLOW
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t in self.threads):
            self.fail('a call got no answer within %.0fs' % SLOW)


@pytest.mark.skipif(ASAN, reason='a sanitizer-built daemon forks ~20x '
                    'slower: the storm measures the sanitizer, not the loop')
def test_crash_storm(tm, rpc):
    r = rpc(crash_programs(tm))
    d = start_daemon(r, env=SAN_ENV)
    everything = [n for g in CRASH_GROUPS for n in names_of(g[0])]
    assert len(everything) == 200
    p = r.proxy()
    assert sorted(infos(p)) == sorted(everything)
    for _ in range(3):
        p.supervisor.getAllProcessInfo()
    close_proxy(p)
    base_fds = settled(lambda: fd_count(d.pid))
    base_rss = rss_kb(d.pid)
    toggled = names_of('sleep') + names_of('loop')

    def all_info(p, rnd):
        st = p.supervisor.getAllProcessInfo()
        if len(st) != 200 or any(i['statename'] not in STATES for i in st):
            raise AssertionError('bad getAllProcessInfo: %d entries' %
                                 len(st))

    def toggle(p, rnd):
        name = rnd.choice(toggled)
        if rnd.random() < 0.5:
            p.supervisor.startProcess(name, rnd.random() < 0.5)
        else:
            p.supervisor.stopProcess(name, rnd.random() < 0.5)

    def peek(p, rnd):
        calls = [{'methodName': 'supervisor.getProcessInfo',
                  'params': [rnd.choice(everything)]} for _ in range(10)]
        calls.append({'methodName': 'supervisor.getState', 'params': []})
        res = p.system.multicall(calls)
        if len(res) != 11 or res[-1]['statename'] != 'RUNNING':
            raise AssertionError('bad multicall reply %r' % res[-1:])

    def call(fn, *args, limit=SLOW):
        try:
            return call_within(limit, fn, *args)
        except (pytest.fail.Exception, OSError) as e:
            pytest.fail('%s during the crash storm (%d spawns so far): %s\n'
                        'main log:\n%s' % (
                            fn._Method__name if hasattr(fn, '_Method__name')
                            else fn, len(tm.find_log(r'^spawned: ')), e,
                            log_tail(tm)))

    p = r.proxy()
    # It forks 200 times before it answers: slow on the sanitizer build.
    slow = long_proxy(r, 2 * T)
    assert len(call(slow.supervisor.startAllProcesses, False,
                    limit=2 * T)) == 200
    close_proxy(slow)
    t0 = time.monotonic()
    clients = Clients(r)
    clients.spawn(all_info)
    clients.spawn(toggle, unix=True)
    clients.spawn(peek)
    max_rss = base_rss
    while time.monotonic() - t0 < STORM and not clients.errors:
        max_rss = max(max_rss, rss_kb(d.pid))
        time.sleep(0.2)
    clients.join()
    assert not clients.errors, \
        'clients during the crash storm (%d calls, %d spawns): %s' % (
            clients.calls, len(tm.find_log(r'^spawned: ')), clients.errors[:5])
    assert clients.calls > 30, \
        'only %d calls answered in %.0fs of crash storm (%d spawns)' % (
            clients.calls, STORM, len(tm.find_log(r'^spawned: ')))
    assert d.alive()

    # The policy: FATAL after the retries, EXITED after an expected exit.
    def reached(group, state):
        st = call(infos, p)
        return all(st[n]['statename'] == state for n in names_of(group))
    wait_until(lambda: reached('fatal', 'FATAL'), msg='fatal:* FATAL')
    wait_until(lambda: reached('done', 'EXITED'), msg='done:* EXITED')
    # One pass over a main log that the storm made large.
    gave_up = [m.group(1) for _, _, m in tm.find_log(
        r'^gave up: (fatal_\d\d) entered FATAL state, too many start '
        r'retries too quickly$')]
    assert sorted(gave_up) == ['fatal_%02d' % i for i in range(40)], gave_up

    # Stop the storm.  An exit and its restart may fall between the checks
    # of one stopAllProcesses: repeat until nothing runs.
    def quiet():
        call(p.supervisor.stopAllProcesses)
        return not [n for n, i in call(infos, p).items()
                    if i['statename'] in RUNNING_STATES]
    wait_until(quiet, msg='every process stopped')

    expected = {n: 'STOPPED' for n in everything}
    expected.update({n: 'FATAL' for n in names_of('fatal')})
    expected.update({n: 'EXITED' for n in names_of('done')})

    def as_expected():
        st = call(infos, p)
        wrong = {n: (st[n]['statename'], st[n]['pid']) for n in everything
                 if st[n]['statename'] != expected[n] or st[n]['pid']}
        assert not wrong, wrong
        return True
    as_expected()
    # Nothing comes back on its own.
    assert tm.holds_for(as_expected, 1.0)
    st = call(infos, p)
    assert [st[n]['exitstatus'] for n in names_of('done')] == [0] * 20

    # No zombie stays, and no child at all: everything was stopped and
    # reaped.
    for z in zombies_of(d.pid):
        tm.wait_until(lambda: z not in zombies_of(d.pid),
                      msg='zombie %d reaped' % z)
    tm.wait_until(lambda: not child_states(d.pid), msg='no child left')

    # Descriptors and memory back near where they were.
    close_proxy(p)
    tm.wait_until(lambda: fd_count(d.pid) <= base_fds + 2,
                  msg='fds back to %d (now %d)' % (base_fds,
                                                   fd_count(d.pid)))
    rss = rss_kb(d.pid)
    assert rss <= base_rss + RSS_MARGIN_KB, \
        'RSS %d KiB after the storm, %d before (peak %d)' % (
            rss, base_rss, max_rss)

    # Still responsive.
    p = r.proxy()
    assert call(p.supervisor.getState)['statename'] == 'RUNNING'
    assert len(call(p.supervisor.getAllProcessInfo)) == 200
    close_proxy(p)
    print('crash storm: %d calls, slowest %.2fs, fds %d -> %d, '
          'RSS %d -> %d KiB (peak %d), %d spawns' % (
              clients.calls, clients.slowest, base_fds, fd_count(d.pid),
              base_rss, rss, max_rss, len(tm.find_log(r'^spawned: '))))
    assert r.stop() == 0


# ---------------------------------------------------------------- output storm

def flood_bytes(n):
    """The first n bytes flood writes (64-byte numbered lines)."""
    lines = (b'%015d' % i + b'x' * 48 + b'\n' for i in range(n // 64 + 1))
    return b''.join(lines)[:n]


def spewer_block(tm, mode='x'):
    import subprocess
    return subprocess.run([tm.prog('spewer'), '-P', '-m', mode],
                          stdout=subprocess.PIPE, check=True).stdout


# The valid text at the start of spewer's bad block, as the client decodes
# it: it must come through whatever is done to the bytes around it.
BAD_TEXT = 'ok:\u00e9\u20ac\U0001d11e &<>]]>"\' ctl:'


def check_bad_text(text, nbytes, blen):
    """text, decoded from nbytes of spewer's bad blocks, keeps the valid
    part of every whole block and nothing XML cannot carry."""
    assert isinstance(text, str)
    assert '\x00' not in text and '\x1b' not in text
    assert text.count(BAD_TEXT) >= nbytes // blen - 1, (
        text.count(BAD_TEXT), nbytes // blen)


OUT_ROT = {'stdout_logfile_maxbytes': '2MB', 'stdout_logfile_backups': 1,
           'stderr_logfile_maxbytes': '2MB', 'stderr_logfile_backups': 1}


def test_output_storm(tm, rpc):
    exact_n, bad_n = 3000000, 1000003
    exact_log, bad_log = tm.path('exact.log'), tm.path('exactbad.log')

    def prog(*cmd, **keys):
        return tm.program(tm.cmdline(*cmd), autostart=False, **keys)
    r = rpc({
        'flood_a': prog('flood', 0, **OUT_ROT),
        'flood_b': prog('flood', '-b', 0, **OUT_ROT),
        'flood_err': prog('flood', '-e', 0, **OUT_ROT),
        'nonl': prog('spewer', '-c', 65536, 0, **OUT_ROT),
        'bad': prog('spewer', '-m', 'x', 0, **OUT_ROT),
        'exact': prog('flood', '-s', exact_n, stdout_logfile=exact_log),
        'exactbad': prog('spewer', '-m', 'x', '-s', bad_n,
                         stdout_logfile=bad_log),
    })
    d = start_daemon(r, env=SAN_ENV)
    block = spewer_block(tm)
    p = r.proxy()
    for _ in range(3):
        p.supervisor.getAllProcessInfo()
    base_rss = rss_kb(d.pid)

    def call(fn, *args):
        try:
            return call_within(SLOW, fn, *args)
        except pytest.fail.Exception as e:
            pytest.fail('%s during the output storm: %s\nmain log:\n%s' % (
                getattr(fn, '_Method__name', fn), e, log_tail(tm)))

    call(p.supervisor.startAllProcesses, False)
    t0 = time.monotonic()
    slowest = 0.0
    max_rss = base_rss
    rounds = 0
    while time.monotonic() - t0 < STORM:
        t1 = time.monotonic()
        st = call(infos, p)
        slowest = max(slowest, time.monotonic() - t1)
        assert st['flood_a']['statename'] in ('STARTING', 'RUNNING')
        max_rss = max(max_rss, rss_kb(d.pid))
        text, size, _ = call(p.supervisor.tailProcessStdoutLog, 'bad', 0,
                             8192)
        if size >= 8192:
            check_bad_text(text, 8192 - len(block), len(block))
        tail = call(p.supervisor.readProcessStdoutLog, 'nonl', -4096, 0)
        assert len(tail) <= 4096 and set(tail) <= set(
            'abcdefghijklmnopqrstuvwxyz')
        call(p.supervisor.tailProcessStderrLog, 'flood_err', 0, 4096)
        rounds += 1
    assert rounds >= 5
    assert slowest < 2.0, 'getAllProcessInfo took %.1fs' % slowest
    assert max_rss <= base_rss + RSS_MARGIN_KB, \
        'RSS %d KiB during the storm, %d before' % (max_rss, base_rss)
    st = call(infos, p)
    for n in ('flood_a', 'flood_b', 'flood_err', 'nonl', 'bad'):
        assert st[n]['statename'] == 'RUNNING', (n, st[n])
    for n in ('flood_a', 'nonl', 'bad'):
        # Rotated at 2 MB: the writers got through the daemon.
        assert os.path.exists(st[n]['stdout_logfile'] + '.1'), n

    # The logs of known output are complete and exact.
    tm.wait_until(lambda: os.path.getsize(exact_log) >= exact_n,
                  msg='exact.log complete')
    tm.wait_until(lambda: os.path.getsize(bad_log) >= bad_n,
                  msg='exactbad.log complete')
    call(p.supervisor.stopAllProcesses)
    with open(exact_log, 'rb') as f:
        assert f.read() == flood_bytes(exact_n)
    with open(bad_log, 'rb') as f:
        assert f.read() == (block * (bad_n // len(block) + 1))[:bad_n]
    # Read back over XML-RPC: valid XML whatever the bytes.
    assert call(p.supervisor.readProcessStdoutLog, 'exact', 0, 0) == \
        flood_bytes(exact_n).decode()
    text = call(p.supervisor.readProcessStdoutLog, 'exactbad', 0, 0)
    check_bad_text(text, bad_n, len(block))
    assert text.startswith(BAD_TEXT)
    for off in range(0, 80, 7):     # cut anywhere in a sequence
        text, size, _ = call(p.supervisor.tailProcessStdoutLog, 'exactbad',
                             bad_n - 1000 - off, 1000)
        assert size == bad_n
        check_bad_text(text, 1000, len(block))
        check_bad_text(call(p.supervisor.readProcessStdoutLog, 'exactbad',
                            off, 500), 500 - off, len(block))
    close_proxy(p)
    print('output storm: %d rounds, slowest %.2fs, RSS %d -> peak %d KiB'
          % (rounds, slowest, base_rss, max_rss))
    assert r.stop() == 0


def test_bad_bytes_in_main_log_and_clients(tm, rpc):
    """At loglevel debug the output is copied to the main log: readLog,
    taskmaster.tailLog and the real supervisorctl's tail and maintail get
    well-formed replies."""
    n = 30011
    r = rpc({'bad': tm.program(tm.cmdline('spewer', '-m', 'x', '-s', n)),
             'bad_err': tm.program(tm.cmdline('spewer', '-e', '-m', 'x',
                                                '-s', n))})
    start_daemon(r, loglevel='debug')
    block = spewer_block(tm)
    p = r.proxy()

    def sizes():
        st = infos(p)
        return (os.path.getsize(st['bad']['stdout_logfile']) == n and
                os.path.getsize(st['bad_err']['stderr_logfile']) == n)
    tm.wait_until(sizes, msg='both logs complete')
    tm.wait_log(r"^'bad_err' stderr output:")
    text = p.supervisor.readLog(0, 0)
    assert "'bad' stdout output:\nUndecodable: b'" in text
    # As supervisord: bytes that are not UTF-8 are copied as their Python
    # repr, every block of them, past the NUL byte each one has.
    bad_repr = repr(BAD_TEXT.encode())[2:-1]
    assert text.count(bad_repr) >= 2 * (n // len(block)) - 10, \
        'the DEBG copies of the output lose bytes (%d of %d blocks)' % (
            text.count(bad_repr), 2 * (n // len(block)))
    assert '\x00' not in text
    text, _, _ = p.taskmaster.tailLog(0, 5000)
    assert isinstance(text, str)
    check_bad_text(p.supervisor.readProcessStderrLog('bad_err', 0, 0), n,
                   len(block))
    check_bad_text(p.supervisor.tailProcessStderrLog('bad_err', 0, 3000)[0],
                   3000, len(block))
    rc, out = r.ctl('tail', 'bad')
    assert rc == 0 and BAD_TEXT[:3] in out, out[-500:]
    rc, out = r.ctl('tail', 'bad_err', 'stderr')
    assert rc == 0 and BAD_TEXT[:3] in out, out[-500:]
    rc, out = r.ctl('maintail')
    assert rc == 0 and BAD_TEXT[:3] in out, out[-500:]
    close_proxy(p)
    assert r.stop() == 0
