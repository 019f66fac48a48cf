"""Backing up and restoring the whole database (the `backup` and `restore` commands).

SQLite is copied with its online backup API, which gives a consistent copy while the site
keeps running; PostgreSQL with pg_dump / pg_restore (custom format). The copy is held in
memory and written once, so that neither a half-written backup nor, for an encrypted one, an
unencrypted copy is ever left on disk; the database must fit in memory (fine at the size of a
municipality's ケア会議 records).

Encrypted files: MAGIC + 16-byte salt + 12-byte nonce + AES-256-GCM ciphertext (with its tag),
the key derived from the passphrase with scrypt (n=2**15, r=8, p=1). The magic is
authenticated too (associated data), so any change to the file makes decryption fail.
"""

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from hashlib import scrypt
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.utils import timezone

from tsunagu.audit.models import AuditChainHead

MAGIC = b"TSUNAGU-BACKUP1\n"
SALT_BYTES = 16
NONCE_BYTES = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
ENCRYPTED_SUFFIX = ".enc"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
VENDOR_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A refusal or failure, worded for the operator (the commands show it as it is)."""


@dataclass
class Backup:
    path: Path
    size: int
    encrypted: bool


# Encryption -------------------------------------------------------------------------------


def derive_key(passphrase: str, salt: bytes) -> bytes:
    # 128 * r * n = 32 MiB of memory, just over OpenSSL's default limit: hence maxmem.
    return scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    )


def encrypt(data: bytes, passphrase: str) -> bytes:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(derive_key(passphrase, salt)).encrypt(nonce, data, MAGIC)
    return MAGIC + salt + nonce + ciphertext


def is_encrypted(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def decrypt(blob: bytes, passphrase: str) -> bytes:
    if not is_encrypted(blob):
        raise BackupError("暗号化されたつなぐのバックアップではありません。")
    header = len(MAGIC)
    salt = blob[header : header + SALT_BYTES]
    nonce = blob[header + SALT_BYTES : header + SALT_BYTES + NONCE_BYTES]
    ciphertext = blob[header + SALT_BYTES + NONCE_BYTES :]
    try:
        return AESGCM(derive_key(passphrase, salt)).decrypt(nonce, ciphertext, MAGIC)
    except (InvalidTag, ValueError):
        raise BackupError(
            "復号できません。パスフレーズが違うか、ファイルが壊れているか改ざんされています。"
            "データベースには何も書き込んでいません。"
        ) from None


# Backing up -------------------------------------------------------------------------------


def backup_name(vendor: str, encrypted: bool, now=None) -> str:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return f"tsunagu-{stamp}{SUFFIXES[vendor]}{ENCRYPTED_SUFFIX if encrypted else ''}"


def create_backup(connection, output_dir: Path, passphrase: str | None = None) -> Backup:
    """Write a dated backup of `connection`'s database into `output_dir`; never overwrites."""
    vendor = supported_vendor(connection)
    output_dir = Path(output_dir)
    path = output_dir / backup_name(vendor, encrypted=passphrase is not None)
    if path.exists():
        raise BackupError(f"{path} は既にあります。上書きはしません。")
    data = dump_sqlite(connection) if vendor == "sqlite" else dump_postgresql(connection)
    if passphrase is not None:
        data = encrypt(data, passphrase)
    output_dir.mkdir(parents=True, exist_ok=True)
    write_new_file(path, data)
    return Backup(path=path, size=len(data), encrypted=passphrase is not None)


def write_new_file(path: Path, data: bytes) -> None:
    """Create `path` readable by its owner only (it holds personal data); refuse if it exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} は既にあります。上書きはしません。") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def dump_sqlite(connection) -> bytes:
    if connection.is_in_memory_db():
        # Only in tests: the in-memory database is reachable through this connection alone.
        connection.ensure_connection()
        source = connection.connection
    else:
        # A connection of its own, so that the copy holds committed data only.
        source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        return copy.serialize()
    finally:
        copy.close()
        if source is not connection.connection:
            source.close()


def dump_postgresql(connection) -> bytes:
    pg_dump = tool("pg_dump")
    check_tool_version(pg_dump, connection)
    result = run_tool(
        [pg_dump, "--format=custom", "--no-password", f"--dbname={dbname(connection)}"],
        connection,
    )
    return result.stdout


# Restoring --------------------------------------------------------------------------------


def read_backup(path: Path, passphrase: str | None) -> bytes:
    """The backup's plain contents, decrypted if needed; raises before anything is written."""
    path = Path(path)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{path} がありません。") from None
    if is_encrypted(blob):
        if passphrase is None:
            raise BackupError(
                "このバックアップは暗号化されています。"
                "--passphrase-env でパスフレーズの入った環境変数を指定してください。"
            )
        return decrypt(blob, passphrase)
    return blob


def backup_vendor(data: bytes) -> str | None:
    if data.startswith(SQLITE_HEADER):
        return "sqlite"
    if data.startswith(PG_CUSTOM_HEADER):
        return "postgresql"
    return None


def restore_backup(connection, path: Path, passphrase: str | None = None) -> None:
    """Restore `path` into `connection`'s database, which must be empty (see rows_in)."""
    vendor = supported_vendor(connection)
    data = read_backup(path, passphrase)
    found = backup_vendor(data)
    if found is None:
        raise BackupError(f"{path} はつなぐのバックアップではありません（形式が不明です）。")
    if found != vendor:
        raise BackupError(
            f"このバックアップは {VENDOR_LABELS[found]} のものです。"
            f"{VENDOR_LABELS[vendor]} のデータベースには復元できません。"
        )
    filled = tables_with_rows(connection)
    if filled:
        raise BackupError(
            "復元先のデータベースが空ではありません（データのある表: "
            + "、".join(filled)
            + "）。復元は空のデータベースにだけ行えます。"
        )
    if vendor == "sqlite":
        restore_sqlite(connection, data)
    else:
        restore_postgresql(connection, data)


def restore_sqlite(connection, data: bytes) -> None:
    source = sqlite3.connect(":memory:")
    try:
        try:
            source.deserialize(data)
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError:
            status = "壊れています"
        if status != "ok":
            raise BackupError(f"バックアップのデータベースが壊れています（{status}）。")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def restore_postgresql(connection, data: bytes) -> None:
    pg_restore = tool("pg_restore")
    check_tool_version(pg_restore, connection)
    # One transaction: on any error nothing is left behind. --clean --if-exists lets it
    # replace the empty tables of a database that was already migrated.
    run_tool(
        [
            pg_restore,
            "--no-owner",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={dbname(connection)}",
        ],
        connection,
        input=data,
    )


def project_tables() -> list[str]:
    """The tables of this project's own apps (tsunagu.*), which hold its data.

    Not Django's own (migrations, content types, permissions: `migrate` fills them), nor the
    audit chain head, which the migration creates with the chain's starting point.
    """
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.app_config.name.startswith("tsunagu.") or meta.proxy or not meta.managed:
            continue
        if model is AuditChainHead:
            continue
        tables.append(meta.db_table)
    return sorted(set(tables))


def tables_with_rows(connection) -> list[str]:
    existing = set(connection.introspection.table_names())
    filled = []
    with connection.cursor() as cursor:
        for table in project_tables():
            if table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                filled.append(table)
    return filled


def row_counts(connection) -> list[tuple[str, int]]:
    counts = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts.append((table, cursor.fetchone()[0]))
    return counts


# PostgreSQL client tools ------------------------------------------------------------------


def supported_vendor(connection) -> str:
    if connection.vendor not in SUFFIXES:
        raise BackupError(f"{connection.vendor} のデータベースには対応していません。")
    return connection.vendor


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} が見つかりません。PostgreSQL のクライアントツール（Debian/Ubuntu では "
            "postgresql-client）を入れてください。"
        )
    return path


def tool_major_version(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"\)\s*(\d+)", output) or re.search(r"(\d+)", output)
    if match is None:
        raise BackupError(f"{path} の版が分かりません（{output.strip()}）。")
    return int(match.group(1))


def check_versions(tool_name: str, tool_major: int, server_version: int) -> None:
    """pg_dump refuses a server newer than itself; say so before it does, and in Japanese."""
    server_major = server_version // 10000
    if server_major > tool_major:
        raise BackupError(
            f"PostgreSQL サーバーの版（{server_major}）が {tool_name} の版（{tool_major}）より"
            f"新しいため、実行できません。サーバーと同じ版以上のクライアントツール"
            f"（postgresql-client-{server_major}）を入れてください。"
        )


def check_tool_version(path: str, connection) -> None:
    connection.ensure_connection()
    check_versions(Path(path).name, tool_major_version(path), connection.pg_version)


def dbname(connection) -> str:
    return connection.settings_dict["NAME"]


def pg_environment(connection) -> dict[str, str]:
    """libpq's environment variables from the connection's settings: the password never
    appears on a command line, where other users of the machine could read it."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    env = dict(os.environ)
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run_tool(args: list[str], connection, input: bytes | None = None):
    result = subprocess.run(args, input=input, capture_output=True, env=pg_environment(connection))
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        name = Path(args[0]).name
        raise BackupError(f"{name} が失敗しました（終了コード {result.returncode}）:\n{message}")
    return result


def passphrase_from_env(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise BackupError(f"環境変数 {variable} にパスフレーズが入っていません。")
    return value


PASSPHRASE_HELP = (
    "暗号化のパスフレーズを入れた環境変数の名前。パスフレーズそのものはコマンド行に書けません"
    "（コマンド行は ps などで同じマシンの他の利用者から見え、シェルの履歴にも残るため）。"
)
