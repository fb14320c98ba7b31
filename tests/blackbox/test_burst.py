# SPDX-License-Identifier: ISC
"""Start-up with more programs than one pass spawns: the rest is spawned from
the loop by the spawner, in priority order, their log files opened after the
children exist.  Nothing of this may show: states, reasons, logs and
children are as with a handful of programs."""

import os
import re
import signal

from conftest import children_of, wait_until
from rpcutil import infos, rpc, start_daemon

assert rpc  # the fixture, imported for pytest

N = 150


def burst_programs(tm, n=N):
    progs = {}
    for i in range(n):
        # Priorities run against the names: p000 starts last.
        progs['p%03d' % i] = tm.program(
            tm.cmdline('sleeper', '-O', 'hello %d' % i), priority=2000 - i,
            stdout_logfile=tm.path('p%03d.log' % i))
    for i in range(10):
        # Gone before their log files would be opened.
        progs['q%d' % i] = tm.program(
            tm.cmdline('exiter', '-O', 'quick %d' % i, 0, 0),
            autorestart=False, priority=1500,
            stdout_logfile=tm.path('q%d.log' % i))
    progs['missing'] = tm.program('/nonexistent/prog', startretries=0,
                                  priority=1500)
    progs['baddir'] = tm.program(tm.cmdline('sleeper'), startretries=0,
                                 directory='/nonexistent', startsecs=1,
                                 priority=1500)
    return progs


def test_burst_start_states_logs_order(tm):
    tm.write_config(burst_programs(tm))
    sh = tm.start()
    for i in range(N):
        sh.wait_state('p%03d' % i, 'RUNNING')
    for i in range(10):
        sh.wait_state('q%d' % i, 'EXITED')
    st, desc = sh.wait_state('missing', 'FATAL')
    assert "can't find command '/nonexistent/prog'" in desc
    st, desc = sh.wait_state('baddir', 'FATAL')
    assert 'couldn\'t chdir to /nonexistent: ENOENT' in desc, desc
    # Priority order of the first spawns.
    order = [m.group(1) for _, _, m in tm.find_log(r"^spawned: '(\w+)'")]
    firsts = []
    for name in order:
        if name not in firsts:
            firsts.append(name)
    ps = [n for n in firsts if n.startswith('p')]
    assert ps == ['p%03d' % i for i in reversed(range(N))]
    assert firsts.index('q0') < firsts.index('p009')
    # Every output is in its log, that of the quick ones too.
    for i in range(N):
        tm.wait_file(tm.path('p%03d.log' % i), r'^hello %d$' % i)
    for i in range(10):
        tm.wait_file(tm.path('q%d.log' % i), r'^quick %d$' % i)
    # Nothing but the programs is left as a child: the spawner is gone.
    pids = {sh.pid_of('p%03d' % i) for i in range(N)}
    wait_until(lambda: {p for p, s in children_of(sh.pid) if s != 'Z'} <=
               pids, msg='only the programs as children')
    assert sh.lines('stop all')
    wait_until(lambda: not children_of(sh.pid), msg='no children left')


def test_burst_children_are_ours(tm):
    """Children made by the spawner: our process group rules, parent,
    mask, descriptors."""
    progs = {'p%03d' % i: tm.program(tm.cmdline('sleeper', '-g', '-F', '-m'),
                                     stdout_logfile=tm.path('p%03d.log' % i))
             for i in range(80)}
    tm.write_config(progs)
    sh = tm.start()
    for i in (0, 40, 79):
        name = 'p%03d' % i
        sh.wait_state(name, 'RUNNING')
        pid = sh.pid_of(name)
        text = tm.wait_file(tm.path(name + '.log'), r'^ready$').string
        m = re.search(r'pid=(\d+) pgid=(\d+) sid=\d+ ppid=(\d+)', text)
        assert m and int(m.group(1)) == pid == int(m.group(2))
        assert int(m.group(3)) == sh.pid
        assert 'fds=0 1 2' in text
        assert 'sigblk=0000000000000000 sigign=0000000000000000' in text


def test_burst_sigterm_during_startup(tm):
    tm.write_config({'p%03d' % i: tm.program(tm.cmdline('sleeper'))
                     for i in range(400)})
    sh = tm.start()
    sh.kill(signal.SIGTERM)
    assert sh.wait_exit(timeout=60) == 0
    assert tm.leftovers() == []


def test_burst_rpc_during_startup(tm, rpc):
    r = rpc({'p%03d' % i: tm.program(tm.cmdline('sleeper'))
             for i in range(300)})
    start_daemon(r)
    p = r.proxy()
    assert p.supervisor.getState()['statename'] == 'RUNNING'
    wait_until(lambda: all(i['statename'] == 'RUNNING'
                           for i in infos(p).values()),
               msg='all RUNNING', timeout=60)
    assert len(infos(p)) == 300
    assert r.stop() == 0
