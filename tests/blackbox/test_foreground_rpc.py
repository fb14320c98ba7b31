# SPDX-License-Identifier: ISC
"""The foreground taskmaster serves the config's sockets too: the real
supervisorctl drives it while its own shell runs."""

import os
import subprocess
import tempfile

from conftest import BUILD, T, wait_until

TASKMASTER = BUILD / 'taskmaster'


def test_supervisorctl_drives_foreground_taskmaster():
    with tempfile.TemporaryDirectory(prefix='tmfg-') as d:
        sock = os.path.join(d, 's.sock')
        conf = os.path.join(d, 'tm.conf')
        with open(conf, 'w') as f:
            f.write('[supervisord]\nlogfile=%s/tm.log\nchildlogdir=%s\n'
                    'pidfile=%s/tm.pid\n'
                    '[unix_http_server]\nfile=%s\n'
                    '[rpcinterface:supervisor]\n'
                    'supervisor.rpcinterface_factory = '
                    'supervisor.rpcinterface:make_main_rpcinterface\n'
                    '[supervisorctl]\nserverurl=unix://%s\n'
                    '[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n'
                    % (d, d, d, sock, sock))
        tm = subprocess.Popen([str(TASKMASTER), '-c', conf],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: os.path.exists(sock), msg='socket')

            def ctl(*args):
                return subprocess.run(['supervisorctl', '-c', conf] +
                                      list(args), capture_output=True,
                                      text=True, timeout=T)

            wait_until(lambda: 'RUNNING' in ctl('status', 'a').stdout,
                       msg='a RUNNING')
            r = ctl('stop', 'a')
            assert (r.returncode, r.stdout) == (0, 'a: stopped\n')
            out, _ = tm.communicate(b'status\n', timeout=T)
            assert out.decode().startswith('a ')
            assert 'STOPPED' in out.decode()
            assert tm.returncode == 0
            assert not os.path.exists(sock)
        finally:
            if tm.poll() is None:
                tm.kill()
                tm.wait()
