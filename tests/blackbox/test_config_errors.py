# SPDX-License-Identifier: ISC
"""Bad configurations are refused before anything runs: one line starting
"Error: " on stderr naming the file, the line and the key/value at fault,
exit status 2, no process spawned, none left behind."""

import os
import re

import pytest

# (id, sections text, text of the faulty line, words the message must hold).
# "@SLEEPER@" is replaced by the helper program's path.  The faulty line is
# located by its text in the final file, so line numbers are never
# hard-coded.
CASES = [
    ('syntax', """
[program:bad]
command = @SLEEPER@
this line has no delimiter
""", 'this line has no delimiter', []),

    ('autorestart', """
[program:bad]
command = @SLEEPER@
autorestart = maybe
""", 'autorestart = maybe', ['autorestart', 'maybe']),

    ('missing-command', """
[program:nocmd]
autostart = false
startsecs = 0
""", '[program:nocmd]', ['command', 'nocmd']),

    ('bad-integer', """
[program:bad]
command = @SLEEPER@
startsecs = abc
""", 'startsecs = abc', ['startsecs', 'abc']),

    ('bad-float-integer', """
[program:bad]
command = @SLEEPER@
stopwaitsecs = 1.5
""", 'stopwaitsecs = 1.5', ['stopwaitsecs', '1.5']),

    ('bad-numprocs', """
[program:bad]
command = @SLEEPER@
process_name = %(program_name)s_%(process_num)d
numprocs = two
""", 'numprocs = two', ['numprocs', 'two']),

    ('bad-priority', """
[program:bad]
command = @SLEEPER@
priority = high
""", 'priority = high', ['priority', 'high']),

    ('signal-name', """
[program:bad]
command = @SLEEPER@
stopsignal = FOO
""", 'stopsignal = FOO', ['stopsignal', 'FOO']),

    ('signal-number', """
[program:bad]
command = @SLEEPER@
stopsignal = 40
""", 'stopsignal = 40', ['stopsignal', '40']),

    ('size-decimal', """
[program:bad]
command = @SLEEPER@
stdout_logfile_maxbytes = 1.5MB
""", 'stdout_logfile_maxbytes = 1.5MB', ['stdout_logfile_maxbytes', '1.5']),

    ('size-suffix', """
[program:bad]
command = @SLEEPER@
stderr_logfile_maxbytes = 10KiB
""", 'stderr_logfile_maxbytes = 10KiB', ['stderr_logfile_maxbytes', '10KiB']),

    ('bool', """
[program:bad]
command = @SLEEPER@
autostart = perhaps
""", 'autostart = perhaps', ['autostart', 'perhaps']),

    ('bool-number', """
[program:bad]
command = @SLEEPER@
redirect_stderr = 2
""", 'redirect_stderr = 2', ['redirect_stderr', '2']),

    ('exitcodes-word', """
[program:bad]
command = @SLEEPER@
exitcodes = 0,x
""", 'exitcodes = 0,x', ['exitcodes', '0,x']),

    ('exitcodes-range', """
[program:bad]
command = @SLEEPER@
exitcodes = 0,256
""", 'exitcodes = 0,256', ['exitcodes', '256']),

    ('umask', """
[program:bad]
command = @SLEEPER@
umask = 089
""", 'umask = 089', ['umask', '089']),

    ('loglevel-warning', None, 'loglevel = warning', ['loglevel', 'warning']),

    ('numprocs-without-process-num', """
[program:multi]
command = @SLEEPER@
numprocs = 2
""", 'numprocs = 2', ['process_num']),

    ('unknown-user', """
[program:bad]
command = @SLEEPER@
user = tm_no_such_user_zz
""", 'user = tm_no_such_user_zz', ['user', 'tm_no_such_user_zz']),

    ('unknown-expansion', """
[program:bad]
command = @SLEEPER@ %(nosuchname)s
""", 'command = @SLEEPER@ %(nosuchname)s', ['command', 'nosuchname']),

    ('unknown-env-expansion', """
[program:bad]
command = @SLEEPER@
numprocs = %(ENV_TM_SURELY_UNSET_VAR)s
""", 'numprocs = %(ENV_TM_SURELY_UNSET_VAR)s',
     ['numprocs', 'ENV_TM_SURELY_UNSET_VAR']),

    ('badly-formatted-expansion', """
[program:bad]
command = date +%Y
""", 'command = date +%Y', ['command', '%Y']),

    ('stopasgroup-without-killasgroup', """
[program:bad]
command = @SLEEPER@
stopasgroup = true
killasgroup = false
""", ('stopasgroup = true', 'killasgroup = false'),
     ['stopasgroup', 'killasgroup']),

    ('invalid-name', """
[program:a/b]
command = @SLEEPER@
""", '[program:a/b]', ['a/b']),

    ('group-unknown-program', """
[program:a]
command = @SLEEPER@
autostart = false

[group:g]
programs = a,nosuchprog
""", 'programs = a,nosuchprog', ['nosuchprog']),

    ('environment', """
[program:bad]
command = @SLEEPER@
environment = A=foo@bar
""", 'environment = A=foo@bar', ['environment']),

    ('logfile-directory', """
[program:bad]
command = @SLEEPER@
stdout_logfile = /nonexistent-tm-dir/x.log
""", 'stdout_logfile = /nonexistent-tm-dir/x.log',
     ['stdout_logfile', '/nonexistent-tm-dir']),

    ('childlogdir', None, 'childlogdir = /nonexistent-tm-dir',
     ['childlogdir', '/nonexistent-tm-dir']),

    ('include-without-files', """
[include]
nofiles = here
""", '[include]', ['files']),
]


def _ok_section(tm):
    """A valid autostart program placed before the fault: it must never
    run, since the whole file is checked before anything starts."""
    return ('[program:ok]\ncommand = %s\n'
            % tm.cmdline('sleeper', '-w', tm.path('ok.pid')))


def _line_of(text, needle):
    for i, line in enumerate(text.split('\n'), 1):
        if line.strip() == needle.strip():
            return i
    raise AssertionError('%r not in config' % needle)


def assert_refused(tm, conf, where, lines, words, env=None):
    """taskmaster -c conf exits 2 with one "Error: " line naming the file
    where, one of lines, and every word; nothing was spawned."""
    rc, out, err = tm.run(conf, env=env)
    errors = [l for l in err.split('\n') if l.startswith('Error: ')]
    assert rc == 2, 'exit status %r, stderr %r' % (rc, err)
    assert len(errors) == 1, 'expected one "Error: " line, stderr %r' % err
    msg = errors[0]
    assert os.path.basename(where) in msg, msg
    if lines:
        assert any(re.search(r'(?:line\D{0,3}|:)%d\b' % n, msg)
                   for n in lines), 'no line %s in %r' % (lines, msg)
    for w in words:
        assert w.lower() in msg.lower(), '%r not in %r' % (w, msg)
    assert not os.path.exists(tm.path('ok.pid')), 'a program was started'
    assert 'spawned:' not in tm.log()
    assert tm.leftovers() == []
    return msg


@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_bad_config(tm, case):
    name, sections, bad, words = case
    sd = {}
    if name == 'loglevel-warning':
        text = tm.config_text(loglevel='warning')
    elif name == 'childlogdir':
        text = tm.config_text().replace(
            'childlogdir = %s' % tm.childlogdir,
            'childlogdir = /nonexistent-tm-dir')
    else:
        text = tm.config_text(supervisord=sd)
    text += '\n' + _ok_section(tm)
    if sections:
        text += sections.replace('@SLEEPER@', tm.prog('sleeper'))
    bad = bad if isinstance(bad, tuple) else (bad,)
    bad = tuple(b.replace('@SLEEPER@', tm.prog('sleeper')) for b in bad)
    lines = [_line_of(text, b) for b in bad]
    if name == 'numprocs-without-process-num':
        lines.append(_line_of(text, '[program:multi]'))
    with open(tm.conf, 'w') as f:
        f.write(text)
    assert_refused(tm, tm.conf, str(tm.conf), lines, words)


def test_key_before_first_section(tm):
    text = 'command = /bin/true\n' + tm.config_text() + _ok_section(tm)
    tm.conf.write_text(text)
    assert_refused(tm, tm.conf, str(tm.conf), [1], [])


def test_error_line_with_crlf_and_continuations(tm):
    """Line numbers count physical lines, whatever the line ends and
    continuation lines before the fault."""
    text = (tm.config_text() + _ok_section(tm) +
            '[program:cont]\ncommand = %s\n    -O\n    x\n'
            'autorestart = sometimes\n' % tm.prog('sleeper'))
    n = _line_of(text, 'autorestart = sometimes')
    tm.conf.write_bytes(text.replace('\n', '\r\n').encode())
    assert_refused(tm, tm.conf, str(tm.conf), [n], ['autorestart',
                                                   'sometimes'])


def test_syntax_error_in_included_file(tm):
    inc = tm.dir / 'conf.d'
    inc.mkdir()
    (inc / 'good.conf').write_text('[program:inc_ok]\ncommand = %s\n'
                                   % tm.prog('sleeper'))
    (inc / 'broken.conf').write_text('[program:inc_bad]\n'
                                     'command = %s\nnot a key line\n'
                                     % tm.prog('sleeper'))
    tm.write_config(extra=_ok_section(tm) + '\n[include]\nfiles = conf.d/*.conf\n')
    assert_refused(tm, tm.conf, str(inc / 'broken.conf'), [3], [])


def test_bad_value_in_included_file(tm):
    inc = tm.dir / 'conf.d'
    inc.mkdir()
    (inc / 'x.conf').write_text('[program:x]\ncommand = %s\n'
                                'startretries = lots\n' % tm.prog('sleeper'))
    tm.write_config(extra=_ok_section(tm) + '\n[include]\nfiles = conf.d/*.conf\n')
    assert_refused(tm, tm.conf, str(inc / 'x.conf'), [3],
                   ['startretries', 'lots'])


def test_unreadable_include_directory(tm):
    """A glob match that cannot be read as a file (here a directory)."""
    inc = tm.dir / 'conf.d'
    inc.mkdir()
    (inc / 'dir.conf').mkdir()
    tm.write_config(extra=_ok_section(tm) + '\n[include]\nfiles = conf.d/*.conf\n')
    assert_refused(tm, tm.conf, 'dir.conf', [], [])


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


def test_env_expansion_value_checked(tm):
    """%(ENV_X)s is expanded before the value is checked."""
    text = (tm.config_text() + _ok_section(tm) +
            '[program:e]\ncommand = %s\nautostart = %%(ENV_TM_AUTO)s\n'
            % tm.prog('sleeper'))
    tm.conf.write_text(text)
    n = _line_of(text, 'autostart = %(ENV_TM_AUTO)s')
    assert_refused(tm, tm.conf, str(tm.conf), [n], ['autostart', 'sometimes'],
                   env={'TM_AUTO': 'sometimes'})
