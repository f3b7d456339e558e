"""The production recipe of deploy/ run on loopback ports: nginx (Debian's
package, the site file deploy/nginx/lms.conf with its ports and paths
substituted) in front of gunicorn (deploy/gunicorn.conf.py) with
lms.settings.production, on the test database.

Runs as any user: nginx gets its own prefix, pid, logs and temp folders
under the test's folder and listens on free loopback ports.
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HOST = "training.example.org"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name=None):
    """A URL of the test database server (the test database, or ``name``)."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def production_env(database_name, root, secret_key):
    """The environment of every production process: secrets and hosts from
    variables, as deploy/README.md documents."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_", "DEBUG", "TWO_FACTOR"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        SITE_URL=f"https://{HOST}",
        DATABASE_URL=database_url(database_name),
        STATIC_ROOT=str(root / "staticfiles"),
        MEDIA_ROOT=str(root / "media"),
        PRIVATE_MEDIA_ROOT=str(root / "private-media"),
        TASKS_BACKEND="immediate",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


def nginx_config(root, https_port, http_port, app_port):
    """deploy/nginx/lms.conf with loopback ports and the test's paths, inside
    a minimal nginx.conf whose pid, logs and temp folders are the test's."""
    site = (ROOT / "deploy" / "nginx" / "lms.conf").read_text()
    substitutions = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/training.example.org/", f"{root}/tls/"),
        ("/srv/lms/", f"{root}/"),
    ]
    for old, new in substitutions:
        assert old in site, f"deploy/nginx/lms.conf no longer contains {old!r}"
        site = site.replace(old, new)
    (root / "site.conf").write_text(site)
    for folder in ("logs", "tmp"):
        (root / folder).mkdir(exist_ok=True)
    # Started by root (as in a container), the workers would drop to
    # "nobody", who cannot enter the test's private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {root}/logs/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {root}/logs/access.log;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    include {root}/site.conf;
}}
"""
    )
    return root / "nginx.conf"


def self_signed_certificate(root):
    tls = root / "tls"
    tls.mkdir(exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def wait_for_port(port, process, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on {port} within {timeout} s")


@dataclass
class Response:
    status: int
    headers: list
    body: bytes

    def header(self, name):
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def set_cookies(self):
        return {value.split("=", 1)[0]: value for key, value in self.headers if key.lower() == "set-cookie"}

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """A client of the proxy from one loopback address (127.0.0.x), with a
    cookie jar; redirects are not followed."""

    port: int
    source: str = "127.0.0.1"
    scheme: str = "https"
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, body=None, headers=None):
        if self.scheme == "https":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, source_address=(self.source, 0), context=context, timeout=30
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, source_address=(self.source, 0), timeout=30)
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for header in response.set_cookies().values():
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, data, **headers):
        origin = f"https://{HOST}"
        return self.request(
            "POST",
            path,
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
                **headers,
            },
        )


class Stack:
    def __init__(self, root, database_name, secret_key):
        self.root = root
        self.env = production_env(database_name, root, secret_key)
        self.https_port, self.http_port, self.app_port = free_port(), free_port(), free_port()
        self.processes = []

    def start(self):
        for folder in ("media", "private-media"):
            (self.root / folder).mkdir(exist_ok=True)
        self_signed_certificate(self.root)
        config = nginx_config(self.root, self.https_port, self.http_port, self.app_port)
        # Production settings refuse a process-local cache; the database
        # cache needs its table.
        manage(self.env, "createcachetable")
        manage(self.env, "collectstatic", "--noinput", "-v", "0")
        # `check --deploy` runs while the servers start (see deploy_check()).
        self.check = subprocess.Popen(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.processes.append(self.check)
        gunicorn_env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.app_port}", "GUNICORN_WORKERS": "2"}
        with open(self.root / "logs" / "gunicorn.log", "wb") as log:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "lms.wsgi"],
                cwd=ROOT,
                env=gunicorn_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(gunicorn)
        with open(self.root / "logs" / "nginx.out", "wb") as log:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(self.root), "-c", str(config), "-e", str(self.root / "logs" / "error.log")],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(nginx)
        wait_for_port(self.https_port, nginx, "nginx")
        wait_for_port(self.app_port, gunicorn, "gunicorn")
        return self

    def deploy_check(self):
        """(exit status, output) of `manage.py check --deploy --fail-level WARNING`."""
        output, _ = self.check.communicate(timeout=120)
        return self.check.returncode, output

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def logs(self):
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in (self.root / "logs").glob("*")
        )

    def browser(self, source="127.0.0.1"):
        return Browser(self.https_port, source)
