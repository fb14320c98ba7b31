# SPDX-License-Identifier: ISC
"""Signals to the supervisor and its death: SIGUSR1/SIGUSR2 reopen the logs,
a stray SIGPIPE is ignored, a burst of SIGHUPs while programs change ends
with the last config applied, SIGTERM in the middle of starting 200
programs exits cleanly; after a SIGKILL no child lingers and a new instance
starts over the stale pidfile and socket; descendants that left the process
group with setsid() are stopped with stopasgroup/killasgroup, and reaped
when they are orphaned to the supervisor."""

import os
import signal
import socket
import struct

import pytest

from conftest import T, alive, proc_stat, wait_until
from rpcutil import (SANITIZER_RE, call_within, child_states, close_proxy,
                     descendants, fd_count, gone, hung_daemons, infos,
                     log_tail, request_bytes, rpc, spawned_pids, start_daemon,
                     xml_call, zombies_of)

assert rpc and hung_daemons  # fixtures, imported for pytest

SLOW = T / 2


@pytest.fixture(autouse=True)
def _guard(hung_daemons):
    yield


def sleeper(tm, *args, **keys):
    return tm.program(tm.cmdline('sleeper', *args), **keys)


def cmdline(pid):
    with open('/proc/%d/cmdline' % pid, 'rb') as f:
        return f.read().split(b'\0')


# ---------------------------------------------------------------- signals

@pytest.mark.parametrize('sig', ['SIGUSR1', 'SIGUSR2'])
def test_log_reopen(tm, rpc, sig):
    out = tm.path('r.out')
    r = rpc({'r': sleeper(tm, '-C', 'HUP', stdout_logfile=out)})
    d = start_daemon(r)
    p = r.proxy()
    tm.wait_file(out, r'^ready$')
    main_old = str(tm.logfile) + '.old'
    os.rename(tm.logfile, main_old)
    os.rename(out, out + '.old')
    os.kill(d.pid, getattr(signal, sig))
    # The request is the old file's last line, the new one's first.
    tm.wait_log(r'^supervisord logreopen$')
    assert not tm.find_log(r'^received ')
    # New lines go to the new files, the old ones keep what they had.
    assert p.supervisor.signalProcess('r', 'HUP') is True
    tm.wait_file(out, r'^caught %d$' % signal.SIGHUP)
    assert p.supervisor.stopProcess('r') is True
    tm.wait_log(r'^stopped: r \(terminated by SIGTERM\)$')
    with open(out + '.old') as f:
        assert f.read() == 'ready\n'
    with open(main_old) as f:
        old = f.read()
    assert "spawned: 'r'" in old and 'stopped: r' not in old
    assert old.endswith(' INFO received %s indicating log reopen request\n'
                        % sig)
    close_proxy(p)
    assert r.stop() == 0


def test_sigpipe_ignored(tm, rpc):
    # Enough output that a log read does not fit in the socket buffers.
    r = rpc({'big': tm.program(tm.cmdline('flood', '-s', 4 << 20))})
    d = start_daemon(r)
    p = r.proxy()
    tm.wait_until(lambda: os.path.getsize(
        infos(p)['big']['stdout_logfile']) >= 4 << 20, msg='4 MB of output')
    close_proxy(p)
    for _ in range(3):
        os.kill(d.pid, signal.SIGPIPE)
    assert call_within(SLOW, r.proxy().supervisor.getState)['statecode'] == 1
    base = fd_count(d.pid)
    # Clients that leave, with a reset, while a large reply is written.
    for i in range(20):
        c = r.raw(unix=bool(i % 2))
        c.send(request_bytes('POST', '/RPC2', xml_call(
            'supervisor.readProcessStdoutLog', 'big', 0, 0)))
        c.recv_some(SLOW)
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                          struct.pack('ii', 1, 0))
        c.close()
    assert d.alive()
    q = r.proxy()
    assert call_within(SLOW, q.supervisor.getProcessInfo,
                       'big')['statename'] == 'RUNNING'
    close_proxy(q)
    tm.wait_until(lambda: fd_count(d.pid) <= base,
                  msg='connections closed (%d fds, %d before)'
                  % (fd_count(d.pid), base))
    assert r.stop() == 0


def hup_config(tm, i):
    """Version i of the config of the SIGHUP burst."""
    progs = {
        'keep': sleeper(tm),
        # Ignores SIGTERM: each change waits for the SIGKILL.
        'chg': sleeper(tm, '-t', '-O', 'gen%d' % i, stopwaitsecs=1),
        'add%d' % i: sleeper(tm),
        'pool': sleeper(tm, numprocs=i + 1,
                        process_name='pool_%(process_num)d'),
    }
    return progs


def test_sighup_burst(tm, rpc):
    r = rpc(hup_config(tm, 0))
    d = start_daemon(r)
    p = r.proxy()
    wait_until(lambda: all(i['statename'] == 'RUNNING'
                           for i in infos(p).values()), msg='all RUNNING')
    keep = infos(p)['keep']['pid']
    mark = tm.log_mark()
    tmp = str(tm.conf) + '.new'
    for i in range(1, 11):
        r.programs = hup_config(tm, i)
        tm.write_config(r.programs, extra=r.sections(), path=tmp)
        os.replace(tmp, tm.conf)
        os.kill(d.pid, signal.SIGHUP)
    want = {'keep', 'chg', 'add10'} | {'pool:pool_%d' % k for k in range(11)}

    def applied():
        st = call_within(SLOW, infos, p)
        if set(st) != want or any(i['statename'] != 'RUNNING'
                                  for i in st.values()):
            return False
        return b'gen10' in cmdline(st['chg']['pid'])
    try:
        tm.wait_until(applied, timeout=3 * T, msg='the last config')
    except pytest.fail.Exception:
        pytest.fail('last config not applied: %s\nmain log:\n%s' % (
            {n: i['statename'] for n, i in infos(p).items()},
            log_tail(tm, 30)))
    assert d.alive()
    st = infos(p)
    assert st['keep']['pid'] == keep
    assert tm.find_log(r'^config reloaded \(', since=mark)
    assert not tm.find_log(r'has errors, not reloading', since=mark)
    # Nothing of the removed or replaced processes is left.
    pids = {i['pid'] for i in st.values()}
    tm.wait_until(lambda: {c for c, s in child_states(d.pid)} == pids,
                  msg='only the processes of the last config as children')
    for name, spawned in spawned_pids(tm).items():
        for pid in spawned:
            if pid not in pids:
                assert not alive(pid), (name, pid)
    close_proxy(p)
    assert r.stop() == 0


def test_sigterm_while_200_start(tm, rpc):
    r = rpc({'s': sleeper(tm, numprocs=200, startsecs=1,
                          process_name='s_%(process_num)03d')})
    d = start_daemon(r, wait=False)
    tm.wait_log(r"^spawned: 's_\d+' with pid")
    os.kill(d.pid, signal.SIGTERM)
    try:
        rc = d.wait_exit(3 * T)
    except pytest.fail.Exception:
        pytest.fail('no exit after SIGTERM: %s' % log_tail(tm))
    assert rc == 0, log_tail(tm)
    d.check_sanitizers()
    tm.wait_log(r'^received SIGTERM indicating exit request$')
    started = [pid for pids in spawned_pids(tm).values() for pid in pids]
    assert started
    assert [pid for pid in started if alive(pid)] == []
    assert tm.leftovers() == []
    assert not os.path.exists(tm.pidfile)
    assert not os.path.exists(r.sock)


# ---------------------------------------------------------------- SIGKILL

def test_sigkill_daemon_children_die_and_restart(tm, rpc):
    r = rpc({'a': sleeper(tm), 'b': sleeper(tm, numprocs=3,
                                             process_name='b_%(process_num)d'),
             'stubborn': sleeper(tm, '-t')})
    d = start_daemon(r)
    p = r.proxy()
    wait_until(lambda: all(i['statename'] == 'RUNNING'
                           for i in infos(p).values()), msg='all RUNNING')
    kids = [i['pid'] for i in infos(p).values()]
    close_proxy(p)
    assert int(open(tm.pidfile).read()) == d.pid
    os.kill(d.pid, signal.SIGKILL)
    assert d.wait_exit() == -signal.SIGKILL
    d.check_sanitizers()
    # Their parent's death kills them.
    tm.wait_until(lambda: not [k for k in kids if alive(k)],
                  msg='the children to die with the daemon')
    # The pidfile and the socket file are left, stale.
    assert int(open(tm.pidfile).read()) == d.pid
    assert os.path.exists(r.sock)
    d2 = start_daemon(r)
    assert 'Unlinking stale socket %s' % r.sock in d2.stderr()
    tm.wait_until(lambda: os.path.exists(tm.pidfile) and
                  open(tm.pidfile).read() == '%d\n' % d2.pid,
                  msg='the pidfile rewritten')
    p = r.unix_proxy()
    wait_until(lambda: all(i['statename'] == 'RUNNING'
                           for i in infos(p).values()), msg='all RUNNING')
    assert not set(i['pid'] for i in infos(p).values()) & set(kids)
    close_proxy(p)
    assert r.stop() == 0
    assert not os.path.exists(tm.pidfile) and not os.path.exists(r.sock)


def test_sigkill_foreground_children_die(tm):
    tm.write_config({'a': sleeper(tm), 'b': sleeper(tm, '-t')})
    sh = tm.start()
    sh.wait_state('a', 'RUNNING')
    sh.wait_state('b', 'RUNNING')
    kids = [sh.pid_of('a'), sh.pid_of('b')]
    sh.kill(signal.SIGKILL)
    assert sh.wait_exit() == -signal.SIGKILL
    tm.wait_until(lambda: not [k for k in kids if alive(k)],
                  msg='the children to die with taskmaster')
    sh2 = tm.start()
    sh2.wait_state('a', 'RUNNING')
    assert int(open(tm.pidfile).read()) == sh2.pid
    assert sh2.shutdown() == 0
    assert not SANITIZER_RE.search(sh2.output_since_start())


# ---------------------------------------------------------------- setsid()

def read_pids(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]


@pytest.mark.parametrize('ignore_term', [False, True],
                         ids=['term', 'term-ignored'])
def test_stopasgroup_reaches_setsid_children(tm, rpc, ignore_term):
    pidfile = tm.path('gc.pids')
    args = ['-t'] if ignore_term else []
    r = rpc({'fam': tm.program(tm.cmdline('forker', *args, '-w', pidfile, 3),
                               stopasgroup=True, killasgroup=True,
                               stopwaitsecs=1)})
    d = start_daemon(r)
    p = r.proxy()
    tm.wait_until(lambda: os.path.exists(pidfile), msg='gc.pids')
    gcs = read_pids(pidfile)
    tm.seen_pids.update(gcs)
    pid = infos(p)['fam']['pid']
    for g in gcs:
        # Out of the program's group and session: kill(-pgid) misses them.
        assert proc_stat(g)[2] == g and proc_stat(g)[1] == pid
    assert call_within(2 * T, p.supervisor.stopProcess, 'fam') is True
    # The test looks for leftovers itself, and kills them by pid.
    tm.expect_clean = False
    try:
        tm.wait_until(lambda: not [g for g in gcs if alive(g)],
                      msg='the setsid() children stopped')
    except pytest.fail.Exception:
        pytest.fail('stopping fam (stopasgroup, killasgroup) left %s '
                    'running\nmain log:\n%s' % (
                        [g for g in gcs if alive(g)], log_tail(tm)))
    tm.wait_until(lambda: not zombies_of(d.pid) and not child_states(d.pid),
                  msg='no child, no zombie')
    close_proxy(p)
    assert r.stop() == 0
    assert tm.leftovers() == []


def test_orphaned_setsid_children_are_reaped(tm, rpc):
    pidfile = tm.path('gc.pids')
    # The program exits after 300 ms; its children live 2 s more.
    r = rpc({'fam': tm.program(tm.cmdline('forker', '-n', '-e', 300, '-l',
                                          2000, '-w', pidfile, 3),
                               autorestart=False)})
    d = start_daemon(r)
    p = r.proxy()
    tm.wait_until(lambda: os.path.exists(pidfile), msg='gc.pids')
    gcs = read_pids(pidfile)
    tm.seen_pids.update(gcs)
    tm.wait_until(lambda: infos(p)['fam']['statename'] == 'EXITED',
                  msg='fam EXITED')
    # Orphaned, they come to the daemon: it is a child subreaper.
    parents = {g: (proc_stat(g) or (None, None))[1] for g in gcs}
    assert all(pp in (d.pid, None) for pp in parents.values()), \
        (d.pid, parents)
    tm.expect_clean = False
    try:
        tm.wait_until(lambda: all(gone(g) for g in gcs), timeout=T + 2,
                      msg='the orphans reaped')
    except pytest.fail.Exception:
        pytest.fail('orphans not reaped: %s\nmain log:\n%s' % (
            {g: proc_stat(g) for g in gcs}, log_tail(tm)))
    for g in gcs:
        tm.wait_log(r'^reaped unknown pid %d \(' % g)
    assert not zombies_of(d.pid)
    assert not descendants(d.pid)
    assert call_within(SLOW, p.supervisor.getState)['statecode'] == 1
    close_proxy(p)
    assert r.stop() == 0
    assert tm.leftovers() == []
