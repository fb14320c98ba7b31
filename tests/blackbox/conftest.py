# SPDX-License-Identifier: ISC
"""Fixtures of the black-box suite.

Each test gets a `tm` object (class Box): a private directory, a config
writer, taskmaster started under a pseudo-terminal (pexpect) or on pipes,
pollers for the main log and for states, and a cleanup that shuts taskmaster
down and then kills, by pid, every process the test started.

Every process a test starts carries TASKMASTER_TEST_TOKEN=<random> in its
environment (taskmaster passes its environment on to its children, and they
to theirs), so leftovers are found in /proc by that token and never by name.
"""

import os
import re
import shlex
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get('TASKMASTER_BUILD') or ROOT / 'build')
TASKMASTER = BUILD / 'taskmaster'
PROGS_SRC = ROOT / 'tests' / 'progs'

# Deadline of every wait.  Generous: CI machines are slow and the suite also
# runs against the sanitizer build.
T = float(os.environ.get('TASKMASTER_TEST_TIMEOUT', '10'))

PROMPT = 'taskmaster> '
STATES = ('STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED',
          'FATAL', 'UNKNOWN')
STOPPED_STATES = ('STOPPED', 'EXITED', 'FATAL', 'UNKNOWN')

LOG_RE = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) '
                    r'(CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) (.*)$')
STATUS_RE = re.compile(r'^(\S+) +(%s)(?: (.*))?$' % '|'.join(STATES))
ANSI_RE = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|'
                     r'\x1b[=>78]|\x07')

CFLAGS = ['-std=c11', '-D_GNU_SOURCE', '-Wall', '-Wextra', '-Werror',
          '-Wformat=2', '-Wshadow', '-Wmissing-prototypes',
          '-Wstrict-prototypes', '-Wmissing-declarations', '-Wwrite-strings',
          '-Wpointer-arith', '-Wsign-compare', '-Wundef',
          '-Wimplicit-fallthrough', '-Wmisleading-indentation', '-O2']


# ---------------------------------------------------------------- helpers

def wait_until(fn, timeout=T, interval=0.05, msg=None, pump=None):
    """Calls fn until it returns a true value, which is returned; fails the
    test at the deadline.  pump, if given, is called between tries (it keeps
    a terminal drained)."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            pytest.fail('timed out after %.1fs waiting for %s'
                        % (timeout, msg or getattr(fn, '__name__', fn)))
        if pump is not None:
            pump()
        time.sleep(interval)


def holds_for(fn, duration, interval=0.05, pump=None):
    """True if fn() stays true for duration seconds.  Used only to check that
    something does NOT happen (a restart that must not come)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        if not fn():
            return False
        if pump is not None:
            pump()
        time.sleep(interval)
    return bool(fn())


def proc_stat(pid):
    """(state letter, ppid, pgid) of pid, or None if it does not exist."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            data = f.read()
    except OSError:
        return None
    rest = data[data.rindex(')') + 2:].split()
    return rest[0], int(rest[1]), int(rest[2])


def alive(pid):
    """True if pid exists and is not a zombie."""
    st = proc_stat(pid)
    return st is not None and st[0] not in ('Z', 'X')


def children_of(pid):
    """[(child pid, state letter)] of the processes whose parent is pid."""
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            st = proc_stat(int(d))
            if st is not None and st[1] == pid:
                out.append((int(d), st[0]))
    return out


def clean_terminal(text):
    text = ANSI_RE.sub('', text)
    text = text.replace('\r\n', '\n')
    # What is left of carriage returns are line redraws: keep the last one.
    return '\n'.join(l.rsplit('\r', 1)[-1] for l in text.split('\n'))


def split_events(text):
    """Separates main-log records copied to the terminal from command
    output.  Returns (output lines, event lines)."""
    out, events = [], []
    for line in text.split('\n'):
        (events if LOG_RE.match(line) else out).append(line)
    return out, events


def parse_status(lines):
    """{namespec: (state, description)} from status output lines."""
    res = {}
    for line in lines:
        m = STATUS_RE.match(line)
        if m:
            res[m.group(1)] = (m.group(2), (m.group(3) or '').strip())
    return res


def log_time(stamp):
    """Seconds (float) of a main-log time stamp."""
    t = time.strptime(stamp[:19], '%Y-%m-%d %H:%M:%S')
    return time.mktime(t) + int(stamp[20:23]) / 1000.0


_progs = {}


def prog_path(name, tmp_factory):
    """The helper program NAME: $BUILD/progs/NAME as the Makefile builds it,
    else compiled once per session from tests/progs/NAME.c."""
    if name in _progs:
        return _progs[name]
    src = PROGS_SRC / (name + '.c')
    built = BUILD / 'progs' / name
    if built.exists() and built.stat().st_mtime >= src.stat().st_mtime:
        path = str(built)
    else:
        out = tmp_factory.getbasetemp() / 'progs'
        out.mkdir(exist_ok=True)
        path = str(out / name)
        cc = os.environ.get('CC', 'cc')
        subprocess.run([cc] + CFLAGS + ['-o', path, str(src)], check=True)
    _progs[name] = path
    return path


# ---------------------------------------------------------------- sessions

class Session:
    """A running taskmaster; subclasses talk to it over a pty or pipes."""

    def __init__(self, box):
        self.box = box
        self.pid = None

    # Subclasses: cmd(line), alive(), wait_exit(timeout), shutdown(), pump()

    def lines(self, line, timeout=T):
        """The output lines of one command (log records removed), without
        trailing empty lines."""
        out = self.cmd(line, timeout).split('\n')
        while out and out[-1] == '':
            out.pop()
        return out

    def status(self, args='', timeout=T):
        st = parse_status(self.lines(('status ' + args).strip(), timeout))
        for state, desc in st.values():
            m = re.match(r'pid (\d+),', desc)
            if m:
                self.box.seen_pids.add(int(m.group(1)))
        return st

    def state(self, name):
        st = self.status().get(name)
        return st[0] if st else None

    def wait_state(self, name, states, timeout=T):
        """Polls status until name is in one of states (a name or a tuple);
        returns (state, description)."""
        if isinstance(states, str):
            states = (states,)
        last = {}

        def check():
            last['st'] = self.status().get(name)
            return last['st'] is not None and last['st'][0] in states

        try:
            wait_until(check, timeout, interval=0.05,
                       msg='%s in %s' % (name, '/'.join(states)))
        except pytest.fail.Exception:
            pytest.fail('%s never reached %s; last status %r'
                        % (name, '/'.join(states), last.get('st')))
        return last['st']

    def pid_of(self, name):
        """The pid of a RUNNING/STARTING process from its status line."""
        st = self.status().get(name)
        assert st is not None, 'no status line for %s' % name
        m = re.match(r'pid (\d+),', st[1])
        if m:
            return int(m.group(1))
        lines = self.lines('pid ' + name)
        assert lines and lines[-1].strip().isdigit(), lines
        pid = int(lines[-1].strip())
        self.box.seen_pids.add(pid)
        return pid

    def kill(self, sig):
        os.kill(self.pid, sig)


class PtySession(Session):
    """taskmaster with a terminal on stdin/stdout/stderr (pexpect)."""

    def __init__(self, box, argv, env, cwd, preexec_fn=None, prompt=True):
        super().__init__(box)
        self.transcript = open(box.dir / 'terminal.txt', 'a')
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd,
                                   encoding='utf-8', codec_errors='replace',
                                   timeout=T, maxread=65536,
                                   dimensions=(50, 250),
                                   preexec_fn=preexec_fn)
        self.child.logfile_read = self.transcript
        self.pid = self.child.pid
        self.events = []
        if prompt:
            self.expect_prompt()

    def expect(self, pattern, timeout=T):
        self.child.expect(pattern, timeout=timeout)
        return self.child.match

    def expect_prompt(self, timeout=T):
        self.child.expect_exact(PROMPT, timeout=timeout)
        return clean_terminal(self.child.before)

    def pump(self):
        """Reads (and keeps aside) what taskmaster printed while no command
        was pending, so that a full terminal never blocks it."""
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=0)
            except (pexpect.TIMEOUT, pexpect.EOF, OSError, ValueError):
                return
            if not data:
                return
            self.events.append(data)

    def send_line(self, line):
        self.child.sendline(line)
        # Readline echoes what it gets; anything before the echo is output
        # that arrived while no command was pending.
        self.child.expect(re.escape(line) + r' *\r*\n', timeout=T)

    def cmd(self, line, timeout=T, raw=False):
        """Runs one command and returns its output up to the next prompt,
        with terminal control sequences and (unless raw) main-log records
        removed."""
        self.send_line(line)
        self.child.expect_exact(PROMPT, timeout=timeout)
        text = clean_terminal(self.child.before)
        if raw:
            return text
        out, events = split_events(text)
        self.events.extend(events)
        return '\n'.join(out)

    def cmd_confirm(self, line, timeout=T):
        """Runs a command that may ask y/N first (shutdown, reload) and
        answers yes.  Returns the output seen up to the next prompt or EOF."""
        self.send_line(line)
        i = self.child.expect([r'y/N\? ?', PROMPT, pexpect.EOF],
                              timeout=timeout)
        before = self.child.before
        if i == 0:
            self.child.sendline('y')
            i = self.child.expect([PROMPT, pexpect.EOF], timeout=timeout) + 1
            before += self.child.before
        return '\n'.join(split_events(clean_terminal(before))[0])

    def alive(self):
        return self.child.isalive()

    def wait_exit(self, timeout=T):
        """Waits for taskmaster to exit (reading the terminal meanwhile);
        returns its exit status, or -signal."""
        deadline = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < deadline:
            try:
                self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=0.1)
            except (OSError, ValueError):
                time.sleep(0.05)
        if self.child.isalive():
            pytest.fail('taskmaster (pid %d) did not exit within %.0fs'
                        % (self.pid, timeout))
        try:
            self.child.expect(pexpect.EOF, timeout=1)
        except (pexpect.TIMEOUT, OSError, ValueError):
            pass
        if self.child.signalstatus is not None:
            return -self.child.signalstatus
        return self.child.exitstatus

    def output_since_start(self):
        self.transcript.flush()
        return clean_terminal((self.box.dir / 'terminal.txt').read_text(
            errors='replace'))

    def shutdown(self, timeout=T):
        """shutdown; answers yes if asked.  Returns the exit status."""
        if self.child.isalive():
            try:
                self.cmd_confirm('shutdown', timeout=timeout)
            except (pexpect.TIMEOUT, pexpect.EOF, OSError):
                pass
        return self.wait_exit(timeout)

    def close(self):
        self.child.close(force=True)
        self.transcript.close()


class PipeSession(Session):
    """taskmaster with pipes on stdin, stdout and stderr."""

    def __init__(self, box, argv, env, cwd, preexec_fn=None):
        super().__init__(box)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd,
                                     preexec_fn=preexec_fn)
        self.pid = self.proc.pid
        self.out = bytearray()
        self.err = bytearray()
        self.cond = threading.Condition()
        self.pos = 0
        self.nsync = 0
        self.threads = [
            threading.Thread(target=self._reader, args=(self.proc.stdout,
                                                        self.out), daemon=True),
            threading.Thread(target=self._reader, args=(self.proc.stderr,
                                                        self.err), daemon=True)]
        for t in self.threads:
            t.start()

    def _reader(self, f, buf):
        while True:
            data = f.read1(65536)
            with self.cond:
                if not data:
                    self.cond.notify_all()
                    return
                buf.extend(data)
                self.cond.notify_all()

    def pump(self):
        pass

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def stdout(self):
        with self.cond:
            return self.out.decode(errors='replace')

    def stderr(self):
        with self.cond:
            return self.err.decode(errors='replace')

    def wait_stdout(self, regex, timeout=T):
        """Waits until the whole stdout so far matches regex (re.M)."""
        rx = re.compile(regex, re.M)
        return wait_until(lambda: rx.search(self.stdout()), timeout,
                          msg='stdout to match %r' % regex)

    def cmd(self, line, timeout=T, raw=True):
        """Runs one command; its output ends where the answer to a following
        unknown command (a marker) begins.  (Log records go to stderr, so
        the output is always raw.)"""
        self.nsync += 1
        marker = '__sync_%d_%s__' % (self.nsync, self.box.token[:6])
        self.send(line + '\n' + marker + '\n')
        tail = '*** Unknown syntax: %s\n' % marker
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                text = self.out.decode(errors='replace')
                i = text.find(tail, self.pos)
                if i >= 0:
                    break
                if self.proc.poll() is not None and not any(
                        t.is_alive() for t in self.threads):
                    pytest.fail('taskmaster exited during %r' % line)
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail('no answer to %r within %.0fs; stdout %r'
                                % (line, timeout, text[self.pos:]))
                self.cond.wait(min(left, 0.2))
        out = text[self.pos:i]
        self.pos = i + len(tail)
        return out

    def alive(self):
        return self.proc.poll() is None

    def wait_exit(self, timeout=T):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail('taskmaster (pid %d) did not exit within %.0fs'
                        % (self.pid, timeout))
        for t in self.threads:
            t.join(2)
        return rc

    def shutdown(self, timeout=T):
        self.close_stdin()
        return self.wait_exit(timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


# ---------------------------------------------------------------- the box

def _fmt(v):
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    return str(v)


class Box:
    """Everything one test needs, in its own directory."""

    def __init__(self, tmp_path, tmp_factory):
        self.dir = tmp_path
        self.tmp_factory = tmp_factory
        self.token = uuid.uuid4().hex
        self.logfile = tmp_path / 'taskmaster.log'
        self.childlogdir = tmp_path / 'childlogs'
        self.childlogdir.mkdir()
        self.pidfile = tmp_path / 'taskmaster.pid'
        self.conf = tmp_path / 'taskmaster.conf'
        self.sessions = []
        self.seen_pids = set()
        self.expect_clean = True

    # -- paths and commands

    def prog(self, name):
        return prog_path(name, self.tmp_factory)

    def path(self, *parts):
        return str(self.dir.joinpath(*parts))

    def cmdline(self, prog, *args):
        """A command= value running helper program prog with args."""
        return shlex.join([self.prog(prog)] + [str(a) for a in args])

    def program(self, command, **keys):
        """A [program:x] body with fast defaults (startsecs=0, stopwaitsecs=1,
        explicit stdout/stderr logs left to the caller)."""
        body = {'command': command, 'startsecs': 0, 'stopwaitsecs': 1}
        body.update(keys)
        return body

    # -- config

    def config_text(self, programs=None, supervisord=None, extra='',
                    loglevel='info'):
        lines = ['[supervisord]',
                 'logfile = %s' % self.logfile,
                 'childlogdir = %s' % self.childlogdir,
                 'pidfile = %s' % self.pidfile]
        if loglevel is not None:
            lines.append('loglevel = %s' % loglevel)
        for k, v in (supervisord or {}).items():
            lines.append('%s = %s' % (k, _fmt(v)))
        for name, body in (programs or {}).items():
            section = name if ':' in name else 'program:' + name
            lines += ['', '[%s]' % section]
            if isinstance(body, str):
                lines += body.strip('\n').split('\n')
            else:
                lines += ['%s = %s' % (k, _fmt(v)) for k, v in body.items()]
        if extra:
            lines += ['', extra.strip('\n')]
        return '\n'.join(lines) + '\n'

    def write_config(self, programs=None, supervisord=None, extra='',
                     loglevel='info', path=None):
        """Writes a config: [supervisord] with logfile, childlogdir and
        pidfile in the test directory, then one section per entry of
        programs (name or 'kind:name' -> dict of keys or raw text), then
        extra text.  Returns the path."""
        path = Path(path) if path else self.conf
        path.write_text(self.config_text(programs, supervisord, extra,
                                         loglevel))
        return str(path)

    # -- starting taskmaster

    def environ(self, extra=None):
        env = dict(os.environ)
        env['TASKMASTER_TEST_TOKEN'] = self.token
        env['HOME'] = str(self.dir)
        env['TERM'] = 'dumb'
        inputrc = self.dir / 'inputrc'
        if not inputrc.exists():
            inputrc.write_text('set enable-bracketed-paste off\n'
                               'set bell-style none\n')
        env['INPUTRC'] = str(inputrc)
        env.pop('COLUMNS', None)
        env.pop('LINES', None)
        env.update(extra or {})
        return env

    def start(self, conf=None, args=None, env=None, cwd=None, pty=True,
              preexec_fn=None, prompt=True):
        """Starts taskmaster -c conf.  With pty (default) waits for the first
        prompt; returns the session."""
        if not TASKMASTER.exists():
            pytest.fail('%s does not exist (make build-all)' % TASKMASTER)
        argv = [str(TASKMASTER), '-c', str(conf or self.conf)] + (args or [])
        cwd = str(cwd or self.dir)
        if pty:
            s = PtySession(self, argv, self.environ(env), cwd, preexec_fn,
                           prompt)
        else:
            s = PipeSession(self, argv, self.environ(env), cwd, preexec_fn)
        self.sessions.append(s)
        return s

    def run(self, conf=None, args=None, input='', env=None, timeout=T,
            cwd=None):
        """Runs taskmaster to completion on pipes (for configs that must
        be refused).  Returns (exit status, stdout, stderr)."""
        if not TASKMASTER.exists():
            pytest.fail('%s does not exist (make build-all)' % TASKMASTER)
        argv = [str(TASKMASTER)]
        if conf is not False:
            argv += ['-c', str(conf or self.conf)]
        argv += args or []
        p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=self.environ(env), cwd=str(cwd or self.dir))
        self.sessions.append(_Finished(p))
        try:
            out, err = p.communicate(input.encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            pytest.fail('taskmaster did not exit within %.0fs; stderr %r'
                        % (timeout, err))
        return p.returncode, out.decode(errors='replace'), \
            err.decode(errors='replace')

    # -- main log

    def log(self):
        try:
            return self.logfile.read_text(errors='replace')
        except FileNotFoundError:
            return ''

    def log_mark(self):
        """A position in the main log; pass it as since= to look only at
        what was logged after it."""
        try:
            return self.logfile.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, since=0):
        try:
            with open(self.logfile, 'rb') as f:
                f.seek(since)
                return f.read().decode(errors='replace')
        except FileNotFoundError:
            return ''

    def records(self, since=0):
        """[(seconds, level, message)] of the main log (continuation lines of
        multi-line records are dropped)."""
        out = []
        for line in self.log_since(since).split('\n'):
            m = LOG_RE.match(line)
            if m:
                out.append((log_time(m.group(1)), m.group(2), m.group(3)))
        return out

    def find_log(self, regex, since=0):
        """[(seconds, level, match)] of records whose message matches."""
        rx = re.compile(regex)
        out = []
        for t, lvl, msg in self.records(since):
            m = rx.search(msg)
            if m:
                out.append((t, lvl, m))
        return out

    def _pump(self):
        for s in self.sessions:
            if isinstance(s, PtySession) and s.alive():
                s.pump()

    def wait_log(self, regex, timeout=T, since=0, count=1):
        """Polls the main log until count records match regex; returns the
        list of (seconds, level, match)."""
        return wait_until(lambda: (lambda r: r if len(r) >= count else None)(
            self.find_log(regex, since)), timeout, interval=0.05,
            msg='%d main log record(s) matching %r' % (count, regex),
            pump=self._pump)

    def wait_until(self, fn, timeout=T, msg=None, interval=0.05):
        return wait_until(fn, timeout, interval, msg, pump=self._pump)

    def holds_for(self, fn, duration):
        return holds_for(fn, duration, pump=self._pump)

    def wait_file(self, path, regex, timeout=T):
        """Polls a file until its text matches regex (re.M); returns the
        match."""
        rx = re.compile(regex, re.M)

        def check():
            try:
                return rx.search(Path(path).read_text(errors='replace'))
            except FileNotFoundError:
                return None
        return self.wait_until(check, timeout,
                               msg='%s to match %r' % (path, regex))

    def wait_pidfile(self, path, timeout=T):
        m = self.wait_file(path, r'^(\d+)\n', timeout)
        pid = int(m.group(1))
        self.seen_pids.add(pid)
        return pid

    # -- processes

    def tagged(self):
        """Live pids (not zombies) whose environment holds our token."""
        needle = ('TASKMASTER_TEST_TOKEN=%s' % self.token).encode()
        out = []
        for d in os.listdir('/proc'):
            if not d.isdigit():
                continue
            try:
                with open('/proc/%s/environ' % d, 'rb') as f:
                    env = f.read()
            except OSError:
                continue
            if needle in env.split(b'\0') and alive(int(d)):
                out.append(int(d))
        return out

    def leftovers(self, exclude=()):
        ex = set(exclude) | {s.pid for s in self.sessions if s.pid}
        return [p for p in self.tagged() if p not in ex]

    def cleanup(self):
        for s in self.sessions:
            try:
                if s.alive():
                    s.shutdown(timeout=max(T, 15))
            except BaseException:
                pass
        for s in self.sessions:
            try:
                s.close()
            except BaseException:
                pass
        left = self.tagged()
        for p in left + [p for p in self.seen_pids if p not in left]:
            if p in left or (alive(p) and p in self.tagged()):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        if left and self.expect_clean:
            raise AssertionError('processes left behind after taskmaster '
                                 'exited: %s' % left)


class _Finished:
    """A run() process, so that cleanup covers it like a session."""

    def __init__(self, proc):
        self.proc = proc
        self.pid = proc.pid

    def alive(self):
        return self.proc.poll() is None

    def shutdown(self, timeout=T):
        self.proc.kill()
        self.proc.wait()

    def close(self):
        pass


WATCHDOG = int(os.environ.get('TASKMASTER_TEST_WATCHDOG', '180'))


class WatchdogTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def _watchdog():
    """Fails a test (cleanup included) that hangs for WATCHDOG seconds,
    instead of stalling the whole suite."""
    def fire(signum, frame):
        raise WatchdogTimeout('test still running after %ds' % WATCHDOG)
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(WATCHDOG)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def tm(tmp_path, tmp_path_factory):
    box = Box(tmp_path, tmp_path_factory)
    yield box
    box.cleanup()
