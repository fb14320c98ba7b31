# SPDX-License-Identifier: ISC
"""Bad configurations are refused before anything runs: one line starting
"Error: " on stderr naming the file, the line and the key/value at fault,
printable (control characters and bytes that are not UTF-8 escaped), exit
status 2, no process spawned, none left behind.  The table CASES is also
replayed on reload by test_reload_errors.py.  Configs that supervisord
accepts although they look wrong (an include matching nothing, a repeated
section or key, includes that include each other) load, with a warning."""

import os
import pwd
import re
import signal

import pytest

from rpcutil import SANITIZER_RE


def _free_uid():
    uid = 2147480000
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


def C(name, sections, bad, words, **opts):
    """One refused config.  sections is appended to a valid config (str, or
    bytes for what is not text); "@SLEEPER@" is the helper program's path,
    "@INC@" a directory of the case's own next to the config.  bad is the
    text of the faulty line (or a tuple of lines, any of which the message
    may name; None: the message names no line), located in the final file
    so that line numbers are never hard-coded; words must all appear in the
    message.  Options: sd (more [supervisord] keys; a repeated key wins),
    prefix (text before [supervisord]), files ({path under the config
    directory: text}), where (the file the message names, default the main
    one), setup (called with the case's directory), no_sd (no
    [supervisord] section at all)."""
    case = dict(opts)
    case.update(id=name, sections=sections, bad=bad, words=words)
    return case


SL = '[program:bad]\ncommand = @SLEEPER@\n'
MB = 1 << 20


def _symlink_nowhere(d):
    os.symlink('/nonexistent-tm-target/x.conf', os.path.join(d, 'gone.conf'))


def _directory_match(d):
    os.mkdir(os.path.join(d, 'dir.conf'))


CASES = [
    # -- INI syntax
    C('syntax', SL + 'this line has no delimiter\n',
      'this line has no delimiter', []),
    C('key-before-first-section', '', 'command = /bin/true', [],
      prefix='command = /bin/true\n'),
    C('header-not-closed', '[program bad\ncommand = @SLEEPER@\n',
      '[program bad', ['program bad']),
    C('empty-section-name', '[]\ncommand = @SLEEPER@\n', '[]', []),
    C('empty-key', SL + '= value\n', '= value', []),
    C('colon-without-key', SL + ': value\n', ': value', []),
    C('no-supervisord-section', SL, None, ['supervisord section'],
      no_sd=True),

    # -- program keys: types and ranges
    C('missing-command', '[program:nocmd]\nautostart = false\n',
      '[program:nocmd]', ['command', 'nocmd']),
    C('autorestart', SL + 'autorestart = maybe\n', 'autorestart = maybe',
      ['autorestart', 'maybe', 'unexpected']),
    C('bad-integer', SL + 'startsecs = abc\n', 'startsecs = abc',
      ['startsecs', 'abc']),
    C('bad-float-integer', SL + 'stopwaitsecs = 1.5\n', 'stopwaitsecs = 1.5',
      ['stopwaitsecs', '1.5']),
    C('bad-numprocs', SL + 'process_name = %(program_name)s_%(process_num)d\n'
      'numprocs = two\n', 'numprocs = two', ['numprocs', 'two']),
    C('numprocs-zero', SL + 'numprocs = 0\n', 'numprocs = 0',
      ['numprocs', '0', 'lower bound']),
    C('numprocs-too-many', SL + 'process_name = p%(process_num)d\n'
      'numprocs = 1000000\nautostart = false\n', 'numprocs = 1000000',
      ['numprocs', '1000000', 'upper bound']),
    C('startsecs-negative', SL + 'startsecs = -1\n', 'startsecs = -1',
      ['startsecs', '-1']),
    C('startretries-negative', SL + 'startretries = -1\n',
      'startretries = -1', ['startretries', '-1']),
    C('stopwaitsecs-negative', SL + 'stopwaitsecs = -5\n',
      'stopwaitsecs = -5', ['stopwaitsecs', '-5']),
    C('bad-priority', SL + 'priority = high\n', 'priority = high',
      ['priority', 'high']),
    C('priority-not-integer', SL + 'priority = 1.5\n', 'priority = 1.5',
      ['priority', '1.5', 'integer']),
    C('umask', SL + 'umask = 089\n', 'umask = 089', ['umask', '089']),
    C('umask-out-of-range', SL + 'umask = 01000\n', 'umask = 01000',
      ['umask', '01000', '0777']),
    C('exitcodes-word', SL + 'exitcodes = 0,x\n', 'exitcodes = 0,x',
      ['exitcodes', '0,x']),
    C('exitcodes-range', SL + 'exitcodes = 0,256\n', 'exitcodes = 0,256',
      ['exitcodes', '256']),
    C('exitcodes-negative', SL + 'exitcodes = -1\n', 'exitcodes = -1',
      ['exitcodes', '-1']),
    C('stopasgroup-without-killasgroup', SL + 'stopasgroup = true\n'
      'killasgroup = false\n', ('stopasgroup = true', 'killasgroup = false'),
      ['stopasgroup', 'killasgroup']),
    C('environment', SL + 'environment = A=foo@bar\n',
      'environment = A=foo@bar', ['environment']),

    # -- signals
    C('signal-name', SL + 'stopsignal = FOO\n', 'stopsignal = FOO',
      ['stopsignal', 'FOO']),
    C('signal-sig-prefix', SL + 'stopsignal = SIGFOO\n',
      'stopsignal = SIGFOO', ['stopsignal', 'SIGFOO']),
    C('signal-number', SL + 'stopsignal = 40\n', 'stopsignal = 40',
      ['stopsignal', '40']),
    C('signal-negative', SL + 'stopsignal = -15\n', 'stopsignal = -15',
      ['stopsignal', '-15']),
    C('signal-empty', SL + 'stopsignal =\n', 'stopsignal =',
      ['stopsignal', "''"]),

    # -- byte sizes
    C('size-decimal', SL + 'stdout_logfile_maxbytes = 1.5MB\n',
      'stdout_logfile_maxbytes = 1.5MB', ['stdout_logfile_maxbytes', '1.5']),
    C('size-suffix', SL + 'stderr_logfile_maxbytes = 10KiB\n',
      'stderr_logfile_maxbytes = 10KiB', ['stderr_logfile_maxbytes',
                                          '10KiB']),
    C('size-unknown-suffix', SL + 'stdout_logfile_maxbytes = 10XB\n',
      'stdout_logfile_maxbytes = 10XB', ['stdout_logfile_maxbytes', '10xb']),
    C('size-negative', SL + 'stdout_logfile_maxbytes = -1MB\n',
      'stdout_logfile_maxbytes = -1MB', ['stdout_logfile_maxbytes',
                                         'lower bound']),
    C('size-overflow', SL + 'stdout_logfile_maxbytes = 99999999999GB\n',
      'stdout_logfile_maxbytes = 99999999999GB',
      ['stdout_logfile_maxbytes', 'upper bound']),
    C('size-empty', SL + 'stdout_logfile_maxbytes =\n',
      'stdout_logfile_maxbytes =', ['stdout_logfile_maxbytes']),
    C('size-main-log', '', 'logfile_maxbytes = 1TB',
      ['logfile_maxbytes', '1tb'], sd={'logfile_maxbytes': '1TB'}),

    # -- booleans
    C('bool', SL + 'autostart = perhaps\n', 'autostart = perhaps',
      ['autostart', 'perhaps']),
    C('bool-number', SL + 'redirect_stderr = 2\n', 'redirect_stderr = 2',
      ['redirect_stderr', '2']),
    C('bool-empty', SL + 'autostart =\n', 'autostart =', ['autostart']),
    C('bool-words', SL + 'autostart = yes please\n',
      'autostart = yes please', ['autostart', 'yes please']),
    C('bool-supervisord', '', 'nodaemon = maybe', ['nodaemon', 'maybe'],
      sd={'nodaemon': 'maybe'}),

    # -- users
    C('unknown-user', SL + 'user = tm_no_such_user_zz\n',
      'user = tm_no_such_user_zz', ['user', 'tm_no_such_user_zz']),
    C('unknown-uid', SL + 'user = %d\n' % _free_uid(),
      'user = %d' % _free_uid(), ['user', str(_free_uid())]),
    C('unknown-user-supervisord', '', 'user = tm_no_such_user_zz',
      ['user', 'tm_no_such_user_zz'], sd={'user': 'tm_no_such_user_zz'}),

    # -- expansions and names
    C('unknown-expansion', '[program:bad]\ncommand = @SLEEPER@ %(nosuchname)s\n',
      'command = @SLEEPER@ %(nosuchname)s', ['command', 'nosuchname']),
    C('unknown-env-expansion', SL + 'numprocs = %(ENV_TM_SURELY_UNSET_VAR)s\n',
      'numprocs = %(ENV_TM_SURELY_UNSET_VAR)s',
      ['numprocs', 'ENV_TM_SURELY_UNSET_VAR']),
    C('badly-formatted-expansion', '[program:bad]\ncommand = date +%Y\n',
      'command = date +%Y', ['command', '%Y']),
    C('process-name-unknown-expansion', SL + 'process_name = %(nosuch)s\n',
      'process_name = %(nosuch)s', ['process_name', 'nosuch']),
    C('process-name-number-format', SL + 'process_name = %(program_name)d\n',
      'process_name = %(program_name)d', ['process_name', 'real number']),
    C('numprocs-without-process-num', '[program:multi]\n'
      'command = @SLEEPER@\nnumprocs = 2\n', ('numprocs = 2',
                                             '[program:multi]'),
      ['process_num']),
    C('process-name-without-process-num', SL + 'process_name = worker\n'
      'numprocs = 3\n', ('numprocs = 3', 'process_name = worker',
                         '[program:bad]'), ['process_num']),
    C('process-name-empty', SL + 'process_name =\n', 'process_name =',
      ['process_name', 'Invalid name']),
    C('process-name-newline', SL + 'process_name = a\n  b\n',
      'process_name = a', ['process_name', r"'a\nb'"]),
    C('invalid-name', '[program:a/b]\ncommand = @SLEEPER@\n',
      '[program:a/b]', ['a/b']),
    C('name-with-colon', '[program:a:b]\ncommand = @SLEEPER@\n',
      '[program:a:b]', ["'a:b'", "':'"]),
    C('name-with-tab', '[program:a\tb]\ncommand = @SLEEPER@\n',
      '[program:a\tb]', [r"'a\tb'"]),
    C('program-without-name', '[program:]\ncommand = @SLEEPER@\n',
      '[program:]', ['Invalid name']),

    # -- groups
    C('group-unknown-program', '[program:a]\ncommand = @SLEEPER@\n'
      'autostart = false\n\n[group:g]\nprograms = a,nosuchprog\n',
      'programs = a,nosuchprog', ['nosuchprog']),
    C('group-lists-a-listener', '[eventlistener:l]\ncommand = @SLEEPER@\n'
      'events = TICK_5\nautostart = false\n[group:g]\nprograms = l\n',
      'programs = l', ['unknown program', 'l']),
    C('group-ambiguous-name', '[program:f]\ncommand = @SLEEPER@\n'
      'autostart = false\n[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = tcp://127.0.0.1:9\nautostart = false\n[group:g]\n'
      'programs = f\n', 'programs = f', ['ambiguous']),
    C('group-bad-priority', '[program:a]\ncommand = @SLEEPER@\n'
      'autostart = false\n[group:g]\nprograms = a\npriority = first\n',
      'priority = first', ['priority', 'first']),
    C('group-named-like-a-program', '[program:a]\ncommand = @SLEEPER@\n'
      'autostart = false\n[program:b]\ncommand = @SLEEPER@\n'
      'autostart = false\n[group:a]\nprograms = b\n', ('[program:a]', '[group:a]',
                                                         'programs = b'),
      ["'a'"]),
    C('group-lists-a-program-twice', '[program:a]\ncommand = @SLEEPER@\n'
      'autostart = false\n[group:g]\nprograms = a,a\n', 'programs = a,a',
      ["'a'", 'twice']),
    C('group-duplicate-process-names', '[program:a]\ncommand = @SLEEPER@\n'
      'process_name = x%(process_num)d\nnumprocs = 2\nautostart = false\n'
      '[program:b]\ncommand = @SLEEPER@\nprocess_name = x%(process_num)d\n'
      'numprocs = 2\nautostart = false\n[group:g]\nprograms = a,b\n',
      'programs = a,b', ["'x0'", 'twice']),
    C('group-bad-name', '[group:a b]\nprograms =\n', '[group:a b]',
      ["'a b'"]),

    # -- [eventlistener:x] and [fcgi-program:x]
    C('listener-without-events', '[eventlistener:l]\ncommand = @SLEEPER@\n',
      '[eventlistener:l]', ['events']),
    C('listener-unknown-event', '[eventlistener:l]\ncommand = @SLEEPER@\n'
      'events = PROCESS_STATE,NO_SUCH_EVENT\n',
      'events = PROCESS_STATE,NO_SUCH_EVENT', ['NO_SUCH_EVENT']),
    C('listener-buffer-size', '[eventlistener:l]\ncommand = @SLEEPER@\n'
      'events = TICK_5\nbuffer_size = 0\n', 'buffer_size = 0',
      ['buffer_size', '0']),
    C('listener-redirect-stderr', '[eventlistener:l]\ncommand = @SLEEPER@\n'
      'events = TICK_5\nredirect_stderr = true\n', 'redirect_stderr = true',
      ['redirect_stderr']),
    C('listener-result-handler', '[eventlistener:l]\ncommand = @SLEEPER@\n'
      'events = TICK_5\nresult_handler = mod:func\n',
      'result_handler = mod:func', ['mod:func']),
    C('fcgi-without-socket', '[fcgi-program:f]\ncommand = @SLEEPER@\n',
      '[fcgi-program:f]', ['socket']),
    C('fcgi-bad-socket', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = ftp://host\n', 'socket = ftp://host', ['ftp://host']),
    C('fcgi-relative-unix-socket', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = unix://rel/sock\n', 'socket = unix://rel/sock',
      ['rel/sock', 'absolute']),
    C('fcgi-tcp-without-port', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = tcp://127.0.0.1\n', 'socket = tcp://127.0.0.1',
      ['tcp://127.0.0.1']),
    C('fcgi-backlog', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = tcp://127.0.0.1:9\nsocket_backlog = 0\n',
      'socket_backlog = 0', ['socket_backlog', '0']),
    C('fcgi-owner', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = unix:///tmp/tm-none.sock\nsocket_owner = tm_no_such_user_zz\n',
      'socket_owner = tm_no_such_user_zz', ['socket_owner']),
    C('fcgi-mode', '[fcgi-program:f]\ncommand = @SLEEPER@\n'
      'socket = unix:///tmp/tm-none.sock\nsocket_mode = rw\n',
      'socket_mode = rw', ['socket_mode', 'rw']),

    # -- servers and plugins (own section names: the XML-RPC tests already
    # have an [inet_http_server] and an [rpcinterface:supervisor])
    C('inet-port-word', '[inet_http_server_x]\nport = abc\n', 'port = abc',
      ['port', 'abc']),
    C('inet-port-too-big', '[inet_http_server_x]\nport = 127.0.0.1:99999\n',
      'port = 127.0.0.1:99999', ['port', '99999', '65535']),
    C('inet-port-zero', '[inet_http_server_x]\nport = 0\n', 'port = 0',
      ['port', "'0'"]),
    C('inet-without-port', '[inet_http_server_x]\nusername = u\n'
      'password = p\n', '[inet_http_server_x]', ['no port']),
    C('inet-half-credentials', '[inet_http_server_x]\nport = 127.0.0.1:1\n'
      'username = u\n', 'username = u', ['incomplete authentication']),
    C('unix-without-file', '[unix_http_server_x]\nchmod = 0700\n',
      '[unix_http_server_x]', ['no file']),
    C('unix-chmod', '[unix_http_server_x]\nfile = /tmp/tm-none.sock\n'
      'chmod = 999\n', 'chmod = 999', ['chmod', '999']),
    C('unix-chown', '[unix_http_server_x]\nfile = /tmp/tm-none.sock\n'
      'chown = tm_no_such_user_zz\n', 'chown = tm_no_such_user_zz',
      ['chown', 'tm_no_such_user_zz']),
    C('rpcinterface-without-factory', '[rpcinterface:other]\nx = 1\n',
      '[rpcinterface:other]', ['rpcinterface_factory']),

    # -- [supervisord]
    C('loglevel-warning', '', 'loglevel = warning', ['loglevel', 'warning'],
      sd={'loglevel': 'warning'}),
    C('childlogdir', '', 'childlogdir = /nonexistent-tm-dir',
      ['childlogdir', '/nonexistent-tm-dir'],
      sd={'childlogdir': '/nonexistent-tm-dir'}),
    C('logfile-directory', SL + 'stdout_logfile = /nonexistent-tm-dir/x.log\n',
      'stdout_logfile = /nonexistent-tm-dir/x.log',
      ['stdout_logfile', '/nonexistent-tm-dir']),
    C('minfds', '', 'minfds = lots', ['minfds', 'lots'],
      sd={'minfds': 'lots'}),
    C('supervisord-environment', '', 'environment = A', ['environment'],
      sd={'environment': 'A'}),

    # -- [include]
    C('include-without-files', '[include]\nnofiles = here\n', '[include]',
      ['files']),
    C('include-unknown-expansion', '[include]\nfiles = %(nope)s/*.conf\n',
      'files = %(nope)s/*.conf', ['nope']),
    C('include-syntax-error', '[include]\nfiles = @INC@/*.conf\n',
      'not a key line', [], where='@INC@/broken.conf',
      files={'@INC@/good.conf': '[program:inc_ok]\ncommand = @SLEEPER@\n',
             '@INC@/broken.conf': '[program:inc_bad]\ncommand = @SLEEPER@\n'
                                  'not a key line\n'}),
    C('include-bad-value', '[include]\nfiles = @INC@/*.conf\n',
      'startretries = lots', ['startretries', 'lots'], where='@INC@/x.conf',
      files={'@INC@/x.conf': '[program:x]\ncommand = @SLEEPER@\n'
                             'startretries = lots\n'}),
    C('include-a-directory', '[include]\nfiles = @INC@/*.conf\n', None,
      ['dir.conf'], where='@INC@/dir.conf', setup=_directory_match),
    C('include-broken-symlink', '[include]\nfiles = @INC@/*.conf\n', None,
      ['gone.conf'], where='@INC@/gone.conf', setup=_symlink_nowhere),

    # -- huge values
    C('huge-line', SL + 'autorestart = ' + 'x' * MB + '\n',
      'autorestart = ' + 'x' * MB, ['autorestart', 'unexpected']),
    C('huge-number', SL + 'startsecs = ' + '9' * 400 + '\n',
      'startsecs = ' + '9' * 400, ['startsecs', 'upper bound']),
    C('huge-size', SL + 'stdout_logfile_maxbytes = ' + '7' * 400 + 'MB\n',
      'stdout_logfile_maxbytes = ' + '7' * 400 + 'MB',
      ['stdout_logfile_maxbytes', 'upper bound']),
    C('huge-expansion-name', SL + 'directory = %(' + 'n' * 100000 + ')s\n',
      'directory = %(' + 'n' * 100000 + ')s', ['directory', 'nnnnnnnn']),

    # -- binary garbage
    C('nul-byte', SL.encode() + b'autostart = tr\0ue\n',
      b'autostart = tr\0ue', ['NUL']),
    C('nul-in-header', b'[program:a\0b]\ncommand = @SLEEPER@\n',
      b'[program:a\0b]', ['NUL']),
    C('invalid-utf8-value', SL.encode() + b'environment = A="\xff\xfe"\n',
      b'environment = A="\xff\xfe"', ['utf-8', '0xff', 'environment']),
    C('invalid-utf8-section', b'[program:\xc3(]\ncommand = @SLEEPER@\n',
      b'[program:\xc3(]', ['utf-8', '0xc3']),
    C('utf8-surrogate', SL.encode() + b'directory = /tmp/\xed\xa0\x80\n',
      b'directory = /tmp/\xed\xa0\x80', ['utf-8', '0xed', 'directory']),
    C('utf8-overlong', SL.encode() + b'user = \xc0\xaf\n',
      b'user = \xc0\xaf', ['utf-8', '0xc0', 'user']),
    C('invalid-utf8-included', '[include]\nfiles = @INC@/*.conf\n',
      b'command = /bin/sleep \xff', ['utf-8', '0xff'], where='@INC@/bin.conf',
      files={'@INC@/bin.conf': b'[program:bin]\n'
                               b'command = /bin/sleep \xff\n'}),
    C('control-characters', SL + 'user = \x1b[2J\x07\n', 'user = \x1b[2J\x07',
      ['user', r'\x1b[2J\x07']),
]


def _ok_section(tm):
    """A valid autostart program placed before the fault: it must never
    run, since the whole file is checked before anything starts."""
    return ('[program:ok]\ncommand = %s\n'
            % tm.cmdline('sleeper', '-w', tm.path('ok.pid')))


def _b(s):
    return s if isinstance(s, bytes) else s.encode()


def _fill(tm, text, inc):
    return _b(text).replace(b'@SLEEPER@', tm.prog('sleeper').encode()) \
        .replace(b'@INC@', inc.encode())


def _line_of(data, needle):
    needle = _b(needle).strip()
    for i, line in enumerate(data.split(b'\n'), 1):
        if line.strip() == needle:
            return i
    raise AssertionError('%r not in config' % needle[:100])


def build(tm, case, head='', inc=None):
    """Writes the case's config (a valid config, then head, then the
    faulty sections) and its other files; returns (path of the file the
    message must name, line numbers it may give)."""
    inc = inc or 'inc-' + case['id']
    d = tm.dir / inc
    d.mkdir(exist_ok=True)
    if case.get('setup'):
        case['setup'](str(d))
    for rel, body in case.get('files', {}).items():
        path = tm.dir / rel.replace('@INC@', inc)
        path.write_bytes(_fill(tm, body, inc))
    text = tm.config_text(supervisord=case.get('sd'))
    if case.get('no_sd'):
        text = text.replace('[supervisord]', '[supervisord_not]')
    data = _fill(tm, case.get('prefix', '') + text + '\n' + head + '\n', inc) \
        + _fill(tm, case['sections'], inc)
    tm.conf.write_bytes(data)
    where = str(tm.dir / case.get('where', tm.conf.name).replace('@INC@', inc))
    bad = case['bad']
    if bad is None:
        return where, []
    bad = bad if isinstance(bad, tuple) else (bad,)
    src = data if where == str(tm.conf) else open(where, 'rb').read()
    return where, [_line_of(src, _fill(tm, b, inc)) for b in bad]


def check_message(msg, where, lines, words):
    """The message names where, one of lines and every word, and holds
    nothing a terminal would act on."""
    assert os.path.basename(where) in msg, msg[:2000]
    if lines:
        assert any(re.search(r'(?:line\D{0,3}|:)%d\b' % n, msg)
                   for n in lines), 'no line %s in %r' % (lines, msg[:2000])
    for w in words:
        assert w.lower() in msg.lower(), '%r not in %r' % (w, msg[:2000])
    assert not re.search(r'[\x00-\x1f\x7f]', msg), repr(msg[:2000])
    assert '\ufffd' not in msg, 'bytes that are not UTF-8: %r' % msg[:2000]


def assert_refused(tm, conf, where, lines, words, env=None):
    """taskmaster -c conf exits 2 with one "Error: " line naming the file
    where, one of lines, and every word; nothing was spawned."""
    rc, out, err = tm.run(conf, env=env)
    errors = [l for l in err.split('\n') if l.startswith('Error: ')]
    assert rc == 2, 'exit status %r, stderr %r' % (rc, err[:2000])
    assert len(errors) == 1, 'expected one "Error: " line, stderr %r' \
        % err[:2000]
    assert not SANITIZER_RE.search(err), err[-3000:]
    msg = errors[0]
    check_message(msg, where, lines, words)
    assert not os.path.exists(tm.path('ok.pid')), 'a program was started'
    assert 'spawned:' not in tm.log()
    assert tm.leftovers() == []
    return msg


@pytest.mark.parametrize('case', CASES, ids=[c['id'] for c in CASES])
def test_bad_config(tm, case):
    where, lines = build(tm, case, head=_ok_section(tm))
    assert_refused(tm, tm.conf, where, lines, case['words'])


def test_enough_cases():
    ids = [c['id'] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 45


def test_error_line_with_crlf_and_continuations(tm):
    """Line numbers count physical lines, whatever the line ends and
    continuation lines before the fault."""
    text = (tm.config_text() + _ok_section(tm) +
            '[program:cont]\ncommand = %s\n    -O\n    x\n'
            'autorestart = sometimes\n' % tm.prog('sleeper'))
    n = _line_of(text.encode(), 'autorestart = sometimes')
    tm.conf.write_bytes(text.replace('\n', '\r\n').encode())
    assert_refused(tm, tm.conf, str(tm.conf), [n], ['autorestart',
                                                   'sometimes'])


@pytest.mark.skipif(os.geteuid() == 0, reason='root reads mode 000 files')
def test_unreadable_include_permissions(tm):
    inc = tm.dir / 'conf.d'
    inc.mkdir()
    f = inc / 'secret.conf'
    f.write_text('[program:s]\ncommand = %s\n' % tm.prog('sleeper'))
    f.chmod(0)
    tm.write_config(extra=_ok_section(tm) + '\n[include]\nfiles = conf.d/*.conf\n')
    assert_refused(tm, tm.conf, 'secret.conf', [], [])


def test_missing_config_file(tm):
    rc, out, err = tm.run(tm.path('nosuch.conf'))
    assert rc == 2, (rc, err)
    errors = [l for l in err.split('\n') if l.startswith('Error: ')]
    assert len(errors) == 1 and 'nosuch.conf' in errors[0], err


def test_config_is_a_directory(tm):
    d = tm.dir / 'conf-dir'
    d.mkdir()
    rc, out, err = tm.run(str(d))
    errors = [l for l in err.split('\n') if l.startswith('Error: ')]
    assert rc == 2 and len(errors) == 1 and 'conf-dir' in errors[0], err


def test_env_expansion_value_checked(tm):
    """%(ENV_X)s is expanded before the value is checked."""
    text = (tm.config_text() + _ok_section(tm) +
            '[program:e]\ncommand = %s\nautostart = %%(ENV_TM_AUTO)s\n'
            % tm.prog('sleeper'))
    tm.conf.write_text(text)
    n = _line_of(text.encode(), 'autostart = %(ENV_TM_AUTO)s')
    assert_refused(tm, tm.conf, str(tm.conf), [n], ['autostart', 'sometimes'],
                   env={'TM_AUTO': 'sometimes'})


def test_env_value_with_control_characters(tm):
    """A value that only expansion makes hostile is escaped too."""
    text = (tm.config_text() + _ok_section(tm) +
            '[program:e]\ncommand = %s\nstopsignal = %%(ENV_TM_SIG)s\n'
            % tm.prog('sleeper'))
    tm.conf.write_text(text)
    n = _line_of(text.encode(), 'stopsignal = %(ENV_TM_SIG)s')
    msg = assert_refused(tm, tm.conf, str(tm.conf), [n], ['stopsignal'],
                         env={'TM_SIG': 'TERM\n\x1b]0;owned\x07'})
    assert r'TERM\n\x1b]0;owned\x07' in msg, msg


# ---------------------------------------------------------------- accepted

def accepted(tm, extra, files=None):
    """Writes a config with a program 'ok' and extra, starts taskmaster;
    returns the session once 'ok' runs."""
    for rel, body in (files or {}).items():
        p = tm.dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body.replace('@SLEEPER@', tm.prog('sleeper')))
    tm.conf.write_text(tm.config_text() + '\n[program:ok]\ncommand = %s\n'
                       'startsecs = 0\n\n' % tm.prog('sleeper') +
                       extra.replace('@SLEEPER@', tm.prog('sleeper')))
    sh = tm.start()
    sh.wait_state('ok', 'RUNNING')
    return sh


def test_include_matching_nothing_warns(tm):
    sh = accepted(tm, '[include]\nfiles = nothing-here/*.conf\n')
    tm.wait_log(r'^No file matches via include ".*nothing-here/\*\.conf"$')
    assert sh.alive()


def test_includes_including_each_other(tm):
    """supervisord reads [include] of the main file only: a.conf and
    b.conf naming each other (and a glob matching the main file itself)
    read each file once, with no loop."""
    sh = accepted(tm, '[include]\nfiles = inc/a.conf *.conf\n', {
        'inc/a.conf': '[include]\nfiles = b.conf\n[program:a]\n'
                      'command = @SLEEPER@\nstartsecs = 0\n',
        'inc/b.conf': '[include]\nfiles = a.conf\n[program:b]\n'
                      'command = @SLEEPER@\nstartsecs = 0\n'})
    sh.wait_state('a', 'RUNNING')
    assert 'b' not in sh.status()
    tm.wait_log(r'^Included extra file ".*/inc/a\.conf" during parsing$')
    tm.wait_log(r'^Included extra file ".*/taskmaster\.conf" during parsing$')
    assert len(tm.find_log(r'^Included extra file')) == 2


def test_program_in_two_groups(tm):
    """supervisord builds the program's processes in each group listing
    it."""
    sh = accepted(tm, '[program:x]\ncommand = @SLEEPER@\nstartsecs = 0\n'
                  '[group:g1]\nprograms = x\n[group:g2]\nprograms = x\n')
    sh.wait_state('g1:x', 'RUNNING')
    sh.wait_state('g2:x', 'RUNNING')
    assert sh.pid_of('g1:x') != sh.pid_of('g2:x')


def test_header_not_closed_after_a_section_is_a_key(tm):
    """ConfigParser reads "[program:x" inside a section as the key
    "[program" (it has a ':'): accepted, and we warn."""
    sh = accepted(tm, '[program:x\ncommand = @SLEEPER@\n')
    tm.wait_log(r"ignoring unknown key '\[program' in section 'program:ok'")
    assert 'x' not in sh.status()


def test_repeated_section_is_merged_with_a_warning(tm):
    sh = accepted(tm, '[program:r]\ncommand = @SLEEPER@\nstartsecs = 0\n'
                  '[program:other]\ncommand = @SLEEPER@\nstartsecs = 0\n'
                  '[program:r]\nautostart = false\n')
    assert sh.status()['r'] == ('STOPPED', 'Not started')
    recs = tm.find_log(r"program:r")
    assert [lvl for _, lvl, _ in recs if lvl == 'WARN'], \
        'no warning about the repeated [program:r]: %s' % tm.log()


def test_repeated_key_last_wins_with_a_warning(tm):
    sh = accepted(tm, '[program:k]\ncommand = @SLEEPER@\nstartsecs = 0\n'
                  'autostart = true\nautostart = false\n')
    assert sh.status()['k'] == ('STOPPED', 'Not started')
    recs = tm.find_log(r"autostart")
    assert [lvl for _, lvl, _ in recs if lvl == 'WARN'], \
        "no warning about the repeated 'autostart': %s" % tm.log()


def test_valid_utf8_is_accepted(tm):
    sh = accepted(tm, '[program:caf\u00e9]\ncommand = @SLEEPER@ \u2603\n'
                  'startsecs = 0\n')
    sh.wait_state('caf\u00e9', 'RUNNING')


@pytest.mark.skipif(os.geteuid() != 0, reason='the check applies to root')
def test_world_writable_config_refused_as_root(tm):
    """As root, a config (or an included file) others can write is refused
    at start-up, and on reload the running config stays."""
    sleeper = tm.cmdline('sleeper')
    inc = tm.dir / 'inc.conf'
    inc.write_text('[program:inc]\ncommand = %s\nstartsecs = 0\n' % sleeper)
    extra = '[include]\nfiles = inc.conf\n'
    tm.write_config({'a': tm.program(sleeper)}, extra=extra)
    for path in (tm.conf, inc):
        os.chmod(path, 0o646)
        rc, out, err = tm.run()
        assert rc == 2, (rc, err)
        assert 'Error: %s is writable by others' % path in err, err
        assert not tm.find_log(r'spawned:')
        os.chmod(path, 0o644)
    sh = tm.start()
    sh.wait_state('a', 'RUNNING')
    pid = sh.pid_of('a')
    os.chmod(inc, 0o666)
    sh.kill(signal.SIGHUP)
    tm.wait_log(r'has errors, not reloading: .*inc\.conf is writable by '
                r'others')
    assert sh.pid_of('a') == pid
