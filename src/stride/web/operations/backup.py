"""Backup and restore of the database and the media folder (``manage.py backup`` / ``restore``).

A backup is one uncompressed tar file, readable with ``tar`` and by any Stride of the same
or a later version, on SQLite or PostgreSQL alike:

* ``database.jsonl.gz``: every row of every table (Django's serializers, one JSON object a
  line, tables in dependency order, rows in key order), read in one consistent snapshot;
* ``media/...``: every file of ``MEDIA_ROOT`` (documents, videos, letters, reports), read
  after the snapshot, so every file a row names is there (files are never changed once
  written; a file newer than the snapshot is harmless);
* ``manifest.json`` (last): the format, the applied migrations, and for each table its row
  count and the SHA-256 of its serialized rows, and for each file its size and SHA-256.

Tables are read and written as the database's migrations describe them (Django's
historical models), not as the running code does: a backup made by an older Stride is
restored into the schema of its migrations, and ``manage.py migrate`` then upgrades it as
it would have upgraded the original. Restoring checks the archive, refuses a database or
media folder that already holds records (unless ``replace``), brings the schema to the
backup's migrations, inserts every row as stored (the append-only tables too: their
triggers refuse changes, not inserts),
then, before committing, serializes the restored tables again and compares each with the
manifest, so a restore that commits holds every row exactly. Files are checked against
their SHA-256 as they are unpacked, then moved into place.

Left out: live sign-in sessions (a backup must not carry credentials that still work) and
the worker's own tables (the processes of one installation, not its records).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from stride.web.platform.uploads import STAGING_FOLDER

FORMAT = "stride-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.jsonl.gz"
MEDIA = "media/"

#: Tables left out of a backup (see the module's docstring). A restore empties the sessions
#: all the same (no login of a replaced database outlives it) and leaves the worker's alone.
EXCLUDED = frozenset({"sessions.session", "operations.workerheartbeat",
                      "operations.scheduledjob"})
#: Tables ``migrate`` fills by itself: a fresh database has their rows; a restore replaces
#: them with the backup's, whose ids the rest refers to (a user's or group's permissions).
MADE_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})
#: Folders of ``MEDIA_ROOT`` that hold no records: uploads waiting for their row, a restore
#: in progress.
RESTORE_STAGING_PREFIX = ".restore-"
#: Rows serialized or inserted per batch.
BATCH = 1000


class BackupError(Exception):
    """The backup cannot be made, or the archive cannot be restored here; says why."""


@dataclass
class Summary:
    """What a backup holds, or what a restore put back."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(int(table["rows"]) for table in self.tables.values())

    @property
    def media_bytes(self) -> int:
        return sum(int(entry["size"]) for entry in self.files)


# --- Which tables, in which order -------------------------------------------------------
def backed_up_models(registry: Apps = apps) -> list[type[models.Model]]:
    """Every table a backup holds (as ``registry``'s models describe them: the running
    code's, or those of a database's migrations), each after the tables its foreign keys
    point to."""
    found = {model._meta.label_lower: model
             for model in registry.get_models(include_auto_created=True)
             if model._meta.managed and not model._meta.proxy and not model._meta.swapped
             and model._meta.label_lower not in EXCLUDED}
    needs = {label: {f.related_model._meta.label_lower for f in model._meta.concrete_fields
                     if f.is_relation and isinstance(f.related_model, type)
                     and f.related_model is not model
                     and f.related_model._meta.label_lower in found}
             for label, model in found.items()}
    ordered: list[type[models.Model]] = []
    placed: set[str] = set()
    waiting = sorted(found)
    while waiting:
        # A cycle of foreign keys (none today) is broken anywhere: both databases check
        # foreign keys when the restore's transaction commits.
        ready = [label for label in waiting if needs[label] <= placed] or waiting[:1]
        for label in ready:
            ordered.append(found[label])
            placed.add(label)
            waiting.remove(label)
    return ordered


# --- The schema as the migrations describe it ---------------------------------------------
def _graph_nodes(executor: MigrationExecutor, applied: Iterable[tuple[str, str]]
                 ) -> set[tuple[str, str]]:
    """``applied`` (as the database records them) as nodes of the migration graph: a
    squashed migration stands for those it replaces, which the database records one by one."""
    nodes = set(executor.loader.graph.nodes)
    squashed = {tuple(replaced): key for key, migration in executor.loader.replacements.items()
                for replaced in migration.replaces}
    return {node if node in nodes else squashed.get(node, node) for node in applied}


def _leaves(executor: MigrationExecutor, nodes: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The last migration of each app among ``nodes``."""
    graph = executor.loader.graph
    return [node for node in sorted(nodes)
            if not any(child in nodes for child in graph.node_map[node].children
                       if child[0] == node[0])]


def _models_at(executor: MigrationExecutor, nodes: set[tuple[str, str]]) -> Apps:
    """The models as they stand after the migrations ``nodes`` (Django's historical models)."""
    return executor.loader.project_state(_leaves(executor, nodes), at_end=True).apps


def _applied_nodes(executor: MigrationExecutor) -> set[tuple[str, str]]:
    applied = _graph_nodes(executor, MigrationRecorder(connection).applied_migrations())
    unknown = sorted(applied - set(executor.loader.graph.nodes))
    if unknown:
        raise BackupError("The database has migrations this Stride does not know ("
                          + ", ".join(f"{app}.{name}" for app, name in unknown[:5])
                          + "): use the version that migrated it.")
    return applied


# --- Rows as text, exactly --------------------------------------------------------------
class _ExactEncoder(json.JSONEncoder):
    """JSON for serialized rows, keeping every digit: microseconds (Django's own encoder
    keeps milliseconds), decimals as written."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime | date | time_of_day):
            return o.isoformat()
        if isinstance(o, Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, cls=_ExactEncoder, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def serialized_rows(model: type[models.Model]) -> Iterator[str]:
    """Every row of ``model``'s table as one JSON line, in key order."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    serializer = PythonSerializer()
    batch: list[models.Model] = []
    for row in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield from (_line(r) for r in serializer.serialize(batch, fields=fields))
            batch = []
    if batch:
        yield from (_line(r) for r in serializer.serialize(batch, fields=fields))


def table_fingerprints(registry: Apps = apps) -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of the serialized rows of every backed-up table."""
    result: dict[str, dict[str, Any]] = {}
    for model in backed_up_models(registry):
        digest, rows = hashlib.sha256(), 0
        for line in serialized_rows(model):
            digest.update(line.encode() + b"\n")
            rows += 1
        result[model._meta.label_lower] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


@contextmanager
def consistent_snapshot() -> Iterator[None]:
    """Read every table as of one moment, without stopping writers.

    PostgreSQL: a repeatable-read, read-only transaction. SQLite: a deferred transaction,
    whose first read fixes the snapshot (write-ahead logging lets writers go on). Inside a
    transaction already (tests), that transaction's view is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: Django would open an IMMEDIATE (writing) transaction and hold every writer
    # back for the whole backup; a plain BEGIN reads a snapshot and lets them write.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    try:
        yield
    except BaseException:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
        raise
    with connection.cursor() as cursor:
        cursor.execute("COMMIT")


# --- Files ------------------------------------------------------------------------------
class _HashingReader(io.RawIOBase):
    """A file read through, its SHA-256 and length counted on the way."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


def media_files(media_root: Path) -> list[tuple[str, Path]]:
    """The record files under ``media_root``: (path inside the archive, file), sorted."""
    if not media_root.is_dir():
        return []
    found: list[tuple[str, Path]] = []
    for folder, subfolders, names in os.walk(media_root):
        here = Path(folder)
        if here == media_root:
            subfolders[:] = [name for name in subfolders if name != STAGING_FOLDER
                             and not name.startswith(RESTORE_STAGING_PREFIX)]
        subfolders.sort()
        for name in sorted(names):
            path = here / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return found


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts)
            or "\\" in name or "\x00" in name):
        raise BackupError(f"The archive names a file outside the media folder: {name!r}.")
    return path


def _tar_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


# --- Backup -----------------------------------------------------------------------------
def applied_migrations() -> list[list[str]]:
    """The migrations this database has applied, as [app, name] pairs, sorted."""
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def write_backup(archive: Path, *, media_root: Path) -> Summary:
    """Write a backup of the database and ``media_root`` to ``archive`` (a new file).

    The file is written beside its final name and renamed when complete, readable by its
    owner only: it holds every child's records.
    """
    if archive.exists():
        raise BackupError(f"{archive} exists already; choose a new name.")
    archive.parent.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    partial = archive.with_name(f".{archive.name}.{secrets.token_hex(4)}.partial")
    try:
        with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".stride-backup-") as work:
            rows_file = Path(work) / DATABASE
            with consistent_snapshot():
                migrations = applied_migrations()
                executor = MigrationExecutor(connection)
                registry = _models_at(executor, _applied_nodes(executor))
                with gzip.open(rows_file, "wt", encoding="utf-8", compresslevel=6) as out:
                    for model in backed_up_models(registry):
                        digest, rows = hashlib.sha256(), 0
                        for line in serialized_rows(model):
                            out.write(line + "\n")
                            digest.update(line.encode() + b"\n")
                            rows += 1
                        summary.tables[model._meta.label_lower] = {
                            "rows": rows, "sha256": digest.hexdigest()}
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw, \
                    tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                database = _add_file(tar, DATABASE, rows_file)
                for name, path in media_files(media_root):
                    entry = _add_file(tar, MEDIA + name, path)
                    summary.files.append({"path": name, **entry})
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connection.vendor,
                    "migrations": migrations,
                    "database": database,
                    "tables": summary.tables,
                    "media": summary.files,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                tar.addfile(_tar_info(MANIFEST, len(data), time.time()), io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, archive)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as source:
        stat = os.fstat(source.fileno())
        reader = _HashingReader(source)
        tar.addfile(_tar_info(name, stat.st_size, stat.st_mtime), reader)
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


# --- Restore ----------------------------------------------------------------------------
def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    """The archive's manifest, checked for its format."""
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        manifest = json.load(handle) if handle is not None else None
    except (KeyError, ValueError, tarfile.TarError):
        raise BackupError("This file is not a Stride backup (no readable manifest).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"This file is not a backup in the format {FORMAT}.")
    return manifest


def records_present(media_root: Path) -> dict[str, int]:
    """What the database and ``media_root`` hold already: rows per non-empty table (the
    rows ``migrate`` makes by itself left out), and ``media files``."""
    existing = set(connection.introspection.table_names())
    present: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if (label in MADE_BY_MIGRATE or label.startswith("operations.")
                or not model._meta.managed or model._meta.proxy
                or model._meta.db_table not in existing):
            continue
        count = model._base_manager.count()
        if count:
            present[label] = count
    files = len(media_files(media_root))
    if files:
        present["media files"] = files
    return present


def _migrate_to(applied: list[list[str]]) -> Apps:
    """Bring the schema to the backup's migrations (a fresh database: from nothing); return
    the models as those migrations describe them."""
    executor = MigrationExecutor(connection)
    wanted = {(app, name) for app, name in applied}
    in_graph = _graph_nodes(executor, wanted)
    unknown = sorted(in_graph - set(executor.loader.graph.nodes))
    if unknown:
        raise BackupError(
            "The backup was made by a later Stride: these migrations are unknown here: "
            + ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            + ". Restore with the version that made it, then upgrade.")
    executor.migrate(_leaves(executor, in_graph))
    executor.check_replacements()  # as manage.py migrate does
    now_applied = {(app, name) for app, name in MigrationRecorder(connection)
                   .applied_migrations()}
    apps_in_backup = {app for app, _ in wanted}
    if {node for node in now_applied if node[0] in apps_in_backup} != wanted:
        raise BackupError("The database could not be brought to the backup's migrations.")
    return _models_at(executor, in_graph)


def _empty_tables() -> None:
    """Empty every table of the database's models but the worker's (sessions too)."""
    executor = MigrationExecutor(connection)
    registry = _models_at(executor, _applied_nodes(executor))
    existing = set(connection.introspection.table_names())
    tables = sorted({model._meta.db_table
                     for model in registry.get_models(include_auto_created=True)
                     if model._meta.managed and not model._meta.proxy
                     and model._meta.app_label != "operations"
                     and model._meta.db_table in existing})
    # PostgreSQL: TRUNCATE, which the append-only tables' row triggers do not see; SQLite:
    # DELETE, which their triggers allow (they refuse UPDATE).
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)


def _instance(model: type[models.Model], record: dict[str, Any]) -> models.Model:
    """A row of ``model`` from its serialized form (what Django's python deserializer does
    without natural keys, for historical models too)."""
    values: dict[str, Any] = {model._meta.pk.attname: model._meta.pk.to_python(record["pk"])}
    for name, value in record["fields"].items():
        try:
            field: Any = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise BackupError(f"The backup's {model._meta.label_lower} has a column {name!r} "
                              "that its migrations do not describe.") from None
        if field.many_to_one or field.one_to_one:
            target = field.remote_field.model._meta.get_field(field.remote_field.field_name)
            values[field.attname] = None if value is None else target.to_python(value)
        else:
            values[field.attname] = field.to_python(value)
    return model(**values)


def _insert(model: type[models.Model], records: list[dict[str, Any]]) -> None:
    objects = [_instance(model, record) for record in records]
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), size):
        # A raw insert, as loaddata does: every value exactly as stored, no save() and no
        # field defaults recomputed (an append-only model's save() is never reached).
        model._base_manager._insert(  # type: ignore[attr-defined]
            objects[start:start + size], fields=fields, using=connection.alias, raw=True)


def _load_rows(stream: IO[bytes], models_by_label: dict[str, type[models.Model]]) -> None:
    batch: list[dict[str, Any]] = []
    batch_model: type[models.Model] | None = None
    with gzip.open(stream, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            model = models_by_label.get(record.get("model", ""))
            if model is None:
                raise BackupError(
                    f"The backup holds a table this Stride does not know: {record.get('model')!r}.")
            if model is not batch_model or len(batch) >= BATCH:
                if batch_model is not None and batch:
                    _insert(batch_model, batch)
                batch, batch_model = [], model
            batch.append(record)
    if batch_model is not None and batch:
        _insert(batch_model, batch)


def _stage_media(tar: tarfile.TarFile, manifest: dict[str, Any], staging: Path) -> int:
    count = 0
    for entry in manifest.get("media", []):
        relative = _safe_relative(str(entry["path"]))
        try:
            member = tar.getmember(MEDIA + relative.as_posix())
        except KeyError:
            raise BackupError(f"The archive lacks the file {relative}.") from None
        source = tar.extractfile(member) if member.isreg() else None
        if source is None or member.size != entry["size"]:
            raise BackupError(f"The archive's file {relative} is damaged.")
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = _HashingReader(source)
        with target.open("xb") as out:
            shutil.copyfileobj(reader, out, 1 << 20)
        if reader.sha256.hexdigest() != entry["sha256"] or reader.size != entry["size"]:
            raise BackupError(f"The archive's file {relative} does not match its checksum.")
        count += 1
    return count


def _move_into_place(staging: Path, media_root: Path) -> None:
    for folder, _, names in os.walk(staging):
        for name in names:
            source = Path(folder) / name
            target = media_root / source.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)


@contextmanager
def _open_archive(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115  (closed below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} cannot be read as a backup: {error}") from None
    with tar:
        yield tar


def restore(archive: Path, *, media_root: Path, replace: bool = False,
            say: Callable[[str], None] = lambda _: None) -> Summary:
    """Restore ``archive`` into this database and ``media_root``; return what it put back.

    Refuses (:class:`BackupError`) a database or media folder that holds records already,
    unless ``replace``: then every table the backup covers is emptied first (sessions too)
    and the archive's files are written over any of the same name (others stay).
    """
    if connection.in_atomic_block:
        raise BackupError("A restore runs in a transaction of its own.")
    with _open_archive(archive) as tar:
        manifest = read_manifest(tar)
        present = records_present(media_root)
        if present and not replace:
            listed = ", ".join(f"{label} ({count})" for label, count in sorted(present.items()))
            raise BackupError(
                "The database or the media folder holds records already: " + listed
                + ". Restore into a fresh database and an empty media folder, or pass "
                "--replace to replace everything they hold with the backup.")
        say("Bringing the database to the backup's migrations...")
        registry = _migrate_to(manifest["migrations"])
        media_root.mkdir(parents=True, exist_ok=True)
        staging = media_root / f"{RESTORE_STAGING_PREFIX}{secrets.token_hex(6)}"
        staging.mkdir()
        try:
            say("Unpacking and checking the media files...")
            _stage_media(tar, manifest, staging)
            say("Loading the rows...")
            summary = _restore_database(tar, manifest, registry)
            _move_into_place(staging, media_root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    ContentType.objects.clear_cache()
    summary.files = list(manifest.get("media", []))
    return summary


def _restore_database(tar: tarfile.TarFile, manifest: dict[str, Any],
                      registry: Apps) -> Summary:
    models_by_label = {model._meta.label_lower: model for model in backed_up_models(registry)}
    unknown = sorted(set(manifest["tables"]) - set(models_by_label))
    if unknown:
        raise BackupError("The backup holds tables this Stride does not know: "
                          + ", ".join(unknown[:5]) + ".")
    try:
        member = tar.getmember(DATABASE)
        source = tar.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise BackupError("The archive lacks its database file.")
    with transaction.atomic():
        _empty_tables()
        reader = _HashingReader(source)
        buffered = io.BufferedReader(reader, 1 << 20)
        _load_rows(buffered, models_by_label)
        while buffered.read(1 << 20):  # the checksum covers the whole file
            pass
        if reader.sha256.hexdigest() != manifest["database"]["sha256"]:
            raise BackupError("The archive's database file does not match its checksum.")
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                    no_style(), list(models_by_label.values())):
                cursor.execute(statement)
        restored = table_fingerprints(registry)
        expected = {label: manifest["tables"].get(label, {"rows": 0, "sha256": _EMPTY})
                    for label in models_by_label}
        differing = sorted(label for label in models_by_label
                           if restored[label] != expected[label])
        if differing:
            raise BackupError("The restored rows differ from the backup in: "
                              + ", ".join(differing[:5]) + "; nothing was restored.")
    return Summary(tables=restored)


_EMPTY = hashlib.sha256().hexdigest()
