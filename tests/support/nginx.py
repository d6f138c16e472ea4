"""Run the project's nginx site config (deploy/nginx/hoithiso.conf) as a process of our own.

The shipped file is for a server with TLS and fixed ports; ``site_config`` makes a copy that
listens on a free loopback port without TLS, proxies to the given Daphne ports and serves the
given static folder, and ``start_nginx`` runs it with a temporary prefix (its own pid file,
logs and temp folders), so it never touches the machine's nginx.
"""

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import ROOT, free_port

SITE = ROOT / "deploy" / "nginx" / "hoithiso.conf"


def nginx_path() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def site_config(*, port: int, upstream_ports: list[int], static_root: Path) -> str:
    text = SITE.read_text()
    # The port-80 redirect server goes; the TLS server listens on ``port`` in plain HTTP.
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n\n", "", text, count=1, flags=re.S)
    text = re.sub(r"    listen 443 ssl http2;.*\n", f"    listen 127.0.0.1:{port};\n", text)
    text = re.sub(r"    listen \[::\]:443.*\n", "", text)
    text = re.sub(r"    ssl_certificate.*\n", "", text)
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    text = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, text, count=1)
    return text.replace("/srv/hoithiso/staticfiles/", f"{static_root}/")


def main_config(prefix: Path, site: Path) -> str:
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in kinds)
    # As root, nginx's workers would switch to "nobody", who cannot write the test's temp folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  {temp}\n  include {site};\n}}\n"
    )


@dataclass
class Nginx:
    port: int
    process: subprocess.Popen
    prefix: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def write_config(prefix: Path, *, upstream_ports: list[int], static_root: Path, port: int) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "site.conf"
    site.write_text(site_config(port=port, upstream_ports=upstream_ports, static_root=static_root))
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site))
    return conf


def check_config(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [nginx_path(), "-t", "-p", str(conf.parent), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )


def start_nginx(prefix: Path, *, upstream_ports: list[int], static_root: Path) -> Nginx:
    port = free_port()
    conf = write_config(prefix, upstream_ports=upstream_ports, static_root=static_root, port=port)
    process = subprocess.Popen(
        [nginx_path(), "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(prefix / "stderr.log").open("wb"),
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(prefix / 'stderr.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return Nginx(port=port, process=process, prefix=prefix)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not listen in 15 s")
