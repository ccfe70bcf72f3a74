"""A real PostgreSQL for the tests: Debian's server, started by the tests themselves.

The server refuses to run as root, so when the tests run as root it is started as the
unprivileged user `nobody` (runuser), in a temporary folder chowned to it, listening on a
unix socket in that folder only (listen_addresses=''). One server per test session; each test
gets a database of its own. Where no server can be had, `oracle_missing` skips (fails in CI).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.oracles import oracle_missing

PASSWORD_ROLE_NOTE = "roles made by `role` log in with a password (scram-sha-256)"


def _program(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@dataclass
class PgServer:
    folder: Path
    data: Path
    pg_ctl: str
    as_user: list[str]

    @property
    def socket(self) -> str:
        return str(self.folder)

    def url(self, database: str = "postgres", user: str = "postgres", password: str = "") -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@/{database}?host={self.socket}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(
            host=self.socket, user="postgres", dbname=database, autocommit=True
        ) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(f"CREATE DATABASE {name}")
        return name

    def role(self, name: str, password: str, database: str) -> None:
        self.sql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        self.sql(f"GRANT CREATE, CONNECT ON DATABASE {database} TO {name}")

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    initdb, pg_ctl = _program("initdb"), _program("pg_ctl")
    if initdb is None or pg_ctl is None:
        oracle_missing("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        oracle_missing("psycopg is not installed")
    folder = Path(tempfile.mkdtemp(prefix="quizapp-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            oracle_missing("running as root without runuser: cannot start PostgreSQL")
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        as_user = [runuser, "-u", "nobody", "--"]
    data = folder / "data"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(
        [
            *as_user,
            initdb,
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        oracle_missing(f"initdb failed: {result.stderr.strip()[-300:]}")
    hba = "local all postgres trust\nlocal all all scram-sha-256\n"
    subprocess.run([*as_user, "sh", "-c", f"printf '{hba}' > {data}/pg_hba.conf"], check=True)
    options = f"-k {folder} -c listen_addresses='' -F -c max_connections=60"
    result = subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        check=False,
    )
    if result.returncode != 0:
        log = (
            (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        )
        shutil.rmtree(folder, ignore_errors=True)
        oracle_missing(f"PostgreSQL did not start: {result.stderr.strip()[-200:]} {log}")
    return PgServer(folder, data, pg_ctl, as_user)
