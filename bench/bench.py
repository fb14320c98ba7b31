#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Benchmarks of taskmasterd side by side with supervisord.

Both daemons run on the same supervisord-format configs, one after the other
(A B A B ...), and are observed from outside through /proc: their children
(found by parent pid), their CPU time and their memory. A minimal C
respawner (bench/floor.c) and a plain pipe-to-file copy give the physical
floor of the same machine in the same run. Results go to bench/results.json
and bench/last-run.md.

    bench.py            quick mode (small sizes, few repetitions)
    bench.py --full     the full sizes and repetitions
    bench.py --only respawn,logs

Everything started here lives in its own session; cleanup kills by pid every
process of those sessions. Nothing is killed by name."""

import argparse
import json
import math
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, 'build')
TASKMASTERD = os.path.join(BUILD, 'taskmasterd')
TASKMASTER = os.path.join(BUILD, 'taskmaster')
TASKMASTERCTL = os.path.join(BUILD, 'taskmasterctl')
SUPERVISORD = '/usr/bin/supervisord'
SUPERVISORCTL = '/usr/bin/supervisorctl'
CLK_TCK = os.sysconf('SC_CLK_TCK')
MIB = 1024 * 1024
GIB = 1024 * MIB
LINELEN = 100

MODES = {
    'quick': dict(rounds=1, sizes=(1, 100), big=100, reload=10,
                  settle=0.5, shutdown_cap=2.0,
                  respawn_reps=5, respawn_reps_big=3, rpc_reps=10,
                  ctl_reps=3, log_bytes=256 * MIB, rotate=('20MB', 30),
                  log_modes=('bulk', 'line'), rotate_modes=('bulk',),
                  scale=(10, 100), scale_respawn_reps=3, scale_rpc_reps=10,
                  scale_ctl_reps=1, slow_n=2000),
    'full': dict(rounds=3, sizes=(1, 100, 1000), big=1000, reload=100,
                 settle=2.0, shutdown_cap=120.0,
                 respawn_reps=10, respawn_reps_big=10, rpc_reps=50,
                 ctl_reps=10, log_bytes=GIB, rotate=('50MB', 30),
                 log_modes=('bulk', 'line'), rotate_modes=('bulk', 'line'),
                 scale=(10, 100, 1000, 5000), scale_respawn_reps=10,
                 scale_rpc_reps=20, scale_ctl_reps=5, slow_n=2000),
}

# supervisord beside N >= slow_n programs takes minutes per round: one round
# and these few repetitions (noted in the table).
SLOW_CAPS = dict(respawn=3, rpc=3, ctl=1)

BINS = {}               # our binaries, copied at start (see Bench.snapshot)
LIVE = {}               # session id -> Popen, for the final cleanup
RESULTS = {}            # (scenario, metric) -> entry, see record()
ORDER = []              # the keys of RESULTS in the order first seen
NOTES = []              # "skipped: ..." and other remarks, printed at the end


def say(*args):
    print(*args, flush=True)


def note(text):
    if text not in NOTES:
        NOTES.append(text)
        say('  ' + text)


# ------------------------------------------------------------------ /proc

def read_small(path):
    """The content of a small file (a /proc entry), or None if it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 65536)
    except OSError:
        return None
    finally:
        os.close(fd)


def proc_stat(pid):
    """(comm, state, ppid, session, utime+stime ticks) of pid, or None."""
    raw = read_small('/proc/%d/stat' % pid)
    if raw is None:
        return None
    lp, rp = raw.find(b'('), raw.rfind(b')')
    f = raw[rp + 2:].split()
    return (raw[lp + 1:rp].decode(errors='replace'), f[0].decode(),
            int(f[1]), int(f[3]), int(f[11]) + int(f[12]))


def cmdline(pid):
    raw = read_small('/proc/%d/cmdline' % pid)
    return raw.rstrip(b'\0').split(b'\0') if raw else []


def cpu_of(pid):
    """CPU time of pid in seconds: (precise, utime+stime).

    The precise figure is the sum of se.sum_exec_runtime over the threads
    (/proc/PID/task/*/sched, ns resolution); utime+stime of /proc/PID/stat
    counts in ticks of 1/CLK_TCK s and is kept beside it."""
    st = proc_stat(pid)
    ticks = st[4] / CLK_TCK if st else None
    total, found = 0.0, False
    try:
        tasks = os.listdir('/proc/%d/task' % pid)
    except OSError:
        tasks = []
    for tid in tasks:
        raw = read_small('/proc/%d/task/%s/sched' % (pid, tid))
        if not raw:
            continue
        for line in raw.split(b'\n'):
            if line.startswith(b'se.sum_exec_runtime'):
                total += float(line.split(b':')[1]) / 1000.0
                found = True
                break
    return (total if found else ticks), ticks


def mem_of(pid):
    """(VmRSS, VmHWM) of pid in bytes."""
    raw = read_small('/proc/%d/status' % pid) or b''
    out = {}
    for line in raw.split(b'\n'):
        if line.startswith((b'VmRSS:', b'VmHWM:')):
            k, v = line.split(b':')
            out[k.decode()] = int(v.split()[0]) * 1024
    return out.get('VmRSS'), out.get('VmHWM')


def wait_idle(pid, quiet=0.02, timeout=1.0):
    """Waits until pid is asleep and has used no CPU for quiet seconds."""
    deadline = time.perf_counter() + timeout
    last = cpu_of(pid)[0]
    while time.perf_counter() < deadline:
        time.sleep(quiet)
        now = cpu_of(pid)[0]
        st = proc_stat(pid)
        if now == last and st and st[1] == 'S':
            return True
        last = now
    return False


def smaps_of(pid):
    """(PSS, USS) of pid in bytes from /proc/PID/smaps_rollup: what the
    process costs once shared library pages are split or left out."""
    raw = read_small('/proc/%d/smaps_rollup' % pid) or b''
    out = {}
    for line in raw.split(b'\n'):
        k, _, v = line.partition(b':')
        if k in (b'Pss', b'Private_Clean', b'Private_Dirty'):
            out[k] = int(v.split()[0]) * 1024
    if b'Pss' not in out:
        return None, None
    return out[b'Pss'], out.get(b'Private_Clean', 0) + \
        out.get(b'Private_Dirty', 0)


def session_members(sid):
    """Pids of every live (non-zombie) process of session sid."""
    out = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        st = proc_stat(int(name))
        if st and st[3] == sid and st[1] != 'Z':
            out.append(int(name))
    return out


class ChildWatch:
    """The children of one process, found as they are born.

    /proc/PID/task/*/children is not always compiled in, and a full scan
    of /proc costs milliseconds with 1000 children, so new pids are taken
    from /proc/sys/kernel/ns_last_pid (one pread) and only they are read.
    A pid whose /proc entry is not there yet is retried for a while."""

    PID_MAX = int((read_small('/proc/sys/kernel/pid_max') or b'32768').strip())

    def __init__(self, ppid, since):
        self.ppid = ppid
        self.last = since
        self.known = set()
        self.pending = {}
        self.fd = os.open('/proc/sys/kernel/ns_last_pid', os.O_RDONLY)

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    @staticmethod
    def last_pid():
        return int(read_small('/proc/sys/kernel/ns_last_pid').strip())

    def _check(self, pid, now):
        st = proc_stat(pid)
        if st is None:
            self.pending.setdefault(pid, now + 0.5)
            return
        if st[0] == 'spawner' and st[2] == self.ppid:
            # taskmasterd's spawn helper, or a child it has cloned and
            # that has not exec'ed yet: look again until it has.
            self.pending.setdefault(pid, now + 0.5)
            return
        self.pending.pop(pid, None)
        if st[2] == self.ppid and pid != self.ppid:
            self.known.add(pid)

    def poll(self):
        """Looks at the pids born since the last call; returns known."""
        last = int(os.pread(self.fd, 32, 0).strip())
        now = time.monotonic()
        if self.pending:
            for pid, deadline in list(self.pending.items()):
                if now > deadline:
                    del self.pending[pid]
                else:
                    self._check(pid, now)
        if last != self.last:
            if last > self.last:
                pids = range(self.last + 1, last + 1)
            else:
                pids = list(range(self.last + 1, self.PID_MAX)) + \
                    list(range(1, last + 1))
            self.last = last
            for pid in pids:
                self._check(pid, now)
        return self.known

    def prune(self):
        """Forgets children that died (or are zombies)."""
        for pid in list(self.known):
            st = proc_stat(pid)
            if st is None or st[2] != self.ppid or st[1] == 'Z':
                self.known.discard(pid)
        return self.known

    def alive(self):
        self.poll()
        return self.prune()


def kill_session(sid, popen=None, timeout=5.0):
    """SIGKILLs the session leader and every process of the session."""
    deadline = time.monotonic() + timeout
    try:
        os.kill(sid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        pids = session_members(sid)
        pids = [p for p in pids if p != sid or popen is None]
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if popen is not None:
            try:
                popen.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        if not pids and (popen is None or popen.returncode is not None):
            break
        if time.monotonic() > deadline:
            say('  warning: session %d not fully killed: %r' % (sid, pids))
            break
        time.sleep(0.01)
    LIVE.pop(sid, None)


def cleanup_all():
    for sid, popen in list(LIVE.items()):
        kill_session(sid, popen)


# ------------------------------------------------------------------ RPC

class RPCError(Exception):
    pass


def rpc_call(sock, method, params=(), timeout=30.0, raw=False):
    """One XML-RPC call on a fresh connection, as supervisorctl makes them.

    Returns (seconds from connect to the last byte of the answer, result).
    The answer is parsed after the clock stops, so the figure is the
    server's, not xmlrpc.client's."""
    body = xmlrpc.client.dumps(tuple(params), method).encode()
    req = (b'POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n'
           b'Content-Type: text/xml\r\nConnection: close\r\n'
           b'Content-Length: %d\r\n\r\n' % len(body)) + body
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    t0 = time.perf_counter()
    try:
        s.connect(sock)
        s.sendall(req)
        buf = b''
        while b'\r\n\r\n' not in buf:
            chunk = s.recv(65536)
            if not chunk:
                raise RPCError('connection closed in the headers')
            buf += chunk
        head, rest = buf.split(b'\r\n\r\n', 1)
        length = None
        for line in head.split(b'\r\n')[1:]:
            k, _, v = line.partition(b':')
            if k.strip().lower() == b'content-length':
                length = int(v)
        parts = [rest]
        got = len(rest)
        while length is None or got < length:
            chunk = s.recv(262144)
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        t1 = time.perf_counter()
    finally:
        s.close()
    status = head.split(b'\r\n')[0]
    if b' 200 ' not in status + b' ':
        raise RPCError(status.decode(errors='replace'))
    body = b''.join(parts)
    result = xmlrpc.client.loads(body)[0][0]
    return (t1 - t0, result, head + b'\r\n\r\n' + body) if raw else \
        (t1 - t0, result)


def canned_floor(answer, reps, d):
    """The floor of one RPC call: a server that only sends back a prepared
    answer (the bytes a daemon just gave), timed like rpc_call."""
    path = os.path.join(d, 'floor.sock')
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    pid = os.fork()
    if pid == 0:
        try:
            while True:
                c, _ = srv.accept()
                buf = b''
                while b'</methodCall>' not in buf:
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                c.sendall(answer)
                c.close()
        finally:
            os._exit(0)
    srv.close()
    try:
        return [rpc_call(path, 'supervisor.getAllProcessInfo')[0]
                for _ in range(reps)]
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


# ------------------------------------------------------------------ daemons

class Daemon:
    """One supervisor under test, started in a session of its own."""

    def __init__(self, kind, conf, rundir, floor_argv=None):
        self.kind = kind
        self.conf = conf
        self.rundir = rundir
        self.sock = os.path.join(rundir, 'sock')
        self.floor_argv = floor_argv
        self.popen = None
        self.kids = None

    @property
    def rpc(self):
        return self.kind in ('taskmasterd', 'supervisord')

    def argv(self):
        if self.kind == 'supervisord':
            return [SUPERVISORD, '-n', '-c', self.conf]
        if self.kind == 'taskmasterd':
            return [BINS['taskmasterd'], '-n', '-c', self.conf]
        if self.kind == 'taskmaster':
            return [BINS['taskmaster'], '-c', self.conf]
        return self.floor_argv

    def start(self):
        out = open(os.path.join(self.rundir, 'daemon.out'), 'ab')
        since = ChildWatch.last_pid()
        # taskmaster reads commands on stdin: keep it open on a pipe.
        stdin = subprocess.PIPE if self.kind == 'taskmaster' else \
            subprocess.DEVNULL
        self.t0 = time.perf_counter()
        self.popen = subprocess.Popen(self.argv(), stdin=stdin, stdout=out,
                                      stderr=out, cwd=self.rundir,
                                      start_new_session=True)
        out.close()
        self.pid = self.popen.pid
        LIVE[self.pid] = self.popen
        self.kids = ChildWatch(self.pid, since)
        return self

    def since_start(self):
        return time.perf_counter() - self.t0

    def check_alive(self):
        if self.popen.poll() is not None:
            raise RuntimeError('%s exited with %s; see %s' % (
                self.kind, self.popen.returncode,
                os.path.join(self.rundir, 'daemon.out')))

    def wait_children(self, n, timeout, nap=0.0002):
        """Waits until n children exist. Returns (first, all) in seconds
        since launch; all is None on timeout."""
        first = None
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            known = self.kids.poll()
            if known and first is None:
                first = self.since_start()
            if len(known) >= n:
                return first, self.since_start()
            if nap:
                time.sleep(nap)
            if len(known) == 0:
                self.check_alive()
        return first, None

    def call(self, method, *params, timeout=30.0, raw=False):
        return rpc_call(self.sock, method, params, timeout, raw)

    def wait_rpc(self, timeout):
        """(connect, first answer) in seconds since launch."""
        deadline = time.perf_counter() + timeout
        t_conn = None
        while time.perf_counter() < deadline:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.sock)
                t_conn = self.since_start()
                break
            except OSError:
                time.sleep(0.0005)
                self.check_alive()
            finally:
                s.close()
        if t_conn is None:
            return None, None
        while time.perf_counter() < deadline:
            try:
                self.call('supervisor.getState', timeout=max(
                    0.1, deadline - time.perf_counter()))
                return t_conn, self.since_start()
            except (OSError, RPCError):
                time.sleep(0.001)
            except xmlrpc.client.Fault:
                return t_conn, self.since_start()
        return t_conn, None

    def wait_running(self, n, timeout):
        """Waits until n processes are RUNNING (by RPC when there is one,
        else by letting startsecs=0 take effect)."""
        if not self.rpc:
            time.sleep(0.1)
            return True
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                _, infos = self.call('supervisor.getAllProcessInfo')
                if sum(1 for i in infos if i['state'] == 20) >= n:
                    return True
            except (OSError, RPCError, xmlrpc.client.Fault):
                pass
            time.sleep(0.02)
        return False

    def terminate(self, timeout):
        """SIGTERM and wait for the exit. Returns (seconds, leftovers);
        seconds is None on timeout. Whatever is left is then killed."""
        t0 = time.perf_counter()
        self.popen.send_signal(signal.SIGTERM)
        took = None
        while time.perf_counter() - t0 < timeout:
            if self.popen.poll() is not None:
                took = time.perf_counter() - t0
                break
            time.sleep(0.0005)
        left = [p for p in session_members(self.pid) if p != self.pid]
        self.kill()
        return took, len(left)

    def kill(self):
        if self.popen is not None:
            if self.popen.stdin:
                try:
                    self.popen.stdin.close()
                except OSError:
                    pass
            kill_session(self.pid, self.popen)
        if self.kids:
            self.kids.close()


# ------------------------------------------------------------------ configs

HEADER = """\
[unix_http_server]
file={d}/sock

[supervisord]
logfile={d}/daemon.log
pidfile={d}/daemon.pid
childlogdir={d}
minfds={minfds}
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{d}/sock
"""


def sleeper(d, name, seconds, **extra):
    keys = dict(command='sleep %d' % seconds, startsecs='0',
                autorestart='true', redirect_stderr='true',
                stdout_logfile='%s/logs/%s.log' % (d, name))
    keys.update(extra)
    return name, keys


def sleepers(d, n):
    return [sleeper(d, 'p%04d' % i, 100000 + i) for i in range(n)]


def write_conf(d, programs):
    # What a user must set for N programs (about 4 fds each): supervisord
    # closes every fd below minfds in each child, so more would only add
    # work, and less would leak pipes into children.
    # Capped by the hard limit, which both daemons would refuse to exceed:
    # each uses 3 fds per program here, so 5000 programs still fit in 20000.
    minfds = max(1024, 4 * len(programs) + 100)
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY:
        minfds = min(minfds, hard)
    text = HEADER.format(d=d, minfds=minfds)
    for name, keys in programs:
        text += '\n[program:%s]\n' % name
        text += ''.join('%s=%s\n' % kv for kv in keys.items())
    path = os.path.join(d, 'supervisord.conf')
    with open(path, 'w') as f:
        f.write(text)
    return path


class Bench:
    def __init__(self, mode, outdir, only):
        self.mode = mode
        self.cfg = MODES[mode]
        self.outdir = outdir
        self.only = only
        self.tmp = tempfile.mkdtemp(prefix='tmbench-')
        self.bins = {}
        if os.access(TASKMASTERD, os.X_OK):
            self.ours = 'taskmasterd'
        elif os.access(TASKMASTER, os.X_OK):
            self.ours = 'taskmaster'
        else:
            self.ours = None
        self.nrun = 0

    # -- utilities

    def rundir(self, tag):
        self.nrun += 1
        d = os.path.join(self.tmp, '%03d-%s' % (self.nrun, tag))
        os.makedirs(os.path.join(d, 'logs'))
        return d

    def snapshot(self):
        """Copies our binaries into the temp dir, so that a rebuild during
        the run cannot mix two builds in one table."""
        self.built = {}
        for path in (TASKMASTERD, TASKMASTER, TASKMASTERCTL):
            name = os.path.basename(path)
            if os.access(path, os.X_OK):
                BINS[name] = os.path.join(self.tmp, name)
                shutil.copy2(path, BINS[name])
                self.built[name] = time.strftime(
                    '%Y-%m-%d %H:%M:%S', time.localtime(
                        os.stat(path).st_mtime))

    def compile(self):
        for name in ('producer', 'floor'):
            out = os.path.join(self.tmp, name)
            subprocess.run(['cc', '-O2', '-std=c11', '-D_GNU_SOURCE', '-o',
                            out, os.path.join(HERE, name + '.c')],
                           check=True)
            self.bins[name] = out

    def kinds(self, need_rpc=False, floor=False):
        """The supervisors a scenario runs, in the order of a round."""
        out = []
        if self.ours is None:
            note('skipped for ours: no build/taskmasterd nor build/taskmaster')
        elif need_rpc and self.ours != 'taskmasterd':
            note('skipped for ours: build/taskmasterd missing (RPC needed)')
        else:
            out.append(self.ours)
        out.append('supervisord')
        if floor:
            out.append('floor')
        return out

    def launch(self, kind, d, programs, floor_n=None):
        conf = write_conf(d, programs)
        argv = None
        if kind == 'floor':
            n = len(programs) if floor_n is None else floor_n
            argv = [self.bins['floor'], str(n), 'sleep', '100000']
        return Daemon(kind, conf, d, argv).start()

    def wanted(self, *names):
        return not self.only or bool(set(names) & set(self.only))

    # -- 1, 2, 3 (alone): footprint, spawn, shutdown, respawn

    def scenario_footprint(self):
        say('\n== 1/2. footprint, spawn and shutdown; 3. respawn alone')
        cfg = self.cfg
        for r in range(cfg['rounds']):
            for n in cfg['sizes']:
                for kind in self.kinds(floor=True):
                    d = self.rundir('fp%d-%s' % (n, kind))
                    dm = self.launch(kind, d, sleepers(d, n))
                    try:
                        self.one_footprint(dm, n, r)
                    finally:
                        dm.kill()

    def one_footprint(self, dm, n, r):
        kind = dm.kind
        first, full = dm.wait_children(n, timeout=60)
        cpu, ticks = cpu_of(dm.pid)
        if full is None:
            note('%s N=%d: only %d children after 60 s' % (
                kind, n, len(dm.kids.known)))
            return
        record('spawn', 'first child after launch (N=%d)' % n, kind, first)
        record('spawn', 'N=%d children exist after launch' % n, kind, full)
        record('spawn', 'daemon CPU launch until N=%d exist' % n, kind, cpu,
               extra={'utime+stime': ticks})
        dm.wait_running(n, timeout=30)
        time.sleep(self.cfg['settle'])
        rss, hwm = mem_of(dm.pid)
        pss, uss = smaps_of(dm.pid)
        record('footprint', 'idle VmRSS, N=%d' % n, kind, rss, unit='B')
        record('footprint', 'VmHWM, N=%d' % n, kind, hwm, unit='B')
        record('footprint', 'idle USS (private pages), N=%d' % n, kind, uss,
               unit='B')
        say('  %-12s N=%-4d first %s  all %s  cpu %s  rss %s  hwm %s' % (
            kind, n, fmt_s(first), fmt_s(full), fmt_s(cpu), fmt_b(rss),
            fmt_b(hwm)))
        if n == 1 and self.wanted('respawn'):
            self.respawn(dm, 'alone', self.cfg['respawn_reps'],
                         target='p0000')
        if n >= 100:
            cap = self.cfg['shutdown_cap']
            took, left = dm.terminate(timeout=cap)
            if took is None:
                note('%s N=%d: shutdown took more than %g s; killed' % (
                    kind, n, cap))
            record('shutdown', 'SIGTERM to exit, N=%d' % n, kind,
                   took if took is not None else cap,
                   censored=took is None)
            if took is not None:
                record('shutdown', 'processes left after exit, N=%d' % n,
                       kind, left, unit='n', stat='max')
            say('  %-12s N=%-4d shutdown %s, %d left' % (
                kind, n, fmt_s(took), left))

    # -- 3: respawn

    def victim(self, dm, target, seconds):
        if dm.rpc:
            _, info = dm.call('supervisor.getProcessInfo', target)
            return info['pid']
        for pid in dm.kids.alive():
            argv = cmdline(pid)
            if dm.kind == 'floor' or argv[-1:] == [b'%d' % seconds]:
                return pid
        return None

    def respawn(self, dm, label, reps, target, seconds=100000, limit=10):
        exist, execd = [], []
        for _ in range(reps):
            if dm.rpc:
                deadline = time.perf_counter() + 10
                while time.perf_counter() < deadline:
                    _, info = dm.call('supervisor.getProcessInfo', target)
                    if info['state'] == 20:
                        break
                    time.sleep(0.005)
            else:
                time.sleep(0.05)
            victim = self.victim(dm, target, seconds)
            if not victim:
                note('%s respawn %s: no victim found' % (dm.kind, label))
                return
            # A daemon still busy with our last call would see the death
            # sooner than an idle one: kill only once it sleeps.
            wait_idle(dm.pid)
            before = set(dm.kids.alive())
            t0 = time.perf_counter()
            os.kill(victim, signal.SIGKILL)
            new = None
            t_exist = t_exec = None
            deadline = t0 + limit
            while time.perf_counter() < deadline:
                if new is None:
                    born = dm.kids.poll() - before
                    if born:
                        t_exist = time.perf_counter() - t0
                        new = born.pop()
                if new is not None:
                    st = proc_stat(new)
                    if st and st[0] == 'sleep':
                        t_exec = time.perf_counter() - t0
                        break
            if t_exec is None:
                note('%s respawn %s: no replacement within %g s' % (
                    dm.kind, label, limit))
                return
            exist.append(t_exist)
            execd.append(t_exec)
            time.sleep(0.02)
        m = 'respawn %s' % label
        for stat in ('median', 'p95'):
            record('respawn', '%s, %s (new child exists)' % (m, stat),
                   dm.kind, exist, stat=stat)
        record('respawn', '%s, median (new child exec\'d sleep)' % m,
               dm.kind, execd)
        say('  %-12s respawn %-12s median %s p95 %s (exec\'d: median %s)' % (
            dm.kind, label, fmt_s(pct(exist, 50)), fmt_s(pct(exist, 95)),
            fmt_s(pct(execd, 50))))

    # -- 3 (beside 1000), 6, 8 (N=1000)

    def scenario_big(self):
        big = self.cfg['big']
        say('\n== 8. start-up, 6. control at N=%d, 3. respawn beside %d' % (
            big, big))
        cfg = self.cfg
        for r in range(cfg['rounds']):
            for kind in self.kinds(floor=True):
                d = self.rundir('big-%s' % kind)
                progs = sleepers(d, big) + [sleeper(d, 'target', 99999)]
                dm = self.launch(kind, d, progs)
                try:
                    self.one_big(dm, big)
                finally:
                    dm.kill()
        for r in range(cfg['rounds']):
            for kind in self.kinds(need_rpc=True):
                d = self.rundir('n0-%s' % kind)
                dm = self.launch(kind, d, [])
                try:
                    conn, ans = dm.wait_rpc(timeout=30)
                    record('start-up', 'socket accepts, N=0', kind, conn)
                    record('start-up', 'first RPC answer, N=0', kind, ans)
                    say('  %-12s N=0    socket %s  first answer %s' % (
                        kind, fmt_s(conn), fmt_s(ans)))
                finally:
                    dm.kill()

    def one_big(self, dm, big):
        kind = dm.kind
        n = big + 1
        if dm.rpc:
            conn, ans = dm.wait_rpc(timeout=60)
            record('start-up', 'socket accepts, N=%d' % big, kind, conn)
            record('start-up', 'first RPC answer, N=%d' % big, kind, ans)
            say('  %-12s N=%d socket %s  first answer %s' % (
                kind, big, fmt_s(conn), fmt_s(ans)))
        _, full = dm.wait_children(n, timeout=60, nap=0.001)
        if full is None:
            note('%s: only %d of %d children after 60 s' % (
                kind, len(dm.kids.known), n))
            return
        if not dm.wait_running(n, timeout=60):
            note('%s: not all %d RUNNING after 60 s' % (kind, n))
        time.sleep(self.cfg['settle'])
        if dm.rpc and self.wanted('control'):
            self.control(dm, big, self.cfg['rpc_reps'], self.cfg['ctl_reps'])
        if self.wanted('respawn'):
            self.respawn(dm, 'beside %d' % big, self.cfg['respawn_reps_big'],
                         target='target', seconds=99999)

    # -- 3 and 6 against N: cost per operation

    def scenario_scale(self, with_big):
        """Respawn, getAllProcessInfo and one status command beside N = 10
        ... 5000 programs (+1 target). The N of scenario_big comes from it
        when it runs (same figures, same names)."""
        sizes = [n for n in self.cfg['scale']
                 if with_big or n != self.cfg['big']]
        if not sizes:
            return
        say('\n== 3/6. respawn and control beside N = %s' % ', '.join(
            str(n) for n in sizes))
        for r in range(self.cfg['rounds']):
            for n in sizes:
                for kind in self.kinds(floor=True):
                    slow = kind == 'supervisord' and n >= self.cfg['slow_n']
                    if slow and r > 0:
                        continue
                    d = self.rundir('scale%d-%s' % (n, kind))
                    progs = sleepers(d, n) + [sleeper(d, 'target', 99999)]
                    dm = self.launch(kind, d, progs)
                    try:
                        self.one_scale(dm, n, slow)
                    finally:
                        dm.kill()

    def one_scale(self, dm, n, slow):
        kind = dm.kind
        cfg = self.cfg
        # Beside 5000, supervisord needs about 20 ms per program to spawn
        # them and 7 ms per program for one getAllProcessInfo (36 s).
        limit = max(60.0, n * 0.05)
        _, full = dm.wait_children(n + 1, timeout=limit, nap=0.001)
        if full is None:
            note('%s beside %d: only %d of %d children after %.0f s' % (
                kind, n, len(dm.kids.known), n + 1, limit))
            return
        if not dm.wait_running(n + 1, timeout=limit):
            note('%s beside %d: not all RUNNING after %.0f s' % (
                kind, n, limit))
        time.sleep(cfg['settle'])
        reps = dict(respawn=cfg['scale_respawn_reps'],
                    rpc=cfg['scale_rpc_reps'], ctl=cfg['scale_ctl_reps'])
        if slow:
            reps = {k: min(v, SLOW_CAPS[k]) for k, v in reps.items()}
            note('supervisord beside %d: 1 round, %d respawns, %d '
                 'getAllProcessInfo, %d supervisorctl status (capped)' % (
                     n, reps['respawn'], reps['rpc'], reps['ctl']))
        if dm.rpc and self.wanted('control', 'scale'):
            self.control(dm, n, reps['rpc'], reps['ctl'],
                         timeout=max(60.0, limit),
                         rpc_timeout=max(30.0, limit))
        if self.wanted('respawn', 'scale'):
            self.respawn(dm, 'beside %d' % n, reps['respawn'],
                         target='target', seconds=99999,
                         limit=max(10.0, n * 0.01))

    def control(self, dm, big, rpc_reps, ctl_reps, timeout=60,
                rpc_timeout=30.0):
        """getAllProcessInfo latency and one status command beside big
        programs (+1 target)."""
        kind = dm.kind
        n = big + 1
        lat = []
        for _ in range(rpc_reps):
            t, infos, answer = dm.call('supervisor.getAllProcessInfo',
                                       timeout=rpc_timeout, raw=True)
            lat.append(t)
            time.sleep(0.01)
        if len(infos) != n:
            note('%s: getAllProcessInfo gave %d entries, not %d' % (
                kind, len(infos), n))
        # The floor serves the answer of ours (of supervisord if ours
        # has no RPC) from memory.
        if kind == self.kinds(need_rpc=True)[0]:
            fl = canned_floor(answer, rpc_reps, dm.rundir)
            for stat in ('median', 'p95'):
                record('control', 'getAllProcessInfo at N=%d (+1), %s'
                       % (big, stat), 'floor', fl, stat=stat)
            say('  %-12s canned %d-byte answer median %s' % (
                'floor', len(answer), fmt_s(pct(fl, 50))))
        for stat in ('median', 'p95'):
            record('control', 'getAllProcessInfo at N=%d (+1), %s' % (
                   big, stat), kind, lat, stat=stat)
        say('  %-12s getAllProcessInfo at N=%d median %s p95 %s' % (
            kind, n, fmt_s(pct(lat, 50)), fmt_s(pct(lat, 95))))
        ctl = self.ctl_argv(dm)
        if ctl:
            wall = []
            for _ in range(ctl_reps):
                t0 = time.perf_counter()
                subprocess.run(ctl, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=timeout)
                wall.append(time.perf_counter() - t0)
            record('control', 'ctl status wall at N=%d (+1)' % big, kind,
                   wall,
                   extra={'client': os.path.basename(ctl[0])})
            say('  %-12s %s status median %s' % (
                kind, os.path.basename(ctl[0]), fmt_s(pct(wall, 50))))

    def ctl_argv(self, dm):
        if dm.kind == 'supervisord':
            return [SUPERVISORCTL, '-c', dm.conf, 'status']
        if 'taskmasterctl' in BINS:
            return [BINS['taskmasterctl'], '-c', dm.conf, 'status']
        note('skipped: taskmasterctl status (build/taskmasterctl missing)')
        return None

    # -- 7: reload

    def scenario_reload(self):
        n = self.cfg['reload']
        say('\n== 7. reload: %d programs, one command changed, SIGHUP' % n)
        for r in range(self.cfg['rounds']):
            for kind in self.kinds():
                d = self.rundir('reload-%s' % kind)
                dm = self.launch(kind, d, sleepers(d, n))
                try:
                    self.one_reload(dm, d, n)
                finally:
                    dm.kill()

    def one_reload(self, dm, d, n):
        kind = dm.kind
        if dm.wait_children(n, timeout=60, nap=0.001)[1] is None:
            note('%s reload: %d children never appeared' % (kind, n))
            return
        dm.wait_running(n, timeout=30)
        time.sleep(0.3)
        before = {}
        for pid in dm.kids.alive():
            argv = cmdline(pid)
            before[int(argv[-1]) - 100000] = pid
        if len(before) != n:
            note('%s reload: %d distinct programs, not %d' % (
                kind, len(before), n))
            return
        half = n // 2
        progs = sleepers(d, n)
        progs[half] = sleeper(d, 'p%04d' % half, 200000 + half)
        write_conf(d, progs)
        t0 = time.perf_counter()
        os.kill(dm.pid, signal.SIGHUP)
        changed = None
        deadline = t0 + 60
        seen = set()
        while time.perf_counter() < deadline and changed is None:
            for pid in dm.kids.poll() - seen:
                st = proc_stat(pid)
                if st is None or st[1] == 'Z':
                    seen.add(pid)
                elif st[0] == 'sleep':
                    # comm changes in exec before the arguments are
                    # visible: an empty cmdline is looked at again.
                    argv = cmdline(pid)
                    if argv:
                        seen.add(pid)
                    if argv[-1:] == [b'%d' % (200000 + half)]:
                        changed = time.perf_counter() - t0
            time.sleep(0.0002)
        # Let a supervisor that restarts everything finish doing so.
        time.sleep(1.5 if kind == 'supervisord' else 0.3)
        alive = dm.kids.alive()
        kept = sum(1 for i, pid in before.items()
                   if i != half and pid in alive)
        record('reload', 'others keeping their pid (of %d)' % (n - 1), kind,
               kept, unit='n')
        record('reload', 'changed program running again (N=%d)' % n, kind,
               changed)
        say('  %-12s kept %d/%d, changed one running after %s' % (
            kind, kept, n - 1, fmt_s(changed)))

    # -- 4, 5: log capture and responsiveness under flood

    def scenario_logs(self):
        say('\n== 4. log capture; 5. getAllProcessInfo every 100 ms meanwhile')
        size = self.cfg['log_bytes'] // LINELEN * LINELEN
        runs = [(m, False) for m in self.cfg['log_modes']] + \
            [(m, True) for m in self.cfg['rotate_modes']]
        for r in range(self.cfg['rounds']):
            for mode, rot in runs:
                for kind in self.kinds() + (['pipe'] if not rot else []):
                    d = self.rundir('log-%s-%s' % (mode, kind))
                    try:
                        self.one_log(kind, d, mode, rot, size)
                    finally:
                        shutil.rmtree(d, ignore_errors=True)

    def producer_cmd(self, d, mode, size):
        return '%s %s %d %d %s/stamp 300' % (
            self.bins['producer'], mode, size, LINELEN, d)

    def one_log(self, kind, d, mode, rot, size):
        log = os.path.join(d, 'prod.log')
        cmd = self.producer_cmd(d, mode, size)
        label = '%s%s' % ('one write per line' if mode == 'line' else
                          'bulk 64 KiB writes', ', rotation %s x %d' %
                          self.cfg['rotate'] if rot else '')
        sampler = None
        if kind == 'pipe':
            since = ChildWatch.last_pid()
            p = subprocess.Popen(['/bin/sh', '-c', '%s | cat > %s' % (
                cmd, log)], cwd=d, start_new_session=True)
            LIVE[p.pid] = p
            dm = None
        else:
            keys = dict(command=cmd, startsecs='0', autorestart='false',
                        stdout_logfile=log, stderr_logfile='NONE',
                        stdout_logfile_maxbytes='0')
            if rot:
                keys['stdout_logfile_maxbytes'] = self.cfg['rotate'][0]
                keys['stdout_logfile_backups'] = str(self.cfg['rotate'][1])
            dm = self.launch(kind, d, [('prod', keys)])
        try:
            stampf = os.path.join(d, 'stamp')
            if dm:
                if dm.wait_children(1, timeout=30)[1] is None:
                    note('%s: producer never started' % kind)
                    return
                cpu0 = cpu_of(dm.pid)
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                raw = read_small(stampf)
                if raw and raw.startswith(b'start '):
                    break
                time.sleep(0.001)
            if dm and dm.rpc:
                sampler = Sampler(dm).start()
            t_start = int(read_small(stampf).split()[1]) / 1e9
            limit = max(60.0, size / (4 * MIB))
            got = 0
            t_done = None
            while time.monotonic() - t_start < limit:
                got = log_bytes(d)
                if got >= size:
                    t_done = time.monotonic()
                    break
                time.sleep(0.002)
            if sampler:
                sampler.stop()
            if t_done is None:
                time.sleep(1.0)
                got = log_bytes(d)
                note('%s %s: %d of %d bytes after %.0f s' % (
                    kind, label, got, size, limit))
            wall = (t_done - t_start) if t_done else None
            ref = 'pipe' if kind == 'pipe' else kind
            record('logs', 'throughput, %s' % label, ref,
                   size / MIB / wall if wall else None, unit='MiB/s')
            record('logs', 'wall time, %s' % label, ref, wall)
            record('logs', 'bytes lost, %s' % label, ref, size - got,
                   unit='n', stat='max')
            intact = last_line_ok(d, size)
            if not intact:
                note('%s %s: last line of the log is not the last line '
                     'written' % (kind, label))
            line = '  %-12s %-40s %s, %.0f MiB/s, lost %d' % (
                kind, label, fmt_s(wall), size / MIB / wall if wall else 0,
                size - got)
            if dm:
                cpu1 = cpu_of(dm.pid)
                cpu = cpu1[0] - cpu0[0]
                record('logs', 'daemon CPU s per GiB, %s' % label, kind,
                       cpu / (size / GIB), unit='s/GiB',
                       extra={'utime+stime': (cpu1[1] - cpu0[1]) /
                              (size / GIB)})
                line += ', daemon CPU %.2f s/GiB' % (cpu / (size / GIB))
            if sampler:
                lat = sampler.samples
                for stat in ('median', 'p95', 'max'):
                    record('flood', 'getAllProcessInfo during capture, %s' %
                           stat, kind, lat, stat=stat)
                line += ', rpc p95 %s max %s (n=%d)' % (
                    fmt_s(pct(lat, 95)), fmt_s(max(lat) if lat else None),
                    len(lat))
            say(line)
        finally:
            if sampler:
                sampler.stop()
            if dm:
                dm.kill()
            else:
                kill_session(p.pid, p)

    # -- all

    def run(self):
        t0 = time.perf_counter()
        self.snapshot()
        self.compile()
        say('bench: mode %s, ours = %s, tmp %s' % (
            self.mode, self.ours, self.tmp))
        aliases = {'footprint': ('footprint', 'spawn', 'shutdown', 'respawn'),
                   'big': ('startup', 'control', 'respawn'),
                   'scale': ('scale', 'control', 'respawn'),
                   'reload': ('reload',), 'logs': ('logs', 'flood')}

        def runs(name):
            return not self.only or bool(set(aliases[name]) & set(self.only))
        steps = [('footprint', self.scenario_footprint),
                 ('big', self.scenario_big),
                 ('scale', lambda: self.scenario_scale(not runs('big'))),
                 ('reload', self.scenario_reload),
                 ('logs', self.scenario_logs)]
        for name, fn in steps:
            if not runs(name):
                continue
            try:
                fn()
            except Exception as e:     # one scenario failing must not stop all
                note('error in %s: %s: %s' % (name, type(e).__name__, e))
            finally:
                cleanup_all()
        self.elapsed = time.perf_counter() - t0


class Sampler:
    """getAllProcessInfo every 100 ms in a thread, latencies kept."""

    def __init__(self, dm):
        self.dm = dm
        self.samples = []
        self.errors = 0
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def loop(self):
        nxt = time.perf_counter()
        while not self.halt.is_set():
            try:
                t, _ = self.dm.call('supervisor.getAllProcessInfo',
                                    timeout=10)
                self.samples.append(t)
            except Exception:
                self.errors += 1
            nxt += 0.1
            self.halt.wait(max(0.0, nxt - time.perf_counter()))

    def stop(self):
        self.halt.set()
        if self.thread.is_alive():
            self.thread.join()


def log_bytes(d):
    total = 0
    with os.scandir(d) as it:
        for e in it:
            if e.name.startswith('prod.log'):
                try:
                    total += e.stat().st_size
                except OSError:
                    pass
    return total


def last_line_ok(d, size):
    try:
        with open(os.path.join(d, 'prod.log'), 'rb') as f:
            f.seek(0, os.SEEK_END)
            if f.tell() < LINELEN:
                return False
            f.seek(-LINELEN, os.SEEK_END)
            tail = f.read()
    except OSError:
        return False
    return tail[:12] == b'%012d' % (size // LINELEN - 1)


# ------------------------------------------------------------------ results

def record(scenario, metric, kind, value, unit='s', stat='median',
           extra=None, censored=False):
    """Adds samples of one metric for one supervisor. A censored sample is
    a lower bound (the wait was cut short); the figure is then shown as
    '> x'."""
    key = (scenario, metric)
    if key not in RESULTS:
        RESULTS[key] = dict(scenario=scenario, metric=metric, unit=unit,
                            stat=stat, samples={}, extra={}, censored={})
        ORDER.append(key)
    if censored:
        RESULTS[key]['censored'][kind] = True
    vals = value if isinstance(value, list) else [value]
    RESULTS[key]['samples'].setdefault(kind, []).extend(vals)
    if extra:
        for k, v in extra.items():
            RESULTS[key]['extra'].setdefault(kind, {}).setdefault(
                k, []).append(v)


def pct(vals, p):
    vals = sorted(v for v in vals if v is not None)
    if not vals:
        return None
    if p == 50:
        return statistics.median(vals)
    return vals[max(0, math.ceil(p / 100 * len(vals)) - 1)]


def summarize(entry, kind):
    vals = entry['samples'].get(kind)
    if not vals:
        return None
    if any(v is None for v in vals):
        return None     # a measurement failed: its note says which
    return {'median': lambda v: pct(v, 50), 'p95': lambda v: pct(v, 95),
            'max': max}[entry['stat']](vals)


def fmt_s(v):
    if v is None:
        return '-'
    if v < 0.001:
        return '%.0f µs' % (v * 1e6)
    if v < 1:
        return '%.2f ms' % (v * 1e3) if v < 0.1 else '%.0f ms' % (v * 1e3)
    return '%.2f s' % v


def fmt_b(v):
    return '-' if v is None else '%.2f MiB' % (v / MIB)


def fmt(v, unit):
    if v is None:
        return '-'
    if unit == 's':
        return fmt_s(v)
    if unit == 'B':
        return fmt_b(v)
    if unit == 'MiB/s':
        return '%.0f MiB/s' % v
    if unit == 's/GiB':
        return '%.2f s/GiB' % v
    return '%g' % v


# What we aim at, per metric: (comparison, bound, relative to).
TARGETS = {
    ('respawn', 'respawn alone, median (new child exists)'): ('<=', 0.001),
    ('respawn', 'respawn alone, p95 (new child exists)'): ('<=', 0.005),
    ('respawn', 'respawn beside 1000, median (new child exists)'):
        ('<=', 0.001),
    ('respawn', 'respawn beside 1000, p95 (new child exists)'): ('<=', 0.005),
    ('spawn', 'first child after launch (N=1)'): ('<=', 0.005),
    ('spawn', 'N=1000 children exist after launch'): ('<=', 0.3),
    ('footprint', 'idle VmRSS, N=1'): ('<=', 1.5 * MIB),
    ('footprint', 'idle VmRSS, N=1000'): ('<=', 4 * MIB),
    ('shutdown', 'SIGTERM to exit, N=100'): ('<=', 0.2),
    ('shutdown', 'SIGTERM to exit, N=1000'): ('<=', 0.2),
    ('shutdown', 'processes left after exit, N=100'): ('<=', 0),
    ('shutdown', 'processes left after exit, N=1000'): ('<=', 0),
    ('logs', 'throughput, bulk 64 KiB writes'): ('>=', 0.95, 'pipe'),
    ('logs', 'throughput, one write per line'): ('>=', 0.95, 'pipe'),
    ('logs', 'daemon CPU s per GiB, bulk 64 KiB writes'):
        ('<=', 0.5, 'supervisord'),
    ('logs', 'daemon CPU s per GiB, one write per line'):
        ('<=', 0.5, 'supervisord'),
    ('logs', 'bytes lost, bulk 64 KiB writes'): ('<=', 0),
    ('logs', 'bytes lost, one write per line'): ('<=', 0),
    ('control', 'getAllProcessInfo at N=1000 (+1), median'): ('<=', 0.003),
    ('control', 'ctl status wall at N=1000 (+1)'): ('<=', 0.025),
    ('flood', 'getAllProcessInfo during capture, p95'): ('<=', 0.001),
    ('flood', 'getAllProcessInfo during capture, max'): ('<=', 0.050),
    ('reload', 'others keeping their pid (of 99)'): ('>=', 99),
    ('reload', 'changed program running again (N=100)'): ('<=', 0.050),
    ('start-up', 'first RPC answer, N=1000'): ('<=', 0.1),
}


def target_text(t, unit):
    if len(t) == 3:
        name = {'pipe': 'pipe copy', 'supervisord': 'supervisord'}[t[2]]
        return '%s %gx %s' % (t[0], t[1], name)
    return '%s %s' % (t[0], fmt(t[1], unit) if unit != 'n' else t[1])


def target_met(t, ours, row):
    if ours is None:
        return None
    bound = t[1]
    if len(t) == 3:
        ref = row.get(t[2])
        if ref is None:
            return None
        bound = t[1] * ref
    return ours <= bound if t[0] == '<=' else ours >= bound


def build_rows(ours):
    rows = []
    for key in ORDER:
        e = RESULTS[key]
        row = {k: summarize(e, k) for k in e['samples']}
        row['n'] = {k: len(v) for k, v in e['samples'].items()}
        floor = row.get('floor', row.get('pipe'))
        mine, sd = row.get(ours), row.get('supervisord')
        t = TARGETS.get(key)
        cens = e['censored']
        floor_kind = 'floor' if 'floor' in row else 'pipe'
        rows.append(dict(
            censored=dict(ours=cens.get(ours, False),
                          supervisord=cens.get('supervisord', False),
                          floor=cens.get(floor_kind, False)),
            scenario=e['scenario'], metric=e['metric'], unit=e['unit'],
            stat=e['stat'], ours=mine, supervisord=sd, floor=floor,
            ratio_sd=ratio(mine, sd), ratio_floor=ratio(mine, floor),
            target=target_text(t, e['unit']) if t else None,
            met=target_met(t, mine, row) if t else None, n=row['n']))
    return rows


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    if r is None:
        return '-'
    if r >= 10 or r == 0:
        return '%.0fx' % r
    return '%.2gx' % r if r < 0.1 else '%.2fx' % r


def cell(r, col):
    """A figure of a row, '> x' when it is only a lower bound."""
    text = fmt(r[col], r['unit'])
    return '> ' + text if r['censored'][col] and text != '-' else text


def ratio_cell(r, col):
    text = fmt_ratio(r['ratio_' + ('sd' if col == 'supervisord' else col)])
    if text == '-':
        return text
    mine, theirs = r['censored']['ours'], r['censored'][col]
    if theirs and not mine:
        return '< ' + text
    if mine and not theirs:
        return '> ' + text
    return '~ ' + text if mine and theirs else text


def markdown(rows, ours, machine, mode, elapsed):
    out = ['# Benchmark run: %s mode' % mode, '',
           'Machine: %s; `nproc` %s; kernel %s; %s.' % (
               machine['cpu'], machine['nproc'], machine['kernel'],
               machine['python']),
           '', '```', machine['free'].rstrip(), '```', '',
           'Commit %s; binaries built %s.' % (machine['commit'], ', '.join(
               '%s %s' % kv for kv in sorted(machine['built'].items()))),
           '',
           'Command: `%s` (%.0f s). Ours: `%s`. Figures are medians unless '
           'the metric says p95/max; ratios are ours / theirs (below 1 is '
           'better for times, CPU and memory). The floor is bench/floor.c '
           '(posix_spawnp + blocking waitpid) or, for logs, `producer | cat '
           '> file`.' % (machine['command'], elapsed, ours), '',
           '| scenario | metric | %s | supervisord | ours/supervisord | '
           'floor | ours/floor | target | met |' % ours,
           '|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        met = {True: 'yes', False: '**no**', None: '-'}[r['met']]
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r['scenario'], r['metric'], cell(r, 'ours'),
            cell(r, 'supervisord'), ratio_cell(r, 'supervisord'),
            cell(r, 'floor'), ratio_cell(r, 'floor'),
            r['target'] or '', met))
    grid = scaling_grid(ours)
    if grid:
        sizes = grid[0][2]
        out += ['', 'Cost per operation against N (the same figures as above, '
                'side by side; N programs + 1 target):', '',
                '| metric | | %s |' % ' | '.join('N=%d' % n for n in sizes),
                '|---|---|%s' % ('---|' * len(sizes))]
        for label, kind, _, cells in grid:
            out.append('| %s | %s | %s |' % (label, kind, ' | '.join(cells)))
    if NOTES:
        out += ['', 'Notes:', ''] + ['- ' + n for n in NOTES]
    return '\n'.join(out) + '\n'


# The families shown against N: (label, metric with {n}, scenario).
SCALING = (
    ('respawn, median (new child exists)',
     'respawn beside {n}, median (new child exists)', 'respawn'),
    ('respawn, p95 (new child exists)',
     'respawn beside {n}, p95 (new child exists)', 'respawn'),
    ('getAllProcessInfo, median',
     'getAllProcessInfo at N={n} (+1), median', 'control'),
    ('ctl status, wall', 'ctl status wall at N={n} (+1)', 'control'),
)


def scaling_grid(ours):
    """[(label, kind, sizes, cells)] of the SCALING families for every N
    measured, or [] when fewer than two N were."""
    sizes = set()
    for sc, metric in ORDER:
        for _, fam, fsc in SCALING:
            head, tail = fam.split('{n}')
            if sc == fsc and metric.startswith(head) and \
                    metric.endswith(tail):
                n = metric[len(head):len(metric) - len(tail)]
                if n.isdigit():
                    sizes.add(int(n))
    sizes = sorted(sizes)
    if len(sizes) < 2:
        return []
    grid = []
    for label, fam, sc in SCALING:
        for kind in (ours, 'supervisord', 'floor'):
            cells, seen = [], False
            for n in sizes:
                e = RESULTS.get((sc, fam.format(n=n)))
                v = summarize(e, kind) if e else None
                seen = seen or v is not None
                cells.append(fmt(v, 's'))
            if seen:
                grid.append((label, kind, sizes, cells))
    return grid


def print_grid(ours):
    grid = scaling_grid(ours)
    if not grid:
        return
    sizes = grid[0][2]
    say('\n%-36s %-12s %s' % ('against N', '', ' '.join(
        '%10s' % ('N=%d' % n) for n in sizes)))
    for label, kind, _, cells in grid:
        say('%-36s %-12s %s' % (label, kind, ' '.join(
            '%10s' % c for c in cells)))


def machine_info(argv):
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except Exception:
            return ''
    cpu = ''
    for line in (read_small('/proc/cpuinfo') or b'').decode().split('\n'):
        if line.startswith('model name'):
            cpu = line.split(':', 1)[1].strip()
            break
    return dict(nproc=sh(['nproc']), free=sh(['free', '-h']),
                kernel=platform.release(), cpu=cpu,
                python='Python %s' % platform.python_version(),
                supervisord=sh([SUPERVISORD, '--version']),
                commit=sh(['git', '-C', ROOT, 'rev-parse', '--short',
                           'HEAD']),
                command=' '.join(['bench/bench.py'] + argv[1:]))


def print_table(rows, ours):
    say('\n%-10s %-58s %12s %12s %9s %12s %9s  %s' % (
        'scenario', 'metric', ours, 'supervisord', 'ours/sd', 'floor',
        'ours/fl', 'target'))
    for r in rows:
        met = {True: 'ok', False: 'MISSED', None: ''}[r['met']]
        say('%-10s %-58s %12s %12s %9s %12s %9s  %s %s' % (
            r['scenario'], r['metric'][:58], cell(r, 'ours'),
            cell(r, 'supervisord'), ratio_cell(r, 'supervisord'),
            cell(r, 'floor'), ratio_cell(r, 'floor'),
            r['target'] or '', met))


def set_build(d):
    global TASKMASTERD, TASKMASTER, TASKMASTERCTL
    TASKMASTERD = os.path.join(d, 'taskmasterd')
    TASKMASTER = os.path.join(d, 'taskmaster')
    TASKMASTERCTL = os.path.join(d, 'taskmasterctl')


def on_signal(sig, frame):
    cleanup_all()
    sys.exit(128 + sig)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--full', action='store_true',
                    help='full sizes and repetitions (default: quick)')
    ap.add_argument('--only', default='',
                    help='comma-separated: footprint,spawn,shutdown,respawn,'
                    'startup,control,scale,reload,logs,flood')
    ap.add_argument('--rounds', type=int, help='override the round count')
    ap.add_argument('--scale', help='override the N of the scale scenario, '
                    'e.g. 10,100,5000')
    ap.add_argument('--build', default=BUILD,
                    help='directory of our binaries (default: build/)')
    ap.add_argument('--out', default=HERE, help='where results go')
    ap.add_argument('--keep', action='store_true', help='keep the temp dir')
    args = ap.parse_args(argv[1:])
    mode = 'full' if args.full else 'quick'
    if args.rounds:
        MODES[mode]['rounds'] = args.rounds
    if args.scale:
        MODES[mode]['scale'] = tuple(int(n) for n in args.scale.split(','))
    set_build(args.build)
    only = [s for s in args.only.split(',') if s]
    if not os.access(SUPERVISORD, os.X_OK):
        say('skipped: %s not installed' % SUPERVISORD)
        return 0
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    b = Bench(mode, args.out, only)
    try:
        b.run()
    finally:
        cleanup_all()
        if not args.keep:
            shutil.rmtree(b.tmp, ignore_errors=True)
    ours = b.ours or 'taskmasterd'
    rows = build_rows(ours)
    machine = machine_info(argv)
    machine['built'] = getattr(b, 'built', {})
    print_table(rows, ours)
    print_grid(ours)
    for n in NOTES:
        say('note: ' + n)
    say('\n%s mode took %.0f s' % (mode, b.elapsed))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump(dict(mode=mode, ours=ours, machine=machine,
                       elapsed_s=b.elapsed, config=MODES[mode], rows=rows,
                       raw=[RESULTS[k] for k in ORDER], notes=NOTES), f,
                  indent=1, default=str)
    with open(os.path.join(args.out, 'last-run.md'), 'w') as f:
        f.write(markdown(rows, ours, machine, mode, b.elapsed))
    missed = [r for r in rows if r['met'] is False]
    say('%d targets met, %d missed, %d not measured' % (
        sum(1 for r in rows if r['met']), len(missed),
        sum(1 for r in rows if r['target'] and r['met'] is None)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
