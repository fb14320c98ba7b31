# SPDX-License-Identifier: ISC
"""taskmasterctl's reading of its config file (spec 7) when the file is
mostly program sections: the client reads only [supervisorctl],
[DEFAULT] and [include], yet it must reach the same server as
supervisorctl, which parses the whole file, and refuse a broken file with
the same one-line error (exit status 2) wherever the broken line is.
"""

from pathlib import Path

import pytest

from test_ctl import CTL, Daemon, RPC, norm, run


def programs(n, start=0):
    """n program sections that the daemon leaves stopped."""
    return ''.join('[program:p%03d]\ncommand = /bin/cat\nautostart = false\n'
                   'startsecs = 0\n\n' % i for i in range(start, start + n))


def daemon_text(dm):
    return ('[supervisord]\nlogfile = %s\nchildlogdir = %s\npidfile = %s\n\n'
            '[unix_http_server]\nfile = %s\n\n[rpcinterface:supervisor]\n%s\n\n'
            % (dm.path('main.log'), dm.path('logs'), dm.path('d.pid'),
               dm.sock, RPC))


@pytest.fixture
def dm(tm):
    """A taskmasterd with 200 stopped programs, [supervisorctl] last."""
    d = Daemon(tm, 'taskmasterd')
    Path(d.conf).write_text(daemon_text(d) + programs(200) +
                            '[supervisorctl]\nserverurl = %s\n' % d.url)
    return d.start()


def ctl_error(tm, conf):
    res = run(tm, 'tm', ['-c', conf, 'version'])
    assert res.rc == 2 and res.out == '', res
    lines = res.err.split('\n')
    assert lines[1:] == ['For help, use %s -h' % CTL, ''], res
    assert lines[0].startswith('Error: '), res
    return lines[0][len('Error: '):]


def test_status_matches_supervisorctl(dm):
    sv = run(dm.box, 'sv', ['-c', dm.conf, 'status'])
    ours = run(dm.box, 'tm', ['-c', dm.conf, 'status'])
    assert sv.out.count('\n') == 200
    assert (ours.rc, norm(ours.out)) == (sv.rc, norm(sv.out)), (sv, ours)


@pytest.mark.parametrize('end', ['\r\n', '\r'])
def test_line_ends(dm, end):
    conf = Path(dm.path('crlf.conf'))
    conf.write_bytes(Path(dm.conf).read_bytes().replace(b'\n', end.encode()))
    assert run(dm.box, 'tm', ['-c', str(conf), 'version']).out == '4.2.5\n'


def test_sections_the_client_reads(dm):
    # [DEFAULT], a continued value, inline comments, %(here)s.
    conf = Path(dm.path('c.conf'))
    rel = Path(dm.sock).relative_to(dm.dir)
    conf.write_text('[DEFAULT]\nserverurl = unix://%%(here)s/%s ; here\n\n'
                    % rel + programs(100) + '[supervisorctl]\nprompt = a\n'
                    '  b\n' + programs(100, 100))
    assert run(dm.box, 'tm', ['-c', str(conf), 'version']).out == '4.2.5\n'
    # [supervisorctl] from an included file.
    inc = Path(dm.path('inc.conf'))
    inc.write_text(programs(50) + '[supervisorctl]\nserverurl = %s\n'
                   % dm.url)
    conf.write_text('[include]\nfiles = inc.conf\n\n' + programs(100))
    assert run(dm.box, 'tm', ['-c', str(conf), 'version']).out == '4.2.5\n'


# What breaks a file, with where the error is and what it says.
BROKEN = [
    (b'[program:x]\ncommand = a\ngarbage\n', 3,
     "Source contains parsing errors: 'garbage'"),
    (b'[program:x]\n = 3\n', 2, "Source contains parsing errors: ' = 3'"),
    (b'[program:x]\ncommand = caf\xff\n', 2,
     "'utf-8' codec can't decode byte 0xff: invalid start byte in section "
     "'program:x' key 'command'"),
    (b'[program:x]\ncommand = a\0b\n', 2,
     "line contains a NUL character: ''"),
]


@pytest.mark.parametrize('text,line,message', BROKEN)
def test_broken_line_in_a_program(tm, text, line, message):
    # Far from [supervisorctl], which is fine.
    head = programs(150).encode()
    conf = Path(tm.path('b.conf'))
    conf.write_bytes(head + text + b'[supervisorctl]\nprompt = x\n')
    want = '%s:%d: %s' % (conf, head.count(b'\n') + line, message)
    assert ctl_error(tm, str(conf)) == want


def test_broken_included_file(tm):
    inc = Path(tm.path('inc.conf'))
    inc.write_text('[program:q]\ncommand = x\n\n[program:r]\nbroken line\n')
    conf = Path(tm.path('b.conf'))
    conf.write_text('[include]\nfiles = inc.conf\n\n' + programs(100) +
                    '[supervisorctl]\nprompt = x\n')
    assert ctl_error(tm, str(conf)) == \
        "%s:5: Source contains parsing errors: 'broken line'" % inc


def test_no_section_header(tm):
    conf = Path(tm.path('b.conf'))
    conf.write_text('key = 1\n' + programs(100))
    assert ctl_error(tm, str(conf)) == \
        "%s:1: File contains no section headers: 'key = 1'" % conf


def test_bad_key_after_programs(tm):
    conf = Path(tm.path('b.conf'))
    text = programs(100) + '[supervisorctl]\nserverurl = %(nosuch)s\n'
    conf.write_text(text)
    msg = ctl_error(tm, str(conf))
    assert msg.startswith("%s:%d: Format string '%%(nosuch)s' for "
                          "'supervisorctl.serverurl' contains names "
                          "('nosuch') which cannot be expanded."
                          % (conf, text.count('\n'))), msg
