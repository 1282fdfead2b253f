"""The backup and restore drill (docs/operations.md, "Backup and restore"), run the way an operator runs it: each step
is `manage.py` in a process of its own, on PostgreSQL databases this module creates and drops.

A source database gets the demo data and MEDIA_ROOT a document; `backup` writes them out; `restore` puts them into a
new, empty database and another MEDIA_ROOT; and the app, started on what was restored, serves the demo partnership's
pages with the same rows, the same document and an intact audit trail. A restore refuses, changing nothing, a
database that already has tables (unless --force, which keeps them aside) and a backup whose files were altered.
"""

import hashlib
import json
import shutil
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.fixtures import process_environment, skip_or_fail
from tests.processes import server_url, sql

# One xdist worker runs the whole module (`--dist loadgroup`, Makefile), so the source is built once.
pytestmark = [pytest.mark.services, pytest.mark.xdist_group("backup_drill")]

ROOT = Path(settings.BASE_DIR)
# A stop for a hung process, not a measure of speed.
PROCESS_TIMEOUT_SECONDS = 300
DOCUMENT = "attachments/2026/board-minutes.pdf"
# Tables whose rows the restored database must have as many of as the source.
COUNTED_TABLES = [
    "core_user",
    "core_auditevent",
    "partnerships_partnership",
    "partnerships_organisation",
    "workstreams_meeting",
    "workstreams_action",
    "engagement_feedback",
    "governance_decision",
    "governance_risk",
]
# Builds the source: the schema, then the demo data, with the demo people's passwords hashed cheaply (PBKDF2's rounds
# would add seconds for each of them; the drill is about rows, not hashes).
SEED = """
from django.core.management import call_command
from django.test import override_settings
call_command("migrate", verbosity=0)
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    call_command("seed_demo", verbosity=0)
"""
# Run against the restored database: the pages a visitor and the partnership's lead see, then the audit check.
SERVE_CHECK = """
import json
from django.core.management import call_command
from django.test import Client
from core.models import User
visitor = Client()
public = visitor.get("/public/QZZ/", HTTP_HOST="127.0.0.1")
lead = Client()
lead.force_login(User.objects.get(username="lead"))
register = lead.get("/partnerships/QZZ/decisions/", HTTP_HOST="127.0.0.1")
call_command("verify_audit")
print(json.dumps({
    "public": [public.status_code, public.content.decode()],
    "register": [register.status_code, register.content.decode()],
}))
"""
# Makes a copy of the source an older release's database (its last reporting migration undone) and backs it up, in
# one process: every manage.py costs seconds of imports.
OLDER_RELEASE_BACKUP = """
from django.core.management import call_command
call_command("migrate", "reporting", "0001", verbosity=0)
call_command("backup", "{folder}", name="older-release")
"""


def drop_database(name: str) -> None:
    sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def row_counts(database: str) -> dict[str, int]:
    return {table: sql(database, f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED_TABLES}


def table_count(database: str) -> int:
    return sql(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0]


def schemas(database: str) -> list[str]:
    return [name for (name,) in sql(database, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public%'")]


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Drill:
    """The databases and folders of this module's run, and the backup of the source."""

    folder: Path
    prefix: str
    created: list[str]
    source: str = ""
    backup: Path | None = None
    source_counts: dict[str, int] | None = None

    def new_database(self, role: str, template: str = "template0") -> str:
        name = f"{self.prefix}_{role}"
        sql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.created.append(name)
        return name

    def media_root(self, database: str) -> Path:
        return self.folder / database / "media"

    def manage(self, database: str, *arguments: str) -> subprocess.CompletedProcess:
        """`manage.py` on `database`, with its own VAR_DIR and MEDIA_ROOT and a laptop's settings otherwise."""
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=process_environment(
                DEBUG="true",
                DATABASE_URL=server_url(database),
                VAR_DIR=str(self.folder / database / "var"),
                MEDIA_ROOT=str(self.media_root(database)),
                # The lead, signed in without a second factor, may open the register.
                SECOND_FACTOR_REQUIRED="false",
            ),
            capture_output=True,
            text=True,
            timeout=PROCESS_TIMEOUT_SECONDS,
        )

    def manage_ok(self, database: str, *arguments: str) -> str:
        result = self.manage(database, *arguments)
        assert result.returncode == 0, (
            f"manage.py {' '.join(arguments)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
        return result.stdout


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """A source database with the demo data and a document in its MEDIA_ROOT, and a backup of both."""
    try:
        sql("postgres", "SELECT 1")
    except psycopg2.OperationalError:
        skip_or_fail("The backup drill needs PostgreSQL: none answers on DATABASE_URL's server (or 127.0.0.1:5432)")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        skip_or_fail("The backup drill needs pg_dump and pg_restore (Debian's postgresql-client)")
    drill = Drill(folder=tmp_path_factory.mktemp("drill"), prefix=f"stp_drill_{uuid.uuid4().hex[:8]}", created=[])
    try:
        drill.source = drill.new_database("src")
        drill.manage_ok(drill.source, "shell", "-c", SEED)
        document = drill.media_root(drill.source) / DOCUMENT
        document.parent.mkdir(parents=True)
        document.write_bytes(b"%PDF-1.4 minutes of the board\n" + uuid.uuid4().bytes * 64)
        drill.source_counts = row_counts(drill.source)
        drill.manage_ok(drill.source, "backup", str(drill.folder / "backups"), "--name", "nightly")
        drill.backup = drill.folder / "backups" / "nightly"
        yield drill
    finally:
        # Together: each DROP DATABASE waits for a checkpoint, and PostgreSQL serves the waiting ones with one.
        with ThreadPoolExecutor() as pool:
            list(pool.map(drop_database, drill.created))


def test_a_backup_restored_into_a_fresh_database_is_served_by_the_app(drill):
    manifest = json.loads((drill.backup / "manifest.json").read_text())
    assert manifest["database"]["name"] == drill.source
    assert manifest["migrations"]["core"] == ["0005_audit_chain"]
    for name in ("database.dump", "media.tar.gz"):
        assert manifest["files"][name]["sha256"] == checksum(drill.backup / name)

    target = drill.new_database("restored")
    output = drill.manage_ok(target, "restore", str(drill.backup))
    assert "The audit trail is intact" in output

    restored = drill.media_root(target) / DOCUMENT
    assert checksum(restored) == checksum(drill.media_root(drill.source) / DOCUMENT)
    assert row_counts(target) == drill.source_counts
    assert drill.source_counts["core_auditevent"] > 0 and drill.source_counts["governance_decision"] > 0
    answers = json.loads(drill.manage_ok(target, "shell", "-c", SERVE_CHECK).splitlines()[-1])
    approved = sql(
        target, "SELECT reference FROM governance_decision WHERE status = 'approved' AND visibility = 'public'"
    )
    drafts = sql(target, "SELECT reference FROM governance_decision WHERE status = 'draft'")
    public_status, public_page = answers["public"]
    register_status, register_page = answers["register"]
    assert (public_status, register_status) == (200, 200)
    assert approved and all(reference in public_page for (reference,) in approved)
    assert drafts and all(reference in register_page and reference not in public_page for (reference,) in drafts)


def test_restore_refuses_a_backup_whose_dump_was_altered_and_changes_nothing_even_when_forced(drill):
    altered = drill.folder / "backups" / "altered"
    shutil.copytree(drill.backup, altered)
    dump = bytearray((altered / "database.dump").read_bytes())
    dump[len(dump) // 2] ^= 0xFF
    (altered / "database.dump").write_bytes(bytes(dump))
    document = drill.media_root(drill.source) / DOCUMENT
    before = checksum(document)

    result = drill.manage(drill.source, "restore", "--force", str(altered))
    assert result.returncode == 1
    assert "database.dump is not the file the backup wrote" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert schemas(drill.source) == ["public"]
    assert row_counts(drill.source) == drill.source_counts
    assert checksum(document) == before


def test_restore_refuses_a_database_with_tables_unless_forced_and_then_keeps_them_aside(drill):
    """A backup taken before the last reporting migration (an older release's) replaces a database with tables, and
    restore brings it up to date."""
    older = drill.new_database("older", template=drill.source)
    drill.manage_ok(older, "shell", "-c", OLDER_RELEASE_BACKUP.format(folder=drill.folder / "backups"))
    backup = drill.folder / "backups" / "older-release"
    assert json.loads((backup / "manifest.json").read_text())["migrations"]["reporting"] == ["0001_initial"]
    tables = table_count(older)

    refused = drill.manage(older, "restore", str(backup))
    assert refused.returncode == 1
    assert f"Database {older} already has {tables} tables" in refused.stderr
    assert (schemas(older), table_count(older)) == (["public"], tables)

    output = drill.manage_ok(older, "restore", "--force", str(backup))
    assert "Applying reporting.0002_partnership_exports... OK" in output
    assert "The audit trail is intact" in output
    kept = [name for name in schemas(older) if name.startswith("public_replaced_")]
    assert len(kept) == 1 and f"DROP SCHEMA {kept[0]} CASCADE" in output
    assert table_count(older) == table_count(drill.source)
    assert row_counts(older) == drill.source_counts
