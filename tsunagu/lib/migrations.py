"""Migration operations for tables that are large in production.

On PostgreSQL, CREATE INDEX locks the table against writes until the index is built (seconds
to minutes at prefecture scale); CREATE INDEX CONCURRENTLY does not, at the cost of two scans
and of not running inside a transaction. A migration using AddIndexQuietly must therefore set
``atomic = False``. SQLite has no concurrent build; its single writer waits either way, so the
plain statement is used there.
"""

from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations import AddIndex, RunPython
from django.db.migrations.state import ProjectState


class AddIndexQuietly(AddIndex):
    """AddIndex that builds the index CONCURRENTLY on PostgreSQL (outside a transaction)."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        # IF NOT EXISTS is not needed: a failed concurrent build leaves an INVALID index
        # that the operator drops (docs: operations) before migrating again.
        self._quietly(schema_editor, to_state, app_label, build=True)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._quietly(schema_editor, from_state, app_label, build=False)

    def _quietly(
        self,
        schema_editor: BaseDatabaseSchemaEditor,
        state: ProjectState,
        app_label: str,
        *,
        build: bool,
    ) -> None:
        """Build (or drop) the index, CONCURRENTLY where the database can."""
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        change = schema_editor.add_index if build else schema_editor.remove_index
        if _concurrently(schema_editor):
            # The PostgreSQL editor takes concurrently=; the base class (and its stub) does not.
            change(model, self.index, concurrently=True)  # type: ignore[call-arg]
        else:
            change(model, self.index)

    def describe(self) -> str:
        return f"{super().describe()} (CONCURRENTLY on PostgreSQL)"


def _concurrently(schema_editor: BaseDatabaseSchemaEditor) -> bool:
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def vacuum_analyze(table: str) -> RunPython:
    """On PostgreSQL, VACUUM (ANALYZE) the table after a migration rewrote many of its rows or
    added indexes: marks its pages all-visible, so counts can be answered from an index alone
    (index-only scans) at once instead of after autovacuum comes round. Outside a transaction
    only (``atomic = False`` migrations); elsewhere, and on SQLite, nothing (lib.planner
    analyses SQLite after every migration)."""

    def run(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")

    return RunPython(run, RunPython.noop, elidable=True)
