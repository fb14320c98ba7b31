# SPDX-License-Identifier: ISC
"""taskmasterctl, the client (spec 1.2, 1.3, 7, 9.1-9.5), against a daemon
started by the test (taskmasterd, and the real supervisord for reference),
with the real /usr/bin/supervisorctl run on the same daemon for every
command so that outputs and exit statuses can be compared.  Outputs are
compared exactly, except uptimes and stop times (and, between two twin
daemons, pids).  A fake XML-RPC server covers the replies no real daemon
gives (API version mismatch, unknown methods, HTTP errors).
"""

import http.client
import http.server
import re
import signal
import socket
import subprocess
import threading
import time
import xmlrpc.client
import xmlrpc.server
from pathlib import Path

import pexpect
import pytest

from conftest import BUILD, T, clean_terminal, wait_until

CTL = BUILD / 'taskmasterctl'
SUPERVISORCTL = '/usr/bin/supervisorctl'
DAEMONS = {'taskmasterd': BUILD / 'taskmasterd',
           'supervisord': Path('/usr/bin/supervisord')}
PROMPT = 'supervisor> '
STOP_TIME = r'[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M'
RPC = ('supervisor.rpcinterface_factory = '
       'supervisor.rpcinterface:make_main_rpcinterface')


# ------------------------------------------------------------ plumbing

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def norm(text, pids=False):
    """Output with what depends on time (and, with pids, on pids) masked."""
    text = re.sub(r'uptime (\d+ days?, )?\d+:\d\d:\d\d', 'uptime T', text)
    text = re.sub(STOP_TIME, 'STOPTIME', text)
    if pids:
        text = re.sub(r'pid \d+', 'pid N', text)
        text = re.sub(r'(?m)^\d+$', 'N', text)
    return text


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=T)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(T)
        s.connect(self.unix_path)
        self.sock = s


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.unix_path = path

    def make_connection(self, host):
        # Keeps the Authorization header of user:password@ in the URL.
        _, self._extra_headers, _ = self.get_host_info(host)
        return _UnixConnection(self.unix_path)


class _Run:
    """The result of one client run."""

    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __repr__(self):
        return '<rc %r out %r err %r>' % (self.rc, self.out, self.err)


class _Pty:
    """A client under a terminal, closed by the box's cleanup."""

    def __init__(self, child):
        self.child = child
        self.pid = child.pid

    def alive(self):
        return self.child.isalive()

    def shutdown(self, timeout=T):
        self.child.close(force=True)

    def close(self):
        self.child.close(force=True)


class Daemon:
    """A taskmasterd or supervisord of the test, in its own directory,
    serving a Unix socket and a TCP port on 127.0.0.1."""

    def __init__(self, box, kind, name='d', auth=None):
        self.box = box
        self.kind = kind
        self.dir = box.dir / name
        self.dir.mkdir()
        (self.dir / 'logs').mkdir()
        self.sock = str(self.dir / 'd.sock')
        self.port = free_port()
        self.url = 'unix://' + self.sock
        self.http = 'http://127.0.0.1:%d' % self.port
        self.conf = str(self.dir / 'd.conf')
        self.auth = auth
        self.proc = None
        self.pid = None

    def path(self, name):
        return str(self.dir / name)

    def write(self, programs, groups=None, ctl=None):
        """The config: servers, rpcinterface, [supervisorctl] (ctl: a dict
        of keys, False for none) and one section per program."""
        auth = []
        if self.auth:
            auth = ['username = %s' % self.auth[0],
                    'password = %s' % self.auth[1]]
        lines = ['[supervisord]',
                 'logfile = %s' % self.path('main.log'),
                 'childlogdir = %s' % self.path('logs'),
                 'pidfile = %s' % self.path('d.pid'),
                 'loglevel = info', '',
                 '[unix_http_server]', 'file = %s' % self.sock] + auth + [
                 '', '[inet_http_server]',
                 'port = 127.0.0.1:%d' % self.port] + auth + [
                 '', '[rpcinterface:supervisor]', RPC]
        if ctl is not False:
            keys = {'serverurl': self.url}
            keys.update(ctl or {})
            lines += ['', '[supervisorctl]'] + ['%s = %s' % kv
                                                for kv in keys.items()]
        for name, keys in programs.items():
            body = {'startsecs': 0, 'stopwaitsecs': 1}
            body.update(keys)
            lines += ['', '[program:%s]' % name] + [
                '%s = %s' % (k, str(v).lower() if isinstance(v, bool)
                             else v) for k, v in body.items()]
        for name, members in (groups or {}).items():
            lines += ['', '[group:%s]' % name, 'programs = %s' % members]
        Path(self.conf).write_text('\n'.join(lines) + '\n')
        return self.conf

    def proxy(self):
        host = 'localhost'
        if self.auth:
            host = '%s:%s@localhost' % self.auth
        return xmlrpc.client.ServerProxy('http://%s/RPC2' % host,
                                         transport=_UnixTransport(self.sock))

    def rpc(self, method, *params):
        return getattr(self.proxy(), method)(*params)

    def start(self, running=()):
        """Starts the daemon and waits until it answers and the named
        processes are RUNNING."""
        binary = DAEMONS[self.kind]
        self.proc = subprocess.Popen(
            [str(binary), '-n', '-c', self.conf],
            stdin=subprocess.DEVNULL,
            stdout=open(self.path('daemon.out'), 'wb'),
            stderr=subprocess.STDOUT, env=self.box.environ(),
            cwd=str(self.dir))
        self.pid = self.proc.pid
        self.box.sessions.append(self)

        def ready():
            try:
                return self.rpc('supervisor.getState')['statename'] == \
                    'RUNNING'
            except (OSError, xmlrpc.client.Error):
                assert self.proc.poll() is None, \
                    '%s exited: %s' % (self.kind, Path(
                        self.path('daemon.out')).read_text())
                return False
        wait_until(ready, msg='%s to answer' % self.kind)
        for name in running:
            self.wait_state(name, 'RUNNING')
        return self

    def state(self, name):
        return self.rpc('supervisor.getProcessInfo', name)['statename']

    def wait_state(self, name, state):
        wait_until(lambda: self.state(name) == state,
                   msg='%s %s' % (name, state))

    def ensure(self, name, state):
        """Brings a process back to RUNNING or STOPPED between runs."""
        now = self.state(name)
        if state == 'RUNNING' and now != 'RUNNING':
            self.rpc('supervisor.startProcess', name)
        elif state == 'STOPPED' and now in ('RUNNING', 'STARTING',
                                            'BACKOFF'):
            self.rpc('supervisor.stopProcess', name)
        self.wait_state(name, state)

    # Cleanup protocol of conftest's Box.
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def shutdown(self, timeout=T):
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()


def run(box, prog, args, input='', cwd=None, timeout=T, env=None):
    """Runs a client to completion on pipes."""
    if prog == 'tm' and not CTL.exists():
        pytest.fail('%s does not exist (make build-all)' % CTL)
    argv = [str(CTL) if prog == 'tm' else SUPERVISORCTL] + list(args)
    p = subprocess.run(argv, input=input.encode(), capture_output=True,
                       env=box.environ(env), cwd=str(cwd or box.dir),
                       timeout=timeout)
    return _Run(p.returncode, p.stdout.decode(errors='replace'),
                p.stderr.decode(errors='replace'))


def both(d, line, args=None, input=''):
    """(supervisorctl, taskmasterctl) running line once each against d."""
    argv = (args if args is not None else ['-c', d.conf]) + line.split()
    return run(d.box, 'sv', argv, input), run(d.box, 'tm', argv, input)


def assert_same(sv, tm, pids=False):
    assert (tm.rc, norm(tm.out, pids)) == (sv.rc, norm(sv.out, pids)), \
        'supervisorctl %r\ntaskmasterctl %r' % (sv, tm)


# Lines whose output the shell's command bodies (not taskmasterctl) still
# print differently from supervisorctl; test_known_differences tracks them.
KNOWN = {}


def compare_lines(d, lines, setup=None):
    """Runs each line with both clients against d (calling setup() before
    each run) and fails with every mismatch at once."""
    bad = []
    for line in lines:
        if setup is not None:
            setup()
        sv = run(d.box, 'sv', ['-c', d.conf] + line.split())
        if setup is not None:
            setup()
        ours = run(d.box, 'tm', ['-c', d.conf] + line.split())
        if (ours.rc, norm(ours.out)) != (sv.rc, norm(sv.out)):
            bad.append('%r:\n  supervisorctl %r\n  taskmasterctl %r'
                       % (line, sv, ours))
    assert not bad, '\n'.join(bad)


def spawn(box, args, env=None):
    """taskmasterctl under a terminal."""
    if not CTL.exists():
        pytest.fail('%s does not exist (make build-all)' % CTL)
    child = pexpect.spawn(str(CTL), list(args), env=box.environ(env),
                          cwd=str(box.dir), encoding='utf-8',
                          codec_errors='replace', timeout=T,
                          dimensions=(50, 200))
    child.logfile_read = open(box.dir / 'terminal.txt', 'a')
    box.sessions.append(_Pty(child))
    return child


def wait_exit(child):
    """The exit status of a terminal client, or -signal."""
    child.expect(pexpect.EOF, timeout=T)
    child.close()
    return child.exitstatus if child.signalstatus is None \
        else -child.signalstatus


# ---------------------------------------------------------------- fixtures

@pytest.fixture(params=sorted(DAEMONS))
def kind(request):
    if not DAEMONS[request.param].exists():
        pytest.skip('%s is not built' % DAEMONS[request.param])
    return request.param


def standard(tm, d):
    """Programs in the common states."""
    return {
        'run': {'command': tm.cmdline('sleeper', '-C', 'USR1', '-O',
                                      'hello out', '-E', 'hello err'),
                'stdout_logfile': d.path('run.out'),
                'stderr_logfile': d.path('run.err')},
        'idle': {'command': tm.cmdline('sleeper'), 'autostart': False},
        'cat': {'command': '/bin/cat', 'stdout_logfile': d.path('cat.out')},
        'bad': {'command': '/nonexistent-tm/x', 'autostart': False},
        'quick': {'command': tm.cmdline('exiter', '-q', 0, 1),
                  'autostart': False, 'startsecs': 1, 'startretries': 0},
        'g1': {'command': tm.cmdline('sleeper')},
        'g2': {'command': tm.cmdline('sleeper'), 'autostart': False},
    }


@pytest.fixture
def d(tm, kind):
    """One daemon with the standard programs, all settled."""
    dm = Daemon(tm, kind)
    dm.write(standard(tm, dm), groups={'grp': 'g1,g2'})
    dm.start(running=('run', 'cat', 'grp:g1'))
    wait_until(lambda: 'ready' in Path(dm.path('run.out')).read_text(),
               msg='run ready')
    return dm


# ---------------------------------------------------------------- status

def test_status(d):
    compare_lines(d, [
        'status', 'status run', 'status run idle', 'status grp:*',
        'status grp:', 'status nosuch', 'status nosuch idle',
        'status nosuch run', 'status nogroup:*', 'status all',
        'status grp:g1 bad'])


def test_status_exit_codes(d):
    assert run(d.box, 'tm', ['-c', d.conf, 'status', 'run']).rc == 0
    assert run(d.box, 'tm', ['-c', d.conf, 'status']).rc == 3
    assert run(d.box, 'tm', ['-c', d.conf, 'status', 'nosuch']).rc == 4


# ------------------------------------------------- start, stop, restart

def test_start_stop_restart(d):
    def baseline():
        # Every line starts from the same states.
        for name, state in (('run', 'RUNNING'), ('idle', 'STOPPED'),
                            ('grp:g1', 'RUNNING'), ('grp:g2', 'STOPPED')):
            d.ensure(name, state)
    compare_lines(d, [
        'start idle', 'start run', 'start nosuch', 'start bad',
        'start quick', 'start grp:*', 'start nogroup:*', 'start',
        'start idle nosuch grp:g2', 'stop run', 'stop idle', 'stop nosuch',
        'stop nogroup:*', 'stop grp:*', 'stop', 'stop run idle',
        'restart run', 'restart idle', 'restart'], baseline)
    assert run(d.box, 'tm', ['-c', d.conf, 'start', 'quick']).rc == 7
    assert run(d.box, 'tm', ['-c', d.conf, 'start', 'nogroup:*']).rc == 2


def test_signal(d):
    compare_lines(d, [
        'signal USR1 run', 'signal usr1 run cat', 'signal BOGUS run',
        'signal HUP idle', 'signal HUP nosuch', 'signal USR1 grp:*',
        'signal HUP nogroup:*', 'signal', 'signal HUP'])
    wait_until(lambda: 'caught' in Path(d.path('run.out')).read_text(),
               msg='run to catch SIGUSR1')


# ------------------------------------------------------ pid, tail, clear

def test_pid(d):
    compare_lines(d, ['pid', 'pid run', 'pid idle', 'pid nosuch', 'pid all',
                      'pid run cat'])
    assert run(d.box, 'tm', ['-c', d.conf, 'pid']).out == '%d\n' % d.pid


def test_tail(d):
    compare_lines(d, [
        'tail run', 'tail -5 run', 'tail run stderr', 'tail run STDERR',
        'tail -3 run stderr', 'tail', 'tail nosuch', 'tail idle',
        'tail a b c d', 'tail run bogus', 'tail -f', 'tail -x run'])
    assert run(d.box, 'tm', ['-c', d.conf, 'tail', 'run']).out == \
        'hello out\nready\n\n'


@pytest.mark.parametrize('line', sorted(KNOWN))
def test_known_differences(d, line):
    sv, ours = both(d, line)
    if (ours.rc, norm(ours.out)) != (sv.rc, norm(sv.out)):
        pytest.xfail(KNOWN[line])
    pytest.fail('%r now matches supervisorctl: remove it from KNOWN' % line)


def test_tail_follow(d):
    child = spawn(d.box, ['-c', d.conf, 'tail', '-f', 'cat'])
    child.expect_exact('==> Press Ctrl-C to exit <==')
    d.rpc('supervisor.sendProcessStdin', 'cat', 'followed line\n')
    child.expect_exact('followed line')
    child.sendintr()
    assert wait_exit(child) == 0


def test_clear(d):
    compare_lines(d, ['clear run', 'clear run cat', 'clear nosuch',
                      'clear all', 'clear'])


# ------------------------------------------------------- simple commands

def test_simple(d):
    compare_lines(d, [
        'version', 'avail', 'reread', 'help', 'help start', 'help restart',
        'help tail', 'help fg', 'help open', 'help quit', 'help help',
        'help nosuch', 'bogus', 'bogus with words', 'quit', 'exit'])


def test_shutdown_arguments(d):
    assert_same(*both(d, 'shutdown now'))
    assert d.alive()


# ----------------------------------------------- config changes (twins)

def twins(tm, kind, programs):
    """Two daemons with the same programs: supervisorctl drives the first,
    taskmasterctl the second, so that changes happen once on each."""
    pair = []
    for name in ('a', 'b'):
        dm = Daemon(tm, kind, name)
        dm.write(programs(dm))
        pair.append(dm.start(running=[n for n, k in programs(dm).items()
                                      if k.get('autostart', True)]))
    return pair


def twin_run(pair, line):
    """Runs line with supervisorctl on the first twin and taskmasterctl on
    the second; the paths of the twins are made equal in the outputs."""
    res = (run(pair[0].box, 'sv', ['-c', pair[0].conf] + line.split()),
           run(pair[1].box, 'tm', ['-c', pair[1].conf] + line.split()))
    for r, dm in zip(res, pair):
        r.out = r.out.replace(str(dm.dir), 'TWIN')
    return res


def test_reread_update_add_remove(tm, kind):
    def before(dm):
        return {'gone': {'command': tm.cmdline('sleeper')},
                'changed': {'command': tm.cmdline('sleeper')},
                'same': {'command': tm.cmdline('sleeper')}}

    def after(dm):
        return {'changed': {'command': tm.cmdline('sleeper', '-O', 'new')},
                'same': {'command': tm.cmdline('sleeper')},
                'fresh': {'command': tm.cmdline('sleeper')}}

    pair = twins(tm, kind, before)
    for dm in pair:
        dm.write(after(dm))
    bad = []

    def step(line, sort=False):
        sv, ours = twin_run(pair, line)
        if sort:
            # The order is test_reread_changes's business.
            sv.out, ours.out = (''.join(sorted(r.out.splitlines(True)))
                                for r in (sv, ours))
        if (ours.rc, norm(ours.out, True)) != (sv.rc, norm(sv.out, True)):
            bad.append('%r:\n  supervisorctl %r\n  taskmasterctl %r'
                       % (line, sv, ours))
    step('reread', sort=True)
    step('update nosuch')
    step('update')
    for dm in pair:
        dm.wait_state('fresh', 'RUNNING')
    for line in ('status', 'avail', 'update', 'remove fresh', 'add fresh',
                 'add nosuch', 'remove nosuch'):
        step(line)
    for dm in pair:
        dm.rpc('supervisor.stopProcess', 'fresh')
    for line in ('remove fresh', 'add fresh', 'add fresh'):
        step(line)
    for dm in pair:
        dm.wait_state('fresh', 'RUNNING')
    step('status')
    assert not bad, '\n'.join(bad)


def test_reread_changes(tm, kind):
    dm = Daemon(tm, kind)
    dm.write({'gone': {'command': tm.cmdline('sleeper')},
              'changed': {'command': tm.cmdline('sleeper')}})
    dm.start(running=('gone', 'changed'))
    dm.write({'changed': {'command': tm.cmdline('sleeper', '-O', 'x')},
              'fresh': {'command': tm.cmdline('sleeper')}})
    sv, ours = both(dm, 'reread')
    assert sv.out == 'changed: changed\nfresh: available\n' \
        'gone: disappeared\n'
    assert_same(sv, ours)


def test_shutdown(tm, kind):
    pair = twins(tm, kind, lambda dm: {'p': {'command': tm.cmdline(
        'sleeper')}})
    sv, ours = twin_run(pair, 'shutdown')
    assert_same(sv, ours)
    assert ours.out == 'Shut down\n'
    for dm in pair:
        dm.proc.wait(T)
    assert_same(*twin_run(pair, 'status'))
    assert_same(*twin_run(pair, 'version'))


def test_shutdown_again(tm, kind):
    pair = twins(tm, kind, lambda dm: {'p': {'command': tm.cmdline(
        'sleeper')}})
    twin_run(pair, 'shutdown')
    for dm in pair:
        dm.proc.wait(T)
    assert_same(*twin_run(pair, 'shutdown'))


# ------------------------------------------------ unreachable servers

def test_refused_connection(tm):
    url = 'http://127.0.0.1:%d' % free_port()
    for line, rc in (('status', 4), ('version', 4), ('pid', 4),
                     ('start x', 4), ('tail x', 4), ('fg x', 4)):
        ours = run(tm, 'tm', ['-s', url] + line.split())
        assert (ours.rc, ours.out) == (rc, '%s refused connection\n' % url)
        assert_same(run(tm, 'sv', ['-s', url] + line.split()), ours)
    # The commands without the up-check fail on their own call.
    for line in ('avail', 'reread', 'update', 'add x', 'remove x'):
        ours = run(tm, 'tm', ['-s', url] + line.split())
        assert ours.rc == 1 and 'refused connection' in ours.out, ours
    # help needs no server.
    assert run(tm, 'tm', ['-s', url, 'help', 'help']).rc == 0


def test_missing_socket(tm):
    url = 'unix://%s' % tm.path('nosuch.sock')
    for line, rc in (('status', 4), ('status x', 4), ('version', 7),
                     ('stop x', 7), ('clear all', 7)):
        ours = run(tm, 'tm', ['-s', url] + line.split())
        assert (ours.rc, ours.out) == (rc, '%s no such file\n' % url)
        assert_same(run(tm, 'sv', ['-s', url] + line.split()), ours)


def test_stale_socket_refused(tm):
    path = tm.path('stale.sock')
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.close()
    ours = run(tm, 'tm', ['-s', 'unix://' + path, 'version'])
    assert (ours.rc, ours.out) == (4, 'unix://%s refused connection\n' % path)


# ---------------------------------------------------- authentication

@pytest.fixture
def authd(tm, kind):
    dm = Daemon(tm, kind, auth=('alice', 's3cret'))
    dm.write({'p': {'command': tm.cmdline('sleeper')}})
    return dm.start(running=('p',))


def test_auth_required(authd):
    for creds in ([], ['-u', 'alice', '-p', 'wrong'], ['-u', 'bob', '-p',
                                                       's3cret']):
        for line in ('status', 'version', 'avail', 'shutdown'):
            args = ['-c', authd.conf] + creds
            sv, ours = both(authd, line, args)
            assert (ours.rc, ours.out) == (1, 'Server requires '
                                           'authentication\n'), ours
            # supervisorctl adds a spurious error line (spec 7.1).
            assert sv.rc == 1 and sv.out.startswith(ours.out), sv
    assert authd.alive()


def test_auth_accepted(authd):
    args = ['-c', authd.conf, '-u', 'alice', '-p', 's3cret']
    assert_same(*both(authd, 'status', args))
    authd.write({'p': {'command': authd.box.cmdline('sleeper')}},
                ctl={'username': 'alice', 'password': 's3cret'})
    assert_same(*both(authd, 'status'))
    assert_same(*both(authd, 'status', ['-s', authd.http, '-u', 'alice',
                                        '-p', 's3cret']))


def test_auth_prompt(authd):
    child = spawn(authd.box, ['-c', authd.conf])
    child.expect_exact('Server requires authentication')
    child.expect_exact('Username:')
    child.sendline('alice')
    child.expect_exact('Password:')
    child.sendline('s3cret')
    child.expect(r'p +RUNNING +pid \d+')
    child.expect_exact(PROMPT)
    assert 's3cret' not in clean_terminal(child.before)
    child.sendline('version')
    child.expect_exact(PROMPT)
    assert '4.2.5' in child.before
    child.sendline('quit')
    assert wait_exit(child) == 0


# -------------------------------------------------- fake servers

class _FakeHandler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    rpc_paths = ('/RPC2',)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    """An XML-RPC server on 127.0.0.1 with the functions the test
    registers."""
    srv = xmlrpc.server.SimpleXMLRPCServer(('127.0.0.1', 0), _FakeHandler,
                                           logRequests=False)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    srv.url = 'http://127.0.0.1:%d' % srv.server_address[1]
    yield srv
    srv.shutdown()
    srv.server_close()


def test_api_version_mismatch(tm, fake):
    fake.register_function(lambda: '2.0', 'supervisor.getVersion')
    for line, rc in (('status', 4), ('version', 5), ('pid', 5)):
        sv = run(tm, 'sv', ['-s', fake.url] + line.split())
        ours = run(tm, 'tm', ['-s', fake.url] + line.split())
        assert_same(sv, ours)
        assert ours.rc == rc and 'remote version is 2.0.' in ours.out


def test_unknown_namespace(tm, fake):
    for line, rc in (('status', 4), ('version', 3)):
        sv = run(tm, 'sv', ['-s', fake.url] + line.split())
        ours = run(tm, 'tm', ['-s', fake.url] + line.split())
        assert_same(sv, ours)
        assert ours.rc == rc and ours.out.startswith('Sorry, supervisord '
                                                     'responded')


def test_http_error(tm):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_error(500)

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        url = 'http://127.0.0.1:%d' % srv.server_address[1]
        ours = run(tm, 'tm', ['-s', url, 'version'])
        sv = run(tm, 'sv', ['-s', url, 'version'])
        assert ours.rc == sv.rc == 1
        assert ours.out == 'error: %s: HTTP 500 Internal Server Error\n' % url
        assert '500 Internal Server Error' in sv.out
    finally:
        srv.shutdown()
        srv.server_close()


# ------------------------------------------------------ command line

def test_usage_errors(tm):
    for args in (['-s', 'foo', 'status'], ['--serverurl=foo', 'status'],
                 ['--bogus'], ['-x'], ['-c'],
                 ['-c', tm.path('nosuch.conf'), 'status']):
        sv = run(tm, 'sv', args)
        ours = run(tm, 'tm', args)
        assert ours.rc == sv.rc == 2, (sv, ours)
        assert ours.err == sv.err.replace(SUPERVISORCTL, str(CTL)), (sv, ours)


def test_help_option(tm):
    ours = run(tm, 'tm', ['-h'])
    assert ours.rc == 0 and 'Usage: %s [options] [action [arguments]]' \
        % CTL in ours.out


def test_precedence(d):
    # -s wins over [supervisorctl] serverurl.
    bogus = 'unix://%s' % d.box.path('nosuch.sock')
    d.write(standard(d.box, d), groups={'grp': 'g1,g2'},
            ctl={'serverurl': bogus})
    assert run(d.box, 'tm', ['-c', d.conf, 'version']).out == \
        '%s no such file\n' % bogus
    for url in (d.url, d.http):
        ours = run(d.box, 'tm', ['-c', d.conf, '-s', url, 'version'])
        assert (ours.rc, ours.out) == (0, '4.2.5\n')


def test_config_search(d):
    # A taskmaster.conf in the current directory is found without -c.
    (d.box.dir / 'taskmaster.conf').write_text(
        '[supervisorctl]\nserverurl = unix://%s\n' % d.sock)
    ours = run(d.box, 'tm', ['pid'])
    assert (ours.rc, ours.out) == (0, '%d\n' % d.pid)
    # %(here)s and a relative unix:// path are relative to the file.
    (d.box.dir / 'taskmaster.conf').write_text(
        '[supervisorctl]\nserverurl = unix://%%(here)s/%s/d.sock\n'
        % d.dir.name)
    assert run(d.box, 'tm', ['pid']).out == '%d\n' % d.pid


def test_config_without_ctl_section(d):
    # supervisorctl refuses such a file; taskmasterctl keeps the defaults.
    d.write(standard(d.box, d), groups={'grp': 'g1,g2'}, ctl=False)
    sv = run(d.box, 'sv', ['-c', d.conf, 'version'])
    assert sv.rc == 2 and 'does not include supervisorctl section' in sv.err
    ours = run(d.box, 'tm', ['-c', d.conf, '-s', d.url, 'version'])
    assert (ours.rc, ours.out) == (0, '4.2.5\n')
    with socket.socket() as s:
        if s.connect_ex(('127.0.0.1', 9001)) == 0:
            return
    ours = run(d.box, 'tm', ['-c', d.conf, 'version'])
    assert ours.rc == 4 and ours.out.startswith(
        'http://localhost:9001 refused connection'), ours


# ---------------------------------------------------- interactive shell

def test_shell(d):
    child = spawn(d.box, ['-c', d.conf])
    child.expect(r'run +RUNNING +pid \d+')
    child.expect_exact(PROMPT)
    child.sendline('status idle')
    child.expect_exact(PROMPT)
    assert re.search(r'idle +STOPPED', child.before)
    child.sendline('')
    child.expect_exact(PROMPT)
    child.sendline('bogus')
    child.expect_exact('*** Unknown syntax: bogus')
    child.expect_exact(PROMPT)
    child.sendline('quit')
    assert wait_exit(child) == 0


@pytest.mark.parametrize('how', ['exit', 'eof', 'ctrl-c'])
def test_shell_leave(d, how):
    d.write(standard(d.box, d), groups={'grp': 'g1,g2'},
            ctl={'prompt': 'mine'})
    child = spawn(d.box, ['-c', d.conf])
    child.expect_exact('mine> ')
    if how == 'exit':
        child.sendline('exit')
    elif how == 'eof':
        child.sendeof()
    else:
        child.sendintr()
    assert wait_exit(child) == 0


def test_shell_confirm(d):
    child = spawn(d.box, ['-c', d.conf])
    child.expect_exact(PROMPT)
    child.sendline('shutdown')
    child.expect_exact('Really shut the remote supervisord process down y/N? ')
    child.sendline('n')
    child.expect_exact(PROMPT)
    assert d.alive()
    child.sendline('shutdown')
    child.expect_exact('y/N? ')
    child.sendline('y')
    child.expect_exact('Shut down')
    child.expect_exact(PROMPT)
    d.proc.wait(T)
    child.sendline('status')
    child.expect_exact('%s no such file' % d.url)
    child.sendline('quit')
    assert wait_exit(child) == 0


def test_interactive_after_action(d):
    child = spawn(d.box, ['-c', d.conf, '-i', 'version'])
    child.expect_exact('4.2.5')
    child.expect(r'run +RUNNING')
    child.expect_exact(PROMPT)
    child.sendline('quit')
    assert wait_exit(child) == 0


def test_piped_stdin(d):
    text = 'version\nstatus run\npid nosuch\nbogus\n'
    sv, ours = both(d, '', input=text)
    assert ours.rc == sv.rc == 0
    # supervisorctl prints its prompt even without a terminal.
    assert norm(ours.out) == norm(sv.out.replace(PROMPT, ''))
    assert '4.2.5\n' in ours.out and '*** Unknown syntax: bogus' in ours.out


@pytest.mark.parametrize('where', ['option', 'config'])
def test_history_file(d, where):
    hist = d.box.path('hist-%s' % where)
    args = ['-c', d.conf]
    if where == 'option':
        args += ['-r', hist]
    else:
        d.write(standard(d.box, d), groups={'grp': 'g1,g2'},
                ctl={'history_file': hist})
    child = spawn(d.box, args)
    child.expect_exact(PROMPT)
    child.sendline('version')
    child.expect_exact(PROMPT)
    child.sendline('quit')
    assert wait_exit(child) == 0
    assert 'version' in Path(hist).read_text().split('\n')
    # The next run reads it back: Up Up recalls 'version'.
    child = spawn(d.box, args)
    child.expect_exact(PROMPT)
    child.send('\x1b[A\x1b[A\r')
    child.expect_exact('4.2.5')
    child.expect_exact(PROMPT)
    child.sendline('quit')
    assert wait_exit(child) == 0


def test_open(d, tm):
    other = Daemon(tm, d.kind, 'other')
    other.write({'elsewhere': {'command': tm.cmdline('sleeper')}})
    other.start(running=('elsewhere',))
    text = 'open %s\nstatus\nopen ftp://x\nopen %s\npid\n' % (
        other.url, d.http)
    ours = run(tm, 'tm', ['-c', d.conf], input=text)
    out = ours.out.split('\n')
    assert ours.rc == 0
    assert any(re.match(r'elsewhere +RUNNING', l) for l in out), out
    assert 'ERROR: url must be http:// or unix://' in out
    assert out[-3:] == ['%d' % d.pid, '', ''], out
    # One-shot open keeps the exit status of open itself.
    ours = run(tm, 'tm', ['-c', d.conf, 'open', other.url])
    assert ours.rc == 0 and re.match(r'elsewhere +RUNNING', ours.out)
    ours = run(tm, 'tm', ['-c', d.conf, 'open', 'unix://' + tm.path('x')])
    assert (ours.rc, ours.out) == (0, 'unix://%s no such file\n'
                                   % tm.path('x'))


# ------------------------------------------------------------------ fg

def test_fg_errors(d):
    compare_lines(d, ['fg', 'fg run cat', 'fg nosuch', 'fg idle'])


def test_fg(d):
    child = spawn(d.box, ['-c', d.conf, 'fg', 'cat'])
    child.expect_exact('==> Press Ctrl-C to exit <==')
    child.sendline('through stdin')
    # Once echoed by the terminal, once by cat through its stdout log.
    child.expect_exact('through stdin')
    child.expect_exact('through stdin')
    assert 'through stdin' in Path(d.path('cat.out')).read_text()
    d.rpc('supervisor.sendProcessStdin', 'cat', 'from elsewhere\n')
    child.expect_exact('from elsewhere')
    child.sendintr()
    child.expect_exact('Exiting foreground')
    assert wait_exit(child) == 0
    assert d.state('cat') == 'RUNNING'


def test_fg_process_killed(d):
    child = spawn(d.box, ['-c', d.conf, 'fg', 'cat'])
    child.expect_exact('==> Press Ctrl-C to exit <==')
    d.rpc('supervisor.stopProcess', 'cat')
    child.sendline('anyone there')
    child.expect_exact('Process got killed')
    child.expect_exact('Exiting foreground')
    assert wait_exit(child) == 0


def test_fg_in_shell_and_eof(d):
    child = spawn(d.box, ['-c', d.conf])
    child.expect_exact(PROMPT)
    child.sendline('fg cat')
    child.expect_exact('==> Press Ctrl-C to exit <==')
    child.sendline('in the shell')
    child.expect_exact('in the shell')
    child.expect_exact('in the shell')
    child.sendeof()
    child.expect_exact('Exiting foreground')
    child.expect_exact(PROMPT)
    child.sendline('quit')
    assert wait_exit(child) == 0


def test_fg_piped(d):
    ours = run(d.box, 'tm', ['-c', d.conf, 'fg', 'cat'], input='piped\n')
    assert ours.rc == 0
    assert ours.out.startswith('==> Press Ctrl-C to exit <==\n')
    assert ours.out.endswith('Exiting foreground\n')
    wait_until(lambda: 'piped' in Path(d.path('cat.out')).read_text(),
               msg='the line in the log of cat')


# --------------------------------------------------------------- Ctrl-C

def test_ctrl_c_during_call(tm, kind):
    # A start that waits for startsecs is abandoned on Ctrl-C.
    dm = Daemon(tm, kind)
    dm.write({'slow': {'command': tm.cmdline('sleeper'), 'startsecs': 30,
                       'autostart': False}})
    dm.start()
    child = spawn(tm, ['-c', dm.conf, 'start', 'slow'])
    wait_until(lambda: dm.state('slow') == 'STARTING', msg='slow STARTING')
    t0 = time.monotonic()
    child.sendintr()
    assert wait_exit(child) == -signal.SIGINT
    assert time.monotonic() - t0 < 5
    assert dm.alive()
