"""``manage.py backup`` and ``restore``: a fresh database gets back every row exactly (the
append-only audit trail too) and the media folder every file, on SQLite and PostgreSQL; a
database that holds records is refused unless told; a damaged archive restores nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.core.roles import Role
from stride.web.demo.loader import load_demo
from stride.web.operations.backup import (
    EXCLUDED,
    BackupError,
    backed_up_models,
    restore,
)
from stride.web.platform.audit.models import AuditEvent
from tests.conftest import make_user
from tests.web.operations.databases import fresh_database, manage, process_env

# Run in a separate process against the restored database: every table's row count, the
# audit trail row by row, then one new row in each of two tables (the key sequences must
# have moved past the restored keys).
SUMMARY = """
import json, django
django.setup()
from django.apps import apps
from stride.web.platform.audit.models import AuditEvent
from stride.web.platform.audit.recording import record
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.accounts.models import User
counts = {m._meta.label_lower: m._base_manager.count()
          for m in apps.get_models(include_auto_created=True) if m._meta.managed}
trail = [[str(v) for v in row] for row in AuditEvent.objects.order_by("id").values_list()]
print(json.dumps({"counts": counts, "trail": trail}))
User.objects.create(username="after-restore", role="admin")
record(actor=None, actor_label="test", action=Action.READ, object_type=ObjectType.ACCOUNT)
"""


def _counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count()
            for m in apps.get_models(include_auto_created=True) if m._meta.managed}


def _trail() -> list[list[str]]:
    return [[str(v) for v in row] for row in AuditEvent.objects.order_by("id").values_list()]


def _hashes(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _summary_of(url: str, media: Path) -> dict[str, Any]:
    env = process_env(DATABASE_URL=url, STRIDE_MEDIA_ROOT=str(media))
    result = manage("shell", "--no-imports", "-c", SUMMARY, env=env)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_row_by_row_and_file_by_file(
        tmp_path: Path, settings: SettingsWrapper) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    load_demo(children=12, registry_children=20)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "a").mkdir(exist_ok=True)
    (media / "documents" / "a" / "scan.pdf").write_bytes(b"%PDF-1.7 synthetic " * 500)
    (media / "videos").mkdir(exist_ok=True)
    (media / "videos" / "walk.mp4").write_bytes(bytes(range(256)) * 4000)
    (media / ".staging").mkdir(exist_ok=True)  # the demo's uploads may have made it
    (media / ".staging" / "half-uploaded").write_bytes(b"not a record")
    counts, trail, files = _counts(), _trail(), _hashes(media)
    del files[".staging/half-uploaded"]
    assert counts["audit.auditevent"] > 100
    assert counts["patients.patient"] >= 12
    assert len(files) >= 3

    archive = tmp_path / "backups" / "stride.tar"
    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o077 == 0  # the owner's only
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))

    restored_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as url:
        env = process_env(DATABASE_URL=url, STRIDE_MEDIA_ROOT=str(restored_media))
        result = manage("restore", str(archive), env=env)
        assert "every row and file matches the backup" in result.stdout

        summary = _summary_of(url, restored_media)
        for label in EXCLUDED:
            counts[label] = 0  # sign-in sessions and the worker's tables are not backed up
        assert summary["counts"] == counts
        assert summary["trail"] == trail
        assert _hashes(restored_media) == files

        # A database that holds records is refused, and left as it was ...
        refused = manage("restore", str(archive), env=env, check=False)
        assert refused.returncode == 1
        assert "holds records already" in refused.stderr
        assert "audit.auditevent" in refused.stderr
        # ... unless told: then everything it held is replaced by the backup, the rows
        # added after the first restore (an audit event among them) included.
        manage("restore", "--replace", str(archive), env=env)
        assert _summary_of(url, restored_media)["trail"] == trail


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_with_records_is_refused(
        tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "empty.tar"
    call_command("backup", str(archive))
    make_user(Role.COORDINATOR, "already-here")
    before = _counts()
    with pytest.raises(CommandError, match=r"holds records already.*accounts\.user"):
        call_command("restore", str(archive))
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_restores_nothing(tmp_path: Path, settings: SettingsWrapper) -> None:
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    (media / "letters").mkdir(parents=True)
    (media / "letters" / "x.pdf").write_bytes(b"%PDF-1.7 letter")
    archive = tmp_path / "good.tar"
    call_command("backup", str(archive))
    (media / "letters" / "x.pdf").unlink()

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "media/letters/x.pdf":
                data = data.replace(b"letter", b"LETTER")
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"letters/x\.pdf does not match its checksum"):
        restore(damaged, media_root=media)
    assert list(media.rglob("*.pdf")) == []

    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as target:
        target.addfile(tarfile.TarInfo("notes.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="not a Stride backup"):
        call_command("restore", str(not_a_backup))


def test_every_table_is_backed_up_in_dependency_order() -> None:
    order = [model._meta.label_lower for model in backed_up_models()]
    assert "audit.auditevent" in order
    assert "ionm.rootletdecision" in order
    assert "evaluation.candidacydecision" in order
    assert "accounts.user_groups" in order  # many-to-many tables are tables too
    assert not set(order) & EXCLUDED
    position = {label: index for index, label in enumerate(order)}
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            target = field.related_model
            if field.is_relation and isinstance(target, type) and target is not model:
                assert position[target._meta.label_lower] < position[model._meta.label_lower]
