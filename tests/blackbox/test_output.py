# SPDX-License-Identifier: ISC
"""Child output: stdout/stderr log files, redirect_stderr, NONE, AUTO,
rotation (.1 .2 ...), raw bytes, floods of tens of MB written completely
while taskmaster stays responsive, clear."""

import hashlib
import os
import re
import time


def pattern(n, binary=False):
    """The bytes flood writes (see tests/progs/flood.c)."""
    if binary:
        block = bytes(range(251))
        return (block * (n // 251 + 1))[:n]
    lines = b''.join(b'%015d%s\n' % (i, b'x' * 48)
                     for i in range(n // 64 + 1))
    return lines[:n]


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except FileNotFoundError:
        return None


def size(path):
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return -1


def test_stdout_and_stderr_logs_are_raw(tm):
    tm.write_config({'two': tm.program(
        tm.cmdline('sleeper', '-O', 'to stdout', '-E', 'to stderr'),
        stdout_logfile=tm.path('two.out'),
        stderr_logfile=tm.path('two.err'))})
    sh = tm.start()
    sh.wait_state('two', 'RUNNING')
    tm.wait_file(tm.path('two.out'), r'^ready$')
    tm.wait_file(tm.path('two.err'), r'^to stderr$')
    assert read(tm.path('two.out')) == b'to stdout\nready\n'
    assert read(tm.path('two.err')) == b'to stderr\n'
    # Created 0666 & ~umask (the default [supervisord] umask is 022).
    assert os.stat(tm.path('two.out')).st_mode & 0o777 == 0o644


def test_redirect_stderr(tm):
    tm.write_config({'red': tm.program(
        tm.cmdline('sleeper', '-O', 'out', '-E', 'err'),
        redirect_stderr=True, stdout_logfile=tm.path('red.out'),
        stderr_logfile=tm.path('red.err'))})
    sh = tm.start()
    tm.wait_file(tm.path('red.out'), r'^ready$')
    assert read(tm.path('red.out')) == b'out\nerr\nready\n'
    assert not os.path.exists(tm.path('red.err'))
    tm.wait_log(r'^For \[program:red\], redirect_stderr=true but '
                r'stderr_logfile has also been set to a filename, the '
                r'filename has been ignored$')
    assert sh.lines('tail red stderr') == ['red: ERROR (no log file)']
    assert 'err' in sh.lines('tail red')


def test_none_discards_but_still_reads(tm):
    """With NONE nothing is written, but the pipe is drained: a program
    writing 2 MB does not block and exits."""
    tm.write_config({'quiet': tm.program(
        tm.cmdline('flood', 2000000), stdout_logfile='NONE',
        stderr_logfile='none', autorestart=False)})
    sh = tm.start()
    tm.wait_log(r'^exited: quiet \(exit status 0; expected\)$')
    assert os.listdir(tm.childlogdir) == []
    assert sh.lines('tail quiet') == ['quiet: ERROR (no log file)']
    assert sh.lines('tail quiet stderr') == ['quiet: ERROR (no log file)']


def test_auto_logs_in_childlogdir(tm):
    tm.write_config({'auto': tm.program(
        tm.cmdline('sleeper', '-O', 'auto out', '-E', 'auto err'))})
    sh = tm.start()
    sh.wait_state('auto', 'RUNNING')

    def files():
        names = os.listdir(tm.childlogdir)
        out = [n for n in names
               if re.match(r'^auto-stdout---supervisor-[a-z0-9_]{8}\.log$', n)]
        err = [n for n in names
               if re.match(r'^auto-stderr---supervisor-[a-z0-9_]{8}\.log$', n)]
        return (out, err) if len(out) == 1 and len(err) == 1 else None
    (out,), (err,) = tm.wait_until(files, msg='AUTO log files')
    tm.wait_file(tm.childlogdir / out, r'^ready$')
    tm.wait_file(tm.childlogdir / err, r'^auto err$')
    assert read(tm.childlogdir / out) == b'auto out\nready\n'
    assert os.stat(tm.childlogdir / out).st_mode & 0o777 == 0o600
    assert sh.lines('tail auto') == ['auto out', 'ready']
    assert sh.lines('tail auto stderr') == ['auto err']


def test_explicit_log_is_appended_across_restarts(tm):
    tm.write_config({'ap': tm.program(tm.cmdline('sleeper', '-O', 'run'),
                                      stdout_logfile=tm.path('ap.out'))})
    sh = tm.start()
    tm.wait_file(tm.path('ap.out'), r'^ready$')
    assert sh.lines('restart ap') == ['ap: stopped', 'ap: started']
    tm.wait_until(lambda: read(tm.path('ap.out')) ==
                  b'run\nready\nrun\nready\n', msg='second run logged')


def _cat(paths):
    return b''.join(read(p) or b'' for p in paths)


def test_rotation_with_backups(tm):
    n = 8000
    log = tm.path('rot.log')
    tm.write_config({'rot': tm.program(
        tm.cmdline('flood', '-c', 300, '-d', 3, n), autorestart=False,
        stdout_logfile=log, stdout_logfile_maxbytes='1KB',
        stdout_logfile_backups=2)})
    tm.start()
    tm.wait_log(r'^exited: rot \(exit status 0; expected\)$')
    expected = pattern(n)

    def complete():
        cat = _cat([log + '.2', log + '.1', log])
        return len(cat) >= 2048 and expected.endswith(cat)
    tm.wait_until(complete, msg='rotated logs to hold the end of the output')
    assert not os.path.exists(log + '.3')
    assert size(log + '.1') >= 1024 and size(log + '.2') >= 1024
    assert 0 <= size(log) < 1024


def test_rotation_without_backups_truncates(tm):
    n = 6000
    log = tm.path('trunc.log')
    tm.write_config({'trunc': tm.program(
        tm.cmdline('flood', '-c', 300, '-d', 3, n), autorestart=False,
        stdout_logfile=log, stdout_logfile_maxbytes=1024,
        stdout_logfile_backups=0)})
    tm.start()
    tm.wait_log(r'^exited: trunc \(exit status 0; expected\)$')
    expected = pattern(n)
    tm.wait_until(lambda: read(log) is not None and
                  expected.endswith(read(log)), msg='end of the output')
    assert not os.path.exists(log + '.1')
    assert 0 <= size(log) < 1024


def test_raw_binary_output(tm):
    n = 300000
    tm.write_config({'bin': tm.program(
        tm.cmdline('flood', '-b', '-e', n), stderr_logfile=tm.path('bin.err'),
        autorestart=False)})
    tm.start()
    tm.wait_log(r'^exited: bin \(exit status 0; expected\)$')
    assert read(tm.path('bin.err')) == pattern(n, binary=True)


def test_flood_is_complete_and_taskmaster_responsive(tm):
    out_n, err_n = 30 * 1000 * 1000, 8 * 1000 * 1000
    tm.write_config({
        'big': tm.program(tm.cmdline('flood', '-m', 'DONE', out_n),
                          stdout_logfile=tm.path('big.out'),
                          stdout_logfile_maxbytes=0, autorestart=False),
        'bigerr': tm.program(tm.cmdline('flood', '-e', '-m', 'DONE', err_n),
                             stderr_logfile=tm.path('big.err'),
                             stderr_logfile_maxbytes=0, autorestart=False),
    })
    sh = tm.start()
    worst = 0
    while size(tm.path('big.out')) < out_n + 5 and worst < 3:
        t0 = time.monotonic()
        st = sh.status()
        worst = max(worst, time.monotonic() - t0)
        assert set(st) == {'big', 'bigerr'}, st
    assert worst < 2, 'status took %.1fs during the flood' % worst
    tm.wait_log(r'^exited: big \(exit status 0; expected\)$', timeout=60)
    tm.wait_log(r'^exited: bigerr \(exit status 0; expected\)$', timeout=60)
    for path, n in ((tm.path('big.out'), out_n), (tm.path('big.err'), err_n)):
        data = read(path)
        assert len(data) == n + 5, (path, len(data))
        assert hashlib.sha1(data).digest() == hashlib.sha1(
            pattern(n) + b'DONE\n').digest(), path


def test_endless_flood_does_not_starve_commands(tm):
    log = tm.path('endless.out')
    tm.write_config({'endless': tm.program(
        tm.cmdline('flood', 0), stdout_logfile=log,
        stdout_logfile_maxbytes='4MB', stdout_logfile_backups=1)})
    sh = tm.start()
    sh.wait_state('endless', 'RUNNING')
    tm.wait_until(lambda: os.path.exists(log + '.1'), msg='a rotation')
    for _ in range(5):
        t0 = time.monotonic()
        assert sh.state('endless') == 'RUNNING'
        assert time.monotonic() - t0 < 2
    t0 = time.monotonic()
    assert sh.lines('stop endless') == ['endless: stopped']
    assert time.monotonic() - t0 < 3
    assert os.path.exists(log)
    assert not os.path.exists(log + '.2')


def test_debug_copies_output_to_main_log(tm):
    tm.write_config({'dbg': tm.program(tm.cmdline('sleeper', '-O', 'seen'),
                                       stdout_logfile='NONE')},
                    loglevel='debug')
    sh = tm.start()
    sh.wait_state('dbg', 'RUNNING')
    tm.wait_until(lambda: "DEBG 'dbg' stdout output:\nseen\n" in tm.log(),
                  msg='output in the main log')


def test_clear_running_and_stopped(tm):
    log = tm.path('cl.out')
    tm.write_config({'cl': tm.program(tm.cmdline('sleeper', '-O', 'text'),
                                      stdout_logfile=log),
                     'other': tm.program(tm.cmdline('sleeper', '-O', 'kept'),
                                         stdout_logfile=tm.path('o.out'))})
    sh = tm.start()
    tm.wait_file(log, r'^ready$')
    tm.wait_file(tm.path('o.out'), r'^ready$')
    assert sh.lines('clear cl') == ['cl: cleared']
    assert read(log) == b''
    assert read(tm.path('o.out')) == b'kept\nready\n'
    assert sh.lines('restart cl') == ['cl: stopped', 'cl: started']
    tm.wait_file(log, r'^ready$')
    assert sh.lines('stop cl') == ['cl: stopped']
    # supervisord reports success here and does nothing; we clear.
    assert sh.lines('clear cl') == ['cl: cleared']
    assert read(log) in (b'', None)
    assert sh.lines('clear nosuch') == ['nosuch: ERROR (no such process)']
    assert sh.lines('clear')[0] == 'Error: clear requires a process name'
    out = sh.lines('clear all')
    assert sorted(out) == ['cl: cleared', 'other: cleared'], out
    assert read(tm.path('o.out')) == b''


def test_main_log_rotation(tm):
    tm.write_config({'m': tm.program(tm.cmdline('exiter', 0, 0),
                                     autorestart=True)},
                    supervisord={'logfile_maxbytes': 2048,
                                 'logfile_backups': 2})
    tm.start()
    log = str(tm.logfile)
    tm.wait_until(lambda: os.path.exists(log + '.2'), msg='two rotations')
    assert not os.path.exists(log + '.3')
    for p in (log + '.1', log + '.2'):
        assert size(p) >= 2048
        assert read(p).startswith(b'20')
    assert size(log) < 2048


def cpu_seconds(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def test_no_busy_loop_when_idle_or_after_eof(tm):
    """Closed child pipes and idle programs cost no CPU: taskmaster waits
    for events instead of polling."""
    tm.write_config({
        'closed': tm.program(tm.cmdline('sleeper', '-x'),
                             stdout_logfile=tm.path('closed.out')),
        'idle': tm.program(tm.cmdline('sleeper'), numprocs=4,
                           process_name='idle%(process_num)d'),
    })
    sh = tm.start()
    sh.wait_state('closed', 'RUNNING')
    tm.wait_file(tm.path('closed.out'), r'^ready$')
    pid = sh.pid_of('closed')
    tm.wait_until(lambda: not [f for f in os.listdir('/proc/%d/fd' % pid)
                               if f in ('1', '2')], msg='pipes closed')
    c0, t0 = cpu_seconds(sh.pid), time.monotonic()
    tm.holds_for(lambda: True, 1.5)
    used = cpu_seconds(sh.pid) - c0
    assert used < 0.25 * (time.monotonic() - t0), \
        'taskmaster used %.2fs of CPU while idle' % used
    assert sh.state('closed') == 'RUNNING'
