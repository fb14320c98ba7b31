# SPDX-License-Identifier: ISC
"""Supervisor 4.2.5's own end-to-end scenarios (supervisor/tests/
test_end_to_end.py) with taskmasterd in supervisord's place.

Each test copies one of the installed fixtures (supervisor/tests/fixtures/
issue-*.conf) and the scripts beside it into its own directory, moves what
they put in /tmp (logs, pidfiles, sockets) into directories of its own,
runs scripts with /usr/bin/python3, then starts `taskmasterd -c FIXTURE`
under a terminal (the fixtures set nodaemon=true, so the main log is on its
stdout) and waits for the lines supervisord's test waits for.  Where the
original drives the daemon with supervisorctl, the test runs twice: with the
real supervisorctl and with taskmasterctl.  Without Debian's supervisor
package (the fixtures and the real client) the file is skipped.
"""

import configparser
import os
import re
import shlex
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

import pexpect
import pytest

from conftest import BUILD, T, alive, wait_until

SUPERVISOR = Path('/usr/lib/python3/dist-packages/supervisor')
FIXTURES = SUPERVISOR / 'tests' / 'fixtures'
PYTHON = '/usr/bin/python3'
TASKMASTERD = BUILD / 'taskmasterd'
TASKMASTERCTL = BUILD / 'taskmasterctl'
CLIENTS = {
    'supervisorctl': [PYTHON, '-m', 'supervisor.supervisorctl'],
    'taskmasterctl': [str(BUILD / 'taskmasterctl')],
}
SANITIZER_RE = re.compile(r'ERROR: AddressSanitizer|ERROR: LeakSanitizer|'
                          r'runtime error:')
NO_LISTENERS = 'event listeners are not run yet'

# The scripts of the fixtures; hello.sh (issue-565) is missing from
# Debian's package, so an equivalent is written when it is absent.
HELLO_SH = ('#!/bin/bash\n'
            'for n in 1 2 3 4 5 6 7 8 9 10; do\n'
            '\techo "The \u00d8resund bridge ends in Malm\u00f6 - $n"\n'
            '\tsleep 1\n'
            'done\n')

pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason='%s is absent (Debian package supervisor)' % FIXTURES)


def clients(**xfails):
    """Parameters naming the two clients; a keyword client=reason marks
    that client's run as a strict expected failure."""
    out = []
    for name in CLIENTS:
        marks = ()
        if name in xfails:
            marks = pytest.mark.xfail(strict=True, reason=xfails[name])
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- terminals

class Term:
    """A program under a pseudo-terminal, as supervisord's test runs both
    supervisord and supervisorctl; what it prints is kept in a transcript.
    It belongs to the box, whose cleanup ends it."""

    def __init__(self, box, argv, env, cwd, name, ends=True):
        self.box = box
        self.ends = ends
        self.path = box.dir / ('%s-%d.out' % (name, len(box.sessions)))
        self.transcript = open(self.path, 'w', encoding='utf-8')
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=str(cwd),
                                   encoding='utf-8', codec_errors='replace',
                                   timeout=T, dimensions=(50, 250))
        self.child.logfile_read = self.transcript
        self.pid = self.child.pid
        self.ours = argv[0].startswith(str(BUILD))
        box.sessions.append(self)

    def expect_exact(self, text, timeout=T):
        """Waits for text in the output after what was matched before."""
        try:
            self.child.expect_exact(text, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            pytest.fail('%r not seen (%s); output since the last match:\n%s'
                        % (text, type(e).__name__, self.child.before[-3000:]))
        return self.child.before

    def expect(self, regex, timeout=T):
        try:
            self.child.expect(regex, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            pytest.fail('/%s/ not seen (%s); output since the last match:\n%s'
                        % (regex, type(e).__name__, self.child.before[-3000:]))
        return self.child.match

    def sendline(self, line):
        self.child.sendline(line)

    def wait_eof(self, timeout=T):
        """Reads up to the end of the output; returns (exit status, what
        came since the last match)."""
        self.expect(pexpect.EOF, timeout)
        text = self.child.before
        self.child.wait()
        if self.child.signalstatus is not None:
            return -self.child.signalstatus, text
        return self.child.exitstatus, text

    def drain(self, timeout=T):
        """Reads what is left of the output of a program that ends by
        itself (a sanitizer's report at exit comes last)."""
        if self.ends:
            try:
                self.child.expect(pexpect.EOF, timeout=timeout)
            except (pexpect.TIMEOUT, OSError, ValueError):
                pass

    def text(self):
        if not self.transcript.closed:
            self.transcript.flush()
        return self.path.read_text(errors='replace')

    def alive(self):
        return self.child.isalive()

    def _gone(self):
        """True when no process of the terminal's process group is left."""
        for d in os.listdir('/proc'):
            if d.isdigit():
                try:
                    if os.getpgid(int(d)) == self.pid and alive(int(d)):
                        return False
                except OSError:
                    pass
        return True

    def shutdown(self, timeout=T):
        """A client (and the pipeline it may be part of) is killed."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.child.close(force=True)
        wait_until(self._gone, timeout, msg='process group %d gone' % self.pid)

    def close(self):
        if self.child.isalive():
            self.shutdown()
        self.child.close(force=True)
        self.transcript.close()


class Daemon(Term):
    """taskmasterd; ended with SIGINT as supervisord's test ends it, its
    output read meanwhile so that a full terminal never blocks it."""

    def shutdown(self, timeout=T):
        if self.child.isalive():
            os.kill(self.pid, signal.SIGINT)
        deadline = time.monotonic() + max(timeout, 15)
        while self.child.isalive() and time.monotonic() < deadline:
            try:
                self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=0.2)
            except (OSError, ValueError):
                time.sleep(0.05)
        if self.child.isalive():
            self.child.close(force=True)
            pytest.fail('taskmasterd (pid %d) did not exit on SIGINT'
                        % self.pid)
        self.child.close()
        return self.child.exitstatus


# ---------------------------------------------------------------- fixtures

class Fixture:
    """One fixture of supervisord's tests adapted to this test's
    directories."""

    def __init__(self, e2e, name):
        self.e2e = e2e
        self.name = name
        self.conf = e2e.here / name
        self.port = free_port()
        self.conf.write_text(self.adapt((FIXTURES / name).read_text()))
        cp = configparser.RawConfigParser(strict=False,
                                          inline_comment_prefixes=(';',))
        cp.read_string(self.conf.read_text())
        self.sock = None
        if cp.has_option('unix_http_server', 'file'):
            self.sock = cp.get('unix_http_server', 'file')

    def relocate(self, m):
        """/tmp/NAME: sockets into the short socket directory (sun_path
        holds 108 bytes), everything else into the test's directory."""
        name = m.group(1)
        d = self.e2e.sockdir if name.endswith('.sock') else self.e2e.here
        return os.path.join(d, name)

    def adapt(self, text):
        out = []
        section = None
        port = '127.0.0.1:%d' % self.port
        for line in text.splitlines(keepends=True):
            m = re.match(r'\s*\[([^\]]+)\]', line)
            if m:
                section = m.group(1)
            line = re.sub(r'(?<![\w.])/tmp/([^\s;\'"/]+)', self.relocate,
                          line)
            if section == 'inet_http_server':
                line = re.sub(r'^(port\s*[=:]\s*)\S+', r'\g<1>' + port, line)
            if re.match(r'serverurl\s*[=:]', line):
                line = re.sub(r'http://[^\s;/]+', 'http://' + port, line)
            line = re.sub(r'^(command\s*[=:]\s*)python\b', r'\g<1>' + PYTHON,
                          line)
            out.append(line)
        return ''.join(out)


class E2E:
    """The test's directory (%(here)s of its fixture copies), the daemons
    and clients it runs."""

    def __init__(self, tm):
        self.tm = tm
        self.here = tm.dir / 'fixtures'
        self.here.mkdir()
        self.sockdir = Path(tempfile.mkdtemp(prefix='tme2e-', dir='/tmp'))
        self.daemons = []
        self.transports = []
        for f in FIXTURES.iterdir():
            if f.suffix in ('.py', '.sh') and f.is_file():
                shutil.copy(f, self.here / f.name)
        hello = self.here / 'hello.sh'
        if not hello.exists():
            hello.write_text(HELLO_SH)

    def fixture(self, name):
        return Fixture(self, name)

    def environ(self, extra=None):
        env = self.tm.environ(extra)
        # Where AUTO child logs go when a fixture names no childlogdir.
        env['TMPDIR'] = str(self.here)
        return env

    def daemon(self, fx, args=(), env=None):
        """taskmasterd -c FIXTURE [args], in the fixture's directory."""
        if not TASKMASTERD.exists():
            pytest.fail('%s does not exist (make build-all)' % TASKMASTERD)
        argv = [str(TASKMASTERD), '-c', str(fx.conf)] + list(args)
        d = Daemon(self.tm, argv, self.environ(env), self.here, 'taskmasterd')
        self.daemons.append(d)
        return d

    def ctl(self, client, fx, *args, env=None):
        """supervisorctl or taskmasterctl -c FIXTURE args, under a terminal."""
        argv = CLIENTS[client] + ['-c', str(fx.conf)] + list(args)
        follows = '-f' in args or 'fg' in args
        return Term(self.tm, argv, self.environ(env), self.here, client,
                    ends=not follows)

    def shell(self, command):
        """/bin/sh -c command under a terminal."""
        return Term(self.tm, ['/bin/sh', '-c', command], self.environ(),
                    self.here, 'sh')

    def proxy(self, fx):
        """An XML-RPC proxy on the fixture's Unix socket with supervisor's
        own transport, as supervisord's test makes it."""
        from supervisor.xmlrpc import SupervisorTransport
        import xmlrpc.client
        transport = SupervisorTransport('', '', 'unix://' + fx.sock)
        self.transports.append(transport)
        return xmlrpc.client.ServerProxy('http://transport.ignores.host/RPC2',
                                         transport)

    def finish(self):
        """Stops the daemons; none of our programs may have reported a
        memory error."""
        try:
            for t in self.transports:
                t.close()
            for d in self.daemons:
                try:
                    d.shutdown()
                finally:
                    d.close()
        finally:
            shutil.rmtree(self.sockdir, ignore_errors=True)
        reports = []
        for t in self.tm.sessions:
            if isinstance(t, Term) and t.ours:
                t.drain()
                m = SANITIZER_RE.search(t.text())
                if m:
                    reports.append(t.text()[max(m.start() - 200, 0):][:4000])
        assert not reports, 'sanitizer reports:\n' + '\n'.join(reports)


@pytest.fixture
def e2e(tm):
    e = E2E(tm)
    yield e
    e.finish()


def child_log(e2e, name, timeout=T):
    """The AUTO stdout log of process name, once it exists."""
    def find():
        found = sorted(e2e.here.glob('%s-stdout---*' % name))
        return found[0] if found else None
    return wait_until(find, timeout, msg='AUTO stdout log of %s' % name)


# ---------------------------------------------------------------- the tests

def test_issue_291a_percent_signs_in_original_env_are_preserved(e2e):
    # A value of taskmasterd's own environment with percent signs reaches
    # the child unchanged (print_env's output in the DEBG records).
    key, val = 'SUPERVISOR_TEST_1441B', 'foo_%s_%_%%_%%%_%2_bar'
    fx = e2e.fixture('issue-291a.conf')
    d = e2e.daemon(fx, env={key: val})
    d.expect_exact('%s=%s' % (key, val))


@pytest.mark.parametrize('client', clients())
def test_issue_550(e2e, client):
    # environment= of [supervisord] is in the child's environment.
    fx = e2e.fixture('issue-550.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: print_env entered RUNNING state')
    d.expect_exact('exited: print_env (exit status 0; expected)')
    c = e2e.ctl(client, fx, 'tail -100000', 'print_env')
    c.expect_exact('THIS_SHOULD=BE_IN_CHILD_ENV')
    assert c.wait_eof()[0] == 0


@pytest.mark.parametrize('client', clients())
def test_issue_565(e2e, client):
    # tail -f of a log holding non-ASCII text (the fixture's PROCESS_LOG
    # listener only needs to load: nothing here waits on it).
    fx = e2e.fixture('issue-565.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: hello entered RUNNING state')
    c = e2e.ctl(client, fx, 'tail', '-f', 'hello')
    for i in range(1, 4):
        c.expect_exact('The \u00d8resund bridge ends in Malm\u00f6 - %d' % i)


def test_issue_638(e2e):
    # Output that is not UTF-8 does not break the daemon.  Both lines come
    # before the exit is logged, so the exit is waited for, then both are
    # looked for in order.
    fx = e2e.fixture('issue-638.conf')
    d = e2e.daemon(fx)
    before = d.expect_exact('exited: produce-unicode-error')
    i = before.find("Undecodable: b'\\x88\\n'")
    assert i >= 0, 'no Undecodable record in:\n' + before
    assert re.search(r'received SIGCH?LD indicating a child quit',
                     before[i:]), 'no SIGCHLD record after it:\n' + before


@pytest.mark.xfail(strict=True, reason=NO_LISTENERS)
def test_issue_663(e2e):
    # A Python 3 listener on TICK_5 gets two events and acknowledges them.
    fx = e2e.fixture('issue-663.conf')
    d = e2e.daemon(fx)
    for _ in range(2):
        d.expect_exact('OKREADY', timeout=T + 5)
        d.expect_exact('BUSY -> ACKNOWLEDGED')


@pytest.mark.parametrize('client', clients())
def test_issue_664(e2e, client):
    # A process name with non-ASCII letters: complete XML-RPC replies and a
    # status line.
    fx = e2e.fixture('issue-664.conf')
    d = e2e.daemon(fx)
    d.expect_exact('test_\u00f6\u00e4\u00fc entered RUNNING state')
    c = e2e.ctl(client, fx, 'status')
    c.expect('test_\u00f6\u00e4\u00fc\\s+RUNNING')


@pytest.mark.xfail(strict=True, reason=NO_LISTENERS)
def test_issue_733(e2e):
    # A one-line listener on PROCESS_STATE_FATAL shuts the daemon down.
    fx = e2e.fixture('issue-733.conf')
    d = e2e.daemon(fx)
    d.expect_exact('gave up: nonexistent entered FATAL state')
    d.expect_exact('received SIGTERM indicating exit request')
    d.wait_eof()


def test_issue_835(e2e):
    # sendProcessStdin with non-ASCII text reaches cat, whose echo is in
    # the DEBG records.
    fx = e2e.fixture('issue-835.conf')
    d = e2e.daemon(fx)
    d.expect_exact('cat entered RUNNING state')
    server = e2e.proxy(fx)
    for s in ('The \u00d8resund bridge ends in Malm\u00f6', 'hello'):
        assert server.supervisor.sendProcessStdin('cat', s) is True
        d.expect_exact(s)


@pytest.mark.parametrize('client', clients())
def test_issue_836(e2e, client):
    # fg: each line typed goes to cat, which sends it back.
    fx = e2e.fixture('issue-836.conf')
    d = e2e.daemon(fx)
    d.expect_exact('cat entered RUNNING state')
    c = e2e.ctl(client, fx, 'fg', 'cat')
    for s in ('Hi', 'Hello', 'The \u00d8resund bridge ends in Malm\u00f6'):
        c.sendline(s)
        d.expect_exact(s)
        c.expect_exact(s)       # the terminal's echo
        c.expect_exact(s)       # cat's output, through the daemon


def test_issue_986_command_string_with_double_percent(e2e):
    # %% in command= is a percent sign.
    fx = e2e.fixture('issue-986.conf')
    d = e2e.daemon(fx)
    d.expect_exact('dhcrelay -d -q -a %h:%p %P -i Vlan1000 192.168.0.1')


@pytest.mark.parametrize('client', clients())
def test_issue_1054(e2e, client):
    # avail.
    fx = e2e.fixture('issue-1054.conf')
    d = e2e.daemon(fx)
    d.expect_exact('cat entered RUNNING state')
    c = e2e.ctl(client, fx, 'avail')
    c.expect(r'cat\s+in use\s+auto')


def test_issue_1170a(e2e):
    # A variable of [supervisord] environment= in %(ENV_x)s of a program.
    fx = e2e.fixture('issue-1170a.conf')
    d = e2e.daemon(fx)
    d.expect_exact('set from [supervisord] section')


def test_issue_1170b(e2e):
    # The program's environment= wins over [supervisord]'s in %(ENV_x)s.
    fx = e2e.fixture('issue-1170b.conf')
    d = e2e.daemon(fx)
    d.expect_exact('set from [program] section')


def test_issue_1170c(e2e):
    # The listener's environment= wins over [supervisord]'s in %(ENV_x)s
    # (what the listener prints on stderr is in the DEBG records).
    fx = e2e.fixture('issue-1170c.conf')
    d = e2e.daemon(fx)
    d.expect_exact('set from [eventlistener] section')


def test_issue_1224(e2e):
    # logfile=/dev/stdout with logfile_maxbytes=0 (a file that cannot
    # seek).
    fx = e2e.fixture('issue-1224.conf')
    d = e2e.daemon(fx)
    d.expect_exact('cat entered RUNNING state')


HASH_LINE = '%d - hash=57d94b\u2026381088'


@pytest.mark.parametrize('client', clients())
def test_issue_1231a(e2e, client):
    # tail -f of a log holding non-ASCII text.
    fx = e2e.fixture('issue-1231a.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: hello entered RUNNING state')
    c = e2e.ctl(client, fx, 'tail', '-f', 'hello')
    for i in range(1, 4):
        c.expect_exact(HASH_LINE % i)


@pytest.mark.parametrize('client', clients())
def test_issue_1231b(e2e, client):
    # The same with LANG naming no locale.
    fx = e2e.fixture('issue-1231b.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: hello entered RUNNING state')
    c = e2e.ctl(client, fx, 'tail', '-f', 'hello', env={'LANG': 'oops'})
    for i in range(1, 4):
        c.expect_exact(HASH_LINE % i)


@pytest.mark.parametrize('client', clients())
def test_issue_1231c(e2e, client):
    # tail (without -f) with LANG naming no locale.  supervisord's test
    # only runs it; here the first line must be in its output.
    fx = e2e.fixture('issue-1231c.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: hello entered RUNNING state')
    log = child_log(e2e, 'hello')
    wait_until(lambda: '1 - hash' in log.read_text(errors='replace'),
               msg='the first line in %s' % log)
    c = e2e.ctl(client, fx, 'tail', 'hello', env={'LANG': 'oops'})
    c.expect_exact(HASH_LINE % 1)
    rc, rest = c.wait_eof()
    assert rc == 0 and 'Traceback' not in rest


def test_issue_1251_daemon(e2e):
    # -? prints the usage text like -h.  (The first line names the program:
    # "taskmasterd -- run a set of applications as daemons.")
    d = Term(e2e.tm, [str(TASKMASTERD), '-?'], e2e.environ(), e2e.here,
             'taskmasterd')
    d.expect(r'(supervisord|taskmasterd) -- run a set of applications')
    d.expect_exact('-l/--logfile FILENAME -- use FILENAME as')
    assert d.wait_eof()[0] == 0


def test_issue_1251_daemon_as_supervisord(e2e):
    # Installed under supervisord's name, the usage says supervisord's
    # words exactly, as the original test expects.
    link = e2e.here / 'supervisord'
    link.symlink_to(TASKMASTERD)
    d = Term(e2e.tm, [str(link), '-?'], e2e.environ(), e2e.here,
             'supervisord')
    d.expect_exact('supervisord -- run a set of applications')
    d.expect_exact('-l/--logfile FILENAME -- use FILENAME as')
    assert d.wait_eof()[0] == 0


@pytest.mark.parametrize('client', clients())
def test_issue_1251_client(e2e, client):
    c = Term(e2e.tm, CLIENTS[client] + ['-?'], e2e.environ(), e2e.here,
             client)
    c.expect(r'(supervisorctl|taskmasterctl) -- control applications')
    c.expect_exact('-i/--interactive -- start an interactive')
    assert c.wait_eof()[0] == 0


def test_issue_1251_client_as_supervisorctl(e2e):
    # Installed under supervisorctl's name, the usage says supervisorctl's
    # words exactly, as the original test expects.
    link = e2e.here / 'supervisorctl'
    link.symlink_to(TASKMASTERCTL)
    c = Term(e2e.tm, [str(link), '-?'], e2e.environ(), e2e.here,
             'supervisorctl')
    c.expect_exact('supervisorctl -- control applications')
    c.expect_exact('-i/--interactive -- start an interactive')
    assert c.wait_eof()[0] == 0


@pytest.mark.parametrize('client', clients())
def test_issue_1298(e2e, client):
    # tail -f into a pipe.
    fx = e2e.fixture('issue-1298.conf')
    d = e2e.daemon(fx)
    d.expect_exact('success: spew entered RUNNING state')
    argv = CLIENTS[client] + ['-c', str(fx.conf), 'tail', '-f', 'spew']
    sh = e2e.shell(shlex.join(argv) + ' | /bin/cat -u')
    sh.expect(r'spewage 2')


PIDPROXY_CONF = """\
[supervisord]
logfile=%(here)s/pidproxy.log
pidfile=%(here)s/pidproxy.pid
childlogdir=%(here)s
nodaemon=true

[program:echo]
command={python} -m supervisor.pidproxy nonexistent-pidfile /bin/echo{args}
startsecs=0
autorestart=false
"""


@pytest.mark.parametrize('args,out', [('', ''), (' 1 2', '1 2')],
                         ids=['cmd_with_no_args', 'cmd_with_args'])
def test_issue_1418_pidproxy(e2e, args, out):
    # supervisor's pidproxy runs its command with or without arguments:
    # alone, as supervisord's test runs it, and as a program of taskmasterd.
    conf = e2e.here / 'pidproxy.conf'
    conf.write_text(PIDPROXY_CONF.format(python=PYTHON, args=args))
    d = Daemon(e2e.tm, [str(TASKMASTERD), '-c', str(conf)], e2e.environ(),
               e2e.here, 'taskmasterd')
    e2e.daemons.append(d)
    p = Term(e2e.tm, [PYTHON, '-m', 'supervisor.pidproxy',
                      'nonexistent-pidfile', '/bin/echo'] + args.split(),
             e2e.environ(), e2e.here, 'pidproxy')
    assert p.wait_eof() == (0, out + '\r\n')
    d.expect_exact('exited: echo (exit status 0; expected)')
    assert child_log(e2e, 'echo').read_text() == out + '\n'


@pytest.mark.parametrize('name,args,ident', [
    ('issue-1483a.conf', [], 'supervisor'),
    ('issue-1483b.conf', [], 'from_config_file'),
    ('issue-1483c.conf', ['-i', 'from_command_line'], 'from_command_line'),
], ids=['identifier_default', 'identifier_from_config_file',
        'identifier_from_command_line'])
def test_issue_1483(e2e, name, args, ident):
    # getIdentification: -i over identifier= over the default.
    fx = e2e.fixture(name)
    d = e2e.daemon(fx, args)
    d.expect_exact('supervisord started with pid')
    assert e2e.proxy(fx).supervisor.getIdentification() == ident
