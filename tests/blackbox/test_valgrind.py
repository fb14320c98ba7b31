# SPDX-License-Identifier: ISC
"""taskmasterd and taskmasterctl under valgrind's memcheck through a
representative life: start, status, stop/start, a bad request, a reload that
adds, changes and removes programs, log reads, shutdown.  Zero errors and no
definite leak, or the test fails with valgrind's report.

Skipped on the sanitizer build (valgrind cannot run ASan binaries) and where
valgrind is missing."""

import os
import re
import shutil
import signal
import subprocess

import pytest

from conftest import BUILD, T, wait_until
from rpcutil import TASKMASTERD, DaemonSession, rpc, wait_state, xml_call

assert rpc  # the fixture, imported for pytest

VALGRIND = shutil.which('valgrind')
CTL = BUILD / 'taskmasterctl'
# Under valgrind everything is 20-50 times slower.
VT = max(T, 60)


def sanitized(binary):
    with open(binary, 'rb') as f:
        return b'__asan_init' in f.read()


pytestmark = [
    pytest.mark.skipif(VALGRIND is None, reason='valgrind is not installed'),
    pytest.mark.skipif(TASKMASTERD.exists() and sanitized(TASKMASTERD),
                       reason='valgrind cannot run a sanitizer build'),
]


def memcheck(tm, name):
    log = tm.dir / ('valgrind-%s.log' % name)
    return log, [VALGRIND, '--tool=memcheck', '--error-exitcode=99',
                 '--leak-check=full', '--errors-for-leak-kinds=definite',
                 '--show-leak-kinds=definite', '--num-callers=30',
                 '--log-file=%s' % log]


def verdict(log, rc):
    text = log.read_text(errors='replace') if log.exists() else ''
    assert rc != 99, 'valgrind found errors:\n' + text[-6000:]
    m = re.search(r'ERROR SUMMARY: (\d+) errors', text)
    assert m is not None, 'no valgrind summary:\n' + text[-3000:]
    assert m.group(1) == '0', text[-6000:]
    assert not re.search(r'definitely lost: [1-9]', text), text[-6000:]


def sleeper(tm, *args, **keys):
    return tm.program(tm.cmdline('sleeper', *args), **keys)


def test_daemon_and_client_under_memcheck(tm, rpc):
    programs = {
        'keep': sleeper(tm),
        'change': sleeper(tm),
        'gone': sleeper(tm),
        'fails': tm.program(tm.cmdline('exiter', 0, 3), startretries=1, startsecs=1,
                            autorestart='true'),
        'many': sleeper(tm, numprocs=2,
                        process_name='%(program_name)s_%(process_num)d'),
    }
    r = rpc(programs)
    r.write_config()
    log, prefix = memcheck(tm, 'taskmasterd')
    argv = prefix + [str(TASKMASTERD), '-n', '-c', str(tm.conf)]
    d = DaemonSession(tm, argv, tm.environ(), str(tm.dir))
    tm.sessions.append(d)
    r.daemon = d
    wait_until(lambda: r.connectable() or not d.alive(), timeout=VT,
               msg='taskmasterd under valgrind to listen')
    assert d.alive(), d.stderr()[-3000:]
    p = r.unix_proxy()
    for name in ('keep', 'change', 'gone', 'many:many_0'):
        wait_state(p, name, 'RUNNING', timeout=VT)
    wait_state(p, 'fails', 'FATAL', timeout=VT)
    keep_pid = p.supervisor.getProcessInfo('keep')['pid']

    # Control and the error paths.
    assert len(p.supervisor.getAllProcessInfo()) == 6
    assert p.supervisor.stopProcess('change') is True
    assert p.supervisor.startProcess('change') is True
    assert p.supervisor.signalProcess('keep', 'CONT') is True
    p.supervisor.readLog(0, 100)
    p.supervisor.tailProcessStdoutLog('keep', 0, 100)
    with pytest.raises(Exception):
        p.supervisor.startProcess('nosuch')
    resp = r.request('POST', '/RPC2', b'<methodCall><methodName>')
    assert resp.status == 400
    resp = r.request('POST', '/RPC2', xml_call('system.multicall', [
        {'methodName': 'supervisor.getState', 'params': []},
        {'methodName': 'nosuch', 'params': []}]))
    assert resp.status == 200

    # The client, under valgrind too.
    clog, cprefix = memcheck(tm, 'taskmasterctl')
    c = subprocess.run(cprefix + [str(CTL), '-c', str(tm.conf), 'status'],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=VT,
                       env=tm.environ(), cwd=str(tm.dir))
    assert b'keep' in c.stdout, c.stdout
    verdict(clog, c.returncode)

    # A reload that adds, changes and removes.
    programs = dict(programs)
    del programs['gone']
    programs['change'] = sleeper(tm, '-O', 'changed')
    programs['added'] = sleeper(tm)
    r.write_config(programs)
    os.kill(d.pid, signal.SIGHUP)
    wait_state(p, 'added', 'RUNNING', timeout=VT)
    wait_until(lambda: 'gone' not in
               [i['name'] for i in p.supervisor.getAllProcessInfo()],
               timeout=VT, msg='gone to be removed')
    assert p.supervisor.getProcessInfo('keep')['pid'] == keep_pid
    assert p.supervisor.stopAllProcesses()
    assert p.supervisor.startProcessGroup('many')

    os.kill(d.pid, signal.SIGTERM)
    rc = d.wait_exit(VT)
    verdict(log, rc)
    assert rc == 0, d.stderr()[-3000:]
