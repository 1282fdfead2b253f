"""Backups of the database and the uploaded documents, and restoring them (docs/operations.md, "Backup and restore").

A backup is one folder: `database.dump` (pg_dump's custom format), `media.tar.gz` (everything under MEDIA_ROOT) and
`manifest.json`, which says when it was taken, from which database, the migrations that database had reached, and
the size and SHA-256 of both files. A restore checks all of that before it changes anything, refuses a database that
already has tables unless told to replace them (and then keeps the old tables aside rather than dropping them), and
brings the restored database up to this release's migrations.

PostgreSQL only: the embedded SQLite database is one file, copied with MEDIA_ROOT while nothing runs.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
# `restore --force` renames the schema it replaces to this prefix and the UTC time, and leaves it for the operator.
REPLACED_PREFIX = "public_replaced_"
READ_CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that could not go on; the message says why and whether anything was changed."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    manifest: dict


@dataclass(frozen=True)
class Restore:
    manifest: dict
    documents: int
    replaced_schema: str | None
    audit_intact: bool
    audit_problem: str


def backup_create(*, parent: Path, name: str | None = None, progress: Progress) -> Backup:
    """Write a new backup folder inside `parent`: the database, then the documents, then the manifest."""
    database = _postgresql_settings()
    taken_at = datetime.now(UTC)
    name = name or f"stp-portal-{taken_at:%Y%m%d-%H%M%S}Z"
    if name != Path(name).name or name.startswith("."):
        raise BackupError(f"{name!r} is not a folder name: give a plain name, without slashes or a leading dot.")
    folder = parent / name
    if folder.exists():
        raise BackupError(f"{folder} already exists: a backup never overwrites another. Choose another name.")
    media_root = Path(settings.MEDIA_ROOT)
    if parent.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(
            f"{parent} is inside MEDIA_ROOT ({media_root}), so each backup would hold the ones before it."
        )
    dump_command, environment = _client_command("pg_dump", "--format=custom", "--no-owner", "--no-privileges")
    heads = migration_heads()
    # Written under a hidden name and renamed when complete, so a folder without the dot is always a whole backup.
    partial = parent / f".{name}.partial"
    parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)  # the dump holds personal data: only its owner may read it
    try:
        progress(f"Dumping database {database['NAME']} with {_version('pg_dump')} …")
        _run([*dump_command, f"--file={partial / DUMP}"], environment, "pg_dump")
        progress(f"  {DUMP}: {_size((partial / DUMP).stat().st_size)}.")
        # After the dump, so that every document a dumped row names is in the archive.
        progress(f"Archiving the documents in {media_root} …")
        documents = _archive_media(media_root, partial / MEDIA)
        progress(f"  {MEDIA}: {_files(documents)}, {_size((partial / MEDIA).stat().st_size)}.")
        progress("Computing checksums …")
        manifest = {
            "format": MANIFEST_FORMAT,
            "taken_at": taken_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "database": {"name": database["NAME"], "server_version": _server_version()},
            "migrations": heads,
            "files": {
                DUMP: _file_facts(partial / DUMP),
                MEDIA: {**_file_facts(partial / MEDIA), "documents": documents},
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(folder=folder, manifest=manifest)


def backup_restore(*, folder: Path, force: bool = False, progress: Progress, stdout: TextIO) -> Restore:
    """Restore a backup folder into the configured database and MEDIA_ROOT, migrate, and check the audit trail."""
    _postgresql_settings()
    manifest = _checked_manifest(folder, progress)
    media_root = Path(settings.MEDIA_ROOT)
    check_media_archive(folder / MEDIA, media_root)
    unknown = unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"The backup was taken by a later release: this code lacks its migrations {', '.join(unknown)}. Restore "
            "it with that release or a later one. Nothing was changed."
        )
    restore_command, environment = _client_command(
        "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"
    )
    connection = connections["default"]
    _refuse_other_sessions(connection)
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"Database {connection.settings_dict['NAME']} already has {len(tables)} tables: restore into a new, "
            "empty database, or add --force to replace these (they are kept in a schema of their own). Nothing "
            "was changed."
        )
    replaced = _set_aside_public_schema(connection) if tables else None
    if replaced:
        progress(f"Moved the {len(tables)} existing tables aside into schema {replaced}.")
    connection.close()  # pg_restore works on its own connection; hold nothing open beside it
    progress(f"Restoring {DUMP} into database {connection.settings_dict['NAME']} with {_version('pg_restore')} …")
    try:
        _run([*restore_command, str(folder / DUMP)], environment, "pg_restore")
    except BackupError as failed:
        if replaced:
            _put_back_public_schema(connection, replaced)
        raise BackupError(f"{failed}\nNothing was changed: the database is as it was before.") from None

    progress(f"Unpacking the documents into {media_root} …")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as archive:
        archive.extractall(media_root, filter="data")
    progress(f"  {_files(manifest['files'][MEDIA]['documents'])}.")
    progress("Migrating the restored database to this release …")
    try:
        call_command("migrate", interactive=False, stdout=stdout)
    except Exception as error:
        raise BackupError(
            f"the database and documents were restored, but migrate failed ({error}). Mend the cause and run "
            "`manage.py migrate`, or restore again with --force."
        ) from error
    # Sessions and the signed-in person are read from the cache (docs/adr/0019): entries there belong to the
    # replaced data. Beat hands the restored database's unfinished outbox rows to a worker again.
    progress("Emptying the cache …")
    cache.clear()
    progress("Checking the audit trail …")
    intact, problem = _verify_audit(stdout)
    return Restore(
        manifest=manifest,
        documents=manifest["files"][MEDIA]["documents"],
        replaced_schema=replaced,
        audit_intact=intact,
        audit_problem=problem,
    )


def migration_heads() -> dict[str, list[str]]:
    """The last migrations applied to the default database, per app: those no applied migration of the app follows."""
    loader = MigrationLoader(connections["default"], ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    heads: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        node = loader.graph.node_map.get((app_label, name))
        followed = node is not None and any(
            child.key in applied for child in node.children if child.key[0] == app_label
        )
        if not followed:
            heads.setdefault(app_label, []).append(name)
    return heads


def unknown_migrations(heads: dict[str, list[str]]) -> list[str]:
    """The backup's last migrations that this code does not have (squashed ones count as known)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    known.update(tuple(replaced) for migration in loader.disk_migrations.values() for replaced in migration.replaces)
    return [
        f"{app_label}.{name}"
        for app_label, names in sorted(heads.items())
        if app_label in loader.migrated_apps
        for name in names
        if (app_label, name) not in known
    ]


def check_media_archive(path: Path, media_root: Path) -> None:
    """Refuse an archive with a member that would land outside MEDIA_ROOT, or that is a device or a link out."""
    with tarfile.open(path) as archive:
        for member in archive:
            try:
                tarfile.data_filter(member, str(media_root))
            except tarfile.FilterError as refused:
                raise BackupError(f"{MEDIA} is unsafe to unpack: {refused}. Nothing was changed.") from None


# --- The database and its client programs ------------------------------------------------------------------------


def _postgresql_settings() -> dict:
    """The default database's settings; SQLite is refused, as its backup is a copy of its file."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore work with PostgreSQL only. The embedded SQLite database is one file "
            f"({connection.settings_dict['NAME']}): stop the app, then copy that file and MEDIA_ROOT "
            f"({settings.MEDIA_ROOT}) to keep a backup, or copy them back to restore one."
        )
    return connection.settings_dict


def _client_command(program: str, *options: str) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client program's command line for the default database, and its environment. The password
    travels in PGPASSWORD (as Django's `dbshell` passes it), never on a command line others could read."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed: install PostgreSQL's client programs (Debian's postgresql-client), of "
            "the server's major version or later. Nothing was changed."
        )
    database = _postgresql_settings()
    command = [executable, *options]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    command.append(f"--dbname={database['NAME']}")
    _, client_environment = DatabaseClient.settings_to_cmd_args_env(database, [])
    return command, {**os.environ, **(client_environment or {})}


def _run(command: list[str], environment: dict[str, str], program: str) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit status {result.returncode}): {result.stderr.strip()[-2000:]}")


def _version(program: str) -> str:
    return subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()


def _server_version() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _refuse_other_sessions(connection) -> None:
    """A restore needs the database to itself: a web process or worker writing beside it would mix old and new."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        others = cursor.fetchone()[0]
    if others:
        raise BackupError(
            f"{'Another session is' if others == 1 else f'{others} other sessions are'} connected to database "
            f"{connection.settings_dict['NAME']}: stop the web, workers and beat (docker compose stop web worker "
            "reports-worker beat) and try again. Nothing was changed."
        )


def _set_aside_public_schema(connection) -> str:
    """Rename the schema holding the tables and start an empty one, in one transaction; returns the old one's name."""
    replaced = f"{REPLACED_PREFIX}{datetime.now(UTC):%Y%m%d_%H%M%S}"
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        if cursor.fetchone()[0] != "public":
            raise BackupError("The tables are not in schema public: --force replaces only that. Nothing was changed.")
        cursor.execute(f"ALTER SCHEMA public RENAME TO {connection.ops.quote_name(replaced)}")
        cursor.execute("CREATE SCHEMA public")
    return replaced


def _put_back_public_schema(connection, replaced: str) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")  # what the failed restore left: nothing, in one transaction
        cursor.execute(f"ALTER SCHEMA {connection.ops.quote_name(replaced)} RENAME TO public")


def _verify_audit(stdout: TextIO) -> tuple[bool, str]:
    """Run `verify_audit` (its lines go to `stdout`); True when every chain is intact, else False and its verdict."""
    try:
        call_command("verify_audit", stdout=stdout, stderr=StringIO())
    except CommandError as broken:
        return False, str(broken)
    return True, ""


# --- Files ------------------------------------------------------------------------------------------------------


def _archive_media(media_root: Path, path: Path) -> int:
    """Write MEDIA_ROOT's contents to a gzipped tar, names relative to it; returns the number of files."""
    with tarfile.open(path, "w:gz") as archive:
        if media_root.is_dir():
            for child in sorted(media_root.iterdir()):
                archive.add(child, arcname=child.name)
        return sum(member.isfile() for member in archive.getmembers())


def _checked_manifest(folder: Path, progress: Progress) -> dict:
    """The backup's manifest, once both files are found whole: the size and SHA-256 it recorded."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup folder. Nothing was changed.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{folder / MANIFEST} is not valid JSON ({error}). Nothing was changed.") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a manifest this release reads. Nothing was changed.")
    progress(f"Backup of database {manifest['database']['name']} taken at {manifest['taken_at']}.")
    for name in (DUMP, MEDIA):
        expected = manifest["files"][name]
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{path} is missing. Nothing was changed.")
        progress(f"Checking {name} ({_size(expected['bytes'])}) …")
        found = _file_facts(path)
        if found["bytes"] != expected["bytes"] or found["sha256"] != expected["sha256"]:
            raise BackupError(
                f"{path} is not the file the backup wrote: the manifest says {expected['bytes']} bytes with SHA-256 "
                f"{expected['sha256']}, the file has {found['bytes']} bytes with {found['sha256']}. Nothing was "
                "changed."
            )
    return manifest


def _file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(READ_CHUNK):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _size(count: int) -> str:
    """A byte count as people read it: 812 bytes, 4.2 MB."""
    units = ["bytes", "kB", "MB", "GB", "TB"]
    amount = float(count)
    while amount >= 1000 and len(units) > 1:
        amount /= 1000
        units.pop(0)
    return f"{count} bytes" if units[0] == "bytes" else f"{amount:.1f} {units[0]}"
