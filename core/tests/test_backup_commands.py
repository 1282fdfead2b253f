"""`backup` and `restore` work with PostgreSQL only, and say so plainly on the embedded SQLite database, which is a
file to copy; before a restore changes anything it refuses a documents archive that would write outside MEDIA_ROOT and
a backup from a later release (core/backups.py). The drill on PostgreSQL is tests/test_backup_restore.py."""

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from core.backups import BackupError, check_media_archive, unknown_migrations
from tests.fixtures import process_environment

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_sqlite_naming_the_file_to_copy_instead(command, tmp_path):
    database = tmp_path / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", command, str(tmp_path / "backups")],
        cwd=ROOT,
        env=process_environment(DEBUG="true", VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{database}"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "work with PostgreSQL only" in result.stderr
    assert f"The embedded SQLite database is one file ({database})" in result.stderr
    assert not (tmp_path / "backups").exists()


def archive(path: Path, *members: tarfile.TarInfo) -> Path:
    with tarfile.open(path, "w:gz") as written:
        for member in members:
            written.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return path


def file_member(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size = 1
    return member


def link_member(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, target
    return member


def test_a_documents_archive_of_plain_files_inside_media_root_may_be_unpacked(tmp_path):
    inside = archive(tmp_path / "media.tar.gz", file_member("attachments/2026/minutes.pdf"), file_member("a.txt"))
    check_media_archive(inside, tmp_path / "media")


@pytest.mark.parametrize(
    "member",
    [file_member("../settings.py"), file_member("attachments/../../escape.txt"), link_member("key", "/etc/passwd")],
    ids=["parent", "parent-within", "link-out"],
)
def test_a_documents_archive_reaching_outside_media_root_is_refused(member, tmp_path):
    with pytest.raises(BackupError, match="media.tar.gz is unsafe to unpack.*Nothing was changed"):
        check_media_archive(archive(tmp_path / "media.tar.gz", member), tmp_path / "media")


def test_migrations_this_release_lacks_are_named_and_those_of_apps_it_no_longer_has_ignored():
    heads = {
        "core": ["0005_audit_chain"],
        "reporting": ["0003_from_a_later_release"],
        "an_app_since_removed": ["0001_initial"],
    }
    assert unknown_migrations(heads) == ["reporting.0003_from_a_later_release"]
