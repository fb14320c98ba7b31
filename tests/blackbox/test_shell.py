# SPDX-License-Identifier: ISC
"""The control shell: every command's output and errors as supervisorctl
prints them (spec 7.2-7.5), the status line format, help, unknown syntax,
piped mode (no prompt, one command at a time, log records on stderr),
quit/exit/EOF, tab completion and history."""

import cmd as pycmd
import io
import os
import re
import signal
import subprocess

import pytest

from conftest import LOG_RE, PROMPT, T, TASKMASTER, alive

STOP_TIME = r'[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M'
LONG = 'a_rather_long_program_name_of_40_chars_x'


def flood_pattern(n):
    return b''.join(b'%015d%s\n' % (i, b'x' * 48)
                    for i in range(n // 64 + 1))[:n]


@pytest.fixture
def many(tm):
    """A running shell over programs in every common state."""
    tm.write_config({
        'run': tm.program(tm.cmdline('sleeper', '-C', 'USR1'),
                          stdout_logfile=tm.path('run.out')),
        'idle': tm.program(tm.cmdline('sleeper'), autostart=False),
        'dead': tm.program('/nonexistent-tm/x', startretries=0),
        'gone': tm.program(tm.cmdline('exiter', 0, 0), autorestart=False),
        LONG: tm.program(tm.cmdline('sleeper'), autostart=False),
        'fl': tm.program(tm.cmdline('flood', '-s', 5000),
                         stdout_logfile=tm.path('fl.out'),
                         stderr_logfile=tm.path('fl.err')),
    }, extra='[group:grp]\nprograms = idle\n')
    sh = tm.start()
    sh.wait_state('run', 'RUNNING')
    sh.wait_state('dead', 'FATAL')
    sh.wait_state('gone', 'EXITED')
    sh.wait_state('fl', 'RUNNING')
    tm.wait_until(lambda: os.path.exists(tm.path('fl.out')) and
                  os.path.getsize(tm.path('fl.out')) == 5000,
                  msg='flood output')
    return sh


def test_status_format(tm, many):
    w = len(LONG) + 3
    out = many.lines('status')
    names = [l.split(' ', 1)[0] for l in out]
    assert names == sorted(names, key=lambda n: (
        n.split(':')[0], n)) and len(names) == 6, out
    by = {l.split(' ', 1)[0]: l for l in out}
    assert by['grp:idle'] == 'grp:idle'.ljust(w) + 'STOPPED   Not started'
    assert by[LONG] == LONG.ljust(w) + 'STOPPED   Not started'
    assert by['dead'] == ('dead'.ljust(w) + 'FATAL     ' +
                          "can't find command '/nonexistent-tm/x'")
    assert re.match(r'^run {%d}RUNNING   pid \d+, uptime 0:00:\d\d$' % (w - 3),
                    by['run']), by['run']
    assert re.match(r'^gone {%d}EXITED    %s$' % (w - 4, STOP_TIME),
                    by['gone']), by['gone']


def test_status_width_minimum_and_starting(tm):
    tm.write_config({'slow': tm.program(tm.cmdline('sleeper'), startsecs=30),
                     'x': tm.program(tm.cmdline('sleeper'), autostart=False)})
    sh = tm.start()
    sh.wait_state('slow', 'STARTING')
    out = sh.lines('status')
    assert [l.rstrip() for l in out] == ['slow'.ljust(33) + 'STARTING',
                                         'x'.ljust(33) + 'STOPPED   Not started']


def test_status_arguments(tm, many):
    assert [l.split()[0] for l in many.lines('status run gone')] == \
        ['run', 'gone']
    assert many.lines('status nosuch') == ['nosuch: ERROR (no such process)']
    assert many.lines('status nosuch:*') == ['nosuch: ERROR (no such group)']
    assert [l.split()[0] for l in many.lines('status grp:*')] == ['grp:idle']
    assert many.lines('status idle') == ['idle: ERROR (no such process)']


def test_start(tm, many):
    assert many.lines('start grp:idle') == ['grp:idle: started']
    assert many.state('grp:idle') == 'RUNNING'
    assert many.lines('start grp:idle') == \
        ['grp:idle: ERROR (already started)']
    assert many.lines('start nosuch') == ['nosuch: ERROR (no such process)']
    assert many.lines('start nosuch:*') == ['nosuch: ERROR (no such group)']
    assert many.lines('start dead') == ['dead: ERROR (no such file)']
    assert many.lines('start')[0] == 'Error: start requires a process name'
    out = many.lines('start %s gone' % LONG)
    assert out == ['%s: started' % LONG, 'gone: started'] or \
        sorted(out) == sorted(['%s: started' % LONG, 'gone: started']), out


def test_start_all_and_group(tm):
    tm.write_config({
        'g': tm.program(tm.cmdline('sleeper'), numprocs=2, autostart=False,
                        process_name='g%(process_num)d'),
        'on': tm.program(tm.cmdline('sleeper')),
        'off': tm.program(tm.cmdline('sleeper'), autostart=False),
    })
    sh = tm.start()
    sh.wait_state('on', 'RUNNING')
    assert sorted(sh.lines('start g:*')) == ['g:g0: started', 'g:g1: started']
    assert sh.lines('start g:*') == []
    # Running ones are skipped silently.
    assert sh.lines('start all') == ['off: started']
    assert all(v[0] == 'RUNNING' for v in sh.status().values())


def test_restart(tm, many):
    pid = many.pid_of('run')
    assert many.lines('restart run') == ['run: stopped', 'run: started']
    assert many.pid_of('run') != pid and not alive(pid)
    assert many.lines('restart grp:idle') == [
        'grp:idle: ERROR (not running)', 'grp:idle: started']
    assert many.lines('restart')[0] == 'Error: restart requires a process name'


def test_signal(tm, many):
    out = tm.path('run.out')
    assert many.lines('signal USR1 run') == ['run: signalled']
    tm.wait_file(out, r'^caught %d$' % signal.SIGUSR1)
    for sig in ('usr1', 'SIGUSR1', str(int(signal.SIGUSR1))):
        assert many.lines('signal %s run' % sig) == ['run: signalled']
    tm.wait_until(lambda: open(out).read().count(
        'caught %d\n' % signal.SIGUSR1) == 4, msg='four USR1 caught')
    assert many.lines('signal FOO run') == ['run: ERROR (bad signal name)']
    assert many.lines('signal USR1 grp:idle') == \
        ['grp:idle: ERROR (not running)']
    assert many.lines('signal USR1 nosuch') == \
        ['nosuch: ERROR (no such process)']
    assert many.lines('signal USR1 nosuch:*') == \
        ['nosuch: ERROR (no such group)']
    assert many.lines('signal USR1')[0] == \
        'Error: signal requires a signal name and a process name'
    assert many.state('run') == 'RUNNING'


def test_signal_all(tm):
    tm.write_config({'c%d' % i: tm.program(
        tm.cmdline('sleeper', '-C', 'HUP'),
        stdout_logfile=tm.path('c%d.out' % i)) for i in range(2)})
    sh = tm.start()
    sh.wait_state('c0', 'RUNNING')
    sh.wait_state('c1', 'RUNNING')
    assert sorted(sh.lines('signal HUP all')) == ['c0: signalled',
                                                  'c1: signalled']
    for i in range(2):
        tm.wait_file(tm.path('c%d.out' % i), r'^caught %d$' % signal.SIGHUP)


def test_pid(tm, many):
    assert many.lines('pid') == [str(many.pid)]
    assert many.lines('pid run') == [str(many.pid_of('run'))]
    assert many.lines('pid grp:idle') == ['0']
    assert many.lines('pid nosuch') == ['No such process nosuch']
    pids = many.lines('pid all')
    assert len(pids) == 6 and all(p.isdigit() for p in pids), pids
    assert str(many.pid_of('run')) in pids


def test_tail(tm, many):
    data = flood_pattern(5000)
    out = many.cmd('tail fl')
    assert out.rstrip('\n') == data[-1600:].decode().rstrip('\n')
    out = many.cmd('tail -100 fl')
    assert out.rstrip('\n') == data[-100:].decode().rstrip('\n')
    assert many.lines('tail fl stderr') == []
    assert many.lines('tail run') == ['ready']
    assert many.lines('tail nosuch') == \
        ['nosuch: ERROR (no such process name)']
    assert many.lines('tail fl foo')[0] == "Error: bad channel 'foo'"
    assert many.lines('tail')[0] == 'Error: too few arguments'
    assert many.lines('tail -f')[0] == 'Error: tail requires process name'
    assert many.lines('tail -f fl stdout extra')[0] == \
        'Error: too many arguments'


def test_tail_follow(tm, many):
    pid = many.pid_of('run')
    many.send_line('tail -f run')
    many.expect(r'==> Press Ctrl-C to exit <==')
    many.expect(r'ready')
    os.kill(pid, signal.SIGUSR1)
    many.expect(r'caught %d' % signal.SIGUSR1)
    many.child.sendcontrol('c')
    many.expect_prompt()
    assert many.alive()
    assert many.lines('version')
    assert many.state('run') == 'RUNNING'


def test_maintail(tm, many):
    out = many.cmd('maintail', raw=True)
    assert "spawned: 'run' with pid" in out
    assert out.rstrip('\n') in tm.log()
    out = many.cmd('maintail -100', raw=True).rstrip('\n')
    assert 0 < len(out) <= 100 and out in tm.log()


def test_avail(tm, many):
    out = many.lines('avail')
    exp = {
        'run': '%-32s %-9s %-9s %s' % ('run', 'in use', 'auto', '999:999'),
        'grp:idle': '%-32s %-9s %-9s %s' % ('grp:idle', 'in use', 'manual',
                                            '999:999'),
        LONG: '%-32s %-9s %-9s %s' % (LONG, 'in use', 'manual', '999:999'),
    }
    for name, line in exp.items():
        assert line in out, (line, out)
    assert len(out) == 6


def test_version_help_unknown_empty(tm):
    tm.write_config({'x': tm.program(tm.cmdline('sleeper'),
                                     autostart=False)})
    sh = tm.start()
    v = sh.lines('version')
    assert len(v) == 1 and re.match(r'^\d+\.\d+', v[0]), v
    assert sh.lines('') == []
    assert sh.lines('frobnicate now') == \
        ['*** Unknown syntax: frobnicate now']
    out = sh.lines('help')
    head = 'default commands (type help <topic>):'
    assert out[0] == '' and out[1] == head and out[2] == '=' * len(head), out
    words = set(' '.join(out[3:]).split())
    for c in ('avail', 'clear', 'exit', 'maintail', 'pid', 'quit', 'reload',
              'reread', 'restart', 'shutdown', 'signal', 'start', 'status',
              'stop', 'tail', 'update', 'version'):
        assert c in words, c
    assert sh.lines('help nosuch') == ['*** No help on nosuch']


HELP = {
    'start': ['start <name>\t\tStart a process',
              'start <gname>:*\t\tStart all processes in a group',
              'start <name> <name>\tStart multiple processes or groups',
              'start all\t\tStart all processes'],
    'stop': ['stop <name>\t\tStop a process',
             'stop all\t\tStop all processes'],
    'status': ['status <name>\t\tGet status for a single process',
               'status\t\t\tGet all process status info'],
    'pid': ['pid\t\t\tGet the PID of supervisord.',
            'pid all\t\t\tGet the PID of every child process, one per line.'],
    'tail': ['tail [-f] <name> [stdout|stderr] (default stdout)'],
}


@pytest.mark.parametrize('command', sorted(HELP))
def test_help_command(tm, command):
    tm.write_config({})
    sh = tm.start()
    out = [l.expandtabs() for l in sh.lines('help ' + command)]
    for line in HELP[command]:
        assert line.expandtabs() in out, (line, out)


@pytest.mark.parametrize('how', ['quit', 'exit', 'eof', 'shutdown'])
def test_leaving_stops_everything(tm, how):
    tm.write_config({'a': tm.program(tm.cmdline('sleeper')),
                     'b': tm.program(tm.cmdline('sleeper', '-t'),
                                     stopwaitsecs=1)})
    sh = tm.start()
    pids = []
    for n in 'ab':
        sh.wait_state(n, 'RUNNING')
        pids.append(sh.pid_of(n))
    if how == 'eof':
        sh.child.sendeof()
    elif how == 'shutdown':
        sh.cmd_confirm('shutdown')
    else:
        sh.child.sendline(how)
    assert sh.wait_exit() == 0
    assert not any(alive(p) for p in pids)
    assert tm.leftovers() == []
    tm.wait_log(r'^stopped: a \(terminated by SIGTERM\)$')
    tm.wait_log(r'^stopped: b \(terminated by SIGKILL\)$')


def test_piped_mode(tm):
    tm.write_config({'a': tm.program(tm.cmdline('sleeper'), startsecs=1,
                                     autostart=False),
                     'b': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start(pty=False)
    sh.send('status a\nstart a\nstatus a\nstop a\nstatus a\nbogus cmd\n'
            'pid b\n')
    sh.close_stdin()
    assert sh.wait_exit() == 0
    out = sh.stdout().split('\n')
    assert out[-1] == ''
    out = out[:-1]
    assert PROMPT.strip() not in sh.stdout()
    assert not [l for l in out if LOG_RE.match(l)], out
    assert out[0] == 'a'.ljust(33) + 'STOPPED   Not started'
    assert out[1] == 'a: started'
    # start waited for RUNNING before the next line was read.
    assert re.match(r'^a {32}RUNNING   pid \d+, uptime 0:00:0\d$', out[2]), out
    assert out[3] == 'a: stopped'
    assert re.match(r'^a {32}STOPPED   %s$' % STOP_TIME, out[4]), out
    assert out[5] == '*** Unknown syntax: bogus cmd'
    assert out[6].isdigit() and len(out) == 7, out
    err = sh.stderr()
    assert re.search(r"spawned: 'a' with pid \d+", err)
    assert re.search(r'stopped: b \(terminated by SIGTERM\)', err)
    assert not alive(int(out[6]))


def test_piped_command_by_command(tm):
    tm.write_config({'p': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start(pty=False)
    sh.wait_state('p', 'RUNNING')
    assert sh.lines('stop p') == ['p: stopped']
    assert sh.lines('start p') == ['p: started']
    assert sh.lines('pid') == [str(sh.pid)]
    sh.send('shutdown\n')
    assert sh.wait_exit() == 0


def test_tab_completion(tm):
    tm.write_config({'completeme': tm.program(tm.cmdline('sleeper')),
                     'other': tm.program(tm.cmdline('sleeper'), numprocs=2,
                                         process_name='o%(process_num)d')})
    sh = tm.start()
    sh.wait_state('completeme', 'RUNNING')
    pid = sh.pid_of('completeme')
    # A unique command prefix.
    sh.child.send('vers\t')
    sh.expect('version')
    sh.child.send('\r')
    assert re.search(r'^\d+\.\d+', sh.expect_prompt(), re.M)
    assert sh.lines('pid') == [str(sh.pid)]
    # A process name after a command.
    sh.child.send('pid compl\t')
    sh.expect('completeme')
    sh.child.send('\r')
    sh.expect(r'\n%d\r?\n' % pid)
    sh.expect_prompt()
    # Ambiguous: a second tab lists the candidates.
    sh.child.send('status other:\t\t')
    sh.expect(r'other:o0')
    sh.expect(r'other:o1')
    sh.child.send('\x15\r')     # kill the line, then an empty command
    sh.expect_prompt()
    assert sh.lines('version')


def test_history(tm):
    tm.write_config({})
    sh = tm.start()
    v = sh.lines('version')
    assert sh.lines('frobnicate') == ['*** Unknown syntax: frobnicate']
    # Ctrl-P twice: back to "version".
    sh.child.send('\x10\x10\r')
    sh.expect(r'\n%s\r?\n' % re.escape(v[0]))
    assert 'Unknown syntax' not in sh.child.before
    sh.expect_prompt()
    assert sh.lines('version') == v


def test_log_events_on_the_terminal(tm):
    """In the shell, INFO and higher records also appear on the terminal;
    DEBG ones only in the log file."""
    tm.write_config({'ev': tm.program(tm.cmdline('sleeper'),
                                      autostart=False)}, loglevel='debug')
    sh = tm.start()
    assert sh.lines('start ev') == ['ev: started']
    pid = sh.pid_of('ev')
    assert sh.lines('stop ev') == ['ev: stopped']
    tm.wait_log(r'^killing ev \(pid %d\) with signal SIGTERM$' % pid)
    tm.wait_until(lambda: re.search(r"spawned: 'ev' with pid %d" % pid,
                                    sh.output_since_start()) and
                  'stopped: ev (terminated by SIGTERM)' in
                  sh.output_since_start(), msg='records on the terminal')
    assert 'killing ev (pid' not in sh.output_since_start()


def test_help_layout(tm):
    """The command list is laid out like Python's cmd module does it
    (column-major, 80 columns), and every listed command has help."""
    tm.write_config({})
    sh = tm.start()
    out = sh.lines('help')
    assert len(out) > 3
    names = ' '.join(out[3:]).split()
    buf = io.StringIO()
    pycmd.Cmd(stdout=buf).columnize(sorted(names), 79)
    expected = [l.rstrip() for l in buf.getvalue().split('\n') if l.strip()]
    assert [l.rstrip() for l in out[3:]] == expected
    for name in names:
        text = sh.lines('help ' + name)
        assert text and not text[0].startswith('*** No help'), (name, text)


def test_ctrl_c_drops_the_line(tm):
    tm.write_config({'cc': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('cc', 'RUNNING')
    pid = sh.pid_of('cc')
    sh.child.send('frobnicate')
    sh.expect('frobnicate')
    sh.child.sendcontrol('c')
    sh.expect_prompt()
    v = sh.lines('version')
    assert len(v) == 1 and re.match(r'^\d+\.\d+', v[0]), v
    assert sh.alive() and sh.pid_of('cc') == pid


def test_typing_survives_async_output(tm):
    """A record printed while a line is being typed does not break it."""
    tm.write_config({'victim': tm.program(tm.cmdline('sleeper'),
                                          autorestart=False)})
    sh = tm.start()
    sh.wait_state('victim', 'RUNNING')
    pid = sh.pid_of('victim')
    sh.child.send('vers')
    sh.expect('vers')
    os.kill(pid, signal.SIGKILL)
    sh.expect(r'exited: victim \(terminated by SIGKILL; not expected\)')
    # The partial line is shown again after the record.
    sh.expect(re.escape(PROMPT) + 'vers')
    sh.child.send('ion\r')
    sh.expect(r'\n\d+\.\d+\S*\r?\n')
    assert 'Unknown syntax' not in sh.child.before
    sh.expect_prompt()


def test_piped_reader_gone(tm):
    """Nobody reads stdout any more: taskmaster must not die of SIGPIPE
    and orphan its children; at end of input it stops them and exits 0."""
    tm.write_config({'pp': tm.program(tm.cmdline('sleeper'))})
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.Popen([str(TASKMASTER), '-c', str(tm.conf)],
                             stdin=subprocess.PIPE, stdout=w,
                             stderr=subprocess.DEVNULL, env=tm.environ(),
                             cwd=str(tm.dir))
    finally:
        os.close(w)
    try:
        (_, _, m), = tm.wait_log(r"^spawned: 'pp' with pid (\d+)$")
        pid = int(m.group(1))
        tm.seen_pids.add(pid)
        for _ in range(20):
            p.stdin.write(b'status\nhelp\n')
            p.stdin.flush()
        p.stdin.close()
        assert p.wait(T) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert not alive(pid)
