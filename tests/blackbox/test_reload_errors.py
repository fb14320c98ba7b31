# SPDX-License-Identifier: ISC
"""The refused configs of test_config_errors.CASES, on reload (spec 13.1):
a running taskmaster gets each one by SIGHUP and by `update` in its shell, a
running taskmasterd by SIGHUP and by supervisor.reloadConfig.  Each time the
error is reported (main log, shell output, CANT_REREAD fault) with the
file, line and key, the running programs keep their pids, and the next
good config is applied.  One taskmaster and one taskmasterd serve every
case (a case that kills one gets a new one for the next case)."""

import os
import signal
import xmlrpc.client

import pytest

from conftest import Box
from rpcutil import SANITIZER_RE, Rpc, remove_dirs
from test_config_errors import CASES, build, check_message

ERROR_RE = r'^config file (.*) has errors, not reloading: (.*)$'
IDS = [c['id'] for c in CASES]


class Running:
    """A supervisor serving the cases: a program 'keep' that must keep its
    pid, and 'step_N' (not autostarted) that each good config replaces."""

    def __init__(self, box):
        self.box = box
        self.step = 0
        self.keep = None

    def programs(self):
        tm = self.box
        return ('[program:keep]\ncommand = %s\nstartsecs = 0\n'
                'stopwaitsecs = 1\n\n[program:step_%d]\ncommand = %s\n'
                'autostart = false\n' % (tm.cmdline('sleeper'), self.step,
                                         tm.cmdline('sleeper')))

    def names(self):
        return {'keep', 'step_%d' % self.step}

    def write_good(self):
        self.box.conf.write_text(self.box.config_text() + '\n' +
                                 self.head())

    def healthy(self):
        """Whether the state is the one the last case left (a case that
        failed may have left another): else the next case starts anew."""
        try:
            self.check_unchanged()
        except Exception:  # noqa: BLE001
            return False
        return True


class Foreground(Running):
    """taskmaster -c conf on pipes."""

    def __init__(self, box):
        super().__init__(box)
        self.sh = None

    def head(self):
        return self.programs()

    def ensure(self):
        if self.sh is not None and self.sh.alive():
            if self.healthy():
                return
            self.sh.shutdown()
        self.write_good()
        self.sh = self.box.start(pty=False)
        self.sh.wait_state('keep', 'RUNNING')
        self.keep = self.sh.pid_of('keep')

    def check_unchanged(self):
        st = self.sh.status()
        assert set(st) == self.names(), st
        assert st['keep'][0] == 'RUNNING', st
        assert self.sh.pid_of('keep') == self.keep

    def apply_next(self):
        old = self.step
        self.step += 1
        self.write_good()
        out = self.sh.lines('update')
        assert 'step_%d: added process group' % self.step in out, out
        assert 'step_%d: removed process group' % old in out, out
        self.check_unchanged()

    def check_sanitizers(self):
        m = SANITIZER_RE.search(self.sh.stderr())
        assert m is None, self.sh.stderr()[-4000:]


class _Rpc(Rpc):
    """Rpc whose config is the running one of a Daemon."""

    def __init__(self, box, owner):
        super().__init__(box)
        self.owner = owner

    def write_config(self, programs=None):
        self.owner.write_good()


class Daemon(Running):
    """taskmasterd -n with its Unix socket and TCP port."""

    def __init__(self, box):
        super().__init__(box)
        self.rpc = _Rpc(box, self)
        self.proxy = None

    def head(self):
        return self.programs() + '\n' + self.rpc.sections()

    def ensure(self):
        if self.rpc.daemon is not None and self.rpc.daemon.alive():
            if self.healthy():
                return
            self.rpc.daemon.shutdown()
        self.rpc.start()
        self.proxy = self.rpc.proxy()
        self.box.wait_until(lambda: self.info().get('keep', {}).get(
            'statename') == 'RUNNING', msg='keep RUNNING')
        self.keep = self.info()['keep']['pid']

    def info(self):
        return {p['name']: p for p in
                self.proxy.supervisor.getAllProcessInfo()}

    def check_unchanged(self):
        info = self.info()
        assert set(info) == self.names(), sorted(info)
        assert info['keep']['statename'] == 'RUNNING'
        assert info['keep']['pid'] == self.keep

    def apply_next(self):
        old = self.step
        self.step += 1
        self.write_good()
        assert self.proxy.supervisor.reloadConfig() == [
            [['step_%d' % self.step], [], ['step_%d' % old]]]
        mark = self.box.log_mark()
        os.kill(self.rpc.daemon.pid, signal.SIGHUP)
        self.box.wait_log(r'^config reloaded \(', since=mark)
        self.box.wait_until(lambda: set(self.info()) == self.names(),
                            msg='step_%d added' % self.step)
        self.check_unchanged()

    def check_sanitizers(self):
        self.rpc.daemon.check_sanitizers()


@pytest.fixture(scope='module')
def foreground(tmp_path_factory):
    box = Box(tmp_path_factory.mktemp('reload-fg'), tmp_path_factory)
    yield Foreground(box)
    box.cleanup()


@pytest.fixture(scope='module')
def daemon(tmp_path_factory):
    box = Box(tmp_path_factory.mktemp('reload-d'), tmp_path_factory)
    yield Daemon(box)
    box.cleanup()
    remove_dirs(box)


def sighup_refused(s, case, pid):
    """SIGHUP with the case's config: one ERRO record naming the fault."""
    where, lines = build(s.box, case, head=s.head())
    mark = s.box.log_mark()
    os.kill(pid, signal.SIGHUP)
    (_, lvl, m), = s.box.wait_log(ERROR_RE, since=mark)
    assert lvl == 'ERRO'
    assert m.group(1) == str(s.box.conf)
    check_message(m.group(2), where, lines, case['words'])
    s.check_unchanged()
    return where, lines


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_foreground_reload_refused(foreground, case):
    s = foreground
    s.ensure()
    where, lines = sighup_refused(s, case, s.sh.pid)
    out = s.sh.lines('update')
    assert len(out) == 1 and out[0].startswith('ERROR: CANT_REREAD: '), \
        [l[:300] for l in out]
    check_message(out[0], where, lines, case['words'])
    s.check_unchanged()
    s.apply_next()
    s.check_sanitizers()


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_daemon_reload_refused(daemon, case):
    s = daemon
    s.ensure()
    where, lines = sighup_refused(s, case, s.rpc.daemon.pid)
    with pytest.raises(xmlrpc.client.Fault) as e:
        s.proxy.supervisor.reloadConfig()
    assert e.value.faultCode == 92
    assert e.value.faultString.startswith('CANT_REREAD: ')
    check_message(e.value.faultString, where, lines, case['words'])
    s.check_unchanged()
    s.apply_next()
    s.check_sanitizers()


def test_missing_file_on_reload(foreground):
    s = foreground
    s.ensure()
    os.rename(s.box.conf, str(s.box.conf) + '.away')
    mark = s.box.log_mark()
    s.sh.kill(signal.SIGHUP)
    (_, lvl, m), = s.box.wait_log(ERROR_RE, since=mark)
    assert 'could not find config file' in m.group(2)
    s.check_unchanged()
    os.rename(str(s.box.conf) + '.away', s.box.conf)
    s.apply_next()


# ---------------------------------------------------------------- accepted

ACCEPTED = [
    ('include-matching-nothing', '[include]\nfiles = nothing-here/*.conf\n',
     r'^No file matches via include ".*nothing-here/\*\.conf"$'),
    ('repeated-section', '[program:keep]\nstopwaitsecs = 1\n',
     r'program:keep'),
    ('repeated-key', '[program:extra]\ncommand = /bin/true\n'
     'autostart = false\nautostart = false\n', r'autostart'),
]


@pytest.mark.parametrize('case', ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_on_reload_with_a_warning(foreground, case):
    """What supervisord accepts is applied on reload too, and the warning
    it gets at start-up is logged again."""
    name, extra, warning = case
    s = foreground
    s.ensure()
    s.box.conf.write_text(s.box.config_text() + '\n' + s.head() + '\n' +
                          extra)
    mark = s.box.log_mark()
    s.sh.kill(signal.SIGHUP)
    s.box.wait_log(r'^config reloaded \(', since=mark)
    if name != 'repeated-key':
        s.check_unchanged()
    warned = [m for _, lvl, m in s.box.find_log(warning, since=mark)
              if lvl == 'WARN']
    s.apply_next()
    assert warned, 'no warning logged on reload: %s' % s.box.log_since(mark)
