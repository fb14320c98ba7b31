# SPDX-License-Identifier: ISC
"""supervisord's INI dialect and expansions, seen through what the
programs actually receive: CRLF, continuation lines, inline comments, key
case, ':' delimiter, [DEFAULT], merged sections, [include] globs,
%(ENV_X)s, %(program_name)s, %(process_num)02d, %(here)s, %% and
[group:x]."""

import os
import re


def out_log(tm, name):
    return tm.path(name + '.out')


def test_crlf_line_ends(tm):
    text = tm.config_text({'crlf': {
        'command': tm.cmdline('sleeper', '-a', 'word'),
        'startsecs': 0,
        'stdout_logfile': out_log(tm, 'crlf')}})
    tm.conf.write_bytes(text.replace('\n', '\r\n').encode())
    sh = tm.start()
    sh.wait_state('crlf', 'RUNNING')
    tm.wait_file(out_log(tm, 'crlf'), r'^ready$')
    data = open(out_log(tm, 'crlf'), 'rb').read()
    assert b'\r' not in data
    assert b'argv[2]=word\n' in data


def test_continuation_lines_and_comments(tm):
    sleeper = tm.prog('sleeper')
    body = '\n'.join([
        'command = %s -a' % sleeper,
        '    first',
        '; a full-line comment between continuation lines',
        '    second',
        '    a;b',
        '    c#d ; inline comment',
        '    last #another',
        'startsecs = 0 ; inline comment after a number',
        'stdout_logfile = %s' % out_log(tm, 'cont'),
    ])
    tm.write_config({'cont': body})
    sh = tm.start()
    sh.wait_state('cont', 'RUNNING')
    tm.wait_file(out_log(tm, 'cont'), r'^ready$')
    args = [l.split('=', 1)[1] for l in
            open(out_log(tm, 'cont')).read().split('\n')
            if l.startswith('argv[')]
    assert args[1:] == ['-a', 'first', 'second', 'a;b', 'c#d', 'last']


def test_key_case_colon_delimiter_and_default_section(tm):
    body = '\n'.join([
        'Command: %s -O cased' % tm.prog('sleeper'),
        'STARTSECS = 0',
        'stdout_logfile: %s' % out_log(tm, 'cased'),
    ])
    extra = '[DEFAULT]\nautostart = false\n'
    tm.write_config({'cased': body,
                     'other': tm.program(tm.cmdline('sleeper'))}, extra=extra)
    sh = tm.start()
    st = sh.status()
    # [DEFAULT] applies to every section: nothing started by itself.
    assert st['cased'][0] == 'STOPPED' and st['other'][0] == 'STOPPED', st
    assert sh.lines('start cased') == ['cased: started']
    tm.wait_file(out_log(tm, 'cased'), r'^cased$')


def test_duplicate_sections_merge(tm):
    sleeper = tm.prog('sleeper')
    extra = '\n'.join([
        '[program:dup]',
        'command = %s -O first' % sleeper,
        'stdout_logfile = %s' % out_log(tm, 'dup'),
        'startsecs = 0',
        '',
        '[program:dup]',
        'command = %s -O second' % sleeper,
    ])
    tm.write_config(extra=extra)
    sh = tm.start()
    sh.wait_state('dup', 'RUNNING')
    tm.wait_file(out_log(tm, 'dup'), r'^ready$')
    assert open(out_log(tm, 'dup')).read() == 'second\nready\n'


def test_include_globs_relative_to_config_dir(tm):
    confdir = tm.dir / 'etc'
    (confdir / 'conf.d').mkdir(parents=True)
    (confdir / 'more').mkdir()
    sleeper = tm.prog('sleeper')
    for d, f, name in (('conf.d', 'b.conf', 'inc_b'),
                       ('conf.d', 'a.conf', 'inc_a'),
                       ('more', 'x.ini', 'inc_x'),
                       ('conf.d', 'c.txt', 'not_included')):
        (confdir / d / f).write_text('[program:%s]\ncommand = %s\n'
                                     'startsecs = 0\n' % (name, sleeper))
    conf = tm.write_config(
        {'main': tm.program(tm.cmdline('sleeper'))},
        extra='[include]\nfiles = conf.d/*.conf more/?.ini nothing/*.conf\n',
        path=confdir / 'tm.conf')
    # Started from another directory: the patterns are relative to the
    # directory of the config file.
    elsewhere = tm.dir / 'elsewhere'
    elsewhere.mkdir()
    sh = tm.start(conf=conf, cwd=elsewhere)
    for name in ('main', 'inc_a', 'inc_b', 'inc_x'):
        sh.wait_state(name, 'RUNNING')
    assert 'not_included' not in sh.status()
    for f in ('conf.d/a.conf', 'conf.d/b.conf', 'more/x.ini'):
        tm.wait_log(r'^Included extra file "%s" during parsing$'
                    % re.escape(str(confdir / f)))
    tm.wait_log(r'^No file matches via include "%s"$'
                % re.escape(str(confdir / 'nothing' / '*.conf')))


def test_include_sees_main_file_sections(tm):
    """An included file may add a program to a group of the main file and
    override keys of a main-file program (later file wins)."""
    confdir = tm.dir / 'conf.d'
    confdir.mkdir()
    (confdir / 'o.conf').write_text(
        '[program:over]\ncommand = %s -O overridden\n'
        % tm.prog('sleeper'))
    tm.write_config({'over': tm.program(tm.cmdline('sleeper', '-O', 'orig'),
                                        stdout_logfile=out_log(tm, 'over'))},
                    extra='[include]\nfiles = %s/*.conf\n' % confdir)
    sh = tm.start()
    sh.wait_state('over', 'RUNNING')
    tm.wait_file(out_log(tm, 'over'), r'^ready$')
    assert open(out_log(tm, 'over')).read().startswith('overridden\n')


def test_env_expansion_in_numprocs_and_autostart(tm):
    tm.write_config({
        'w': tm.program(tm.cmdline('sleeper'),
                        numprocs='%(ENV_TM_NPROCS)s',
                        process_name='%(program_name)s_%(process_num)02d'),
        'manual': tm.program(tm.cmdline('sleeper'),
                             autostart='%(ENV_TM_AUTO)s'),
    })
    sh = tm.start(env={'TM_NPROCS': '3', 'TM_AUTO': 'false'})
    for n in ('w:w_00', 'w:w_01', 'w:w_02'):
        sh.wait_state(n, 'RUNNING')
    st = sh.status()
    assert 'w:w_03' not in st
    assert st['manual'] == ('STOPPED', 'Not started'), st


def test_process_num_and_program_name_expansions(tm):
    tm.write_config({'num': tm.program(
        tm.cmdline('sleeper', '-O', 'n=%(process_num)02d/%(program_name)s'
                   '/%(numprocs)d/%(group_name)s'),
        numprocs=2, numprocs_start=7,
        process_name='%(program_name)s-%(process_num)03d',
        stdout_logfile='%(here)s/%(program_name)s_%(process_num)d.out')})
    sh = tm.start()
    for n in ('num:num-007', 'num:num-008'):
        sh.wait_state(n, 'RUNNING')
    tm.wait_file(tm.path('num_7.out'), r'^n=07/num/2/num$')
    tm.wait_file(tm.path('num_8.out'), r'^n=08/num/2/num$')


def test_percent_escape_and_env_in_command(tm):
    tm.write_config({'pct': tm.program(
        tm.cmdline('sleeper', '-O', '100%%-%(ENV_TM_WORD)s'),
        stdout_logfile=out_log(tm, 'pct'))})
    sh = tm.start(env={'TM_WORD': 'hello'})
    sh.wait_state('pct', 'RUNNING')
    tm.wait_file(out_log(tm, 'pct'), r'^100%-hello$')


def test_heterogeneous_group(tm):
    tm.write_config({
        'ga': tm.program(tm.cmdline('sleeper')),
        'gb': tm.program(tm.cmdline('sleeper'), autostart=False),
        'alone': tm.program(tm.cmdline('sleeper')),
    }, extra='[group:grp]\nprograms = ga, gb\npriority = 5\n')
    sh = tm.start()
    sh.wait_state('grp:ga', 'RUNNING')
    st = sh.status()
    assert set(st) == {'grp:ga', 'grp:gb', 'alone'}, st
    assert st['grp:gb'][0] == 'STOPPED'
    # Members are addressed as group:name only.
    assert sh.lines('status ga') == ['ga: ERROR (no such process)']
    assert sh.lines('start grp:*') == ['grp:gb: started']
    out = sh.lines('stop grp:*')
    assert sorted(out) == ['grp:ga: stopped', 'grp:gb: stopped'], out
    env = dict(l.split('=', 1) for l in open(
        '/proc/%d/environ' % sh.pid_of('alone')).read().split('\0') if l)
    assert env['SUPERVISOR_GROUP_NAME'] == 'alone'


def test_here_is_config_directory(tm):
    confdir = tm.dir / 'cfg'
    confdir.mkdir()
    conf = tm.write_config({'h': tm.program(
        tm.cmdline('sleeper', '-d'), directory='%(here)s',
        stdout_logfile='%(here)s/h.out')}, path=confdir / 'x.conf')
    sh = tm.start(conf=conf)
    sh.wait_state('h', 'RUNNING')
    tm.wait_file(confdir / 'h.out', r'^cwd=%s$' % os.path.realpath(confdir))


def test_env_expansion_sees_environment_keys(tm):
    """Keys of [supervisord] environment= and of the program's own
    environment= can be expanded in command=."""
    tm.write_config({'ee': tm.program(
        tm.cmdline('sleeper', '-O', '%(ENV_TM_SD)s+%(ENV_TM_OWN)s'),
        environment='TM_OWN=mine', stdout_logfile=out_log(tm, 'ee'))},
        supervisord={'environment': 'TM_SD=fromsd'})
    sh = tm.start()
    sh.wait_state('ee', 'RUNNING')
    tm.wait_file(out_log(tm, 'ee'), r'^fromsd\+mine$')
