# SPDX-License-Identifier: ISC
"""taskmasterd under resource faults: child logs on a full filesystem (a
small tmpfs, /dev/full), too few file descriptors, too few processes.  Each
time the fault is told clearly in the main log, what can go on goes on,
what cannot start ends FATAL by the retry policy, and the daemon keeps
serving XML-RPC."""

import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import pytest

from conftest import T, alive, wait_until
from rpcutil import (TASKMASTERD, call_within, close_proxy, cpu_seconds, fd_count,
                     hung_daemons, infos, log_tail, rpc, start_daemon)

assert rpc and hung_daemons  # fixtures, imported for pytest

SLOW = T / 2
LINE = rb'\d{15}x{48}\n'


@pytest.fixture(autouse=True)
def _guard(hung_daemons):
    yield


def flood_bytes(n):
    """The first n bytes flood writes (64-byte numbered lines)."""
    lines = (b'%015d' % i + b'x' * 48 + b'\n' for i in range(n // 64 + 1))
    return b''.join(lines)[:n]


def wchar(pid):
    """Bytes pid has written so far (/proc/<pid>/io)."""
    with open('/proc/%d/io' % pid) as f:
        for line in f:
            if line.startswith('wchar:'):
                return int(line.split()[1])
    return 0


def settle(p, names, states, timeout=2 * T):
    """Waits until every process of names is in one of states; returns the
    infos."""
    last = {}

    def done():
        last['st'] = call_within(SLOW, infos, p)
        return all(last['st'][n]['statename'] in states for n in names)
    try:
        wait_until(done, timeout, msg='%s in %s' % (names, states))
    except pytest.fail.Exception:
        pytest.fail('not settled in %s: %s' % (states, {
            n: last['st'][n]['statename'] for n in names
            if last['st'][n]['statename'] not in states}))
    return last['st']


# ---------------------------------------------------------------- full disk

@pytest.fixture
def small_fs(tm):
    """A 512 KiB tmpfs in the test directory."""
    if os.geteuid() != 0:
        pytest.skip('mounting a tmpfs needs root')
    mnt = tm.dir / 'small'
    mnt.mkdir()
    res = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=512k',
                          'tmpfs', str(mnt)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    if res.returncode != 0:
        pytest.skip('cannot mount a tmpfs: %s' % res.stdout.decode().strip())
    yield mnt
    # Lazily: a daemon a failed test left running may still hold files.
    subprocess.run(['umount', '-l', str(mnt)])


def test_child_log_on_full_filesystem(tm, rpc, small_fs):
    ballast = small_fs / 'ballast'
    ballast.write_bytes(b'\0' * 384 * 1024)
    log = str(small_fs / 'full.log')
    r = rpc({
        'full': tm.program(tm.cmdline('flood', '-c', 4096, '-d', 5, 0),
                           stdout_logfile=log, stdout_logfile_maxbytes=0),
        'other': tm.program(tm.cmdline('sleeper', '-O', 'hello'))})
    d = start_daemon(r)
    p = r.proxy()
    rec = tm.wait_log(r'^full: stdout log write failed: No space left on '
                      r'device$')
    assert rec[0][1] == 'ERRO'
    size = os.path.getsize(log)
    assert size > 64 * 1024
    # What was written before the disk filled is there, exact.
    with open(log, 'rb') as f:
        assert f.read() == flood_bytes(size)
    st = call_within(SLOW, infos, p)
    assert st['full']['statename'] == 'RUNNING'
    pid = st['full']['pid']
    # The daemon goes on draining the pipe: the program is not blocked.
    w0 = wchar(pid)
    tm.wait_until(lambda: wchar(pid) > w0 + 256 * 1024,
                  msg='the program to write on')
    assert os.path.getsize(log) == size
    # And serving.
    assert call_within(SLOW, p.supervisor.readProcessStdoutLog, 'full', 0,
                       640) == flood_bytes(640).decode()
    text, tsize, _ = call_within(SLOW, p.supervisor.tailProcessStdoutLog,
                                 'full', 0, 100)
    assert tsize == size
    assert call_within(SLOW, p.supervisor.getProcessInfo,
                       'other')['statename'] == 'RUNNING'
    assert d.alive()
    errors = len(tm.find_log(r'^full: stdout log write failed'))

    # Room again: the log goes on with whole writes of the program.
    ballast.unlink()
    tm.wait_until(lambda: os.path.getsize(log) > size + 16384,
                  msg='the log to grow again')
    with open(log, 'rb') as f:
        f.seek(size)
        more = f.read()
    more = more[:more.rindex(b'\n') + 1]
    assert re.fullmatch(b'(%s)+' % LINE, more), more[:200]
    assert call_within(SLOW, p.supervisor.getProcessInfo,
                       'full')['pid'] == pid
    print('full filesystem: %d error lines in the main log' % errors)
    close_proxy(p)
    assert r.stop() == 0
    assert not alive(pid)


def test_main_log_on_full_filesystem(tm, rpc, small_fs):
    """The main log itself on the full disk: the daemon serves and acts on
    requests meanwhile, and logs again once there is room."""
    ballast = small_fs / 'ballast'
    ballast.write_bytes(b'\0' * 448 * 1024)
    tm.logfile = small_fs / 'main.log'
    r = rpc({'chatty': tm.program(tm.cmdline('flood', '-c', 4096, '-d', 2,
                                             0), stdout_logfile='NONE'),
             'idle': tm.program(tm.cmdline('sleeper'), autostart=False)})
    d = start_daemon(r, loglevel='debug')
    p = r.proxy()
    # The DEBG copies of the output fill the disk.
    tm.wait_until(lambda: shutil.disk_usage(small_fs).free < 4096,
                  msg='the disk to fill')
    for _ in range(3):
        assert call_within(SLOW, p.supervisor.startProcess, 'idle') is True
        assert call_within(SLOW, p.supervisor.stopProcess, 'idle') is True
    assert call_within(SLOW, p.supervisor.getProcessInfo,
                       'chatty')['statename'] == 'RUNNING'
    assert d.alive()
    call_within(SLOW, p.supervisor.stopProcess, 'chatty')
    ballast.unlink()
    mark = tm.log_mark()
    assert call_within(SLOW, p.supervisor.startProcess, 'idle') is True
    tm.wait_log(r"^spawned: 'idle' with pid \d+$", since=mark)
    close_proxy(p)
    assert r.stop() == 0


def test_child_log_is_dev_full(tm, rpc):
    r = rpc({'x': tm.program(tm.cmdline('sleeper', '-O', 'hello'),
                             stdout_logfile='/dev/full',
                             stdout_logfile_maxbytes=0),
             'y': tm.program(tm.cmdline('sleeper'))})
    d = start_daemon(r)
    p = r.proxy()
    rec = tm.wait_log(r'^x: stdout log write failed: No space left on '
                      r'device$')
    assert rec[0][1] == 'ERRO'
    st = call_within(SLOW, infos, p)
    assert st['x']['statename'] == 'RUNNING'
    assert st['y']['statename'] == 'RUNNING'
    # A device that reads without end is not read without end.
    call_within(SLOW, p.supervisor.tailProcessStdoutLog, 'x', 0, 100)
    for args in ((0, 100), (-100, 0), (0, 0)):
        try:
            call_within(SLOW, p.supervisor.readProcessStdoutLog, 'x', *args)
        except xmlrpc.client.Fault:
            pass
    assert call_within(SLOW, p.supervisor.stopProcess, 'x') is True
    assert call_within(SLOW, p.supervisor.startProcess, 'x') is True
    assert os.path.exists('/dev/full') and not os.path.isfile('/dev/full')
    close_proxy(p)
    assert r.stop() == 0
    assert d.wait_exit() == 0


# ---------------------------------------------------------------- descriptors

NOFILE = 64


def test_fd_exhaustion(tm, rpc):
    names = ['s:s_%02d' % i for i in range(30)]
    r = rpc({'s': tm.program(tm.cmdline('sleeper'), numprocs=30,
                             process_name='s_%(process_num)02d',
                             autostart=False, startretries=1)})

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
    d = start_daemon(r, supervisord={'minfds': NOFILE}, preexec_fn=limit)
    # This connection is made while there are descriptors to spare; it
    # must go on being served when there are none.
    p = r.proxy()
    assert p.supervisor.getState()['statename'] == 'RUNNING'
    call_within(SLOW, p.supervisor.startAllProcesses, False)
    st = settle(p, names, ('RUNNING', 'FATAL'))
    running = [n for n in names if st[n]['statename'] == 'RUNNING']
    fatal = [n for n in names if st[n]['statename'] == 'FATAL']
    assert running and fatal, (running, fatal)
    assert fd_count(d.pid) <= NOFILE
    for n in fatal:
        assert st[n]['description'] == "too many open files to spawn '%s'" \
            % n.split(':')[1], st[n]
        tm.wait_log(r"^gave up: %s entered FATAL state, too many start "
                    r"retries too quickly$" % n.split(':')[1])
    assert tm.find_log(r"^spawnerr: too many open files to spawn 's_\d\d'$")

    # A new client while nothing is left: it waits or is refused, and the
    # daemon does not spin meanwhile.
    c0 = cpu_seconds(d.pid)
    t0 = time.monotonic()
    try:
        call_within(SLOW, r.unix_proxy().supervisor.getState)
    except (OSError, pytest.fail.Exception, xmlrpc.client.ProtocolError):
        pass
    tm.holds_for(lambda: d.alive(), 1.0)
    used = cpu_seconds(d.pid) - c0
    assert used < 0.5 * (time.monotonic() - t0), \
        'taskmasterd used %.1fs of CPU in %.1fs' % (
            used, time.monotonic() - t0)

    # Stopping some gives descriptors back: new clients are served, and
    # what could not start starts.
    for n in running[:len(running) // 2 + 1]:
        assert call_within(SLOW, p.supervisor.stopProcess, n) is True
    assert call_within(SLOW, p.supervisor.getState)['statename'] == 'RUNNING'

    def served():
        q = r.proxy()
        try:
            return call_within(SLOW, q.supervisor.getState)['statecode'] == 1
        except (OSError, xmlrpc.client.ProtocolError):
            return False
        finally:
            q('close')()
    tm.wait_until(served, msg='a new client served')
    assert call_within(SLOW, p.supervisor.startProcess, fatal[0]) is True
    assert call_within(SLOW, p.supervisor.getProcessInfo,
                       fatal[0])['statename'] == 'RUNNING'
    close_proxy(p)
    assert r.stop() == 0


def test_minfds_above_the_hard_limit(tm, rpc):
    r = rpc({'a': tm.program(tm.cmdline('sleeper'))})

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
    d = start_daemon(r, preexec_fn=limit, wait=False)
    assert d.wait_exit() == 2
    assert 'Error: The minimum number of file descriptors required to run ' \
        'this process is 1024 as per the "minfds" command-line argument ' \
        'or config file setting.' in d.stderr()
    d.check_sanitizers()
    assert tm.leftovers() == []


# ---------------------------------------------------------------- processes

NPROC = 4       # the daemon and three children


def test_fork_failure(tm, rpc):
    """taskmasterd as an unprivileged uid of its own (no other process
    counts against its RLIMIT_NPROC) may have three children: the fourth
    program cannot be forked."""
    if os.geteuid() != 0:
        pytest.skip('needs root to run the daemon as another user')
    uid = 40000 + os.getpid() % 10000
    home = tempfile.mkdtemp(prefix='tmnproc-', dir='/tmp')
    tm.rpc_dirs = getattr(tm, 'rpc_dirs', []) + [home]
    os.mkdir(os.path.join(home, 'childlogs'))
    sleeper = os.path.join(home, 'sleeper')
    shutil.copy(tm.prog('sleeper'), sleeper)
    # The build directory may be closed to other uids (a 0700 checkout).
    daemon = os.path.join(home, 'taskmasterd')
    shutil.copy(str(TASKMASTERD), daemon)
    for path in (home, os.path.join(home, 'childlogs')):
        os.chown(path, uid, uid)
    tm.logfile = Path(home) / 'taskmaster.log'
    tm.childlogdir = Path(home) / 'childlogs'
    tm.pidfile = Path(home) / 'taskmaster.pid'

    def prog(priority, **keys):
        return tm.program(sleeper, priority=priority, **keys)
    r = rpc({'a': prog(1), 'b': prog(1), 'c': prog(1),
             'd': prog(2, startretries=2)})
    os.chown(r.sockdir, uid, uid)

    def drop():
        resource.setrlimit(resource.RLIMIT_NPROC, (NPROC, NPROC))
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    d = start_daemon(r, preexec_fn=drop, conf=os.path.join(home, 'tm.conf'),
                     cwd=home, binary=daemon)
    assert os.stat('/proc/%d' % d.pid).st_uid == uid
    p = r.proxy()
    st = settle(p, ['a', 'b', 'c', 'd'], ('RUNNING', 'FATAL'))
    assert [st[n]['statename'] for n in 'abcd'] == ['RUNNING'] * 3 + \
        ['FATAL'], (st, log_tail(tm))
    text = "Too many processes in process table to spawn 'd'"
    assert st['d']['description'] == text
    assert len(tm.find_log(r'^spawnerr: %s$' % re.escape(text))) == 3
    tm.wait_log(r"^gave up: d entered FATAL state, too many start retries "
                r"too quickly$")
    assert call_within(SLOW, p.supervisor.getState)['statename'] == 'RUNNING'
    # One stopped, one can start.
    assert call_within(SLOW, p.supervisor.stopProcess, 'a') is True
    assert call_within(SLOW, p.supervisor.startProcess, 'd') is True
    assert call_within(SLOW, p.supervisor.getProcessInfo,
                       'd')['statename'] == 'RUNNING'
    close_proxy(p)
    assert r.stop() == 0
