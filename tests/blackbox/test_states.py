# SPDX-License-Identifier: ISC
"""The process state machine (spec section 4, fixed as section 13 says):
startsecs, exits too quickly -> BACKOFF -> FATAL with linear backoff,
autorestart and exitcodes, startsecs=0, prompt reaping, and the wording and
levels of the main-log lines."""

import re

import pytest

from conftest import LOG_RE

TOO_QUICK = 'Exited too quickly (process log may have details)'
STOP_TIME = r'^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$'


def spawned(tm, name, since=0):
    return tm.find_log(r"^spawned: '%s' with pid (\d+)$" % re.escape(name),
                       since)


def test_startsecs_success(tm):
    tm.write_config({'ok': tm.program(tm.cmdline('sleeper'), startsecs=2)})
    sh = tm.start()
    sh.wait_state('ok', 'STARTING', timeout=1.5)
    pid = sh.pid_of('ok')
    sh.wait_state('ok', 'RUNNING')
    assert sh.pid_of('ok') == pid
    (t0, lvl0, m0), = spawned(tm, 'ok')
    (t1, lvl1, _), = tm.wait_log(
        r'^success: ok entered RUNNING state, process has stayed up for > '
        r'than 2 seconds \(startsecs\)$')
    assert int(m0.group(1)) == pid
    assert (lvl0, lvl1) == ('INFO', 'INFO')
    assert 1.95 <= t1 - t0 < 3.5, t1 - t0


def test_too_quick_exit_backoff_then_fatal(tm):
    """Even exit status 0 within startsecs is a failed start; retries are
    1 s, then 2 s apart; startretries=2 means 3 attempts in all."""
    tm.write_config({'quick': tm.program(tm.cmdline('exiter', 0, 0),
                                         startsecs=1, startretries=2)})
    sh = tm.start()
    st = sh.wait_state('quick', 'BACKOFF')
    assert st[1] == TOO_QUICK
    (tg, lvl, _), = tm.wait_log(
        r'^gave up: quick entered FATAL state, too many start retries too '
        r'quickly$')
    assert lvl == 'INFO'
    assert sh.wait_state('quick', 'FATAL') == ('FATAL', TOO_QUICK)
    spawns = spawned(tm, 'quick')
    exits = tm.find_log(r'^exited: quick \(exit status 0; not expected\)$')
    assert len(spawns) == 3 and len(exits) == 3, (spawns, exits)
    assert all(e[1] == 'WARN' for e in exits)
    assert not tm.find_log(r'^success: quick')
    t = [s[0] for s in spawns]
    assert 0.9 <= t[1] - t[0] < 1.8, t
    assert 1.9 <= t[2] - t[1] < 2.8, t
    assert tg >= t[2]


def test_startretries_zero_and_manual_start_from_fatal(tm):
    tm.write_config({'once': tm.program(tm.cmdline('exiter', 0, 1),
                                        startsecs=1, startretries=0)})
    sh = tm.start()
    tm.wait_log(r'^gave up: once entered FATAL state')
    assert len(spawned(tm, 'once')) == 1
    assert sh.wait_state('once', 'FATAL') == ('FATAL', TOO_QUICK)
    mark = tm.log_mark()
    assert sh.lines('start once') == ['once: ERROR (spawn error)']
    tm.wait_log(r'^gave up: once entered FATAL state', since=mark)
    assert len(spawned(tm, 'once', mark)) == 1


def test_stop_in_backoff_resets_retries(tm):
    """BACKOFF -> STOPPED forgets the failed attempts (supervisord keeps
    them): a later start gets startretries+1 attempts again."""
    tm.write_config({'bk': tm.program(tm.cmdline('exiter', 0, 1),
                                      startsecs=1, startretries=2)})
    sh = tm.start()
    sh.wait_state('bk', 'BACKOFF')
    assert sh.lines('stop bk') == ['bk: stopped']
    st = sh.status()['bk']
    assert st[0] == 'STOPPED' and re.match(STOP_TIME, st[1]), st
    mark = tm.log_mark()
    assert sh.lines('start bk') == ['bk: ERROR (spawn error)']
    tm.wait_log(r'^gave up: bk entered FATAL state', since=mark)
    assert len(spawned(tm, 'bk', mark)) == 3


def test_prompt_reaping_with_pipes_held_open(tm):
    """The program dies at 0.6 s but a grandchild keeps its pipes open, so
    only SIGCHLD tells.  Noticed at once, the exit is within startsecs=1:
    BACKOFF, never `success:` (supervisord's 1 s poll gets this wrong)."""
    tm.expect_clean = False     # the grandchildren outlive it by design
    tm.write_config({'held': tm.program(tm.cmdline('exiter', '-f', 600, 1),
                                        startsecs=1, startretries=1)})
    tm.start()
    tm.wait_log(r'^gave up: held entered FATAL state')
    assert not tm.find_log(r'^success: held')
    assert len(tm.find_log(r'^exited: held \(exit status 1; not expected\)$'
                           )) == 2


def test_exit_seen_at_once(tm):
    """A child's death is seen at once, not at the next 1 s poll, even when
    it printed nothing and its pipes stay open."""
    tm.expect_clean = False
    tm.write_config({'fast': tm.program(
        tm.cmdline('exiter', '-q', '-f', 300, 5), numprocs=4,
        autorestart=False, process_name='fast_%(process_num)d')})
    tm.start()
    exits = tm.wait_log(r'^exited: (fast_\d) \(exit status 5; not expected\)$',
                        count=4)
    for t, _, m in exits:
        (t0, _, _), = spawned(tm, m.group(1))
        assert t - t0 < 0.6, '%s: exit noticed %.3fs after the spawn' % (
            m.group(1), t - t0)


AUTORESTART = [
    # autorestart, exit status, exitcodes (None: default 0), restarted?
    ('false', 0, None, False),
    ('false', 3, None, False),
    ('unexpected', 0, None, False),
    ('unexpected', 3, None, True),
    ('true', 0, None, True),
    ('unexpected', 3, '0,3', False),
    ('unexpected', 0, '3', True),
    ('UNEXPECTED', 4, None, True),
]


@pytest.mark.parametrize('autorestart,code,exitcodes,restarted', AUTORESTART,
                         ids=['%s-%s-%s' % (a[0], a[1], a[2])
                              for a in AUTORESTART])
def test_autorestart(tm, autorestart, code, exitcodes, restarted):
    keys = {'autorestart': autorestart}
    if exitcodes is not None:
        keys['exitcodes'] = exitcodes
    tm.write_config({'ex': tm.program(tm.cmdline('exiter', 200, code),
                                      **keys)})
    sh = tm.start()
    expected = code in [int(c) for c in (exitcodes or '0').split(',')]
    (_, lvl, _), = tm.wait_log(r'^exited: ex \(exit status %d; %s\)$'
                               % (code, 'expected' if expected
                                  else 'not expected'))[:1]
    assert lvl == ('INFO' if expected else 'WARN')
    if restarted:
        tm.wait_log(r"^spawned: 'ex' with pid", count=2)
    else:
        st = sh.wait_state('ex', 'EXITED')
        assert re.match(STOP_TIME, st[1]), st
        assert tm.holds_for(lambda: len(spawned(tm, 'ex')) == 1, 1.0)
        assert sh.state('ex') == 'EXITED'


def test_exit_after_running_restarts_without_backoff(tm):
    tm.write_config({'late': tm.program(tm.cmdline('exiter', 1300, 2),
                                        startsecs=1, startretries=0)})
    tm.start()
    tm.wait_log(r'^success: late entered RUNNING state')
    tm.wait_log(r'^exited: late \(exit status 2; not expected\)$')
    tm.wait_log(r"^spawned: 'late' with pid", count=2)
    assert not tm.find_log(r'^gave up: late')


def test_signal_death_is_never_expected(tm):
    tm.write_config({'sig': tm.program(tm.cmdline('sleeper'),
                                       exitcodes='0,1,2')})
    sh = tm.start()
    sh.wait_state('sig', 'RUNNING')
    pid = sh.pid_of('sig')
    assert sh.lines('signal KILL sig') == ['sig: signalled']
    (_, lvl, _), = tm.wait_log(
        r'^exited: sig \(terminated by SIGKILL; not expected\)$')
    assert lvl == 'WARN'
    tm.wait_until(lambda: sh.state('sig') == 'RUNNING' and
                  sh.pid_of('sig') != pid, msg='sig restarted')


def test_startsecs_zero_never_backoff(tm):
    """With startsecs=0 no exit is too quick: a program that keeps dying is
    restarted for ever and never reaches BACKOFF or FATAL."""
    tm.write_config({'z': tm.program(tm.cmdline('exiter', 50, 1),
                                     startretries=0)})
    sh = tm.start()
    tm.wait_log(r"^spawned: 'z' with pid", count=5)
    assert not tm.find_log(r'^gave up: z')
    assert sh.state('z') not in ('BACKOFF', 'FATAL')
    assert len(tm.find_log(r'^exited: z \(exit status 1; not expected\)$')) \
        >= 4


def test_startsecs_zero_exit_goes_exited(tm):
    tm.write_config({'z0': tm.program(tm.cmdline('exiter', 0, 1),
                                      autorestart=False)})
    sh = tm.start()
    tm.wait_log(r'^exited: z0 \(exit status 1; not expected\)$')
    st = sh.wait_state('z0', 'EXITED')
    assert re.match(STOP_TIME, st[1]), st
    assert not tm.find_log(r'^gave up: z0')


def test_killed_by_signal_exit_text(tm):
    tm.write_config({'k': tm.program(tm.cmdline('exiter', '-k', 15, 100, 0),
                                     autorestart=False)})
    sh = tm.start()
    tm.wait_log(r'^exited: k \(terminated by SIGTERM; not expected\)$')
    sh.wait_state('k', 'EXITED')


def test_log_format_and_levels(tm):
    """Every main-log line is `YYYY-MM-DD HH:MM:SS,mmm LEVL message`."""
    tm.write_config({'lg': tm.program(tm.cmdline('sleeper'), startsecs=1)})
    sh = tm.start()
    sh.wait_state('lg', 'RUNNING')
    assert sh.lines('stop lg') == ['lg: stopped']
    (_, lvl, _), = tm.wait_log(r'^stopped: lg \(terminated by SIGTERM\)$')
    assert lvl == 'WARN'
    lines = [l for l in tm.log().split('\n') if l]
    assert lines
    bad = [l for l in lines if not LOG_RE.match(l)]
    assert not bad, bad
    assert tm.find_log(r'^supervisord started with pid %d$' % sh.pid)
    levels = {m.group(3).split(':')[0]: m.group(2) for m in
              map(LOG_RE.match, lines)}
    assert levels.get('spawned') == 'INFO'
    assert levels.get('success') == 'INFO'
