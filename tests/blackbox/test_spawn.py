# SPDX-License-Identifier: ISC
"""What a child gets: environment (inherited < [supervisord] < program,
plus SUPERVISOR_*), directory, umask, its own process group, only fds 0-2,
default signal dispositions and an empty mask; and spawn errors, which end
in FATAL with the reason in the log and in status while taskmaster goes on."""

import os
import re
import signal
import stat

import pytest


def report(tm, name, *flags, **keys):
    """Config entry for a sleeper printing reports to <name>.out."""
    keys.setdefault('stdout_logfile', tm.path(name + '.out'))
    return tm.program(tm.cmdline('sleeper', *flags), **keys)


def read_report(tm, name):
    tm.wait_file(tm.path(name + '.out'), r'^ready$')
    return open(tm.path(name + '.out')).read().split('\n')


def child_env(lines):
    return dict(l[4:].split('=', 1) for l in lines if l.startswith('env:'))


def test_environment_precedence(tm):
    tm.write_config(
        {'envp': report(tm, 'envp', '-e',
                        environment='B="from program",C=prog,'
                        'Q="x,y",S=\'z w\',E="",X=%(ENV_TM_INH_D)s')},
        supervisord={'environment': 'A=sd,B=sd'})
    tm.start(env={'TM_INH_D': 'inherited', 'A': 'inherited',
                  'B': 'inherited', 'SUPERVISOR_PROCESS_NAME': 'bogus',
                  'SUPERVISOR_ENABLED': '0'})
    env = child_env(read_report(tm, 'envp'))
    assert env['TM_INH_D'] == 'inherited'
    assert env['A'] == 'sd'
    assert env['B'] == 'from program'
    assert env['C'] == 'prog'
    assert env['Q'] == 'x,y' and env['S'] == 'z w' and env['E'] == ''
    assert env['X'] == 'inherited'
    assert env['SUPERVISOR_ENABLED'] == '1'
    assert env['SUPERVISOR_PROCESS_NAME'] == 'envp'
    assert env['SUPERVISOR_GROUP_NAME'] == 'envp'
    assert env['TASKMASTER_TEST_TOKEN'] == tm.token


def test_supervisor_names_in_groups(tm):
    tm.write_config({
        'hp': report(tm, 'hp', '-e', numprocs=2,
                     process_name='hp_%(process_num)d',
                     stdout_logfile=tm.path('hp_%(process_num)d.out')),
        'member': report(tm, 'member', '-e'),
    }, extra='[group:grp]\nprograms = member\n')
    tm.start()
    env = child_env(read_report(tm, 'hp_1'))
    assert (env['SUPERVISOR_PROCESS_NAME'], env['SUPERVISOR_GROUP_NAME']) == \
        ('hp_1', 'hp')
    env = child_env(read_report(tm, 'member'))
    assert (env['SUPERVISOR_PROCESS_NAME'], env['SUPERVISOR_GROUP_NAME']) == \
        ('member', 'grp')


def test_directory_and_umask(tm):
    work = tm.dir / 'work'
    work.mkdir()
    tm.write_config({
        'd': report(tm, 'd', '-d', '-u', directory=str(work), umask='077'),
        'u': report(tm, 'u', '-u', umask='2'),
    })
    tm.start()
    lines = read_report(tm, 'd')
    assert 'cwd=%s' % os.path.realpath(work) in lines
    assert 'umask=0077' in lines
    assert 'umask=0002' in read_report(tm, 'u')


def test_supervisord_umask_applies_in_foreground(tm):
    """A configured [supervisord] umask is applied in the foreground too
    (supervisord applies it only when daemonizing, section 13), so a child
    without umask= gets it rather than the umask of the shell."""
    tm.write_config({'inh': report(tm, 'inh', '-u')},
                    supervisord={'umask': '077'})
    tm.start(preexec_fn=lambda: os.umask(0o027))
    assert 'umask=0077' in read_report(tm, 'inh')


def test_supervisord_directory_applies_in_foreground(tm):
    """[supervisord] directory is where taskmaster runs from, daemon or
    not (supervisord ignores it in the foreground, section 13)."""
    work = tm.dir / 'sdwork'
    work.mkdir()
    tm.write_config({'cw': report(tm, 'cw', '-d')},
                    supervisord={'directory': str(work)})
    tm.start()
    assert 'cwd=%s' % os.path.realpath(work) in read_report(tm, 'cw')


def _world_reachable(path):
    p = os.path.realpath(path)
    while p != '/':
        if not os.stat(p).st_mode & stat.S_IXOTH:
            return False
        p = os.path.dirname(p)
    return True


def test_user_drops_privileges(tm):
    import pwd
    if os.geteuid() != 0:
        pytest.skip('needs root')
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        pytest.skip('no user nobody')
    if not _world_reachable(tm.prog('sleeper')):
        pytest.skip('helper programs not reachable by nobody')
    tm.write_config({'nob': tm.program(tm.cmdline('sleeper'), user='nobody'),
                     'me': tm.program(tm.cmdline('sleeper'), user='root')})
    sh = tm.start()
    for n in ('nob', 'me'):
        sh.wait_state(n, 'RUNNING')

    def ids(pid):
        st = dict(l.split(':', 1) for l in
                  open('/proc/%d/status' % pid).read().split('\n') if l)
        return int(st['Uid'].split()[0]), int(st['Gid'].split()[0])
    assert ids(sh.pid_of('nob')) == (nobody.pw_uid, nobody.pw_gid)
    assert ids(sh.pid_of('me')) == (0, 0)


def test_own_process_group(tm):
    tm.write_config({'pg': report(tm, 'pg', '-g')})
    sh = tm.start()
    lines = read_report(tm, 'pg')
    m = [re.match(r'pid=(\d+) pgid=(\d+) sid=(\d+) ppid=(\d+)$', l)
         for l in lines]
    m = [x for x in m if x][0]
    pid, pgid, sid, ppid = map(int, m.groups())
    assert pid == pgid
    assert ppid == sh.pid
    assert sid == os.getsid(sh.pid)
    assert pid == sh.pid_of('pg')


def test_only_standard_fds(tm):
    tm.write_config({
        'fd': report(tm, 'fd', '-F'),
        'fd2': report(tm, 'fd2', '-F', redirect_stderr=True),
        # More programs running means more pipes open in taskmaster.
        'other': tm.program(tm.cmdline('sleeper'), numprocs=3,
                            process_name='o%(process_num)d'),
    })

    def leak_fds():
        # Descriptors taskmaster inherited must not reach the children
        # either.
        r, w = os.pipe()
        os.set_inheritable(r, True)
        os.set_inheritable(w, True)
    sh = tm.start(preexec_fn=leak_fds)
    assert 'fds=0 1 2' in read_report(tm, 'fd')
    assert 'fds=0 1 2' in read_report(tm, 'fd2')
    sh.wait_state('other:o2', 'RUNNING')


def test_default_signal_dispositions(tm):
    """Children start with every signal at its default and nothing
    blocked, whatever taskmaster itself inherited or set up."""
    tm.write_config({'sig': report(tm, 'sig', '-m')})

    def disturb():
        for s in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGUSR1,
                  signal.SIGTSTP):
            signal.signal(s, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM,
                                                  signal.SIGUSR2})
    tm.start(preexec_fn=disturb)
    assert 'sigblk=0000000000000000 sigign=0000000000000000' in \
        read_report(tm, 'sig')


def test_stdin_is_an_open_pipe(tm):
    tm.write_config({'in': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('in', 'RUNNING')
    pid = sh.pid_of('in')
    target = os.readlink('/proc/%d/fd/0' % pid)
    assert target.startswith('pipe:'), target


def test_path_search_uses_program_environment(tm):
    bindir = tm.dir / 'bin'
    bindir.mkdir()
    os.symlink(tm.prog('sleeper'), bindir / 'tm-sleeper-in-path')
    tm.write_config({'p': tm.program('tm-sleeper-in-path -O found',
                                     environment='PATH="%s"' % bindir,
                                     stdout_logfile=tm.path('p.out'))})
    sh = tm.start()
    sh.wait_state('p', 'RUNNING')
    tm.wait_file(tm.path('p.out'), r'^found$')


def _fatal_with(tm, sh, name, reason):
    st = sh.wait_state(name, 'FATAL')
    assert reason in st[1], st
    return st


SPAWN_ERRORS = [
    # id, command, text of the spawnerr line and status, start error
    ('missing', '/nonexistent-tm/prog', "can't find command "
     "'/nonexistent-tm/prog'", 'no such file'),
    ('not-in-path', 'tm-surely-not-a-command-zz', "can't find command "
     "'tm-surely-not-a-command-zz'", 'no such file'),
    ('not-executable', '@NOEXEC@', "command at '@NOEXEC@' is not executable",
     'file is not executable'),
    ('directory', '@DIR@', "command at '@DIR@' is a directory",
     'file is not executable'),
]


@pytest.mark.parametrize('case', SPAWN_ERRORS, ids=[c[0] for c in SPAWN_ERRORS])
def test_spawn_error_is_fatal_and_taskmaster_goes_on(tm, case):
    name, command, reason, start_error = case
    noexec = tm.dir / 'noexec'
    noexec.write_text('#!/bin/sh\nexit 0\n')
    noexec.chmod(stat.S_IRUSR | stat.S_IWUSR)
    d = tm.dir / 'adir'
    d.mkdir()
    subst = {'@NOEXEC@': str(noexec), '@DIR@': str(d)}
    for k, v in subst.items():
        command = command.replace(k, v)
        reason = reason.replace(k, v)
    tm.write_config({'bad': tm.program(command, startsecs=1, startretries=1),
                     'good': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    tm.wait_log(r'^spawnerr: %s$' % re.escape(reason))
    _fatal_with(tm, sh, 'bad', reason)
    tm.wait_log(r'^gave up: bad entered FATAL state')
    assert not tm.find_log(r"^spawned: 'bad'")
    assert sh.state('good') == 'RUNNING'
    assert sh.lines('start bad') == ['bad: ERROR (%s)' % start_error]
    assert sh.lines('version')


def test_bad_directory_is_a_spawn_error(tm):
    tm.write_config({'bd': tm.program(tm.cmdline('sleeper'),
                                      directory='/nonexistent-tm-dir',
                                      startsecs=1, startretries=0),
                     'good': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    st = sh.wait_state('bd', 'FATAL')
    assert '/nonexistent-tm-dir' in st[1], st
    assert any('/nonexistent-tm-dir' in msg
               for _, _, msg in tm.records()), tm.log()
    assert sh.state('good') == 'RUNNING'


def test_exec_failure_is_reported(tm):
    """A script whose interpreter does not exist fails in execve."""
    script = tm.dir / 'badinterp'
    script.write_text('#!/nonexistent-tm/interp\n')
    script.chmod(0o755)
    tm.write_config({'ex': tm.program(str(script), startsecs=1,
                                      startretries=0,
                                      stderr_logfile=tm.path('ex.err'))})
    sh = tm.start()
    st = sh.wait_state('ex', 'FATAL')
    tm.wait_log(r'^gave up: ex entered FATAL state')
    # The reason is in the status, the main log or the stderr log.
    try:
        err = open(tm.path('ex.err')).read()
    except FileNotFoundError:
        err = ''
    assert 'badinterp' in st[1] + err + tm.log(), (st, err)
    assert sh.lines('version')


def test_unparsable_command_is_a_spawn_error(tm):
    tm.write_config({'q': tm.program(tm.cmdline('sleeper') + ' "unclosed',
                                     startretries=0, startsecs=1)})
    sh = tm.start()
    st = sh.wait_state('q', 'FATAL')
    assert 'No closing quotation' in st[1], st
