# SPDX-License-Identifier: ISC
"""Stopping: stopsignal, stopwaitsecs -> SIGKILL, stopasgroup and
killasgroup, stops during STARTING, and the priority order of shutdown."""

import os
import re
import signal
import time

import pytest

from conftest import alive

STOP_TIME = r'^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$'


def test_stop_sends_sigterm(tm):
    tm.write_config({'s': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('s', 'RUNNING')
    pid = sh.pid_of('s')
    assert sh.lines('stop s') == ['s: stopped']
    assert not alive(pid)
    (_, lvl, _), = tm.wait_log(r'^stopped: s \(terminated by SIGTERM\)$')
    assert lvl == 'WARN'
    st = sh.status()['s']
    assert st[0] == 'STOPPED' and re.match(STOP_TIME, st[1]), st
    assert not tm.find_log(r'SIGKILL')


@pytest.mark.parametrize('value,name', [('INT', 'SIGINT'),
                                        ('sighup', 'SIGHUP'),
                                        ('12', 'SIGUSR2'),
                                        ('KILL', 'SIGKILL')])
def test_stopsignal(tm, value, name):
    tm.write_config({'s': tm.program(tm.cmdline('sleeper'),
                                     stopsignal=value)}, loglevel='debug')
    sh = tm.start()
    sh.wait_state('s', 'RUNNING')
    pid = sh.pid_of('s')
    assert sh.lines('stop s') == ['s: stopped']
    tm.wait_log(r'^stopped: s \(terminated by %s\)$' % name)
    tm.wait_log(r'^killing s \(pid %d\) with signal %s$' % (pid, name))


def test_stopwaitsecs_then_sigkill(tm):
    tm.write_config({'stub': tm.program(tm.cmdline('sleeper', '-t'),
                                        stopwaitsecs=1)})
    sh = tm.start()
    sh.wait_state('stub', 'RUNNING')
    pid = sh.pid_of('stub')
    t0 = time.monotonic()
    assert sh.lines('stop stub') == ['stub: stopped']
    elapsed = time.monotonic() - t0
    assert 0.9 <= elapsed < 4, elapsed
    assert not alive(pid)
    (tk, lvl, _), = tm.wait_log(r"^killing 'stub' \(%d\) with SIGKILL$" % pid)
    assert lvl == 'WARN'
    (ts, lvl, _), = tm.wait_log(r'^stopped: stub \(terminated by SIGKILL\)$')
    assert lvl == 'WARN' and ts >= tk


def test_stopasgroup_kills_grandchild(tm):
    gc = tm.path('gc.pid')
    tm.write_config({'grp': tm.program(tm.cmdline('sleeper', '-f', gc),
                                       stopasgroup=True)}, loglevel='debug')
    sh = tm.start()
    sh.wait_state('grp', 'RUNNING')
    pid = sh.pid_of('grp')
    gcpid = tm.wait_pidfile(gc)
    assert sh.lines('stop grp') == ['grp: stopped']
    tm.wait_until(lambda: not alive(gcpid), msg='grandchild to die')
    tm.wait_log(r'^killing grp \(pid %d\) process group with signal SIGTERM$'
                % pid)


def test_without_stopasgroup_grandchild_survives(tm):
    """Only the process itself gets stopsignal (supervisord does the same;
    stopasgroup is the remedy)."""
    tm.expect_clean = False
    gc = tm.path('gc.pid')
    tm.write_config({'solo': tm.program(tm.cmdline('sleeper', '-f', gc))})
    sh = tm.start()
    sh.wait_state('solo', 'RUNNING')
    gcpid = tm.wait_pidfile(gc)
    assert sh.lines('stop solo') == ['solo: stopped']
    assert tm.holds_for(lambda: alive(gcpid), 0.3)
    os.kill(gcpid, signal.SIGKILL)


def test_killasgroup_sigkills_the_group(tm):
    gc = tm.path('gc.pid')
    tm.write_config({'kg': tm.program(tm.cmdline('sleeper', '-t', '-f', gc),
                                      killasgroup=True, stopwaitsecs=1)})
    sh = tm.start()
    sh.wait_state('kg', 'RUNNING')
    pid = sh.pid_of('kg')
    gcpid = tm.wait_pidfile(gc)
    assert sh.lines('stop kg') == ['kg: stopped']
    tm.wait_log(r"^killing 'kg' \(%d\) with SIGKILL$" % pid)
    tm.wait_until(lambda: not alive(gcpid), msg='grandchild to die')


def test_stop_while_starting(tm):
    tm.write_config({'slow': tm.program(tm.cmdline('sleeper'), startsecs=10,
                                        stopwaitsecs=5)})
    sh = tm.start()
    sh.wait_state('slow', 'STARTING')
    t0 = time.monotonic()
    assert sh.lines('stop slow') == ['slow: stopped']
    assert time.monotonic() - t0 < 3
    tm.wait_log(r'^stopped: slow \(terminated by SIGTERM\)$')
    assert not tm.find_log(r'SIGKILL')
    assert not tm.find_log(r'^success: slow')


def test_stop_errors(tm):
    tm.write_config({'idle': tm.program(tm.cmdline('sleeper'),
                                        autostart=False)})
    sh = tm.start()
    assert sh.lines('stop idle') == ['idle: ERROR (not running)']
    assert sh.lines('stop nosuch') == ['nosuch: ERROR (no such process)']
    assert sh.lines('stop nosuch:*') == ['nosuch: ERROR (no such group)']
    assert sh.lines('stop') [0] == 'Error: stop requires a process name'


def test_stop_group_and_all(tm):
    tm.write_config({
        'm': tm.program(tm.cmdline('sleeper'), numprocs=2,
                        process_name='m%(process_num)d'),
        'one': tm.program(tm.cmdline('sleeper')),
        'off': tm.program(tm.cmdline('sleeper'), autostart=False),
    })
    sh = tm.start()
    for n in ('m:m0', 'm:m1', 'one'):
        sh.wait_state(n, 'RUNNING')
    assert sorted(sh.lines('stop m:*')) == ['m:m0: stopped', 'm:m1: stopped']
    assert sh.state('one') == 'RUNNING'
    assert sh.lines('stop all') == ['one: stopped']
    st = sh.status()
    assert {k: v[0] for k, v in st.items()} == {
        'm:m0': 'STOPPED', 'm:m1': 'STOPPED', 'one': 'STOPPED',
        'off': 'STOPPED'}, st


def test_shutdown_stops_by_priority_one_group_at_a_time(tm):
    """Highest priority number first; the next group is stopped only when
    the previous one is down (c ignores SIGTERM and takes stopwaitsecs)."""
    tm.write_config({
        'c': tm.program(tm.cmdline('sleeper', '-t'), priority=30),
        'a': tm.program(tm.cmdline('sleeper'), priority=10),
        'b': tm.program(tm.cmdline('sleeper'), priority=20),
    })
    sh = tm.start()
    for n in 'abc':
        sh.wait_state(n, 'RUNNING')
    starts = [m.group(1) for _, _, m in
              tm.find_log(r"^spawned: '(\w)' with pid \d+$")]
    assert starts == ['a', 'b', 'c'], starts
    assert sh.shutdown() == 0
    stops = tm.find_log(r'^stopped: (\w) \(terminated by (SIG\w+)\)$')
    assert [(m.group(1), m.group(2)) for _, _, m in stops] == [
        ('c', 'SIGKILL'), ('b', 'SIGTERM'), ('a', 'SIGTERM')], stops
    (tk, _, _), = tm.find_log(r"^killing 'c' \(\d+\) with SIGKILL$")
    assert stops[1][0] >= tk
    waits = tm.find_log(r'^waiting for (.*) to die$')
    assert waits and waits[0][1] == 'INFO' and waits[0][2].group(1) == 'c'
