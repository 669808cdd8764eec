"""Run the database tests on PostgreSQL, in a throwaway database created and dropped here.

Used by ``make test-pg``. The server is ``CLUSTERBRIDGE_TEST_PG_ADMIN_URL`` (default: the local
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
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL leg SKIPPED: cannot connect to {ADMIN_URL}: {error}".strip())
        return 1 if os.environ.get("CI") else 0
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    print(f"PostgreSQL leg: database {name}")
    try:
        env = {**os.environ, "CLUSTERBRIDGE_TEST_DATABASE_URL": url}
        command = [sys.executable, "-m", "pytest", "-m", "db and not browser", *sys.argv[1:]]
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


if __name__ == "__main__":
    sys.exit(main())
