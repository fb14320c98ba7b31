# SPDX-License-Identifier: ISC
"""Signals to taskmaster: SIGTERM and SIGINT stop every program gracefully
and exit 0 leaving nothing behind; SIGUSR1 does not kill it (section 13);
SIGUSR2 reopens the logs; no child is left a zombie."""

import os
import signal

import pytest

from conftest import alive, children_of


def programs(tm):
    return {
        'plain': tm.program(tm.cmdline('sleeper')),
        'stubborn': tm.program(tm.cmdline('sleeper', '-t'), stopwaitsecs=1),
        'family': tm.program(tm.cmdline('sleeper', '-f', tm.path('gc.pid')),
                             stopasgroup=True),
        'many': tm.program(tm.cmdline('sleeper'), numprocs=2,
                           process_name='many_%(process_num)d'),
        'failing': tm.program(tm.cmdline('exiter', 0, 1), startsecs=1,
                              startretries=10),
        'manual': tm.program(tm.cmdline('sleeper'), autostart=False),
    }


@pytest.mark.parametrize('signame,pty', [('SIGTERM', True), ('SIGINT', True),
                                         ('SIGTERM', False)],
                         ids=['term-pty', 'int-pty', 'term-pipes'])
def test_graceful_exit(tm, signame, pty):
    tm.write_config(programs(tm))
    sh = tm.start(pty=pty)
    names = ('plain', 'stubborn', 'family', 'many:many_0', 'many:many_1')
    pids = []
    for n in names:
        sh.wait_state(n, 'RUNNING')
        pids.append(sh.pid_of(n))
    pids.append(tm.wait_pidfile(tm.path('gc.pid')))
    sh.wait_state('failing', 'BACKOFF')
    assert int(open(tm.pidfile).read()) == sh.pid
    sh.kill(getattr(signal, signame))
    assert sh.wait_exit(timeout=15) == 0
    assert [p for p in pids if alive(p)] == []
    assert tm.leftovers() == []
    (_, lvl, _), = tm.find_log(r'^received %s indicating exit request$'
                               % signame)
    assert lvl == 'WARN'
    for n in ('plain', 'family', 'many_0', 'many_1'):
        assert tm.find_log(r'^stopped: %s \(terminated by SIGTERM\)$' % n), n
    assert tm.find_log(r'^stopped: stubborn \(terminated by SIGKILL\)$')
    assert not os.path.exists(tm.pidfile)


def test_no_zombies(tm):
    tm.write_config({
        'z': tm.program(tm.cmdline('exiter', 0, 0), numprocs=4,
                        autorestart=False, process_name='z%(process_num)d'),
        'flap': tm.program(tm.cmdline('exiter', 20, 1), autorestart=True),
    })
    sh = tm.start()
    for i in range(4):
        sh.wait_state('z:z%d' % i, 'EXITED')
    tm.wait_log(r"^spawned: 'flap'", count=10)
    # Zombies may exist for an instant between exit and reaping; none may
    # stay.
    seen = {p for p, st in children_of(sh.pid) if st == 'Z'}
    tm.wait_log(r"^spawned: 'flap'", count=20)
    stale = {p for p, st in children_of(sh.pid) if st == 'Z'} & seen
    assert not stale, stale
    # A stop that falls between an exit and the restart finds it not
    # running: try again.
    tm.wait_until(lambda: sh.lines('stop flap') == ['flap: stopped'],
                  msg='flap stopped')
    tm.wait_until(lambda: not children_of(sh.pid), msg='no children left')


def test_sigusr1_does_not_kill(tm):
    tm.write_config({'u': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('u', 'RUNNING')
    pid = sh.pid_of('u')
    sh.kill(signal.SIGUSR1)
    assert sh.lines('version')
    assert sh.alive()
    assert sh.pid_of('u') == pid and sh.state('u') == 'RUNNING'


def test_sigusr2_reopens_logs(tm):
    out = tm.path('r.out')
    tm.write_config({'r': tm.program(tm.cmdline('sleeper', '-C', 'HUP'),
                                     stdout_logfile=out)})
    sh = tm.start()
    sh.wait_state('r', 'RUNNING')
    tm.wait_file(out, r'^ready$')
    os.rename(tm.logfile, str(tm.logfile) + '.old')
    os.rename(out, out + '.old')
    sh.kill(signal.SIGUSR2)
    tm.wait_log(r'^supervisord logreopen$')
    # The child log is reopened too: new output lands in the new file.
    assert sh.lines('signal HUP r') == ['r: signalled']
    tm.wait_file(out, r'^caught %d$' % signal.SIGHUP)
    assert 'caught' not in open(out + '.old').read()


def test_sigterm_while_a_command_waits(tm):
    tm.write_config({'slow': tm.program(tm.cmdline('sleeper'), startsecs=30,
                                        autostart=False)})
    sh = tm.start()
    sh.send_line('start slow')
    tm.wait_log(r"^spawned: 'slow' with pid")
    sh.kill(signal.SIGTERM)
    assert sh.wait_exit() == 0
    assert tm.leftovers() == []
    tm.wait_log(r'^stopped: slow \(terminated by SIGTERM\)$')


def test_orphaned_grandchild_is_not_left_a_zombie(tm):
    """A grandchild left behind by a stop may be re-parented to taskmaster
    (subreaper) or to init; either way it does not stay a zombie of
    taskmaster's."""
    gc = tm.path('gc.pid')
    tm.write_config({'orph': tm.program(tm.cmdline('sleeper', '-f', gc))})
    sh = tm.start()
    sh.wait_state('orph', 'RUNNING')
    gcpid = tm.wait_pidfile(gc)
    assert sh.lines('stop orph') == ['orph: stopped']
    os.kill(gcpid, signal.SIGKILL)
    tm.wait_until(lambda: not alive(gcpid), msg='grandchild gone')
    tm.wait_until(lambda: not [p for p, st in children_of(sh.pid)
                               if st == 'Z'], msg='no zombie children')
    assert sh.lines('version')
