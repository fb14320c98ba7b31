# SPDX-License-Identifier: ISC
"""Helpers of the XML-RPC/HTTP tests: taskmasterd started in the foreground
with a Unix socket and a TCP port of its own, XML-RPC proxies over both
(Python's xmlrpc.client, with a small transport for the Unix socket), the
real supervisorctl, and raw HTTP for what well-behaved clients never send.

Everything a test starts is registered with the `tm` box of conftest.py, so
its cleanup stops the daemon and kills, by pid, whatever is left."""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import pytest

from conftest import BUILD, T, wait_until

TASKMASTERD = BUILD / 'taskmasterd'
SUPERVISORCTL = shutil.which('supervisorctl') or '/usr/bin/supervisorctl'

SANITIZER_RE = re.compile(r'ERROR: AddressSanitizer|ERROR: LeakSanitizer|'
                          r'runtime error:')


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- transports

class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=T):
        super().__init__('localhost', timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


class UnixTransport(xmlrpc.client.Transport):
    """xmlrpc.client over a Unix socket (the URL's host is ignored)."""

    def __init__(self, path):
        super().__init__()
        self.unix_path = path

    def make_connection(self, host):
        if self._connection and self._connection[0] == host:
            return self._connection[1]
        self._connection = host, UnixHTTPConnection(self.unix_path)
        return self._connection[1]


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = T
        return conn


# ---------------------------------------------------------------- raw HTTP

class Response:
    def __init__(self, status, reason, headers, body, version):
        self.status = status
        self.reason = reason
        self.headers = headers          # {lower-case name: value}
        self.body = body
        self.version = version


def parse_head(data):
    """(status, reason, headers, version, rest) of a response start, or None
    if the head is not complete yet."""
    end = data.find(b'\r\n\r\n')
    if end < 0:
        return None
    lines = data[:end].decode('latin-1').split('\r\n')
    version, status, reason = (lines[0].split(' ', 2) + [''])[:3]
    headers = {}
    for line in lines[1:]:
        k, v = line.split(':', 1)
        headers[k.strip().lower()] = v.strip()
    return int(status), reason, headers, version, data[end + 4:]


def dechunk(data):
    """(body decoded so far, complete?) of a chunked body."""
    out = b''
    while True:
        eol = data.find(b'\r\n')
        if eol < 0:
            return out, False
        size = int(data[:eol].split(b';')[0], 16)
        if size == 0:
            return out, True
        if len(data) < eol + 2 + size + 2:
            return out, False
        out += data[eol + 2:eol + 2 + size]
        data = data[eol + 2 + size + 2:]


class Raw:
    """One connection to the daemon, for hand-made requests."""

    def __init__(self, addr, timeout=T):
        family = socket.AF_UNIX if isinstance(addr, str) else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(addr)
        self.buf = b''
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def recv_some(self, timeout=T):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            data = b''
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def response(self, timeout=T):
        """Reads one whole response (Content-Length, chunked or up to the
        close) and returns it."""
        deadline = time.monotonic() + timeout
        while True:
            head = parse_head(self.buf)
            if head is not None:
                status, reason, headers, version, rest = head
                if 'content-length' in headers:
                    n = int(headers['content-length'])
                    if len(rest) >= n:
                        self.buf = rest[n:]
                        return Response(status, reason, headers, rest[:n],
                                        version)
                elif headers.get('transfer-encoding') == 'chunked':
                    body, done = dechunk(rest)
                    if done:
                        self.buf = b''
                        return Response(status, reason, headers, body,
                                        version)
                elif self.eof:
                    self.buf = b''
                    return Response(status, reason, headers, rest, version)
            elif self.eof:
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail('no complete response within %.0fs: %r'
                            % (timeout, self.buf[:300]))
            self.recv_some(min(left, 0.5))

    def wait_closed(self, timeout=T):
        """True if the server closes the connection before the deadline."""
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self.recv_some(0.2)
        return self.eof

    def close(self):
        self.sock.close()


def request_bytes(method, path, body=b'', headers=None, version='HTTP/1.1'):
    h = {'Host': 'localhost'}
    if body or method == 'POST':
        h['Content-Length'] = str(len(body))
    h.update(headers or {})
    head = '%s %s %s\r\n' % (method, path, version)
    head += ''.join('%s: %s\r\n' % (k, v) for k, v in h.items() if v is not None)
    return head.encode() + b'\r\n' + body


def xml_call(method, *params):
    return xmlrpc.client.dumps(params, method).encode()


def basic(user, password):
    import base64
    return 'Basic ' + base64.b64encode(
        ('%s:%s' % (user, password)).encode()).decode()


# ---------------------------------------------------------------- the daemon

class DaemonSession:
    """taskmasterd -n -c conf on pipes; stdout and stderr go to files."""

    def __init__(self, box, argv, env, cwd):
        self.box = box
        self.out_path = box.dir / ('taskmasterd-%d.out' % len(box.sessions))
        self.err_path = box.dir / ('taskmasterd-%d.err' % len(box.sessions))
        self.out = open(self.out_path, 'wb')
        self.err = open(self.err_path, 'wb')
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=self.err,
                                     env=env, cwd=cwd)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        self.err.flush()
        return self.err_path.read_text(errors='replace')

    def wait_exit(self, timeout=T):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail('taskmasterd (pid %d) did not exit within %.0fs'
                        % (self.pid, timeout))

    def shutdown(self, timeout=T):
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
        return self.wait_exit(timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.err.close()

    def check_sanitizers(self):
        m = SANITIZER_RE.search(self.stderr())
        assert m is None, 'taskmasterd reported:\n' + self.stderr()[-4000:]


class Rpc:
    """A daemon configured with both servers, and ways to talk to it."""

    def __init__(self, tm, programs=None, user=None, password=None,
                 unix=True, inet=True, unix_keys=None, inet_keys=None,
                 extra=''):
        self.tm = tm
        # sun_path holds 108 bytes: the socket lives in a short directory.
        self.sockdir = tempfile.mkdtemp(prefix='tmrpc-', dir='/tmp')
        tm.rpc_dirs = getattr(tm, 'rpc_dirs', []) + [self.sockdir]
        self.sock = os.path.join(self.sockdir, 'tm.sock')
        self.port = free_port()
        self.user = user
        self.password = password
        self.plain_password = password
        self.unix = unix
        self.inet = inet
        self.unix_keys = dict(unix_keys or {})
        self.inet_keys = dict(inet_keys or {})
        self.extra = extra
        self.programs = programs or {}
        self.daemon = None

    # -- config

    def sections(self):
        out = []
        auth = []
        if self.user is not None:
            auth = ['username = %s' % self.user,
                    'password = %s' % self.password]
        if self.unix:
            out += ['[unix_http_server]', 'file = %s' % self.sock]
            out += ['%s = %s' % kv for kv in self.unix_keys.items()]
            out += auth + ['']
        if self.inet:
            out += ['[inet_http_server]', 'port = 127.0.0.1:%d' % self.port]
            out += ['%s = %s' % kv for kv in self.inet_keys.items()]
            out += auth + ['']
        out += ['[rpcinterface:supervisor]',
                'supervisor.rpcinterface_factory = '
                'supervisor.rpcinterface:make_main_rpcinterface', '']
        out += ['[supervisorctl]',
                'serverurl = ' + (('unix://' + self.sock) if self.unix else
                                  'http://127.0.0.1:%d' % self.port)]
        if self.user is not None:
            out += ['username = %s' % self.user,
                    'password = %s' % self.plain_password]
        return '\n'.join(out) + '\n' + self.extra

    def write_config(self, programs=None):
        if programs is not None:
            self.programs = programs
        return self.tm.write_config(self.programs, extra=self.sections())

    # -- the daemon

    def start(self, wait=True, args=None):
        if not TASKMASTERD.exists():
            pytest.fail('%s does not exist (make build-all)' % TASKMASTERD)
        self.write_config()
        argv = [str(TASKMASTERD), '-n', '-c', str(self.tm.conf)] + (args or [])
        d = DaemonSession(self.tm, argv, self.tm.environ(), str(self.tm.dir))
        self.tm.sessions.append(d)
        self.daemon = d
        if wait:
            self.wait_ready()
        return d

    def run(self, timeout=T):
        """Starts a second daemon on the same config, expecting it to exit:
        returns (status, stdout, stderr)."""
        argv = [str(TASKMASTERD), '-n', '-c', str(self.tm.conf)]
        d = DaemonSession(self.tm, argv, self.tm.environ(), str(self.tm.dir))
        self.tm.sessions.append(d)
        rc = d.wait_exit(timeout)
        d.out.flush()
        return rc, d.out_path.read_text(errors='replace'), d.stderr()

    def connectable(self):
        addrs = []
        if self.unix:
            addrs.append((socket.AF_UNIX, self.sock))
        if self.inet:
            addrs.append((socket.AF_INET, ('127.0.0.1', self.port)))
        for family, addr in addrs:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                try:
                    s.connect(addr)
                except OSError:
                    return False
        return True

    def wait_ready(self):
        def ready():
            if not self.daemon.alive():
                pytest.fail('taskmasterd exited with %s: %s'
                            % (self.daemon.proc.returncode,
                               self.daemon.stderr()[-2000:]))
            return self.connectable()
        wait_until(ready, msg='taskmasterd to listen')

    def stop(self, timeout=T):
        """SIGTERM, wait, check the sanitizers' verdict; returns the exit
        status."""
        rc = self.daemon.shutdown(timeout)
        self.daemon.check_sanitizers()
        return rc

    # -- clients

    @property
    def http_url(self):
        return 'http://127.0.0.1:%d' % self.port

    def proxy(self, user=None, password=None):
        """xmlrpc.client over TCP, with the configured credentials unless
        others are given."""
        user = self.user if user is None else user
        password = self.plain_password if password is None else password
        if user is not None:
            url = 'http://%s:%s@127.0.0.1:%d/RPC2' % (user, password,
                                                      self.port)
        else:
            url = self.http_url + '/RPC2'
        return xmlrpc.client.ServerProxy(url, transport=TimeoutTransport())

    def unix_proxy(self):
        if self.user is not None:
            url = 'http://%s:%s@localhost/RPC2' % (self.user,
                                                   self.plain_password)
        else:
            url = 'http://localhost/RPC2'
        return xmlrpc.client.ServerProxy(url,
                                         transport=UnixTransport(self.sock))

    def ctl(self, *args, url=None, user=None, password=None, timeout=T):
        """Runs the real supervisorctl once; returns (status, stdout)."""
        argv = [SUPERVISORCTL, '-c', str(self.tm.conf)]
        if url is not None:
            argv += ['-s', url]
        if user is not None:
            argv += ['-u', user]
        if password is not None:
            argv += ['-p', password]
        argv += list(args)
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, cwd=str(self.tm.dir),
                           env=self.tm.environ())
        return p.returncode, p.stdout.decode(errors='replace')

    def ctl_lines(self, *args, **kw):
        rc, out = self.ctl(*args, **kw)
        return rc, [l for l in out.split('\n') if l != '']

    def ctl_popen(self, *args):
        argv = [SUPERVISORCTL, '-c', str(self.tm.conf)] + list(args)
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             cwd=str(self.tm.dir), env=self.tm.environ())
        self.tm.sessions.append(_Popen(p))
        os.set_blocking(p.stdout.fileno(), False)
        return p

    def raw(self, unix=False):
        return Raw(self.sock if unix else ('127.0.0.1', self.port))

    def request(self, method, path, body=b'', headers=None, unix=False,
                version='HTTP/1.1'):
        """One request on a new connection; returns the Response."""
        r = self.raw(unix)
        try:
            r.send(request_bytes(method, path, body, headers, version))
            return r.response()
        finally:
            r.close()

    def open_fds(self):
        """The number of descriptors the daemon has open."""
        return len(os.listdir('/proc/%d/fd' % self.daemon.pid))

    def open_sockets(self):
        """The number of sockets the daemon has open."""
        d = '/proc/%d/fd' % self.daemon.pid
        n = 0
        for fd in os.listdir(d):
            try:
                n += os.readlink(os.path.join(d, fd)).startswith('socket:')
            except OSError:
                pass
        return n

    def log(self):
        return self.tm.log()


class _Popen:
    """A client process, so that the box's cleanup covers it."""

    def __init__(self, proc):
        self.proc = proc
        self.pid = proc.pid

    def alive(self):
        return self.proc.poll() is None

    def shutdown(self, timeout=T):
        self.proc.kill()
        self.proc.wait()

    def close(self):
        if self.proc.stdout:
            self.proc.stdout.close()


def read_until(proc, regex, timeout=T):
    """Reads a client's non-blocking stdout until the text so far matches
    regex; returns the text."""
    rx = re.compile(regex, re.M | re.S)
    text = b''
    deadline = time.monotonic() + timeout
    while True:
        try:
            data = proc.stdout.read()
        except BlockingIOError:
            data = None
        if data:
            text += data
        if rx.search(text.decode(errors='replace')):
            return text.decode(errors='replace')
        if time.monotonic() > deadline:
            pytest.fail('output never matched %r: %r' % (regex, text[-500:]))
        time.sleep(0.05)


def remove_dirs(tm):
    for d in getattr(tm, 'rpc_dirs', []):
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def rpc(tm):
    """A factory of Rpc objects bound to the test's box."""
    made = []

    def make(programs=None, **kw):
        r = Rpc(tm, programs, **kw)
        made.append(r)
        return r
    yield make
    remove_dirs(tm)


def sha_password(plain):
    import hashlib
    return '{SHA}' + hashlib.sha1(plain.encode()).hexdigest()


def fault(fn, *args):
    """(code, string) of the fault fn(*args) raises."""
    with pytest.raises(xmlrpc.client.Fault) as e:
        fn(*args)
    return e.value.faultCode, e.value.faultString


def wait_state(proxy, name, state, timeout=T):
    def check():
        return proxy.supervisor.getProcessInfo(name)['statename'] == state
    wait_until(check, timeout, msg='%s in %s' % (name, state))
    return proxy.supervisor.getProcessInfo(name)


def wait_path_gone(path, timeout=T):
    wait_until(lambda: not Path(path).exists(), timeout,
               msg='%s to disappear' % path)


# ------------------------------------------------------------ faults, storms

import threading  # noqa: E402

from conftest import children_of, proc_stat  # noqa: E402

CLK_TCK = os.sysconf('SC_CLK_TCK')
RUNNING_STATES = ('STARTING', 'RUNNING', 'BACKOFF', 'STOPPING')


def rss_kb(pid):
    """The resident set size of pid in KiB."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


def cpu_seconds(pid):
    """User plus system CPU time pid has used so far."""
    with open('/proc/%d/stat' % pid) as f:
        rest = f.read().rsplit(')', 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def child_states(pid):
    """[(pid, state letter)] of pid's children, from
    /proc/<pid>/task/*/children where the kernel has it, else from every
    process's parent."""
    tasks = '/proc/%d/task' % pid
    kids = None
    try:
        for t in os.listdir(tasks):
            with open('%s/%s/children' % (tasks, t)) as f:
                kids = (kids or []) + [int(x) for x in f.read().split()]
    except OSError:
        kids = None
    if kids is None:
        return children_of(pid)
    out = []
    for k in kids:
        st = proc_stat(k)
        if st is not None:
            out.append((k, st[0]))
    return out


def zombies_of(pid):
    return [c for c, st in child_states(pid) if st == 'Z']


def gone(pid):
    """True if pid no longer exists at all (reaped, not a zombie)."""
    return proc_stat(pid) is None


def sanitizer_build():
    """True if taskmasterd was built with AddressSanitizer."""
    try:
        with open(TASKMASTERD, 'rb') as f:
            return b'__asan_init' in f.read()
    except OSError:
        return False


def spawned_pids(tm, since=0):
    """{process name: [pids]} from the spawned: lines of the main log."""
    out = {}
    for _, _, m in tm.find_log(r"^spawned: '([^']+)' with pid (\d+)$", since):
        out.setdefault(m.group(1), []).append(int(m.group(2)))
    return out


def infos(proxy):
    """{'group:name' or 'name': process info} of getAllProcessInfo."""
    out = {}
    for p in proxy.supervisor.getAllProcessInfo():
        key = p['name'] if p['group'] == p['name'] else \
            '%s:%s' % (p['group'], p['name'])
        out[key] = p
    return out


def close_proxy(proxy):
    """Closes a proxy's kept-alive connection."""
    proxy('close')()


class LimitedDaemonSession(DaemonSession):
    """DaemonSession whose process runs preexec_fn first (resource limits,
    credentials) and may run in another directory."""

    def __init__(self, box, argv, env, cwd, preexec_fn=None):
        self.box = box
        self.out_path = box.dir / ('taskmasterd-%d.out' % len(box.sessions))
        self.err_path = box.dir / ('taskmasterd-%d.err' % len(box.sessions))
        self.out = open(self.out_path, 'wb')
        self.err = open(self.err_path, 'wb')
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self.out, stderr=self.err,
                                     env=env, cwd=cwd, preexec_fn=preexec_fn)
        self.pid = self.proc.pid


def start_daemon(r, supervisord=None, loglevel='info', preexec_fn=None,
                 env=None, wait=True, conf=None, cwd=None, binary=None):
    """Like Rpc.start, with keys for [supervisord], a log level, a function
    run in the daemon's process before the exec, extra environment, the
    config written to conf (default the box's) and another copy of the
    binary to run."""
    if not TASKMASTERD.exists():
        pytest.fail('%s does not exist (make build-all)' % TASKMASTERD)
    path = r.tm.write_config(r.programs, supervisord=supervisord,
                             extra=r.sections(), loglevel=loglevel, path=conf)
    argv = [str(binary or TASKMASTERD), '-n', '-c', path]
    d = LimitedDaemonSession(r.tm, argv, r.tm.environ(env),
                             str(cwd or r.tm.dir), preexec_fn)
    r.tm.sessions.append(d)
    r.daemon = d
    if wait:
        r.wait_ready()
    return d


def call_within(limit, fn, *args):
    """fn(*args), which must return within limit seconds in all: a socket
    timeout alone lets a reply that trickles in take for ever.  Fails the
    test otherwise (the call's thread is left to end with the daemon)."""
    res = {}

    def run():
        try:
            res['v'] = fn(*args)
        except BaseException as e:  # noqa: BLE001
            res['e'] = e
    t = threading.Thread(target=run, daemon=True)
    t0 = time.monotonic()
    t.start()
    t.join(limit)
    if t.is_alive():
        pytest.fail('no answer from taskmasterd within %.0fs' % limit)
    if 'e' in res:
        raise res['e']
    res['secs'] = time.monotonic() - t0
    return res['v']


def log_tail(tm, n=15):
    """The last n lines of the main log, for failure messages."""
    return '\n'.join(tm.log().rstrip('\n').split('\n')[-n:])


def descendants(pid):
    """Every live descendant of pid, from the parent links in /proc."""
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            st = proc_stat(int(d))
            if st is not None:
                kids.setdefault(st[1], []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def stop_hung_daemons(tm):
    """After a test: a daemon that does not exit on SIGTERM (a stuck loop)
    is killed, and its children (which its death kills) are waited for, so
    the box's cleanup does not find them dying.  Returns the pids killed."""
    from conftest import alive
    killed = []
    for s in tm.sessions:
        if not isinstance(s, DaemonSession) or not s.alive():
            continue
        os.kill(s.pid, signal.SIGTERM)
        try:
            s.proc.wait(T / 2)
            continue
        except subprocess.TimeoutExpired:
            pass
        kids = [c for c, _ in child_states(s.pid)]
        s.proc.kill()
        s.proc.wait()
        killed.append(s.pid)
        deadline = time.monotonic() + T
        while time.monotonic() < deadline and any(alive(k) for k in kids):
            time.sleep(0.05)
    return killed


@pytest.fixture
def hung_daemons(tm):
    """Use with autouse in a module: see stop_hung_daemons."""
    yield
    stop_hung_daemons(tm)


class LongTransport(xmlrpc.client.Transport):
    """xmlrpc.client over TCP with a socket timeout of its own."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def long_proxy(r, timeout):
    """A proxy to r's TCP server (no credentials) whose calls may take up to
    timeout seconds."""
    return xmlrpc.client.ServerProxy(r.http_url + '/RPC2',
                                     transport=LongTransport(timeout))
