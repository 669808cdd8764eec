"""Every address the package ships (its data files, templates and code) is a public one: none
points to a staging or temporary host, whose pages disappear."""

import re
from pathlib import Path

import pytest

import clusterbridge

pytestmark = pytest.mark.unit

PACKAGE = Path(clusterbridge.__file__).parent
#: Hosts of a preview, staging or temporary copy of a site (the ECCP's were ``*.hosted-temp.com``).
NOT_PUBLIC = re.compile(r"hosted-temp|staging|(^|[.-])temp[.-]|^impr-\d|\.(local|internal|test)$")
HOST = re.compile(r"https?://([A-Za-z0-9.-]+)")
#: The migration that replaces those addresses in stored rows has to name them.
REPLACING = "db/migrations/versions/20261207_1700_0037_readiness_source_links.py"
BINARY = {".pyc", ".png", ".jpg", ".ico", ".woff", ".woff2", ".ttf", ".pdf", ".xlsx", ".gz"}


def _shipped_hosts() -> list[tuple[str, str]]:
    """(file, host) of every http(s) address in the package's text files."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix not in BINARY and "__pycache__" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            relative = str(path.relative_to(PACKAGE))
            found += [(relative, host.lower()) for host in HOST.findall(text)]
    return found


def test_no_shipped_address_points_to_a_staging_or_temporary_host() -> None:
    hosts = _shipped_hosts()

    assert [(f, host) for f, host in hosts if NOT_PUBLIC.search(host) and f != REPLACING] == []
    assert {host for f, host in hosts if f == REPLACING and NOT_PUBLIC.search(host)}
    assert ("services/monitoring/data/readiness_questions.toml", "clustercollaboration.eu") in hosts


@pytest.mark.parametrize(
    ("host", "public"),
    [
        ("impr-0001-1260-partners.eccp.hosted-temp.com", False),
        ("staging.clustercollaboration.eu", False),
        ("preview.temp.example.com", False),
        ("clustercollaboration.eu", True),
        ("www.cluster-analysis.org", True),
        ("eismea.ec.europa.eu", True),
    ],
)
def test_the_check_tells_staging_hosts_from_public_ones(host: str, public: bool) -> None:
    assert (NOT_PUBLIC.search(host) is None) == public
