"""Run the database tests on PostgreSQL, in throwaway databases created and dropped here.

Used by ``make test-pg``. The tests run on ``CLUSTERBRIDGE_TEST_WORKERS`` pytest-xdist workers
(default 2, this machine's cores; 0 runs them in the pytest process), each with its own database. The server is ``CLUSTERBRIDGE_TEST_PG_ADMIN_URL`` (default: the local
server, user postgres). Without a reachable server the leg is skipped with a message, except in
CI (``CI`` set), where that is an error.
"""

import os
import subprocess
import sys
import uuid

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get(
    "CLUSTERBRIDGE_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def main() -> int:
    name = f"clusterbridge_test_{uuid.uuid4().hex[:8]}"
    workers = int(os.environ.get("CLUSTERBRIDGE_TEST_WORKERS", "2"))
    databases = [f"{name}_gw{index}" for index in range(max(workers, 1))]
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL leg SKIPPED: cannot connect to {ADMIN_URL}: {error}".strip())
        return 1 if os.environ.get("CI") else 0
    with admin:
        for database in databases:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            # A commit need not wait for its write-ahead log to reach the disk: a crash of
            # the server would lose the last commits of a database dropped at the end anyway,
            # and the tests commit thousands of times (every job and message is a transaction).
            admin.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
                    sql.Identifier(database)
                )
            )
    server = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{server}/{name}_{{worker}}"
    print(f"PostgreSQL leg: databases {', '.join(databases)}")
    try:
        env = {**os.environ, "CLUSTERBRIDGE_TEST_DATABASE_URL": url}
        parallel = ["-n", str(workers)] if workers else []
        # The browser tests, the namespace deployment (its own PostgreSQL cluster) and the
        # Celery workers test what is not the database: once, on SQLite, is enough.
        selection = "db and not browser and not deployment and not broker"
        command = [sys.executable, "-m", "pytest", "-m", selection, *parallel]
        return subprocess.run([*command, *sys.argv[1:]], env=env, check=False).returncode
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            for database in databases:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )


if __name__ == "__main__":
    sys.exit(main())
