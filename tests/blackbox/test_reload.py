# SPDX-License-Identifier: ISC
"""Applying config changes (spec 8.2, 8.3, 13.1): SIGHUP, reread, update,
update <groups> and reload keep unchanged programs running with the same
pid and logs, restart changed ones, stop removed ones and start added
autostart ones; a broken config changes nothing."""

import os
import signal

from conftest import alive


def before(tm):
    return {
        'keep': tm.program(tm.cmdline('sleeper', '-O', 'keep')),
        'idle': tm.program(tm.cmdline('sleeper')),
        'change': tm.program(tm.cmdline('sleeper', '-O', 'v1'),
                             stdout_logfile=tm.path('change.out')),
        'drop': tm.program(tm.cmdline('sleeper')),
    }


def after(tm):
    progs = before(tm)
    progs['change'] = tm.program(tm.cmdline('sleeper', '-O', 'v2'),
                                 stdout_logfile=tm.path('change.out'))
    del progs['drop']
    progs['add'] = tm.program(tm.cmdline('sleeper'))
    progs['addoff'] = tm.program(tm.cmdline('sleeper'), autostart=False)
    return progs


def started(tm):
    """Starts on before(), stops idle by hand; returns (session, pids)."""
    tm.write_config(before(tm))
    sh = tm.start()
    pids = {}
    for n in ('keep', 'idle', 'change', 'drop'):
        sh.wait_state(n, 'RUNNING')
        pids[n] = sh.pid_of(n)
    assert sh.lines('stop idle') == ['idle: stopped']
    tm.wait_file(tm.path('change.out'), r'^ready$')
    return sh, pids


def check_applied(tm, sh, pids):
    sh.wait_state('add', 'RUNNING')
    st = sh.wait_state('change', 'RUNNING')
    assert sh.pid_of('change') != pids['change']
    assert not alive(pids['change'])
    assert sh.pid_of('keep') == pids['keep']
    st = sh.status()
    assert 'drop' not in st, st
    assert not alive(pids['drop'])
    assert st['idle'][0] == 'STOPPED', st
    assert st['addoff'] == ('STOPPED', 'Not started'), st
    assert set(st) == {'keep', 'idle', 'change', 'add', 'addoff'}, st
    assert sh.lines('status drop') == ['drop: ERROR (no such process)']
    tm.wait_file(tm.path('change.out'), r'^v2$')
    # The AUTO log of the unchanged program is the same file, still there.
    assert sh.lines('tail keep') == ['keep', 'ready']


def test_sighup_applies_only_the_difference(tm):
    sh, pids = started(tm)
    auto = sorted(os.listdir(tm.childlogdir))
    tm.write_config(after(tm))
    sh.kill(signal.SIGHUP)
    check_applied(tm, sh, pids)
    keep_logs = [n for n in auto if n.startswith('keep-')]
    assert keep_logs and all(n in os.listdir(tm.childlogdir)
                             for n in keep_logs)


def test_reread_then_update(tm):
    sh, pids = started(tm)
    tm.write_config(after(tm))
    assert sh.lines('reread') == ['add: available', 'addoff: available',
                                  'change: changed', 'drop: disappeared']
    # reread changes nothing by itself ...
    assert sh.pid_of('drop') == pids['drop']
    assert sh.pid_of('change') == pids['change']
    assert 'add' not in sh.status()
    avail = {l.split()[0]: l.split()[1:] for l in sh.lines('avail')}
    assert avail['add'][:1] == ['avail'] and avail['keep'][:2] == ['in', 'use']
    assert 'drop' not in avail
    # ... update does.
    assert sh.lines('update') == [
        'drop: stopped', 'drop: removed process group',
        'change: stopped', 'change: updated process group',
        'add: added process group', 'addoff: added process group']
    check_applied(tm, sh, pids)
    assert sh.lines('reread') == ['No config updates to processes']
    assert sh.lines('update') == []


def test_update_named_groups(tm):
    sh, pids = started(tm)
    tm.write_config(after(tm))
    assert sh.lines('update change') == ['change: stopped',
                                         'change: updated process group']
    sh.wait_state('change', 'RUNNING')
    assert sh.pid_of('change') != pids['change']
    assert sh.pid_of('drop') == pids['drop']
    assert 'add' not in sh.status()
    assert sh.lines('update nosuch') == ['ERROR: no such group: nosuch']
    assert sh.lines('update drop add') == [
        'drop: stopped', 'drop: removed process group',
        'add: added process group']
    sh.wait_state('add', 'RUNNING')
    assert 'addoff' not in sh.status()
    assert sh.lines('update all') == ['addoff: added process group']
    assert sh.status()['addoff'] == ('STOPPED', 'Not started')


def test_reload_command_applies_like_update(tm):
    sh, pids = started(tm)
    tm.write_config(after(tm))
    sh.cmd_confirm('reload')
    check_applied(tm, sh, pids)


def broken(tm):
    progs = after(tm)
    progs['add'] = tm.program(tm.cmdline('sleeper'), autorestart='maybe')
    return tm.write_config(progs)


def check_unchanged(tm, sh, pids):
    st = sh.status()
    assert set(st) == {'keep', 'idle', 'change', 'drop'}, st
    for n in ('keep', 'change', 'drop'):
        assert sh.pid_of(n) == pids[n]
    assert st['idle'][0] == 'STOPPED'


def test_sighup_with_broken_config_keeps_running(tm):
    sh, pids = started(tm)
    broken(tm)
    mark = tm.log_mark()
    sh.kill(signal.SIGHUP)
    (_, lvl, _), = tm.wait_log(r"maybe", since=mark)[:1]
    assert lvl in ('WARN', 'ERRO', 'CRIT'), lvl
    check_unchanged(tm, sh, pids)
    # Fixed, the next SIGHUP applies it.
    tm.write_config(after(tm))
    sh.kill(signal.SIGHUP)
    check_applied(tm, sh, pids)


def test_reread_update_reload_with_broken_config(tm):
    sh, pids = started(tm)
    broken(tm)
    out = sh.lines('reread')
    assert len(out) == 1 and out[0].startswith('ERROR: CANT_REREAD: '), out
    assert 'maybe' in out[0]
    out = sh.lines('update')
    assert out and 'maybe' in '\n'.join(out), out
    sh.cmd_confirm('reload')
    assert sh.alive()
    check_unchanged(tm, sh, pids)


def test_removed_program_ignoring_sigterm_is_killed(tm):
    tm.write_config({'stub': tm.program(tm.cmdline('sleeper', '-t')),
                     'x': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('stub', 'RUNNING')
    pid = sh.pid_of('stub')
    tm.write_config({'x': tm.program(tm.cmdline('sleeper'))})
    assert sh.lines('update') == ['stub: stopped',
                                  'stub: removed process group']
    assert not alive(pid)
    tm.wait_log(r"^killing 'stub' \(%d\) with SIGKILL$" % pid)


def test_numprocs_change(tm):
    def conf(n):
        return {'multi': tm.program(tm.cmdline('sleeper'), numprocs=n,
                                    process_name='multi_%(process_num)d')}
    tm.write_config(conf(2))
    sh = tm.start()
    sh.wait_state('multi:multi_1', 'RUNNING')
    tm.write_config(conf(3))
    sh.kill(signal.SIGHUP)
    for i in range(3):
        sh.wait_state('multi:multi_%d' % i, 'RUNNING')
    tm.write_config(conf(1))
    sh.kill(signal.SIGHUP)
    tm.wait_until(lambda: set(sh.status()) == {'multi:multi_0'},
                  msg='multi_1 and multi_2 removed')
    sh.wait_state('multi:multi_0', 'RUNNING')


def test_supervisord_environment_change_restarts_all(tm):
    def conf(v):
        return tm.write_config({
            'e1': tm.program(tm.cmdline('sleeper')),
            'e2': tm.program(tm.cmdline('sleeper'))},
            supervisord={'environment': 'TM_V=%s' % v})
    conf('one')
    sh = tm.start()
    pids = {n: (sh.wait_state(n, 'RUNNING'), sh.pid_of(n))[1]
            for n in ('e1', 'e2')}
    conf('two')
    sh.kill(signal.SIGHUP)
    for n in ('e1', 'e2'):
        tm.wait_until(lambda: sh.state(n) == 'RUNNING' and
                      sh.pid_of(n) != pids[n], msg='%s restarted' % n)
        env = open('/proc/%d/environ' % sh.pid_of(n)).read().split('\0')
        assert 'TM_V=two' in env


def test_unchanged_fatal_and_exited_programs_stay(tm):
    progs = {
        'fat': tm.program('/nonexistent-tm/cmd', startretries=0),
        'ex': tm.program(tm.cmdline('exiter', 0, 0), autorestart=False),
        'bk': tm.program(tm.cmdline('exiter', 0, 1), startsecs=1,
                         startretries=20),
    }
    tm.write_config(progs)
    sh = tm.start()
    sh.wait_state('fat', 'FATAL')
    sh.wait_state('ex', 'EXITED')
    sh.wait_state('bk', 'BACKOFF')
    progs['new'] = tm.program(tm.cmdline('sleeper'))
    del progs['bk']
    tm.write_config(progs)
    mark = tm.log_mark()
    sh.kill(signal.SIGHUP)
    sh.wait_state('new', 'RUNNING')
    st = sh.status()
    assert st['fat'][0] == 'FATAL' and st['ex'][0] == 'EXITED', st
    assert 'bk' not in st
    assert not tm.find_log(r"^spawned: '(fat|ex)'", since=mark)


def test_priority_change_and_group_membership(tm):
    def conf(prio, members):
        return tm.write_config({
            'p': tm.program(tm.cmdline('sleeper'), priority=prio),
            'q': tm.program(tm.cmdline('sleeper')),
            'r': tm.program(tm.cmdline('sleeper')),
        }, extra='[group:g]\nprograms = %s\n' % members)
    conf(100, 'q')
    sh = tm.start()
    for n in ('p', 'g:q', 'r'):
        sh.wait_state(n, 'RUNNING')
    pids = {n: sh.pid_of(n) for n in ('p', 'g:q', 'r')}
    conf(200, 'q,r')
    out = sh.lines('update')
    assert 'p: updated process group' in out, out
    assert 'g: updated process group' in out, out
    assert 'r: removed process group' in out, out
    for n in ('p', 'g:q', 'g:r'):
        sh.wait_state(n, 'RUNNING')
    assert sh.pid_of('p') != pids['p']
    assert not alive(pids['r'])
    assert set(sh.status()) == {'p', 'g:q', 'g:r'}


def test_two_quick_sighups(tm):
    """The last config wins, whatever the timing of two reloads."""
    tm.write_config({'one': tm.program(tm.cmdline('sleeper'))})
    sh = tm.start()
    sh.wait_state('one', 'RUNNING')
    tm.write_config({'two': tm.program(tm.cmdline('sleeper'))})
    sh.kill(signal.SIGHUP)
    tm.write_config({'three': tm.program(tm.cmdline('sleeper')),
                     'one': tm.program(tm.cmdline('sleeper'))})
    sh.kill(signal.SIGHUP)
    tm.wait_until(lambda: set(sh.status()) == {'one', 'three'},
                  msg='config three applied')
    sh.wait_state('three', 'RUNNING')
    sh.wait_state('one', 'RUNNING')
