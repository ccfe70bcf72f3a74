"""A fake Docker daemon on a unix socket: the oracle the command grader is tested against.

The real `docker` CLI is pointed at it (`DOCKER_HOST=unix://...`). It answers every API call
with a plausible canned response (enough for the CLI to finish) and records each request:
method, path without the `/v1.xx` prefix, query and JSON body. Two command lines have the same
effect when the CLI sends the same requests, after the normalisations the daemon itself applies
(`alpine` -> `alpine:latest`, `SIGKILL` -> `KILL`, ...; see `normalise`).

Streaming endpoints (attach, logs, events, stats) are answered and closed at once, so the CLI
ends instead of waiting for output.
"""

from __future__ import annotations

import json
import re
import socketserver
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

API_VERSION = "1.50"
_VERSIONED = re.compile(r"^/v\d+\.\d+(/.*)$")
ID = "4f66ad9a0b2e6f3c1d7e8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
IMAGE_ID = "sha256:" + "a" * 64
NODE_ID = "nodeid0123456789abcdefghi"
SERVICE_ID = "serviceid0123456789abcdef"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: Any

    def key(self) -> str:
        return json.dumps([self.method, self.path, self.query, self.body], sort_keys=True)


def _service(name: str) -> dict[str, Any]:
    return {
        "ID": SERVICE_ID,
        "Version": {"Index": 10},
        "CreatedAt": "2024-01-01T00:00:00Z",
        "UpdatedAt": "2024-01-01T00:00:00Z",
        "Spec": {
            "Name": name,
            "Labels": {},
            "TaskTemplate": {
                "ContainerSpec": {
                    "Image": "nginx:latest",
                    "Init": False,
                    # secrets the decks' answers name, so removing one changes the spec
                    "Secrets": [
                        {
                            "File": {"Name": n, "UID": "0", "GID": "0", "Mode": 292},
                            "SecretID": f"id-{n}",
                            "SecretName": n,
                        }
                        for n in ("my_secret_data", "db_password", "db_pass", "api_key")
                    ],
                },
                "ForceUpdate": 0,
                "Runtime": "container",
            },
            "Mode": {"Replicated": {"Replicas": 1}},
            "EndpointSpec": {
                "Mode": "vip",
                "Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 80}],
            },
        },
        "Endpoint": {"Spec": {}},
        # a finished update: the CLI's progress display returns at once instead of polling
        "UpdateStatus": {"State": "completed", "Message": "update completed"},
    }


def _node(name: str) -> dict[str, Any]:
    return {
        "ID": NODE_ID,
        "Version": {"Index": 7},
        "CreatedAt": "2024-01-01T00:00:00Z",
        "UpdatedAt": "2024-01-01T00:00:00Z",
        "Spec": {"Name": name, "Labels": {}, "Role": "worker", "Availability": "active"},
        "Description": {"Hostname": name, "Platform": {}, "Resources": {}, "Engine": {}},
        "Status": {"State": "ready", "Addr": "10.0.0.2"},
        "ManagerStatus": {"Leader": True, "Reachability": "reachable", "Addr": "10.0.0.2:2377"},
    }


def _container(name: str) -> dict[str, Any]:
    return {
        "Id": ID,
        "Name": "/" + name,
        "Created": "2024-01-01T00:00:00Z",
        "Path": "sh",
        "Args": [],
        "State": {
            "Status": "running",
            "Running": True,
            "Pid": 42,
            "ExitCode": 0,
            "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []},
        },
        "Image": IMAGE_ID,
        "Config": {
            "Image": "alpine",
            "Tty": False,
            "OpenStdin": False,
            "AttachStdin": False,
            "AttachStdout": True,
            "AttachStderr": True,
            "Labels": {},
        },
        "HostConfig": {"NetworkMode": "default"},
        "NetworkSettings": {"Networks": {}, "Ports": {}},
        "Mounts": [],
    }


def _routes(method: str, path: str, name: str, query: dict[str, str]) -> tuple[int, Any]:
    parts = path.strip("/").split("/")
    head = parts[0] if parts else ""
    last = parts[-1]
    if path == "/_ping":
        return 200, "OK"
    if path == "/version":
        return 200, {
            "Version": "28.2.2",
            "ApiVersion": API_VERSION,
            "MinAPIVersion": "1.24",
            "Os": "linux",
            "Arch": "amd64",
            "GoVersion": "go1.24",
            "GitCommit": "e6534b4",
            "KernelVersion": "6.0",
            "BuildTime": "2024-01-01T00:00:00Z",
            "Components": [],
        }
    if path == "/info":
        return 200, {
            "ID": "daemon",
            "Containers": 0,
            "Images": 0,
            "Name": "fake",
            "ServerVersion": "28.2.2",
            "OperatingSystem": "Fake",
            "OSType": "linux",
            "Architecture": "x86_64",
            "NCPU": 2,
            "MemTotal": 1 << 30,
            "Driver": "overlay2",
            "Swarm": {"LocalNodeState": "active", "NodeID": NODE_ID, "ControlAvailable": True},
            "Plugins": {},
            "RegistryConfig": {"IndexConfigs": {}},
            "Runtimes": {},
            "SecurityOptions": [],
            "Warnings": [],
        }
    if method == "HEAD":
        return 200, None
    if head == "containers":
        if last == "create" and method == "POST":
            return 201, {"Id": ID, "Warnings": []}
        if last == "json" and len(parts) == 2:
            return 200, [
                {
                    "Id": ID,
                    "Names": ["/web"],
                    "Image": "nginx",
                    "ImageID": IMAGE_ID,
                    "Command": "nginx -g 'daemon off;'",
                    "Created": 1700000000,
                    "State": "running",
                    "Status": "Up 2 hours",
                    "Ports": [],
                    "Labels": {},
                    "Mounts": [],
                    "NetworkSettings": {"Networks": {}},
                }
            ]
        if last == "json":
            return 200, _container(name)
        if last == "wait":
            return 200, {"StatusCode": 0}
        if last == "prune":
            return 200, {"ContainersDeleted": [], "SpaceReclaimed": 0}
        if last == "top":
            return 200, {"Titles": ["PID", "CMD"], "Processes": [["1", "sh"]]}
        if last == "changes":
            return 200, []
        if last == "exec":
            return 201, {"Id": ID}
        if last == "update":
            return 200, {"Warnings": []}
        if last == "logs":  # one line on stdout, one on stderr (multiplexed frames)
            return (
                200,
                b"\x01\x00\x00\x00\x00\x00\x00\x06hello\n\x02\x00\x00\x00\x00\x00\x00\x06error\n",
            )
        if last == "stats":  # one sample (the CLI asks for a stream only without --no-stream)
            return 200, {
                "id": ID,
                "name": "/" + name,
                "read": "2024-01-01T00:00:00Z",
                "cpu_stats": {"cpu_usage": {"total_usage": 0}, "online_cpus": 1},
                "precpu_stats": {"cpu_usage": {"total_usage": 0}},
                "memory_stats": {"usage": 1048576, "limit": 1073741824},
                "networks": {},
                "blkio_stats": {},
                "pids_stats": {"current": 1},
            }
        if last in ("export", "attach"):
            return 200, b"tar"
        if last == "archive":
            return 200, b""
        return 204, None
    if head == "exec":
        if last == "json":
            return 200, {"ID": ID, "Running": False, "ExitCode": 0, "ProcessConfig": {}}
        return 200, b""
    if head == "commit":
        return 201, {"Id": IMAGE_ID}
    if head == "images":
        if last == "json" and len(parts) == 2:
            return 200, [
                {
                    "Id": IMAGE_ID,
                    "ParentId": "",
                    "RepoTags": ["nginx:latest"],
                    "RepoDigests": [],
                    "Created": 1700000000,
                    "Size": 1000,
                    "SharedSize": -1,
                    "Labels": {},
                    "Containers": -1,
                }
            ]
        if last == "json":
            return 200, {
                "Id": IMAGE_ID,
                "RepoTags": [name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"],
                "Config": {},
                "RootFS": {"Type": "layers"},
                "Os": "linux",
                "Architecture": "amd64",
            }
        if last == "history":
            return 200, []
        if last == "prune":
            return 200, {"ImagesDeleted": [], "SpaceReclaimed": 0}
        if last == "search":
            return 200, []
        if last in ("create", "push", "load"):
            return 200, b'{"status":"done"}\n'
        if last == "get":
            return 200, b"tar"
        if method == "DELETE":
            return 200, [{"Deleted": IMAGE_ID}]
        return 201, None
    if head == "build":
        if last == "prune":
            return 200, {"CachesDeleted": [], "SpaceReclaimed": 0}
        return 200, b'{"stream":"done\\n"}\n{"aux":{"ID":"' + IMAGE_ID.encode() + b'"}}\n'
    if head == "volumes":
        if last == "create":
            return 201, {
                "Name": name or "vol",
                "Driver": "local",
                "Mountpoint": "/v",
                "Scope": "local",
            }
        if len(parts) == 1:
            return 200, {"Volumes": [], "Warnings": []}
        if last == "prune":
            return 200, {"VolumesDeleted": [], "SpaceReclaimed": 0}
        if method == "GET":
            return 200, {"Name": name, "Driver": "local", "Mountpoint": "/v", "Scope": "local"}
        return 204, None
    if head == "networks":
        if last == "create":
            return 201, {"Id": ID, "Warning": ""}
        if len(parts) == 1:
            return 200, []
        if last == "prune":
            return 200, {"NetworksDeleted": []}
        if method == "GET":
            return 200, {"Name": name, "Id": ID, "Driver": "bridge", "Scope": "local"}
        return 200, None
    if head == "swarm":
        if path == "/swarm":
            return 200, {
                "ID": "swarm",
                "Version": {"Index": 3},
                "Spec": {
                    "Orchestration": {},
                    "Raft": {},
                    "Dispatcher": {},
                    "CAConfig": {},
                    "TaskDefaults": {},
                    "EncryptionConfig": {},
                },
                "JoinTokens": {"Worker": "SWMTKN-worker", "Manager": "SWMTKN-manager"},
            }
        if last == "init":
            return 200, NODE_ID
        if last == "unlockkey":
            return 200, {"UnlockKey": "SWMKEY-1"}
        return 200, None
    if head == "nodes":
        if len(parts) == 1:
            return 200, [_node("node-1")]
        if method == "GET":
            return 200, _node(name)
        return 200, None
    if head == "services":
        if last == "create":
            return 201, {"ID": SERVICE_ID}
        if len(parts) == 1:
            if "com.docker.stack.namespace" in query.get("filters", ""):
                old = _service("app_old")  # a stack's service its file no longer has
                old["Spec"]["Labels"] = {"com.docker.stack.namespace": "app"}
                return 200, [old]
            return 200, [_service("web")]
        if last == "update":
            return 200, {"Warnings": []}
        if last == "logs":
            return 200, b""
        if method == "GET":
            return 200, _service(name)
        return 200, None
    if head == "tasks":
        return 200, [
            {
                "ID": "taskid0123456789abcdefghij",
                "Version": {"Index": 11},
                "ServiceID": SERVICE_ID,
                "NodeID": NODE_ID,
                "Slot": 1,
                "Spec": {"ContainerSpec": {"Image": "nginx:latest@sha256:" + "c" * 64}},
                "DesiredState": "running",
                "Status": {
                    "State": "running",
                    "Message": "started",
                    "Timestamp": "2024-01-01T00:00:00Z",
                },
            }
        ]
    if head in ("secrets", "configs"):
        if last == "create":
            return 201, {"ID": ID}
        if len(parts) == 1:  # every secret or config asked for exists
            names = sorted(json.loads(query.get("filters", "{}")).get("name", {}))
            return 200, [
                {"ID": f"id-{n}", "Version": {"Index": 1}, "Spec": {"Name": n}} for n in names
            ]
        if method == "GET":
            return 200, {"ID": ID, "Version": {"Index": 1}, "Spec": {"Name": name}}
        return 204, None
    if head == "plugins":
        if len(parts) == 1:
            return 200, [
                {
                    "Id": ID,
                    "Name": "vieux/sshfs:latest",
                    "Enabled": True,
                    "Config": {"Description": "sshFS plugin for Docker"},
                }
            ]
        if last == "privileges":  # a plugin that asks for a permission, so the CLI prompts
            return 200, [{"Name": "network", "Description": "", "Value": ["host"]}]
        if last == "json":
            return 200, {"Id": ID, "Name": name, "Enabled": True, "Settings": {}, "Config": {}}
        return 200, None
    if head == "system" and last == "df":
        return 200, {
            "LayersSize": 0,
            "Images": [],
            "Containers": [],
            "Volumes": [],
            "BuildCache": [],
        }
    if head == "events":
        return 200, b""
    if head == "auth":
        return 200, {"Status": "Login Succeeded"}
    if head == "distribution":
        return 200, {
            "Descriptor": {"mediaType": "m", "digest": "sha256:" + "b" * 64, "size": 1},
            "Platforms": [{"architecture": "amd64", "os": "linux"}],
        }
    return 200, {}


def _json_canonical(value: str) -> str:
    """A JSON query value (filters) with its keys sorted: Go maps have no order."""
    if not value.startswith("{"):
        return value
    try:
        return json.dumps(json.loads(value), sort_keys=True)
    except ValueError:
        return value


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def address_string(self) -> str:
        return "unix"

    def _handle(self) -> None:
        split = urlsplit(self.path)
        match = _VERSIONED.match(split.path)
        path = unquote(match.group(1) if match else split.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = b""
        if length:
            raw = self.rfile.read(length)
        elif self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = self._read_chunked()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"bytes": len(raw)}
        query = tuple(
            sorted(
                (k, _json_canonical(v)) for k, v in parse_qsl(split.query, keep_blank_values=True)
            )
        )
        if path != "/_ping":
            self.server.requests.append(Request(self.command, path, query, body))
        parts = path.strip("/").split("/")
        name = parts[1] if len(parts) > 2 or (len(parts) == 2 and self.command != "POST") else ""
        if self.headers.get("Upgrade"):
            self.send_response(101)
            self.send_header("Content-Type", "application/vnd.docker.raw-stream")
            self.send_header("Connection", "Upgrade")
            self.send_header("Upgrade", self.headers.get("Upgrade"))
            self.end_headers()
            self.close_connection = True
            return
        status, payload = _routes(self.command, path, name, dict(query))
        self.send_response(status)
        self.send_header("Api-Version", API_VERSION)
        self.send_header("Docker-Experimental", "false")
        self.send_header("Ostype", "linux")
        self.send_header("Server", "Docker/28.2.2 (linux)")
        if isinstance(payload, bytes):
            data = payload
            self.send_header("Content-Type", "application/octet-stream")
            self.close_connection = True
        elif payload is None:
            data = b""
        elif isinstance(payload, str):
            data = payload.encode()
            self.send_header("Content-Type", "text/plain")
        else:
            data = json.dumps(payload).encode()
            self.send_header("Content-Type", "application/json")
        if status != 204:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and status != 204:
            self.wfile.write(data)

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            line = self.rfile.readline()
            size = int(line.strip().split(b";")[0] or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    requests: list[Request]

    def handle_error(self, request: object, client_address: object) -> None:
        """The CLI may hang up before reading an answer it does not need: not an error."""


class FakeDockerDaemon:
    """A threaded fake daemon on `socket`; `requests` is what it received since `clear()`."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self._server = _Server(str(socket), _Handler)
        self._server.requests = []
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[Request]:
        return list(self._server.requests)

    def clear(self) -> None:
        self._server.requests = []

    def __enter__(self) -> FakeDockerDaemon:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.socket.unlink(missing_ok=True)
