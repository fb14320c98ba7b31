# SPDX-License-Identifier: ISC
"""The order of taskmasterd's shutdown (spec 4.8): groups one at a time,
highest priority number first, equal priorities in reverse creation order;
the next group gets its stop signal only once every process of the current
one has stopped, SIGKILL after stopwaitsecs included; all processes of one
group at once.  Read from the DEBG 'killing' and the 'stopped:' lines."""

import re
import shlex
import signal

from rpcutil import rpc

assert rpc  # fixture, imported for pytest

KILL_RE = (r'^killing (\S+) \(pid \d+\) (?:process group )?with signal '
           r'(SIG\w+)$')
STOP_RE = r'^stopped: (\S+) \(terminated by (SIG\w+)\)$'
ESCALATE_RE = r"^killing '(\S+)' \(\d+\) with SIGKILL$"


def daemon(tm, rpc, programs, loglevel='debug'):
    """taskmasterd on programs, its main log at loglevel, once all run."""
    r = rpc(programs)
    r.write_config = lambda programs=None: tm.write_config(
        r.programs, extra=r.sections(), loglevel=loglevel)
    r.start()
    p = r.proxy()
    tm.wait_until(lambda: all(i['statename'] == 'RUNNING' for i in
                              p.supervisor.getAllProcessInfo()),
                  msg='every program RUNNING')
    return r


def ready(tm, log):
    """Waits for 'ready' in a program's log: its signal handling is set."""
    def seen():
        try:
            with open(log) as f:
                return 'ready\n' in f.read()
        except FileNotFoundError:
            return False
    tm.wait_until(seen, msg='ready in %s' % log)


def shutdown_events(tm, since):
    """[('kill' | 'stop' | 'sigkill', name, signal)] in log order."""
    out = []
    for _, _, msg in tm.records(since):
        for kind, rx in (('kill', KILL_RE), ('stop', STOP_RE),
                         ('sigkill', ESCALATE_RE)):
            m = re.search(rx, msg)
            if m:
                out.append((kind, m.group(1),
                            m.group(2) if m.lastindex > 1 else 'SIGKILL'))
    return out


def sigterm_and_wait(tm, r):
    since = tm.log_mark()
    assert r.stop() == 0
    return shutdown_events(tm, since)


def serial(names, sig='SIGTERM'):
    out = []
    for n in names:
        out += [('kill', n, sig), ('stop', n, sig)]
    return out


def test_equal_priorities_one_group_at_a_time_reverse_creation(tm, rpc):
    """Groups of one priority are created sorted by name and stopped the
    other way round, each only after the one before has exited."""
    names = ['p%d' % i for i in range(6)]
    r = daemon(tm, rpc, {n: tm.program(tm.cmdline('sleeper'))
                         for n in reversed(names)})
    assert sigterm_and_wait(tm, r) == serial(reversed(names))


def test_priorities_first_then_creation_order(tm, rpc):
    r = daemon(tm, rpc, {
        'w': tm.program(tm.cmdline('sleeper'), priority=30),
        'x': tm.program(tm.cmdline('sleeper'), priority=10),
        'y': tm.program(tm.cmdline('sleeper'), priority=20),
        'z': tm.program(tm.cmdline('sleeper'), priority=20),
    })
    assert sigterm_and_wait(tm, r) == serial(['w', 'z', 'y', 'x'])


def test_sigkill_escalation_holds_the_next_equal_group(tm, rpc):
    """b ignores SIGTERM: a gets its signal only after b's SIGKILL, a
    stopwaitsecs later."""
    blog = tm.path('b.log')
    r = daemon(tm, rpc, {
        'a': tm.program(tm.cmdline('sleeper')),
        'b': tm.program(tm.cmdline('sleeper', '-t'), stopwaitsecs=1,
                        stdout_logfile=blog),
        'c': tm.program(tm.cmdline('sleeper')),
    })
    ready(tm, blog)
    since = tm.log_mark()
    assert r.stop() == 0
    events = shutdown_events(tm, since)
    assert events == serial(['c']) + [
        ('kill', 'b', 'SIGTERM'), ('sigkill', 'b', 'SIGKILL'),
        ('stop', 'b', 'SIGKILL')] + serial(['a']), events
    (t_esc, _, _), = tm.find_log(ESCALATE_RE, since)
    (t_term, _, _), = [x for x in tm.find_log(KILL_RE, since)
                       if x[2].group(1) == 'b']
    assert t_esc - t_term >= 0.9


def test_processes_of_one_group_signalled_together(tm, rpc):
    """numprocs=3: all three get SIGTERM before any has stopped, the
    highest process number first; the group below waits for all three."""
    r = daemon(tm, rpc, {
        'solo': tm.program(tm.cmdline('sleeper'), priority=1),
        'many': tm.program(tm.cmdline('sleeper'), numprocs=3, priority=2,
                           process_name='%(program_name)s_%(process_num)d'),
    })
    events = sigterm_and_wait(tm, r)
    kills = [e for e in events[:3]]
    assert kills == [('kill', 'many_%d' % i, 'SIGTERM') for i in (2, 1, 0)]
    assert sorted(events[3:6]) == sorted(
        ('stop', 'many_%d' % i, 'SIGTERM') for i in range(3))
    assert events[6:] == serial(['solo'])


def test_last_output_logged_before_stopped(tm, rpc):
    """A program that writes its last words when told to stop and exits at
    once: they are in its log and, as the DEBG copy, before 'stopped:',
    though the exit and the bytes arrive together."""
    log = tm.path('bye.log')
    script = ('trap "echo bye; exit 0" TERM; echo ready; '
              'while :; do sleep 0.05; done')
    r = daemon(tm, rpc, {
        'bye': tm.program(shlex.join(['/bin/sh', '-c', script]),
                          stdout_logfile=log),
    })
    ready(tm, log)
    since = tm.log_mark()
    assert r.stop() == 0
    text = tm.log_since(since)
    copy = text.find("DEBG 'bye' stdout output:\nbye\n")
    stop = text.find('stopped: bye (exit status 0)')
    assert 0 <= copy < stop, text
    with open(log) as f:
        assert f.read() == 'ready\nbye\n'


def test_many_programs_all_stopped_in_order(tm, rpc):
    """200 programs of one priority: exit 0, each stopped once, in reverse
    creation order, nothing left behind (the cleanup checks)."""
    names = ['n%03d' % i for i in range(200)]
    r = daemon(tm, rpc, {n: tm.program(tm.cmdline('sleeper'))
                         for n in names}, loglevel='info')
    since = tm.log_mark()
    r.daemon.proc.send_signal(signal.SIGTERM)
    assert r.daemon.wait_exit() == 0
    stops = [m.group(1) for _, _, m in tm.find_log(STOP_RE, since)]
    assert stops == names[::-1]


def test_large_group_stopped_at_once_all_reaped(tm, rpc):
    """One program of 300 processes: all get SIGTERM together and all their
    exits, whose SIGCHLDs mostly merge, are collected; exit 0, nothing left
    behind."""
    r = daemon(tm, rpc, {
        'big': tm.program(tm.cmdline('sleeper'), numprocs=300,
                          process_name='%(program_name)s_%(process_num)03d'),
    }, loglevel='info')
    since = tm.log_mark()
    r.daemon.proc.send_signal(signal.SIGTERM)
    assert r.daemon.wait_exit() == 0
    stops = [m.group(1) for _, _, m in tm.find_log(STOP_RE, since)]
    assert sorted(stops) == ['big_%03d' % i for i in range(300)]
