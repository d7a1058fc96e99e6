"""Starts MentorNet's processes on loopback (shared by scripts/run-suite and scripts/check-suite)."""
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(release=False):
    subprocess.run([os.path.join(ROOT, "scripts", "install-deps")], check=True, stdout=sys.stderr)
    configuration = ["-c", "release"] if release else []
    # Build output goes to stderr, so that a script's own output (a report) stays clean.
    subprocess.run(["swift", "build", "--package-path", ROOT] + configuration, check=True, stdout=sys.stderr)
    out = subprocess.run(["swift", "build", "--package-path", ROOT, "--show-bin-path"] + configuration,
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Process:
    """One service process; its output goes to our stdout prefixed with its name."""

    def __init__(self, bin_dir, name, args, env, echo=True):
        self.name = name
        self.args = [os.path.join(bin_dir, "mentornet-" + name)] + args
        self.env = env
        self.echo = echo
        self.port = None
        self.proc = None
        self.lines = []

    def start(self, timeout=60):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=self.env)
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.lines.append(line)
                if self.port is None:
                    match = re.search(r"listening on \S+:(\d+)", line)
                    if match:
                        self.port = int(match.group(1))
                        ready.set()
                if self.echo:
                    sys.stdout.write("[%s] %s" % (self.name, line))
                    sys.stdout.flush()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout) or self.port is None:
            self.stop()
            raise RuntimeError("%s did not start:\n%s" % (self.name, "".join(self.lines)))
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def cpu_seconds(pid):
    """The user and system CPU time process `pid` has used, in seconds (for the benchmarks)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def service_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORNET_")}
    env.update(extra)
    return env


# The iss and aud of the suite's development tokens (the gateway's MENTORNET_JWT_ISSUER and _AUDIENCE).
ISSUER = "mentornet-local"
AUDIENCE = "mentornet"
# The networks the suite's admin token administers: the demo's and the checks'.
ADMIN_NETWORKS = ["acme", "open-source", "guild", "oss"]


def secret_file(path):
    """`path`, holding a random secret (mode 0600) made the first time it is asked for."""
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
    return path


def hs256_token(secret, subject, member=None, admin=(), issuer=ISSUER, audience=AUDIENCE, ttl_seconds=24 * 3600):
    """An HS256 token the gateway accepts, made without mentornet-token (for scripts that run an image
    or an older build)."""
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=")
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": member or subject, "iat": now, "nbf": now,
              "exp": now + ttl_seconds}
    if admin:
        claims["mentornet_admin"] = list(admin)
    signing = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims)
    signature = base64.urlsafe_b64encode(hmac.new(secret.encode(), signing, hashlib.sha256).digest()).rstrip(b"=")
    return (signing + b"." + signature).decode()


def acting_member(path, body):
    """The member a request acts as: `memberId` or `requestedBy` in its body or query, else the member
    of a /v1/members/{id} path; None for a request naming none (a sign-up, a search, an admin's)."""
    if isinstance(body, dict) and (body.get("memberId") or body.get("requestedBy")):
        return body.get("memberId") or body.get("requestedBy")
    route, _, query = path.partition("?")
    for pair in query.split("&"):
        if pair.startswith("memberId="):
            return urllib.parse.unquote(pair[len("memberId="):])
    if route.startswith("/v1/members/"):
        return route[len("/v1/members/"):].split("/")[0].split(":")[0] or None
    return None


def mint_token(bin_dir, jwt_secret_file, member=None, admin=(), subject=None, ttl_minutes=24 * 60):
    """A development token for the gateway, from mentornet-token."""
    command = [os.path.join(bin_dir, "mentornet-token"), "--secret-file", jwt_secret_file, "--issuer", ISSUER,
               "--audience", AUDIENCE, "--ttl-minutes", str(ttl_minutes)]
    if member:
        command += ["--member", member]
    for network in admin:
        command += ["--admin", network]
    if subject:
        command += ["--subject", subject]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=service_env({})).stdout.strip()


class Suite:
    """profiles + matching + sessions + notifications + gateway, with SQLite files under `data_dir`."""

    def __init__(self, bin_dir, data_dir, any_port=False, echo=True):
        self.bin_dir = bin_dir
        self.data_dir = data_dir
        self.any_port = any_port
        self.echo = echo
        self.profiles = None
        self.matching = None
        self.sessions = None
        self.notifications = None
        self.gateway = None

    @property
    def secret_file(self):
        """The service secret the processes share (MENTORNET_SERVICE_SECRET_FILE), made once per data folder."""
        return secret_file(os.path.join(self.data_dir, "service-secret"))

    @property
    def jwt_secret_file(self):
        """The gateway's HS256 secret for development tokens (MENTORNET_JWT_SECRET_FILE), made once per data folder."""
        return secret_file(os.path.join(self.data_dir, "jwt-secret"))

    def env(self, extra):
        return service_env(dict(extra, MENTORNET_SERVICE_SECRET_FILE=self.secret_file))

    def gateway_env(self, extra):
        # Every client of the local suite comes from 127.0.0.1, and its scripts seed through one admin
        # token: no rate limits unless asked for (docs/security.md has the production defaults).
        values = {name: os.environ.get(name, "0")
                  for name in ("MENTORNET_RATE_LIMIT_PER_PRINCIPAL", "MENTORNET_RATE_LIMIT_PER_ADDRESS")}
        values.update(MENTORNET_JWT_SECRET_FILE=self.jwt_secret_file, MENTORNET_JWT_ISSUER=ISSUER,
                      MENTORNET_JWT_AUDIENCE=AUDIENCE)
        values.update(extra)
        return self.env(values)

    def token_for(self, member):
        """The token of `member` (made once, with the development secret), or the admin token for None:
        each request acts as the person it names, as that person's app would."""
        if member is None:
            return self.token
        tokens = self.__dict__.setdefault("member_tokens", {})
        if member not in tokens:
            with open(self.jwt_secret_file) as f:
                tokens[member] = hs256_token(f.read().strip(), member, member=member)
        return tokens[member]

    def mint(self, member=None, admin=(), subject=None):
        """A development token from mentornet-token, signed with this suite's secret."""
        return mint_token(self.bin_dir, self.jwt_secret_file, member, admin, subject)

    def start_profiles(self, port=None):
        port = port if port is not None else (0 if self.any_port else 7101)
        self.profiles = Process(self.bin_dir, "profiles", [],
                                self.env({"MENTORNET_LISTEN": "127.0.0.1:%d" % port,
                                             "MENTORNET_DATA_DIR": os.path.join(self.data_dir, "profiles")}),
                                self.echo).start()
        return self.profiles

    def start_matching(self, port=None):
        port = port if port is not None else (0 if self.any_port else 7102)
        self.matching = Process(self.bin_dir, "matching", [],
                                self.env({"MENTORNET_LISTEN": "127.0.0.1:%d" % port,
                                             "MENTORNET_DATA_DIR": os.path.join(self.data_dir, "matching"),
                                             "MENTORNET_PROFILES_ADDR": "127.0.0.1:%d" % self.profiles.port}),
                                self.echo).start()
        return self.matching

    def start_sessions(self, port=None):
        port = port if port is not None else (0 if self.any_port else 7103)
        self.sessions = Process(self.bin_dir, "sessions", [],
                                self.env({"MENTORNET_LISTEN": "127.0.0.1:%d" % port,
                                             "MENTORNET_DATA_DIR": os.path.join(self.data_dir, "sessions"),
                                             "MENTORNET_PROFILES_ADDR": "127.0.0.1:%d" % self.profiles.port,
                                             "MENTORNET_MATCHING_ADDR": "127.0.0.1:%d" % self.matching.port}),
                                self.echo).start()
        return self.sessions

    def start_notifications(self, port=None):
        port = port if port is not None else (0 if self.any_port else 7104)
        self.notifications = Process(self.bin_dir, "notifications", [],
                                     self.env({"MENTORNET_LISTEN": "127.0.0.1:%d" % port,
                                                  "MENTORNET_DATA_DIR": os.path.join(self.data_dir, "notifications"),
                                                  "MENTORNET_PROFILES_ADDR": "127.0.0.1:%d" % self.profiles.port,
                                                  "MENTORNET_MATCHING_ADDR": "127.0.0.1:%d" % self.matching.port,
                                                  "MENTORNET_SESSIONS_ADDR": "127.0.0.1:%d" % self.sessions.port}),
                                     self.echo).start()
        return self.notifications

    def start(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.start_profiles()
        self.start_matching()
        self.start_sessions()
        self.start_notifications()
        gateway_port = 0 if self.any_port else 8080
        self.gateway = Process(self.bin_dir, "gateway", [],
                               self.gateway_env({"MENTORNET_LISTEN": "127.0.0.1:%d" % gateway_port,
                                            "MENTORNET_PROFILES_ADDR": "127.0.0.1:%d" % self.profiles.port,
                                            "MENTORNET_MATCHING_ADDR": "127.0.0.1:%d" % self.matching.port,
                                            "MENTORNET_SESSIONS_ADDR": "127.0.0.1:%d" % self.sessions.port,
                                            "MENTORNET_NOTIFICATIONS_ADDR": "127.0.0.1:%d" % self.notifications.port}),
                               self.echo).start()
        self.wait_ready()
        # Every request of the scripts carries this token unless it brings its own.
        self.token = self.mint(admin=ADMIN_NETWORKS, subject="mentornet-suite")
        return self

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.gateway.port

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, _ = self.request("GET", "/readyz")
            if status == 200:
                return
            time.sleep(0.05)
        raise RuntimeError("the suite did not become ready within %d s" % timeout)

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(headers or {})
        if getattr(self, "token", None) and "Authorization" not in headers:
            headers["Authorization"] = "Bearer " + self.token_for(acting_member(path, body))
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        request.add_header("Content-Type", "application/json")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except (urllib.error.URLError, ConnectionError):
            return 0, None

    def stop(self):
        for process in (self.gateway, self.notifications, self.sessions, self.matching, self.profiles):
            if process:
                process.stop()
