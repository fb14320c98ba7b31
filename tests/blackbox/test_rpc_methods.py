# SPDX-License-Identifier: ISC
"""Every XML-RPC method of spec 9.5 called with Python's xmlrpc.client over
TCP: return values and structures (9.6), the fault of every error path
(9.4), the log read and tail rules, system.* introspection and multicall,
reloadConfig with the group methods, restart and shutdown."""

import os
import re
import threading
import time
import xmlrpc.client

from conftest import T, wait_until
from rpcutil import fault, rpc, wait_state

assert rpc  # the fixture, imported for pytest

SUPERVISOR_METHODS = [
    'addProcessGroup', 'clearAllProcessLogs', 'clearLog', 'clearProcessLog',
    'clearProcessLogs', 'getAPIVersion', 'getAllConfigInfo',
    'getAllProcessInfo', 'getIdentification', 'getPID', 'getProcessInfo',
    'getState', 'getSupervisorVersion', 'getVersion', 'readLog',
    'readMainLog', 'readProcessLog', 'readProcessStderrLog',
    'readProcessStdoutLog', 'reloadConfig', 'removeProcessGroup', 'restart',
    'sendProcessStdin', 'sendRemoteCommEvent', 'shutdown',
    'signalAllProcesses', 'signalProcess', 'signalProcessGroup',
    'startAllProcesses', 'startProcess', 'startProcessGroup',
    'stopAllProcesses', 'stopProcess', 'stopProcessGroup', 'tailProcessLog',
    'tailProcessStderrLog', 'tailProcessStdoutLog']
SYSTEM_METHODS = ['listMethods', 'methodHelp', 'methodSignature',
                  'multicall']
ALL_METHODS = (['supervisor.' + m for m in SUPERVISOR_METHODS] +
               ['system.' + m for m in SYSTEM_METHODS])

# Signatures of spec 9.5: [return type, parameter types...].
SIGNATURES = {
    'supervisor.getAPIVersion': ['string'],
    'supervisor.getVersion': ['string'],
    'supervisor.getSupervisorVersion': ['string'],
    'supervisor.getIdentification': ['string'],
    'supervisor.getState': ['struct'],
    'supervisor.getPID': ['int'],
    'supervisor.readLog': ['string', 'int', 'int'],
    'supervisor.readMainLog': ['string', 'int', 'int'],
    'supervisor.clearLog': ['boolean'],
    'supervisor.shutdown': ['boolean'],
    'supervisor.restart': ['boolean'],
    'supervisor.reloadConfig': ['array'],
    'supervisor.addProcessGroup': ['boolean', 'string'],
    'supervisor.removeProcessGroup': ['boolean', 'string'],
    'supervisor.startProcess': ['boolean', 'string', 'boolean'],
    'supervisor.startProcessGroup': ['array', 'string', 'boolean'],
    'supervisor.startAllProcesses': ['array', 'boolean'],
    'supervisor.stopProcess': ['boolean', 'string', 'boolean'],
    'supervisor.stopProcessGroup': ['array', 'string', 'boolean'],
    'supervisor.stopAllProcesses': ['array', 'boolean'],
    'supervisor.signalProcess': ['boolean', 'string', 'string'],
    'supervisor.signalProcessGroup': ['array', 'string', 'string'],
    'supervisor.signalAllProcesses': ['array', 'string'],
    'supervisor.getProcessInfo': ['struct', 'string'],
    'supervisor.getAllProcessInfo': ['array'],
    'supervisor.getAllConfigInfo': ['array'],
    'supervisor.readProcessStdoutLog': ['string', 'string', 'int', 'int'],
    'supervisor.readProcessLog': ['string', 'string', 'int', 'int'],
    'supervisor.readProcessStderrLog': ['string', 'string', 'int', 'int'],
    'supervisor.tailProcessStdoutLog': ['array', 'string', 'int', 'int'],
    'supervisor.tailProcessLog': ['array', 'string', 'int', 'int'],
    'supervisor.tailProcessStderrLog': ['array', 'string', 'int', 'int'],
    'supervisor.clearProcessLogs': ['boolean', 'string'],
    'supervisor.clearProcessLog': ['boolean', 'string'],
    'supervisor.clearAllProcessLogs': ['array'],
    'supervisor.sendProcessStdin': ['boolean', 'string', 'string'],
    'supervisor.sendRemoteCommEvent': ['boolean', 'string', 'string'],
    'system.listMethods': ['array'],
    'system.methodHelp': ['string', 'string'],
    'system.methodSignature': ['array', 'string'],
    'system.multicall': ['array', 'array'],
}

PROCESS_INFO_TYPES = {
    'name': str, 'group': str, 'start': int, 'stop': int, 'now': int,
    'state': int, 'statename': str, 'spawnerr': str, 'exitstatus': int,
    'logfile': str, 'stdout_logfile': str, 'stderr_logfile': str,
    'pid': int, 'description': str}

STATE_CODES = {'STOPPED': 0, 'STARTING': 10, 'RUNNING': 20, 'BACKOFF': 30,
               'STOPPING': 40, 'EXITED': 100, 'FATAL': 200, 'UNKNOWN': 1000}

CONFIG_INFO_TYPES = {
    'name': str, 'group': str, 'group_prio': int, 'process_prio': int,
    'inuse': bool, 'autostart': bool, 'command': str, 'directory': str,
    'uid': str, 'exitcodes': list, 'killasgroup': bool,
    'redirect_stderr': bool, 'startretries': int, 'startsecs': int,
    'stopsignal': int, 'stopwaitsecs': int, 'serverurl': str}
for _ch in ('stdout_', 'stderr_'):
    CONFIG_INFO_TYPES.update({
        _ch + 'logfile': str, _ch + 'logfile_backups': int,
        _ch + 'logfile_maxbytes': int, _ch + 'capture_maxbytes': int,
        _ch + 'events_enabled': bool, _ch + 'syslog': bool})

TOO_QUICK = 'Exited too quickly (process log may have details)'


# ---------------------------------------------------------------- helpers

def sleeper(tm, *args, **keys):
    return tm.program(tm.cmdline('sleeper', *args), **keys)


def start(tm, rpc, programs, **kw):
    """taskmasterd with an inet server only; returns (Rpc, proxy)."""
    r = rpc(programs, unix=False, **kw)
    r.start()
    return r, r.proxy()


def ok(name, group=None):
    return {'name': name, 'group': group or name, 'status': 80,
            'description': 'OK'}


def by_name(results):
    return sorted(results, key=lambda d: (d['group'], d['name']))


def stable_file(path, quiet=0.3):
    """The bytes of path once they stopped changing for quiet seconds."""
    last = {'data': None}

    def check():
        data = open(path, 'rb').read()
        if data == last['data']:
            return True
        last['data'] = data
        time.sleep(quiet)
        return False
    wait_until(check, msg='%s to stop growing' % path)
    return last['data']


def ours(methods):
    """The names of spec 9.5 among listMethods: the taskmaster.*
    namespace of the README is an addition beside them."""
    return [m for m in methods if not m.startswith('taskmaster.')]


def check_process_info(info):
    assert sorted(info) == sorted(PROCESS_INFO_TYPES), info
    for k, t in PROCESS_INFO_TYPES.items():
        assert type(info[k]) is t, (k, info[k])
    assert STATE_CODES[info['statename']] == info['state'], info
    assert abs(info['now'] - time.time()) <= 2, info
    assert info['logfile'] == info['stdout_logfile'], info


# ---------------------------------------------------------------- identity

def test_versions_identification_state_pid(tm, rpc):
    r, p = start(tm, rpc, {})
    s = p.supervisor
    assert s.getAPIVersion() == '3.0'
    assert s.getVersion() == '3.0'
    assert s.getSupervisorVersion() == '4.2.5'
    assert s.getIdentification() == 'supervisor'
    assert s.getState() == {'statecode': 1, 'statename': 'RUNNING'}
    pid = s.getPID()
    assert type(pid) is int and pid == r.daemon.pid
    assert r.stop() == 0


def test_identification_from_command_line(tm, rpc):
    r = rpc({}, unix=False)
    r.start(args=['-i', 'tmident'])
    assert r.proxy().supervisor.getIdentification() == 'tmident'
    assert r.stop() == 0


# ---------------------------------------------------------------- main log

def test_read_main_log(tm, rpc):
    r, p = start(tm, rpc, {})
    s = p.supervisor
    data = stable_file(tm.logfile).decode()
    assert len(data) > 20
    assert s.readLog(0, 0) == data
    assert s.readMainLog(0, 0) == data
    assert s.readLog(5, 10) == data[5:15]
    assert s.readLog(5, 0) == data[5:]
    assert s.readLog(-10, 0) == data[-10:]
    assert s.readMainLog(-10, 0) == data[-10:]
    assert s.readLog(-(len(data) + 1000), 0) == data
    assert s.readLog(len(data) + 100, 0) == ''
    assert s.readLog(len(data) - 3, 100) == data[-3:]
    assert fault(s.readLog, -10, 5) == (3, 'BAD_ARGUMENTS')
    assert fault(s.readMainLog, -10, 5) == (3, 'BAD_ARGUMENTS')
    assert fault(s.readLog, 0, -1) == (3, 'BAD_ARGUMENTS')
    assert fault(s.readLog, 0)[0] == 2
    assert r.stop() == 0


def test_clear_log(tm, rpc):
    r, p = start(tm, rpc, {})
    s = p.supervisor
    before = stable_file(tm.logfile).decode()
    first = before.split('\n')[0]
    assert s.clearLog() is True
    after = s.readLog(0, 0)
    assert first not in after
    assert len(after) < len(before)
    # With the file gone: readLog names it, clearLog has no detail.
    os.unlink(tm.logfile)
    assert fault(s.readLog, 0, 0) == (20, 'NO_FILE: %s' % tm.logfile)
    assert fault(s.clearLog) == (20, 'NO_FILE')
    assert r.stop() == 0


# ---------------------------------------------------------------- groups

def test_reload_config_add_remove_groups(tm, rpc):
    progs = {'a': sleeper(tm), 'b': sleeper(tm), 'keep': sleeper(tm)}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    for n in progs:
        wait_state(p, n, 'RUNNING')
    assert s.reloadConfig() == [[[], [], []]]
    r.write_config({'a': sleeper(tm, '-O', 'changed'), 'keep': progs['keep'],
                    'c': sleeper(tm)})
    assert s.reloadConfig() == [[['c'], ['a'], ['b']]]
    # Same answer until something acts on it.
    assert s.reloadConfig() == [[['c'], ['a'], ['b']]]
    # getAllConfigInfo follows the last-read config; c is not in use yet.
    conf = {c['name']: c for c in s.getAllConfigInfo()}
    assert sorted(conf) == ['a', 'c', 'keep']
    assert conf['c']['inuse'] is False and conf['a']['inuse'] is True

    assert fault(s.addProcessGroup, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert s.addProcessGroup('c') is True
    wait_state(p, 'c', 'RUNNING')
    assert fault(s.addProcessGroup, 'c') == (90, 'ALREADY_ADDED: c')
    assert fault(s.addProcessGroup, 'keep') == (90, 'ALREADY_ADDED: keep')

    assert fault(s.removeProcessGroup, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.removeProcessGroup, 'b') == (91, 'STILL_RUNNING: b')
    assert s.stopProcessGroup('b') == [ok('b')]
    assert s.removeProcessGroup('b') is True
    assert fault(s.removeProcessGroup, 'b') == (10, 'BAD_NAME: b')
    assert fault(s.getProcessInfo, 'b') == (10, 'BAD_NAME: b')
    assert s.reloadConfig() == [[[], ['a'], []]]

    assert s.stopProcessGroup('a') == [ok('a')]
    assert s.removeProcessGroup('a') is True
    assert s.addProcessGroup('a') is True
    wait_state(p, 'a', 'RUNNING')
    assert s.reloadConfig() == [[[], [], []]]
    names = [i['name'] for i in s.getAllProcessInfo()]
    assert names == ['a', 'c', 'keep']

    # An unreadable config is refused and the previous one kept.
    good = tm.conf.read_text()
    tm.conf.write_text(good + '\n[program:broken]\nautostart = true\n')
    code, text = fault(s.reloadConfig)
    assert code == 92 and text.startswith('CANT_REREAD: '), text
    assert sorted(c['name'] for c in s.getAllConfigInfo()) == \
        ['a', 'c', 'keep']
    tm.conf.write_text(good)
    assert s.reloadConfig() == [[[], [], []]]
    assert r.stop() == 0


# ---------------------------------------------------------------- start

def start_programs(tm):
    noexec = tm.path('noexec.sh')
    with open(noexec, 'w') as f:
        f.write('#!/bin/sh\nexec sleep 100\n')
    os.chmod(noexec, 0o644)
    return {
        'idle': sleeper(tm, autostart=False),
        'slow': sleeper(tm, autostart=False, startsecs=1),
        'nowait': sleeper(tm, autostart=False, startsecs=3),
        'nofile': tm.program('/nonexistent/tm-prog', autostart=False),
        'nopath': tm.program('tm-no-such-command-xyz', autostart=False),
        'noexec': tm.program(noexec, autostart=False),
        'isdir': tm.program('/tmp', autostart=False),
        'quick': tm.program(tm.cmdline('exiter', '-q', 0, 1),
                            autostart=False, startsecs=2, startretries=0),
        'g1': sleeper(tm, autostart=False),
        'g2': sleeper(tm, autostart=False),
        'group:g': 'programs = g1,g2\n',
    }


def test_start_process(tm, rpc):
    r, p = start(tm, rpc, start_programs(tm))
    s = p.supervisor
    assert fault(s.startProcess, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.startProcess, 'nosuch:*') == (10, 'BAD_NAME: nosuch:*')
    assert fault(s.startProcess, 'nofile') == \
        (20, "NO_FILE: can't find command '/nonexistent/tm-prog'")
    assert fault(s.startProcess, 'nopath') == \
        (20, "NO_FILE: can't find command 'tm-no-such-command-xyz'")
    assert fault(s.startProcess, 'noexec') == \
        (21, "NOT_EXECUTABLE: command at '%s' is not executable"
         % tm.path('noexec.sh'))
    assert fault(s.startProcess, 'isdir') == \
        (21, "NOT_EXECUTABLE: command at '/tmp' is a directory")
    for n in ('nofile', 'noexec', 'isdir'):
        assert s.getProcessInfo(n)['statename'] == 'STOPPED'

    # startsecs=0: RUNNING when the call returns.
    assert s.startProcess('idle') is True
    assert s.getProcessInfo('idle')['statename'] == 'RUNNING'
    assert fault(s.startProcess, 'idle') == (60, 'ALREADY_STARTED: idle')

    # wait (default true) holds the reply until RUNNING.
    t0 = time.monotonic()
    assert s.startProcess('slow') is True
    assert time.monotonic() - t0 >= 0.9
    assert s.getProcessInfo('slow')['statename'] == 'RUNNING'
    assert fault(s.startProcess, 'slow', True) == (60, 'ALREADY_STARTED: slow')

    # wait=false answers right after the spawn.
    t0 = time.monotonic()
    assert s.startProcess('nowait', False) is True
    assert time.monotonic() - t0 < 2
    assert s.getProcessInfo('nowait')['statename'] == 'STARTING'
    assert fault(s.startProcess, 'nowait') == (60, 'ALREADY_STARTED: nowait')

    # Exits at once with startsecs=2: SPAWN_ERROR, then FATAL.
    assert fault(s.startProcess, 'quick') == (50, 'SPAWN_ERROR: quick')
    info = wait_state(p, 'quick', 'FATAL')
    assert info['spawnerr'] == TOO_QUICK

    # A group form returns result structs.
    res = s.startProcess('g:*')
    assert by_name(res) == [ok('g1', 'g'), ok('g2', 'g')]
    assert s.getProcessInfo('g:g1')['statename'] == 'RUNNING'
    assert fault(s.startProcess, 'g1') == (10, 'BAD_NAME: g1')
    assert fault(s.startProcess, 'g:g1') == (60, 'ALREADY_STARTED: g:g1')
    assert r.stop() == 0


def test_start_process_abnormal_termination(tm, rpc):
    r, p = start(tm, rpc, {'slow': sleeper(tm, autostart=False,
                                            startsecs=5)})
    got = {}

    def call():
        try:
            got['v'] = r.proxy().supervisor.startProcess('slow')
        except xmlrpc.client.Fault as e:
            got['v'] = (e.faultCode, e.faultString)
    th = threading.Thread(target=call, daemon=True)
    th.start()
    wait_state(p, 'slow', 'STARTING')
    assert p.supervisor.stopProcess('slow') is True
    th.join(T)
    assert got.get('v') == (40, 'ABNORMAL_TERMINATION: slow')
    assert r.stop() == 0


def test_start_group_and_all(tm, rpc):
    progs = start_programs(tm)
    del progs['nowait']
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    assert fault(s.startProcessGroup, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert by_name(s.startProcessGroup('g')) == [ok('g1', 'g'),
                                                  ok('g2', 'g')]
    # Nothing left to start in the group.
    assert s.startProcessGroup('g', False) == []
    assert s.stopProcessGroup('g') and s.startProcessGroup('g', False)
    assert s.startProcess('idle') is True
    res = by_name(s.startAllProcesses())
    exp = by_name([
        ok('slow'),
        {'name': 'nofile', 'group': 'nofile', 'status': 20,
         'description': "NO_FILE: can't find command '/nonexistent/tm-prog'"},
        {'name': 'nopath', 'group': 'nopath', 'status': 20,
         'description':
         "NO_FILE: can't find command 'tm-no-such-command-xyz'"},
        {'name': 'noexec', 'group': 'noexec', 'status': 21,
         'description': "NOT_EXECUTABLE: command at '%s' is not executable"
         % tm.path('noexec.sh')},
        {'name': 'isdir', 'group': 'isdir', 'status': 21,
         'description': "NOT_EXECUTABLE: command at '/tmp' is a directory"},
        {'name': 'quick', 'group': 'quick', 'status': 50,
         'description': 'SPAWN_ERROR: quick'}])
    for n in ('idle', 'slow', 'g:g1', 'g:g2'):
        assert s.getProcessInfo(n)['statename'] == 'RUNNING'
    assert [(d['name'], d['status']) for d in res] == \
        [(d['name'], d['status']) for d in exp]
    # Per-process faults carry the whole fault string.
    assert res == exp
    assert r.stop() == 0


# ---------------------------------------------------------------- stop

def test_stop_process_group_all(tm, rpc):
    progs = {'a': sleeper(tm), 'b': sleeper(tm), 'idle':
             sleeper(tm, autostart=False), 'g1': sleeper(tm),
             'g2': sleeper(tm), 'group:g': 'programs = g1,g2\n'}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    for n in ('a', 'b', 'g:g1', 'g:g2'):
        wait_state(p, n, 'RUNNING')
    assert fault(s.stopProcess, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.stopProcess, 'idle') == (70, 'NOT_RUNNING: idle')
    assert s.stopProcess('a') is True
    info = s.getProcessInfo('a')
    assert info['statename'] == 'STOPPED' and info['pid'] == 0
    assert fault(s.stopProcess, 'a') == (70, 'NOT_RUNNING: a')
    assert s.stopProcess('b', False) is True
    wait_state(p, 'b', 'STOPPED')

    assert fault(s.stopProcessGroup, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert by_name(s.stopProcessGroup('g')) == [ok('g1', 'g'),
                                                 ok('g2', 'g')]
    assert s.stopProcessGroup('g') == []
    assert by_name(s.startProcess('g:*')) == [ok('g1', 'g'), ok('g2', 'g')]
    assert by_name(s.stopProcess('g:*')) == [ok('g1', 'g'), ok('g2', 'g')]

    assert s.startProcess('a') is True and s.startProcess('g:g1') is True
    assert by_name(s.stopAllProcesses()) == [ok('a'), ok('g1', 'g')]
    assert s.stopAllProcesses(False) == []
    for i in s.getAllProcessInfo():
        assert i['statename'] == 'STOPPED', i
    assert r.stop() == 0


# ---------------------------------------------------------------- signals

def test_signals(tm, rpc):
    def catcher(name, **keys):
        return sleeper(tm, '-C', 'USR1', '-C', 'USR2',
                       stdout_logfile=tm.path(name + '.out'), **keys)
    progs = {'c': catcher('c'), 'idle': sleeper(tm, autostart=False),
             'g1': catcher('g1'), 'g2': catcher('g2'),
             'group:g': 'programs = g1,g2\n'}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    for n in ('c', 'g:g1', 'g:g2'):
        wait_state(p, n, 'RUNNING')
    for n in ('c', 'g1', 'g2'):
        tm.wait_file(tm.path(n + '.out'), r'^ready$')

    def caught(name, sig, count):
        tm.wait_file(tm.path(name + '.out'),
                     r'(?:^caught %d\n(?:.*\n)*){%d}' % (sig, count))

    assert s.signalProcess('c', 'USR1') is True
    caught('c', 10, 1)
    assert s.signalProcess('c', 'SIGUSR1') is True
    caught('c', 10, 2)
    assert s.signalProcess('c', 10) is True
    caught('c', 10, 3)
    assert s.signalProcess('c', '12') is True
    caught('c', 12, 1)
    assert fault(s.signalProcess, 'nosuch', 'HUP') == (10, 'BAD_NAME: nosuch')
    assert fault(s.signalProcess, 'c', 'BOGUS') == (11, 'BAD_SIGNAL: BOGUS')
    assert fault(s.signalProcess, 'idle', 'HUP') == (70, 'NOT_RUNNING: idle')
    assert fault(s.signalProcess, 'idle', 'BOGUS') == \
        (11, 'BAD_SIGNAL: BOGUS')

    assert fault(s.signalProcessGroup, 'nosuch', 'HUP') == \
        (10, 'BAD_NAME: nosuch')
    assert by_name(s.signalProcessGroup('g', 'USR2')) == \
        [ok('g1', 'g'), ok('g2', 'g')]
    caught('g1', 12, 1)
    caught('g2', 12, 1)
    assert by_name(s.signalProcess('g:*', 'USR1')) == \
        [ok('g1', 'g'), ok('g2', 'g')]
    caught('g1', 10, 1)

    # All: only the signallable processes.
    assert by_name(s.signalAllProcesses('USR2')) == \
        [ok('c'), ok('g1', 'g'), ok('g2', 'g')]
    caught('c', 12, 2)
    caught('g2', 12, 2)
    # A bad signal is reported per process, as the fault string.
    assert by_name(s.signalProcessGroup('g', 'BOGUS')) == [
        {'name': n, 'group': 'g', 'status': 11,
         'description': 'BAD_SIGNAL: BOGUS'} for n in ('g1', 'g2')]
    assert r.stop() == 0


# ---------------------------------------------------------------- info

def test_process_info(tm, rpc):
    progs = {'zeta': sleeper(tm, stdout_logfile=tm.path('zeta.out'),
                             stderr_logfile='NONE'),
             'alpha': sleeper(tm, autostart=False),
             'm2': sleeper(tm), 'm1': sleeper(tm, autostart=False),
             'group:mid': 'programs = m2,m1\n',
             'ex': tm.program(tm.cmdline('exiter', '-q', 0, 3),
                              autorestart=False, exitcodes='3'),
             'killed': tm.program(tm.cmdline('exiter', '-q', '-k', 9, 0, 0),
                                  autorestart=False)}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    info = wait_state(p, 'zeta', 'RUNNING')
    check_process_info(info)
    assert info['name'] == 'zeta' and info['group'] == 'zeta'
    assert info['state'] == 20 and info['pid'] > 0
    assert abs(info['start'] - time.time()) <= 5 and info['stop'] == 0
    assert info['stdout_logfile'] == tm.path('zeta.out')
    assert info['logfile'] == tm.path('zeta.out')
    assert info['stderr_logfile'] == ''
    assert info['spawnerr'] == '' and info['exitstatus'] == 0
    assert re.match(r'^pid %d, uptime \d+:\d\d:\d\d$' % info['pid'],
                    info['description']), info['description']

    info = s.getProcessInfo('alpha')
    check_process_info(info)
    assert info['statename'] == 'STOPPED' and info['state'] == 0
    assert info['pid'] == 0 and info['start'] == 0 and info['stop'] == 0
    assert info['description'] == 'Not started'
    # AUTO logs resolve into childlogdir.
    assert info['stdout_logfile'].startswith(str(tm.childlogdir) + '/')
    assert info['stderr_logfile'].startswith(str(tm.childlogdir) + '/')

    info = wait_state(p, 'ex', 'EXITED')
    check_process_info(info)
    assert info['exitstatus'] == 3 and info['pid'] == 0
    assert info['stop'] >= info['start'] > 0
    info = wait_state(p, 'killed', 'EXITED')
    assert info['exitstatus'] == -1

    m1 = s.getProcessInfo('mid:m1')
    assert m1['name'] == 'm1' and m1['group'] == 'mid'
    assert fault(s.getProcessInfo, 'mid:*') == (10, 'BAD_NAME: mid:*')
    assert fault(s.getProcessInfo, 'mid:') == (10, 'BAD_NAME: mid:')
    assert fault(s.getProcessInfo, 'm1') == (10, 'BAD_NAME: m1')
    assert fault(s.getProcessInfo, 'nosuch') == (10, 'BAD_NAME: nosuch')

    all_info = s.getAllProcessInfo()
    for i in all_info:
        check_process_info(i)
    assert [(i['group'], i['name']) for i in all_info] == [
        ('alpha', 'alpha'), ('ex', 'ex'), ('killed', 'killed'),
        ('mid', 'm1'), ('mid', 'm2'), ('zeta', 'zeta')]
    assert r.stop() == 0


def test_config_info(tm, rpc):
    progs = {'zeta': sleeper(tm, stdout_logfile=tm.path('zeta.out'),
                             stderr_logfile='NONE', priority=5,
                             exitcodes='0,2', stopsignal='INT',
                             startsecs=0, startretries=7, stopwaitsecs=3,
                             killasgroup=True, stopasgroup=True,
                             redirect_stderr=False, directory='/tmp',
                             stdout_logfile_maxbytes='1KB',
                             stdout_logfile_backups=2),
             'alpha': sleeper(tm, autostart=False),
             'm1': sleeper(tm, autostart=False),
             'group:mid': 'programs = m1\npriority = 7\n'}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    infos = s.getAllConfigInfo()
    assert [c['name'] for c in infos] == ['alpha', 'm1', 'zeta']
    for c in infos:
        assert sorted(c) == sorted(CONFIG_INFO_TYPES), sorted(c)
        for k, t in CONFIG_INFO_TYPES.items():
            assert type(c[k]) is t, (c['name'], k, c[k])
        assert all(type(x) is int for x in c['exitcodes'])
        assert c['inuse'] is True
    conf = {c['name']: c for c in infos}
    a = conf['alpha']
    assert a['group'] == 'alpha' and a['autostart'] is False
    assert a['command'] == tm.cmdline('sleeper')
    assert a['uid'] == 'none'
    assert a['directory'] == 'none'
    assert a['serverurl'] == 'auto'
    assert a['stdout_logfile'] == 'auto' and a['stderr_logfile'] == 'auto'
    assert a['group_prio'] == 999 and a['process_prio'] == 999
    assert a['exitcodes'] == [0] and a['stopsignal'] == 15
    assert a['startretries'] == 3 and a['stopwaitsecs'] == 1
    assert a['stdout_logfile_maxbytes'] == 50 * 1024 * 1024
    assert a['stdout_logfile_backups'] == 10
    assert a['stdout_capture_maxbytes'] == 0
    assert a['stdout_events_enabled'] is False
    assert a['stdout_syslog'] is False
    assert a['killasgroup'] is False and a['redirect_stderr'] is False
    z = conf['zeta']
    assert z['stdout_logfile'] == tm.path('zeta.out')
    assert z['stderr_logfile'] == 'none'
    assert z['group_prio'] == 5 and z['process_prio'] == 5
    assert z['exitcodes'] == [0, 2] and z['stopsignal'] == 2
    assert z['startretries'] == 7 and z['stopwaitsecs'] == 3
    assert z['killasgroup'] is True and z['directory'] == '/tmp'
    assert z['stdout_logfile_maxbytes'] == 1024
    assert z['stdout_logfile_backups'] == 2
    m = conf['m1']
    assert m['group'] == 'mid' and m['group_prio'] == 7
    assert r.stop() == 0


# ---------------------------------------------------------------- child logs

def log_programs(tm):
    return {'talk': sleeper(tm, '-O', 'hello world', '-E', 'err-text',
                            stdout_logfile=tm.path('talk.out'),
                            stderr_logfile=tm.path('talk.err')),
            'nolog': sleeper(tm, '-O', 'quiet', stdout_logfile='NONE',
                             stderr_logfile='NONE'),
            'later': sleeper(tm, autostart=False,
                             stdout_logfile=tm.path('later.out'),
                             stderr_logfile=tm.path('later.err'))}


def test_read_process_logs(tm, rpc):
    r, p = start(tm, rpc, log_programs(tm))
    s = p.supervisor
    tm.wait_file(tm.path('talk.out'), r'^ready$')
    tm.wait_file(tm.path('talk.err'), r'^err-text$')
    out = open(tm.path('talk.out')).read()
    err = open(tm.path('talk.err')).read()
    assert out == 'hello world\nready\n'
    for m in (s.readProcessStdoutLog, s.readProcessLog):
        assert m('talk', 0, 0) == out
        assert m('talk', 6, 5) == 'world'
        assert m('talk', 6, 0) == out[6:]
        assert m('talk', -6, 0) == 'ready\n'
        assert m('talk', -1000, 0) == out
        assert m('talk', 1000, 0) == ''
        assert fault(m, 'talk', -6, 1) == (3, 'BAD_ARGUMENTS')
        assert fault(m, 'talk', 0, -1) == (3, 'BAD_ARGUMENTS')
        assert fault(m, 'nosuch', 0, 0) == (10, 'BAD_NAME: nosuch')
        assert fault(m, 'nolog', 0, 0) == (20, 'NO_FILE')
        assert fault(m, 'later', 0, 0) == \
            (20, 'NO_FILE: %s' % tm.path('later.out'))
    m = s.readProcessStderrLog
    assert m('talk', 0, 0) == err
    assert m('talk', -5, 0) == err[-5:]
    assert fault(m, 'talk', -6, 1) == (3, 'BAD_ARGUMENTS')
    assert fault(m, 'nosuch', 0, 0) == (10, 'BAD_NAME: nosuch')
    assert fault(m, 'nolog', 0, 0) == (20, 'NO_FILE')
    assert fault(m, 'later', 0, 0) == \
        (20, 'NO_FILE: %s' % tm.path('later.err'))
    assert r.stop() == 0


def test_tail_process_logs(tm, rpc):
    r, p = start(tm, rpc, log_programs(tm))
    s = p.supervisor
    tm.wait_file(tm.path('talk.out'), r'^ready$')
    tm.wait_file(tm.path('talk.err'), r'^err-text$')
    out = open(tm.path('talk.out')).read()
    size = len(out)
    assert size == 18
    for m in (s.tailProcessStdoutLog, s.tailProcessLog):
        assert m('talk', 0, 100) == [out, size, False]
        # size > offset + length: overflow, the last length bytes.
        assert m('talk', 0, 5) == [out[-5:], size, True]
        assert m('talk', 4, 10) == [out[size - 10:], size, True]
        # offset + length > size: the window slides back (observed rule).
        assert m('talk', 10, 10) == [out[size - 10:], size, False]
        assert m('talk', 4, 14) == [out[4:], size, False]
        # offset past the end: nothing.
        assert m('talk', 100, 5) == ['', size, False]
        assert m('talk', size, 5) == ['', size, False]
        assert m('talk', 0, 0) == ['', size, True]
        assert m('nolog', 0, 100) == ['', 0, False]
        assert m('later', 0, 100) == ['', 0, False]
        assert fault(m, 'nosuch', 0, 10) == (10, 'BAD_NAME: nosuch')
    err = open(tm.path('talk.err')).read()
    m = s.tailProcessStderrLog
    assert m('talk', 0, 100) == [err, len(err), False]
    assert m('talk', 0, 3) == [err[-3:], len(err), True]
    assert m('nolog', 0, 100) == ['', 0, False]
    assert fault(m, 'nosuch', 0, 10) == (10, 'BAD_NAME: nosuch')
    assert r.stop() == 0


def test_clear_process_logs(tm, rpc):
    progs = log_programs(tm)
    progs['two'] = sleeper(tm, '-O', 'two', stdout_logfile=tm.path('two.out'))
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    tm.wait_file(tm.path('talk.out'), r'^ready$')
    tm.wait_file(tm.path('talk.err'), r'^err-text$')
    tm.wait_file(tm.path('two.out'), r'^ready$')
    assert fault(s.clearProcessLogs, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.clearProcessLog, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert s.clearProcessLogs('talk') is True
    assert os.path.getsize(tm.path('talk.out')) == 0
    assert os.path.getsize(tm.path('talk.err')) == 0
    assert s.readProcessStdoutLog('talk', 0, 0) == ''
    assert s.tailProcessStdoutLog('talk', 0, 10) == ['', 0, False]
    assert s.clearProcessLog('two') is True
    assert os.path.getsize(tm.path('two.out')) == 0
    assert s.clearProcessLogs('nolog') is True

    res = s.clearAllProcessLogs()
    assert by_name(res) == [ok('later'), ok('nolog'), ok('talk'), ok('two')]
    assert r.stop() == 0


def test_clear_log_of_stopped_process(tm, rpc):
    # Spec 13: clear must act on a stopped process too (6.3 defect).
    r, p = start(tm, rpc, {'talk': sleeper(
        tm, '-O', 'hello', stdout_logfile=tm.path('talk.out'))})
    s = p.supervisor
    tm.wait_file(tm.path('talk.out'), r'^ready$')
    assert s.stopProcess('talk') is True
    assert os.path.getsize(tm.path('talk.out')) > 0
    assert s.clearProcessLogs('talk') is True
    assert not os.path.exists(tm.path('talk.out')) or \
        os.path.getsize(tm.path('talk.out')) == 0
    assert r.stop() == 0


# ---------------------------------------------------------------- stdin

def test_send_process_stdin(tm, rpc):
    progs = {'cat': tm.program('/bin/cat', stdout_logfile=tm.path('cat.out')),
             'idle': tm.program('/bin/cat', autostart=False)}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    wait_state(p, 'cat', 'RUNNING')
    assert s.sendProcessStdin('cat', 'hello\n') is True
    tm.wait_file(tm.path('cat.out'), r'^hello$')
    assert s.sendProcessStdin('cat', 'h\u00e9llo \u20ac\n') is True
    m = tm.wait_file(tm.path('cat.out'), r'^h.llo .*$')
    assert m.group(0) == 'h\u00e9llo \u20ac'
    with open(tm.path('cat.out'), 'rb') as f:
        assert 'h\u00e9llo \u20ac\n'.encode() in f.read()
    big = ''.join('line %05d\n' % i for i in range(20000))
    assert s.sendProcessStdin('cat', big) is True
    tm.wait_file(tm.path('cat.out'), r'^line 19999$')
    assert open(tm.path('cat.out')).read() == \
        'hello\nh\u00e9llo \u20ac\n' + big

    assert fault(s.sendProcessStdin, 'nosuch', 'x') == \
        (10, 'BAD_NAME: nosuch')
    assert fault(s.sendProcessStdin, 'idle', 'x') == (70, 'NOT_RUNNING: idle')
    assert fault(s.sendProcessStdin, 'cat')[0] == 2
    assert fault(s.sendProcessStdin, 'cat', 5) == \
        (2, 'INCORRECT_PARAMETERS: 5')
    assert r.stop() == 0


def test_send_remote_comm_event(tm, rpc):
    r, p = start(tm, rpc, {})
    assert p.supervisor.sendRemoteCommEvent('mytype', 'some data') is True
    assert p.supervisor.sendRemoteCommEvent('', '') is True
    assert r.stop() == 0


# ---------------------------------------------------------------- system.*

def test_system_introspection(tm, rpc):
    r, p = start(tm, rpc, {})
    methods = p.system.listMethods()
    assert methods == sorted(methods)
    assert ours(methods) == sorted(ALL_METHODS)
    for name in ALL_METHODS:
        h = p.system.methodHelp(name)
        assert isinstance(h, str) and h, name
        assert p.system.methodSignature(name) == SIGNATURES[name], name
    for bad in ('supervisor.nosuch', 'nosuch', 'a.b.c', 'system.nosuch'):
        assert fault(p.system.methodHelp, bad) == \
            (4, 'SIGNATURE_UNSUPPORTED'), bad
        assert fault(p.system.methodSignature, bad) == \
            (4, 'SIGNATURE_UNSUPPORTED'), bad
    assert fault(p.system.methodHelp)[0] == 2
    assert fault(p.system.methodSignature, 'a', 'b')[0] == 2
    assert r.stop() == 0


def test_multicall(tm, rpc):
    r, p = start(tm, rpc, {'slow': sleeper(tm, autostart=False,
                                            startsecs=1)})
    res = p.system.multicall([
        {'methodName': 'supervisor.getAPIVersion', 'params': []},
        {'methodName': 'supervisor.getState'},
        {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']},
        {'methodName': 'supervisor.startProcess', 'params': ['slow']},
        {'methodName': 'supervisor.getProcessInfo', 'params': ['slow']},
        {'methodName': 'system.multicall', 'params': [[]]},
        {'params': []},
        {'methodName': 'supervisor.nosuch', 'params': []},
        {'methodName': 'supervisor.getState', 'params': [1]},
        {'methodName': 'system.listMethods', 'params': []},
    ])
    assert len(res) == 10
    assert res[0] == '3.0'
    assert res[1] == {'statecode': 1, 'statename': 'RUNNING'}
    assert res[2] == {'faultCode': 10, 'faultString': 'BAD_NAME: nosuch'}
    assert res[3] is True
    assert res[4]['statename'] == 'RUNNING'
    assert res[5] == {'faultCode': 2, 'faultString':
                      'INCORRECT_PARAMETERS: Recursive system.multicall '
                      'forbidden'}
    assert res[6] == {'faultCode': 2,
                      'faultString': 'INCORRECT_PARAMETERS: No methodName'}
    assert res[7] == {'faultCode': 1, 'faultString': 'UNKNOWN_METHOD'}
    assert res[8]['faultCode'] == 2
    assert ours(res[9]) == sorted(ALL_METHODS)
    assert p.system.multicall([]) == []
    assert fault(p.system.multicall)[0] == 2
    assert r.stop() == 0


def test_unknown_methods_and_bad_parameters(tm, rpc):
    r, p = start(tm, rpc, {'a': sleeper(tm)})
    s = p.supervisor
    for name in ('supervisor.nosuch', 'a.b.c', 'nodots', 'nosuch.getState',
                 'supervisor._update', 'system.nosuch', 'supervisor.'):
        assert fault(getattr(p, name)) == (1, 'UNKNOWN_METHOD'), name
    # Wrong argument counts and types.
    calls = [(s.getState, (1,)), (s.getPID, ('x',)),
             (s.getProcessInfo, ()), (s.getProcessInfo, ('a', 'b')),
             (s.startProcess, ()), (s.startProcess, ('a', True, 1)),
             (s.readLog, (0,)), (s.readLog, ('x', 'y')),
             (s.tailProcessStdoutLog, ('a', 0)),
             (s.signalProcess, ('a',)), (s.sendRemoteCommEvent, ('x',)),
             (s.addProcessGroup, ()), (s.reloadConfig, (1,)),
             (s.getAllProcessInfo, (1,)), (s.clearLog, (1,))]
    for fn, args in calls:
        code, text = fault(fn, *args)
        assert code == 2 and text.startswith('INCORRECT_PARAMETERS'), \
            (fn._Method__name, args, code, text)
    # The daemon is still fine.
    assert s.getState()['statename'] == 'RUNNING'
    assert r.stop() == 0


# ---------------------------------------------------------------- restart

def test_restart_applies_changes_and_keeps_pid(tm, rpc):
    progs = {'keep': sleeper(tm), 'gone': sleeper(tm),
             'chg': sleeper(tm)}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    pids = {n: wait_state(p, n, 'RUNNING')['pid'] for n in progs}
    dpid = s.getPID()
    r.write_config({'keep': progs['keep'], 'chg': sleeper(tm, '-O', 'new'),
                    'new': sleeper(tm)})
    assert s.restart() is True

    def settled():
        try:
            names = {i['name']: i for i in s.getAllProcessInfo()}
        except (xmlrpc.client.Fault, OSError):
            return False
        if sorted(names) != ['chg', 'keep', 'new']:
            return False
        return all(i['statename'] == 'RUNNING' for i in names.values())
    wait_until(settled, msg='the restart to apply the new config')
    assert r.daemon.alive()
    assert s.getPID() == dpid
    assert s.getState() == {'statecode': 1, 'statename': 'RUNNING'}
    assert s.getProcessInfo('keep')['pid'] == pids['keep']
    assert s.getProcessInfo('chg')['pid'] != pids['chg']
    assert r.stop() == 0


# ---------------------------------------------------------------- shutdown

def test_shutdown(tm, rpc):
    r, p = start(tm, rpc, {'a': sleeper(tm)})
    wait_state(p, 'a', 'RUNNING')
    assert p.supervisor.shutdown() is True
    assert r.daemon.wait_exit() == 0
    r.daemon.check_sanitizers()


def test_shutdown_state(tm, rpc):
    # Ignores SIGTERM: the shutdown lasts stopwaitsecs.
    progs = {'stubborn': sleeper(tm, '-t', stopwaitsecs=4)}
    r, p = start(tm, rpc, progs)
    s = p.supervisor
    wait_state(p, 'stubborn', 'RUNNING')
    t0 = time.monotonic()
    assert s.shutdown() is True

    def refused():
        try:
            s.getState()
        except xmlrpc.client.Fault as e:
            return (e.faultCode, e.faultString)
        return None
    assert wait_until(refused, timeout=3) == (6, 'SHUTDOWN_STATE')
    assert time.monotonic() - t0 < 3.5, 'too late to observe'
    assert fault(s.getPID) == (6, 'SHUTDOWN_STATE')
    assert fault(s.getProcessInfo, 'stubborn') == (6, 'SHUTDOWN_STATE')
    assert fault(s.startProcess, 'stubborn') == (6, 'SHUTDOWN_STATE')
    assert fault(s.shutdown) == (6, 'SHUTDOWN_STATE')
    assert fault(s.restart) == (6, 'SHUTDOWN_STATE')
    assert ours(p.system.listMethods()) == sorted(ALL_METHODS)
    assert s.sendRemoteCommEvent('t', 'd') is True
    assert r.daemon.wait_exit(T + 5) == 0
    assert time.monotonic() - t0 >= 3.5
    r.daemon.check_sanitizers()
