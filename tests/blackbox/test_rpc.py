# SPDX-License-Identifier: ISC
"""taskmasterd's HTTP servers (spec 9, 12.1): XML-RPC over TCP and over the
Unix socket with Python's xmlrpc.client and with the real supervisorctl,
faults, deferred replies, the log streams, basic authentication, socket
creation and double start, and requests no well-behaved client sends."""

import os
import re
import socket
import stat
import threading
import time
import xmlrpc.client

import pytest

from conftest import T, parse_status, wait_until
from rpcutil import (basic, dechunk, fault, parse_head, read_until,
                     request_bytes, rpc, sha_password, wait_path_gone,
                     wait_state, xml_call)

assert rpc  # the fixture, imported for pytest

STATUS_W = 33       # status column width for short names (spec 7.4)


def sleeper(tm, **keys):
    return tm.program(tm.cmdline('sleeper'), **keys)


def talker(tm, text, **keys):
    """A program that prints text on stdout and on stderr, then sleeps."""
    return tm.program(tm.cmdline('sleeper', '-O', text, '-E', 'err-' + text),
                      **keys)


# ---------------------------------------------------------------- XML-RPC

def test_xmlrpc_over_tcp_and_unix(tm, rpc):
    r = rpc({'a': sleeper(tm)})
    d = r.start()
    for p in (r.proxy(), r.unix_proxy()):
        assert p.supervisor.getAPIVersion() == '3.0'
        assert p.supervisor.getVersion() == '3.0'
        assert p.supervisor.getSupervisorVersion() == '4.2.5'
        assert p.supervisor.getPID() == d.pid
        assert p.supervisor.getState() == {'statecode': 1,
                                           'statename': 'RUNNING'}
        methods = p.system.listMethods()
        assert 'supervisor.startProcess' in methods
        assert 'system.multicall' in methods
        assert p.system.methodSignature('supervisor.startProcess') == \
            ['boolean', 'string', 'boolean']
        info = wait_state(p, 'a', 'RUNNING')
        assert info['name'] == 'a' and info['group'] == 'a'
        assert info['pid'] > 0
        res = p.system.multicall([
            {'methodName': 'supervisor.getAPIVersion', 'params': []},
            {'methodName': 'supervisor.getProcessInfo',
             'params': ['nosuch']}])
        assert res[0] == '3.0'
        assert res[1] == {'faultCode': 10, 'faultString': 'BAD_NAME: nosuch'}
    assert r.stop() == 0


def test_faults(tm, rpc):
    r = rpc({'run': sleeper(tm), 'idle': sleeper(tm, autostart=False)})
    r.start()
    p = r.proxy()
    s = p.supervisor
    wait_state(p, 'run', 'RUNNING')
    assert fault(s.getProcessInfo, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.startProcess, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.startProcess, 'run') == (60, 'ALREADY_STARTED: run')
    assert fault(s.stopProcess, 'idle') == (70, 'NOT_RUNNING: idle')
    assert fault(s.signalProcess, 'run', 'BOGUS') == (11, 'BAD_SIGNAL: BOGUS')
    assert fault(s.signalProcess, 'idle', 'HUP') == (70, 'NOT_RUNNING: idle')
    assert fault(s.readProcessStdoutLog, 'run', -10, 5) == \
        (3, 'BAD_ARGUMENTS')
    assert fault(s.addProcessGroup, 'nosuch') == (10, 'BAD_NAME: nosuch')
    assert fault(s.addProcessGroup, 'run') == (90, 'ALREADY_ADDED: run')
    assert fault(s.removeProcessGroup, 'run') == (91, 'STILL_RUNNING: run')
    assert fault(s.noSuchMethod) == (1, 'UNKNOWN_METHOD')
    assert fault(p.nosuch.namespace) == (1, 'UNKNOWN_METHOD')
    assert fault(s.getProcessInfo) == (2, 'INCORRECT_PARAMETERS')
    assert fault(s.getProcessInfo, 1, 2) == (2, 'INCORRECT_PARAMETERS')
    assert fault(p.system.methodHelp, 'nosuch') == \
        (4, 'SIGNATURE_UNSUPPORTED')
    res = p.system.multicall([{'methodName': 'system.multicall',
                               'params': [[]]}, {'params': []}])
    assert res == [
        {'faultCode': 2, 'faultString':
         'INCORRECT_PARAMETERS: Recursive system.multicall forbidden'},
        {'faultCode': 2, 'faultString': 'INCORRECT_PARAMETERS: No methodName'}]
    # Faults are answers: the same connection goes on serving.
    assert s.getAPIVersion() == '3.0'
    assert r.stop() == 0


def test_deferred_start_does_not_block_others(tm, rpc):
    r = rpc({'slow': sleeper(tm, autostart=False, startsecs=2)})
    r.start()
    result = {}

    def start():
        t0 = time.monotonic()
        result['v'] = r.proxy().supervisor.startProcess('slow')
        result['t'] = time.monotonic() - t0

    th = threading.Thread(target=start)
    th.start()
    p = r.unix_proxy()
    wait_until(lambda: p.supervisor.getProcessInfo('slow')['statename'] ==
               'STARTING', msg='slow in STARTING')
    # While that reply is pending, other clients are answered at once.
    t0 = time.monotonic()
    for _ in range(20):
        assert p.supervisor.getState()['statename'] == 'RUNNING'
    assert time.monotonic() - t0 < 1.5
    th.join(T)
    assert result['v'] is True
    assert result['t'] >= 1.5
    assert p.supervisor.getProcessInfo('slow')['statename'] == 'RUNNING'
    assert r.stop() == 0


def test_client_gone_before_deferred_reply(tm, rpc):
    r = rpc({'slow%d' % i: sleeper(tm, autostart=False, startsecs=1)
             for i in range(3)})
    r.start()
    p = r.proxy()
    p.supervisor.getState()     # its connection stays open: count it in
    base = r.open_sockets()
    for i in range(3):
        c = r.raw(unix=bool(i % 2))
        c.send(request_bytes('POST', '/RPC2',
                             xml_call('supervisor.startProcess', 'slow%d' % i)))
        c.close()
    for i in range(3):
        wait_state(p, 'slow%d' % i, 'RUNNING')
    # The replies had nobody to go to; the daemon is fine and holds nothing.
    wait_until(lambda: r.open_sockets() <= base, msg='connections closed')
    assert p.supervisor.getState()['statename'] == 'RUNNING'
    assert r.stop() == 0


def test_stop_with_pending_calls(tm, rpc):
    """Shutdown while a client waits for a start: nothing is touched after
    it is freed (the sanitizer build checks)."""
    r = rpc({'slow': sleeper(tm, autostart=False, startsecs=30)})
    r.start()
    c = r.raw()
    c.send(request_bytes('POST', '/RPC2',
                         xml_call('supervisor.startProcess', 'slow')))
    wait_state(r.proxy(), 'slow', 'STARTING')
    assert r.stop() == 0
    assert c.wait_closed()


def test_keep_alive(tm, rpc):
    import http.client
    r = rpc()
    r.start()
    conn = http.client.HTTPConnection('127.0.0.1', r.port, timeout=T)
    ports = set()
    for _ in range(3):
        conn.request('POST', '/RPC2', xml_call('supervisor.getAPIVersion'),
                     {'Content-Type': 'text/xml'})
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.getheader('Content-Type') == 'text/xml'
        assert resp.getheader('Server') == 'Medusa/1.12'
        assert int(resp.getheader('Content-Length')) > 0
        assert b'<string>3.0</string>' in resp.read()
        ports.add(conn.sock.getsockname()[1])
    assert len(ports) == 1
    conn.close()
    # HTTP/1.0 and Connection: close are answered, then closed.
    for version, headers in (('HTTP/1.0', {}),
                             ('HTTP/1.1', {'Connection': 'close'})):
        c = r.raw()
        c.send(request_bytes('POST', '/RPC2',
                             xml_call('supervisor.getAPIVersion'), headers,
                             version))
        resp = c.response()
        assert resp.status == 200 and b'3.0' in resp.body
        assert c.wait_closed()
        c.close()
    # Other URIs starting with /RPC2 are the same endpoint.
    resp = r.request('POST', '/RPC2/x?y',
                     xml_call('supervisor.getAPIVersion'))
    assert resp.status == 200 and b'3.0' in resp.body
    assert r.stop() == 0


# ---------------------------------------------------------------- malformed

ERROR_PAGE = ('<head>\r\n<title>Error response</title>\r\n</head>\r\n'
              '<body>\r\n<h1>Error response</h1>\r\n<p>Error code %d.\r\n'
              '<p>Message: %s.\r\n</body>\r\n')


def test_bad_requests(tm, rpc):
    r = rpc()
    r.start()
    resp = r.request('POST', '/RPC2', b'this is not xml')
    assert resp.status == 400
    assert resp.body.decode() == ERROR_PAGE % (400, 'Bad Request')
    assert resp.headers['content-type'] == 'text/html'
    tm.wait_log(r"XML-RPC request data 'this is not xml' is invalid: "
                r"unmarshallable")
    resp = r.request('POST', '/RPC2', b'<?xml version="1.0"?><methodCall>'
                     b'<params/></methodCall>')
    assert resp.status == 400
    tm.wait_log(r'is invalid: no method name')
    # The logged body is cut short.
    resp = r.request('POST', '/RPC2', b'<' + b'x' * 5000)
    assert resp.status == 400
    rec = tm.wait_log(r"XML-RPC request data '<x+\.\.\.' is invalid")
    assert len(rec[0][2].group(0)) < 400
    for method in ('GET', 'PUT', 'DELETE', 'OPTIONS'):
        assert r.request(method, '/RPC2').status == 400
    resp = r.request('GET', '/nosuch/path')
    assert resp.status == 404
    assert resp.body.decode() == ERROR_PAGE % (404, 'Not Found')
    # No Content-Length.
    c = r.raw()
    c.send(b'POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n\r\n')
    assert c.response().status == 411
    c.close()
    # Too deep, too large.
    deep = (b'<methodCall><methodName>system.listMethods</methodName>'
            b'<params><param>' + b'<value><array><data>' * 1000 +
            b'</data></array></value>' * 1000 + b'</param></params>'
            b'</methodCall>')
    assert r.request('POST', '/RPC2', deep).status == 400
    big = xml_call('supervisor.getAPIVersion') + b' ' * (5 * 1024 * 1024)
    assert r.request('POST', '/RPC2', big).status == 413
    # Garbage and truncated requests get an error or a close, never a hang.
    for junk in (b'\x00\x01\x02garbage\r\n\r\n', b'GET /\r\n\r\n',
                 b'POST /RPC2 HTTP/9.9\r\n\r\n',
                 b'GET / HTTP/1.1\r\n' + b'X-Long: ' + b'a' * 100000 +
                 b'\r\n\r\n'):
        c = r.raw()
        c.send(junk)
        resp = c.response()
        assert resp is None or resp.status >= 400
        c.close()
    c = r.raw()
    c.send(b'POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n'
           b'<method')
    c.close()
    # Still serving, on both sockets.
    assert r.proxy().supervisor.getAPIVersion() == '3.0'
    assert r.unix_proxy().supervisor.getAPIVersion() == '3.0'
    assert r.stop() == 0


def test_many_clients_and_a_slow_one(tm, rpc):
    r = rpc()
    r.start()
    # A client that sends half a request and waits.
    slow = r.raw()
    slow.send(b'POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n'
              b'\r\n<methodCall>')
    idle = [r.raw(unix=bool(i % 2)) for i in range(50)]
    errors = []

    def worker(unix):
        try:
            p = r.unix_proxy() if unix else r.proxy()
            for _ in range(10):
                assert p.supervisor.getState()['statecode'] == 1
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(bool(i % 2),))
               for i in range(40)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(T)
    assert not errors
    assert time.monotonic() - t0 < T
    for c in idle:
        c.close()
    slow.close()
    assert r.stop() == 0


# ---------------------------------------------------------------- auth

def test_basic_auth(tm, rpc):
    r = rpc({'a': sleeper(tm)}, user='alice', password='s3cret')
    r.start()
    call = xml_call('supervisor.getAPIVersion')
    for unix in (False, True):
        for path, method, body in (('/RPC2', 'POST', call),
                                   ('/logtail/a', 'GET', b''),
                                   ('/mainlogtail', 'GET', b''),
                                   ('/nosuch', 'GET', b'')):
            for auth in (None, basic('alice', 'wrong'), basic('bob', 's3cret'),
                         basic('alice', 's3cret') + 'garbage!',
                         'Digest abc', 'Basic', 'Basic !!!!'):
                c = r.raw(unix)
                c.send(request_bytes(method, path, body,
                                     {'Authorization': auth}))
                resp = c.response()
                assert resp.status == 401, (path, auth)
                assert resp.headers['www-authenticate'] == \
                    'Basic realm="default"'
                assert resp.headers['connection'] == 'close'
                assert c.wait_closed()
                c.close()
        resp = r.request('POST', '/RPC2', call,
                         {'Authorization': basic('alice', 's3cret')}, unix)
        assert resp.status == 200 and b'3.0' in resp.body
    assert r.proxy().supervisor.getAPIVersion() == '3.0'
    with pytest.raises(xmlrpc.client.ProtocolError) as e:
        r.proxy(password='nope').supervisor.getAPIVersion()
    assert e.value.errcode == 401
    # No CRIT line when every server checks credentials.
    assert 'running without any HTTP authentication' not in r.log()
    assert r.stop() == 0


def test_sha_password_and_supervisorctl_auth(tm, rpc):
    r = rpc({'a': sleeper(tm)}, user='u', password=sha_password('pw'))
    r.plain_password = 'pw'
    r.start()
    assert r.proxy().supervisor.getAPIVersion() == '3.0'
    with pytest.raises(xmlrpc.client.ProtocolError):
        r.proxy(password=sha_password('pw')).supervisor.getAPIVersion()
    wait_state(r.proxy(), 'a', 'RUNNING')
    rc, out = r.ctl('-u', 'u', '-p', 'pw', 'status', url=r.http_url)
    assert rc == 0 and parse_status(out.split('\n'))['a'][0] == 'RUNNING'
    rc, out = r.ctl('status', url=r.http_url, user='u', password='bad')
    assert rc == 1
    assert out.startswith('Server requires authentication\n')
    rc, out = r.ctl('status', url=r.http_url, user='u', password='pw')
    assert rc == 0
    assert r.stop() == 0


def test_crit_line_without_auth(tm, rpc):
    r = rpc(user=None)
    r.start()
    tm.wait_log(r"^Server 'unix_http_server' running without any HTTP "
                r"authentication checking$")
    tm.wait_log(r"^Server 'inet_http_server' running without any HTTP "
                r"authentication checking$")
    crit = [rec for rec in tm.records() if 'without any HTTP' in rec[2]]
    assert all(lvl == 'CRIT' for _, lvl, _ in crit)
    assert r.stop() == 0


# ---------------------------------------------------------------- sockets

def test_unix_socket_mode_and_removal(tm, rpc):
    r = rpc(inet=False)
    r.start()
    st = os.lstat(r.sock)
    assert stat.S_ISSOCK(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o700
    assert os.listdir(r.sockdir) == ['tm.sock']
    assert r.stop() == 0
    assert not os.path.exists(r.sock)

    r2 = rpc(inet=False, unix_keys={'chmod': '0766'})
    r2.start()
    assert stat.S_IMODE(os.lstat(r2.sock).st_mode) == 0o766
    assert r2.stop() == 0


def test_double_start_refused(tm, rpc):
    r = rpc({'a': sleeper(tm)})
    r.start()
    rc, out, err = r.run()
    assert rc == 2
    assert 'Error: Another program is already listening on a port that one ' \
        'of our HTTP servers is configured to use.  Shut this program down ' \
        'first before starting supervisord.' in err
    # The first one is untouched, its socket too.
    assert r.daemon.alive()
    assert r.unix_proxy().supervisor.getAPIVersion() == '3.0'
    assert r.stop() == 0
    assert not os.path.exists(r.sock)


def test_stale_socket_is_replaced(tm, rpc):
    r = rpc(inet=False)
    s = socket.socket(socket.AF_UNIX)
    s.bind(r.sock)
    s.close()
    assert os.path.exists(r.sock)
    r.start()
    assert 'Unlinking stale socket %s\n' % r.sock in r.daemon.stderr()
    assert r.unix_proxy().supervisor.getAPIVersion() == '3.0'
    assert r.stop() == 0


def test_not_a_socket_is_kept(tm, rpc):
    r = rpc(inet=False)
    with open(r.sock, 'w') as f:
        f.write('precious')
    r.write_config()
    rc, out, err = r.run()
    assert rc == 2
    assert 'exists and is not a socket' in err
    assert open(r.sock).read() == 'precious'


def test_tcp_port_in_use(tm, rpc):
    r = rpc(unix=False)
    s = socket.socket()
    s.bind(('127.0.0.1', r.port))
    s.listen(1)
    r.write_config()
    rc, out, err = r.run()
    s.close()
    assert rc == 2
    assert 'Error: Another program is already listening' in err


def test_listening_fds_are_cloexec(tm, rpc):
    r = rpc({'a': tm.program(tm.cmdline('sleeper', '-F'),
                             stdout_logfile=tm.path('a.out'))})
    r.start()
    tm.wait_file(tm.path('a.out'), r'^ready$')
    assert 'fds=0 1 2\n' in open(tm.path('a.out')).read()
    assert r.stop() == 0


# ---------------------------------------------------------------- logtail

class Stream:
    """A GET on /logtail or /mainlogtail, read as it comes."""

    def __init__(self, r, path, unix=False, headers=None):
        self.c = r.raw(unix)
        self.c.send(request_bytes('GET', path, headers=headers))
        self.head = None

    def text(self, timeout=0.2):
        self.c.recv_some(timeout)
        head = parse_head(self.c.buf)
        if head is None:
            return None
        self.head = head
        return dechunk(head[4])[0].decode(errors='replace')

    def wait(self, regex, timeout=T):
        rx = re.compile(regex, re.S | re.M)
        last = {}

        def check():
            last['t'] = self.text()
            return last['t'] is not None and rx.search(last['t'])
        try:
            wait_until(check, timeout, interval=0)
        except pytest.fail.Exception:
            pytest.fail('stream never matched %r: %r'
                        % (regex, (last.get('t') or '')[-300:]))
        return last['t']

    def close(self):
        self.c.close()


def test_logtail_stream(tm, rpc):
    out = tm.path('a.out')
    with open(out, 'w') as f:
        f.write('x' * 3000 + 'END-OF-OLD\n')
    r = rpc({'a': tm.program(tm.cmdline('sleeper', '-E', 'on-stderr'),
                             stdout_logfile=out,
                             stderr_logfile=tm.path('a.err'))})
    r.start()
    s = Stream(r, '/logtail/a')
    text = s.wait(r'ready\n')
    status, reason, headers, version, _ = s.head
    assert status == 200
    assert headers['content-type'] == 'text/plain;charset=utf-8'
    assert headers['transfer-encoding'] == 'chunked'
    assert headers['x-accel-buffering'] == 'no'
    assert 'last-modified' in headers
    # The last 1024 bytes at the start, then what was appended.
    assert text.startswith('x') and 'END-OF-OLD\n' in text
    assert len(text.split('END-OF-OLD\n')[0]) < 1024
    with open(out, 'a') as f:
        f.write('appended line\n')
    s.wait(r'appended line\n')
    # Rotation: a new file under the name is followed from its start.
    os.rename(out, out + '.1')
    with open(out, 'w') as f:
        f.write('after rotation\n')
    s.wait(r'appended line\n.*after rotation\n')
    # Truncation is said.
    with open(out, 'w') as f:
        f.write('')
    s.wait(r'==> File truncated <==\n')
    with open(out, 'a') as f:
        f.write('fresh\n')
    s.wait(r'==> File truncated <==\n.*fresh\n')
    s.close()
    # stderr channel, URL-encoded names, HTTP over the Unix socket.
    s = Stream(r, '/logtail/a/stderr', unix=True)
    assert s.wait(r'on-stderr\n') == 'on-stderr\n'
    s.close()
    s = Stream(r, '/logtail/%61')
    s.wait(r'fresh\n')
    s.close()
    assert r.stop() == 0


def test_logtail_errors(tm, rpc):
    r = rpc({'a': sleeper(tm, stdout_logfile='NONE'),
             'b': sleeper(tm, autostart=False,
                          stdout_logfile=tm.path('never.log'))})
    r.start()
    for path in ('/logtail/nosuch', '/logtail/a', '/logtail/b',
                 '/logtail/a/bogus', '/logtail/b/stdout/x', '/logtail',
                 '/logtail/grp:*'):
        assert r.request('GET', path).status == 404, path
    assert r.request('POST', '/logtail/a').status == 400
    assert r.request('POST', '/mainlogtail').status == 400
    assert r.stop() == 0


def test_mainlogtail(tm, rpc):
    r = rpc()
    r.start()
    s = Stream(r, '/mainlogtail')
    s.wait(r'supervisord started with pid %d' % r.daemon.pid)
    assert 'x-accel-buffering' not in s.head[2]
    r.request('POST', '/RPC2', b'marker-in-stream')
    s.wait(r"XML-RPC request data 'marker-in-stream' is invalid")
    s.close()
    assert r.stop() == 0


def test_logtail_clients_gone(tm, rpc):
    r = rpc({'a': talker(tm, 'hello')})
    r.start()
    wait_state(r.proxy(), 'a', 'RUNNING')
    base = r.open_fds()
    streams = [Stream(r, '/logtail/a', unix=bool(i % 2)) for i in range(20)]
    for s in streams:
        s.wait(r'hello\n')
    assert r.open_fds() >= base + 20
    for s in streams:
        s.close()
    # Each stream notices within a poll and lets go of socket and file.
    wait_until(lambda: r.open_fds() <= base, msg='streams released')
    assert r.stop() == 0


# ---------------------------------------------------------------- supervisorctl

def status_of(r, *names):
    rc, out = r.ctl('status', *names)
    return rc, parse_status(out.split('\n')), out


def test_ctl_status_start_stop_restart(tm, rpc):
    r = rpc({'a': sleeper(tm), 'b': sleeper(tm, autostart=False),
             'bad': tm.program(tm.cmdline('exiter', '0', '1'), startsecs=1,
                               startretries=0, autostart=False)})
    r.start()
    wait_state(r.proxy(), 'a', 'RUNNING')
    rc, st, out = status_of(r)
    assert rc == 3      # b is STOPPED
    assert st['a'][0] == 'RUNNING' and st['b'] == ('STOPPED', 'Not started')
    line = [l for l in out.split('\n') if l.startswith('a ')][0]
    assert line.index('RUNNING') == STATUS_W
    assert status_of(r, 'a')[0] == 0
    rc, _, out = status_of(r, 'nosuch')
    assert rc == 4 and out == 'nosuch: ERROR (no such process)\n'

    assert r.ctl('start', 'b') == (0, 'b: started\n')
    assert r.ctl('start', 'b') == (0, 'b: ERROR (already started)\n')
    assert r.ctl('start', 'nosuch') == (1, 'nosuch: ERROR (no such process)\n')
    assert r.ctl('start', 'nog:*') == (2, 'nog: ERROR (no such group)\n')
    assert r.ctl('start', 'bad') == (7, 'bad: ERROR (spawn error)\n')
    assert r.ctl('stop', 'b') == (0, 'b: stopped\n')
    assert r.ctl('stop', 'b') == (0, 'b: ERROR (not running)\n')
    assert r.ctl('stop', 'nosuch') == (1, 'nosuch: ERROR (no such process)\n')
    pid = r.proxy().supervisor.getProcessInfo('a')['pid']
    assert r.ctl('restart', 'a') == (0, 'a: stopped\na: started\n')
    assert r.proxy().supervisor.getProcessInfo('a')['pid'] != pid
    rc, out = r.ctl('start')
    assert rc == 2 and out.startswith('Error: start requires a process name')
    assert r.stop() == 0


def test_ctl_signal_and_pid(tm, rpc):
    r = rpc({'a': tm.program(tm.cmdline('sleeper', '-C', 'HUP'),
                             stdout_logfile=tm.path('a.out')),
             'b': sleeper(tm, autostart=False)})
    d = r.start()
    tm.wait_file(tm.path('a.out'), r'^ready$')
    assert r.ctl('signal', 'HUP', 'a') == (0, 'a: signalled\n')
    tm.wait_file(tm.path('a.out'), r'^caught 1$')
    assert r.ctl('signal', 'BOGUS', 'a') == (1, 'a: ERROR (bad signal name)\n')
    assert r.ctl('signal', 'HUP', 'b') == (7, 'b: ERROR (not running)\n')
    assert r.ctl('signal', 'HUP', 'nosuch') == \
        (1, 'nosuch: ERROR (no such process)\n')
    assert r.ctl('pid') == (0, '%d\n' % d.pid)
    pid = r.proxy().supervisor.getProcessInfo('a')['pid']
    assert r.ctl('pid', 'a') == (0, '%d\n' % pid)
    assert r.ctl('pid', 'b') == (7, '0\n')
    assert r.ctl('pid', 'nosuch') == (1, 'No such process nosuch\n')
    assert r.stop() == 0


def test_ctl_tail_and_clear(tm, rpc):
    out = tm.path('a.out')
    r = rpc({'a': tm.program(tm.cmdline('sleeper', '-O', 'z' * 2000 + 'END',
                                        '-E', 'on-stderr'),
                             stdout_logfile=out,
                             stderr_logfile=tm.path('a.err'))})
    r.start()
    tm.wait_file(out, r'^ready$')
    rc, text = r.ctl('tail', 'a')
    assert rc == 0
    assert text.endswith('END\nready\n\n') and len(text) == 1600 + 1
    assert r.ctl('tail', '-6', 'a') == (0, 'ready\n\n')
    assert r.ctl('tail', 'a', 'stderr') == (0, 'on-stderr\n\n')
    assert r.ctl('tail', 'nosuch') == \
        (1, 'nosuch: ERROR (no such process name)\n')

    p = r.ctl_popen('tail', '-f', 'a')
    read_until(p, r'==> Press Ctrl-C to exit <==\n.*END\nready\n')
    with open(out, 'a') as f:
        f.write('streamed\n')
    read_until(p, r'streamed\n')
    p.kill()
    p.wait()

    assert r.ctl('clear', 'a') == (0, 'a: cleared\n')
    assert os.path.getsize(out) == 0
    assert r.ctl('clear', 'nosuch') == (1, 'nosuch: ERROR (no such process)\n')
    assert r.stop() == 0


def test_ctl_maintail(tm, rpc):
    r = rpc()
    d = r.start()
    tm.wait_log(r'supervisord started')
    rc, text = r.ctl('maintail')
    assert rc == 0 and 'supervisord started with pid %d' % d.pid in text
    p = r.ctl_popen('maintail', '-f')
    read_until(p, r'supervisord started with pid')
    # Something new in the main log reaches the stream.
    r.request('POST', '/RPC2', b'stream-marker')
    read_until(p, r"XML-RPC request data 'stream-marker' is invalid")
    p.kill()
    p.wait()
    assert r.stop() == 0


def test_ctl_reread_update_add_remove_avail(tm, rpc):
    r = rpc({'a': sleeper(tm)})
    r.start()
    wait_state(r.proxy(), 'a', 'RUNNING')
    assert r.ctl('reread') == (0, 'No config updates to processes\n')
    r.write_config({'a': sleeper(tm), 'b': sleeper(tm)})
    assert r.ctl('reread') == (0, 'b: available\n')
    rc, lines = r.ctl_lines('avail')
    assert rc == 0
    assert [l.split() for l in lines] == [['a', 'in', 'use', 'auto', '999:999'],
                                          ['b', 'avail', 'auto', '999:999']]
    assert r.ctl('add', 'b') == (0, 'b: added process group\n')
    assert r.ctl('add', 'b') == (0, 'ERROR: process group already active\n')
    assert r.ctl('add', 'nosuch') == \
        (1, 'ERROR: no such process/group: nosuch\n')
    wait_state(r.proxy(), 'b', 'RUNNING')
    assert r.ctl('remove', 'b') == \
        (1, 'ERROR: process/group still running: b\n')
    assert r.ctl('stop', 'b') == (0, 'b: stopped\n')
    assert r.ctl('remove', 'b') == (0, 'b: removed process group\n')
    assert r.ctl('remove', 'nosuch') == \
        (1, 'ERROR: no such process/group: nosuch\n')
    # update: b comes back, a goes.
    r.write_config({'b': sleeper(tm)})
    assert r.ctl('update') == (0, 'a: stopped\na: removed process group\n'
                                  'b: added process group\n')
    assert sorted(status_of(r)[1]) == ['b']
    assert r.ctl('update') == (0, '')
    assert r.stop() == 0


def test_ctl_version_and_shutdown(tm, rpc):
    r = rpc({'a': sleeper(tm)})
    d = r.start()
    wait_state(r.proxy(), 'a', 'RUNNING')
    assert r.ctl('version') == (0, '4.2.5\n')
    assert r.ctl('version', url=r.http_url) == (0, '4.2.5\n')
    assert r.ctl('shutdown') == (0, 'Shut down\n')
    assert d.wait_exit() == 0
    d.check_sanitizers()
    wait_path_gone(r.sock)
    rc, out = r.ctl('status')
    assert rc == 4 and out == 'unix://%s no such file\n' % r.sock
    rc, out = r.ctl('status', url=r.http_url)
    assert rc == 4 and out == '%s refused connection\n' % r.http_url


def test_ctl_shutdown_with_nothing_running(tm, rpc):
    """The reply to shutdown is written even when the daemon stops at
    once."""
    for via in ('unix', 'http'):
        r = rpc()
        d = r.start()
        url = r.http_url if via == 'http' else None
        assert r.ctl('shutdown', url=url) == (0, 'Shut down\n')
        assert d.wait_exit() == 0
        d.check_sanitizers()


def test_ctl_over_tcp(tm, rpc):
    r = rpc({'a': sleeper(tm)}, unix=False)
    r.start()
    wait_state(r.proxy(), 'a', 'RUNNING')
    rc, st, _ = status_of(r)
    assert rc == 0 and st['a'][0] == 'RUNNING'
    assert r.ctl('stop', 'a', url=r.http_url) == (0, 'a: stopped\n')
    assert r.ctl('start', 'a', url='http://127.0.0.1:%d' % r.port) == \
        (0, 'a: started\n')
    assert r.stop() == 0


def test_socket_removed_when_another_server_fails(tm, rpc):
    """Spec 12.1: a start-up error after a server was opened still removes
    its socket file."""
    r = rpc(inet=False)
    busy_path = os.path.join(r.sockdir, 'busy.sock')
    busy = socket.socket(socket.AF_UNIX)
    busy.bind(busy_path)
    busy.listen(1)
    r.extra = '\n[unix_http_server_b]\nfile = %s\n' % busy_path
    r.write_config()
    rc, out, err = r.run()
    busy.close()
    assert rc == 2
    assert 'Error: Another program is already listening' in err
    assert sorted(os.listdir(r.sockdir)) == ['busy.sock']


@pytest.mark.skipif(os.geteuid() != 0, reason='chown needs root')
def test_unix_socket_chown(tm, rpc):
    import grp
    import pwd
    nobody = pwd.getpwnam('nobody').pw_uid
    group = grp.getgrgid(pwd.getpwnam('nobody').pw_gid)
    # A user alone leaves the group as it is (supervisord's (uid, -1)).
    r = rpc(inet=False, unix_keys={'chown': 'nobody'})
    r.start()
    st = os.lstat(r.sock)
    assert (st.st_uid, st.st_gid) == (nobody, os.getegid())
    assert r.stop() == 0
    r = rpc(inet=False, unix_keys={'chown': 'nobody:' + group.gr_name})
    r.start()
    st = os.lstat(r.sock)
    assert (st.st_uid, st.st_gid) == (nobody, group.gr_gid)
    assert r.stop() == 0
