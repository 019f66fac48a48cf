"""One upload → preview → confirm flow, shared by every import page.

An app describes its import once (an ImportFlow: its form, how to parse a staged file, how
to save a parsed result all or nothing, where to go after) and its views become one line
each: the page, the template file to download, and the page of a large import running in
the background.

- Upload: the file is staged in a temporary file (staging.py) together with what the form
  said beside it. After a problem (a missing 年度, a row that does not parse) the file stays
  staged: the page names it and uses it again unless another file is chosen, and the form
  keeps its settings.
- Preview: every problem with its row and column, or the rows that would be saved.
- Confirm: the staged file is parsed again (rows may have been added meanwhile) and saved
  all or nothing. Above settings.IMPORT_BACKGROUND_ROWS rows the saving runs as a
  background task (tasks.run_import) and the page shows its progress and then its result.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from tsunagu.lib.background import failure_message, read_progress, write_progress
from tsunagu.lib.downloads import XLSX, attachment
from tsunagu.lib.gate import member_required

from .problems import MAX_SHOWN
from .reading import DEFAULT_LIMITS, Limits, UnreadableFile
from .staging import Staged, by_name, discard, release, remember, stage, staged
from .tasks import run_import
from .writing import XlsxBook, csv_bytes

NOTHING_STAGED = "確認中のファイルがありません。もう一度アップロードしてください。"
CHOOSE_A_FILE = "ファイルを選んでください。"
PREVIEW_ROWS = 100


@dataclass(frozen=True)
class TemplateSheet:
    """A template file: its header row and one example row."""

    label: str
    header: Sequence[str]
    example: Sequence[Any]


def offer_kept(form: Any, kept: Staged) -> None:
    """The form's file field no longer required: the file staged before is used again."""
    field = form.fields["file"]
    field.required = False
    field.help_text = (
        f"選んだファイル「{kept.filename}」を使います。"
        "別のファイルにするときだけ選び直してください。"
    )
    form["file"].help_text = field.help_text  # a bound field already made keeps its own copy


def receive(
    session: SessionBase, form: Any, key: str, kept: Staged | None, *, limits: Limits
) -> Staged | None:
    """Validate `form` (a form with a `file` field), staging its file under `key` if one was
    chosen, even when another field has an error: the file is then kept for the next try.

    Returns the staged file, with the form's other fields remembered beside it, when the
    form is valid and there is a file (chosen now or before); else None, the errors in the
    form."""
    valid = form.is_valid()
    upload = form.cleaned_data.get("file") if "file" not in form.errors else None
    try:
        if upload:
            kept = stage(session, key, upload, limits=limits)
            offer_kept(form, kept)
    except UnreadableFile as error:
        refuse(session, form, key, error)
        return None
    if not valid:
        return None
    if kept is None:
        form.add_error("file", CHOOSE_A_FILE)
        return None
    names = [name for name in form.fields if name != "file"]
    return remember(
        session,
        key,
        **{name: _plain(form.cleaned_data[name]) for name in names},
        form={name: form.data.get(name, "") for name in names},
    )


def _plain(value: Any) -> Any:
    """A cleaned value as the session (JSON) keeps it: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def refuse(session: SessionBase, form: Any, key: str, error: Exception) -> None:
    """The file cannot be read: forget it and say why beside the file field."""
    discard(session, key)
    field = form.fields["file"]
    field.required = True
    field.help_text = form["file"].help_text = ""
    form.add_error("file", str(error))


def template_response(
    request: Any, sheets: dict[str, TemplateSheet], filename: str
) -> HttpResponse:
    """The template file the query asks for (?variant=…&format=xlsx|csv; the first variant
    and XLSX otherwise): the header row and the example row."""
    variant = request.GET.get("variant", "")
    if variant not in sheets:
        variant = next(iter(sheets))
    sheet = sheets[variant]
    name = f"{filename}_{variant}"
    if request.GET.get("format") == "csv":
        body = csv_bytes([sheet.header, sheet.example])
        return attachment(body, "text/csv; charset=utf-8", f"{name}.csv")
    book = XlsxBook()
    ws = book.sheet("取り込み")
    ws.header(sheet.header)
    ws.append(sheet.example)
    ws.widths([max(12, 2.2 * len(str(h))) for h in sheet.header])
    return attachment(book.to_bytes(), XLSX, f"{name}.xlsx")


def template_links(url: str, sheets: dict[str, TemplateSheet]) -> list[dict]:
    """Links to each variant's template file, as includes/import_templates.html shows them."""
    return [
        {
            "label": sheet.label,
            "xlsx": f"{url}?variant={variant}&format=xlsx",
            "csv": f"{url}?variant={variant}&format=csv",
        }
        for variant, sheet in sheets.items()
    ]


@dataclass
class ImportFlow:
    key: str  # the session key, and the URL names: <key>, <key>_template, <key>_job
    path: str  # dotted path of this object, by which the background task finds it
    permission: str
    title: str  # e.g. 会議の取り込み
    form_class: type
    page_template: str
    # parse(member, staged) -> a result with .ok, .rows and .problems (a Problems list)
    parse: Callable[[Any, Staged], Any]
    # save(result, *, municipality, by, request, source) -> how many rows were saved
    save: Callable[..., int]
    done_message: str  # with {count}
    done_url: str
    limits: Limits = DEFAULT_LIMITS
    # the template files offered for download, by variant (e.g. a 形式 or 種類)
    templates: Callable[[Any], dict[str, TemplateSheet]] | None = None
    template_filename: str = "template"
    form_kwargs: Callable[[Any], dict] = field(default=lambda request: {})
    check: Callable[[Any], None] = field(default=lambda request: None)
    extra_context: Callable[[Any], dict] = field(default=lambda request: {})

    # --- The views (wired in the app's urls.py) ---------------------------------------------

    def views(self) -> tuple[Callable, Callable, Callable]:
        """The page, the template download and the background job page, each behind the
        flow's permission."""
        gate = member_required(self.permission)
        return gate(self.page), gate(self.template_download), gate(self.job_page)

    def page(self, request: Any) -> HttpResponseBase:
        self.check(request)
        if request.method == "POST" and request.POST.get("action") == "confirm":
            return self._confirm(request)
        kept = staged(request.session, self.key)
        form = self._form(request, kept)
        result = None
        if request.method == "POST":
            kept, result = self.receive(request, form, kept)
        return self._render(request, form, result, kept)

    def receive(self, request: Any, form: Any, kept: Staged | None) -> tuple[Staged | None, Any]:
        """Stage the upload (or keep the file staged before) and parse it with the form's
        settings. Problems reading the file go to the form's file field."""
        ready = receive(request.session, form, self.key, kept, limits=self.limits)
        if ready is None:
            return staged(request.session, self.key), None
        try:
            return ready, self.parse(request.member, ready)
        except UnreadableFile as error:
            refuse(request.session, form, self.key, error)
            return None, None

    def _confirm(self, request: Any) -> HttpResponseBase:
        kept = staged(request.session, self.key)
        if kept is None:
            messages.error(request, NOTHING_STAGED)
            return redirect(self.key)
        try:
            result = self.parse(request.member, kept)
        except UnreadableFile as error:
            discard(request.session, self.key)
            messages.error(request, str(error))
            return redirect(self.key)
        if not result.ok:
            return self._render(request, self._form(request, kept), result, kept)
        if len(result.rows) > settings.IMPORT_BACKGROUND_ROWS:
            return self._enqueue(request, kept)
        count = self.save(
            result,
            municipality=request.member.municipality,
            by=request.user,
            request=request,
            source=kept.filename,
        )
        discard(request.session, self.key)
        messages.success(request, self.done_message.format(count=count))
        return redirect(self.done_url)

    def _enqueue(self, request: Any, kept: Staged) -> HttpResponseBase:
        name = release(request.session, self.key) or ""
        queued = run_import.enqueue(
            self.path,
            request.member.municipality_id,
            request.member.pk,
            name,
            kept.filename,
            kept.meta,
        )
        return redirect(f"{self.key}_job", pk=queued.id)

    def _form(self, request: Any, kept: Staged | None) -> Any:
        if request.method == "POST" and request.POST.get("action") != "confirm":
            form = self.form_class(request.POST, request.FILES, **self.form_kwargs(request))
        else:
            initial = dict(kept.meta.get("form") or {}) if kept is not None else {}
            form = self.form_class(initial=initial, **self.form_kwargs(request))
        if kept is not None:
            offer_kept(form, kept)
        return form

    def _render(self, request: Any, form: Any, result: Any, kept: Staged | None) -> HttpResponse:
        context = {
            "form": form,
            "result": result,
            "preview": result.rows[:PREVIEW_ROWS] if result is not None else [],
            "kept": kept,
            "flow": self,
            "template_links": self.template_links(request),
            **self.extra_context(request),
        }
        return render(request, self.page_template, context)

    # --- Template files ----------------------------------------------------------------------

    def template_links(self, request: Any) -> list[dict]:
        if self.templates is None:
            return []
        return template_links(reverse(f"{self.key}_template"), self.templates(request.member))

    def template_download(self, request: Any) -> HttpResponseBase:
        self.check(request)
        sheets = self.templates(request.member) if self.templates is not None else {}
        if not sheets:
            raise Http404
        return template_response(request, sheets, self.template_filename)

    # --- Large imports in the background -----------------------------------------------------

    def job_page(self, request: Any, pk: Any) -> HttpResponseBase:
        """Progress of a large import, then its result: the count, or the problems."""
        self.check(request)
        try:
            result = default_task_backend.get_result(str(pk))
        except (TaskResultDoesNotExist, ValueError) as error:
            raise Http404 from error
        # Only the member who started it: its problems quote the rows of their file.
        if result.task.module_path != run_import.module_path or list(result.args[:3]) != [
            self.path,
            request.member.municipality_id,
            request.member.pk,
        ]:
            raise Http404
        failed = result.status == TaskResultStatus.FAILED
        value = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
        context = {
            "flow": self,
            "result": result,
            "value": value,
            "done": value is not None and value.get("ok"),
            "refused": value is not None and not value.get("ok"),
            "failed": failed,
            "progress": read_progress(result.id),
            "error": failure_message(result) if failed else "",
            "done_url": reverse(self.done_url),
        }
        partial = request.headers.get("HX-Request") == "true"
        template = "includes/_import_job.html" if partial else "includes/import_job.html"
        return render(request, template, context)

    def run(self, task_id: str, member: Any, name: str, filename: str, meta: dict) -> dict:
        """What the background task does: parse the handed-over file again and save it all
        or nothing. Returns {"ok": True, "count", "message"} or {"ok": False, "message",
        "problems", "total"}; the file is removed either way."""
        kept = by_name(name, filename, meta)
        if kept is None:
            return {"ok": False, "message": NOTHING_STAGED, "problems": [], "total": 0}
        try:
            write_progress(task_id, step="ファイルを読んでいます", percent=10)
            try:
                result = self.parse(member, kept)
            except UnreadableFile as error:
                return {"ok": False, "message": str(error), "problems": [], "total": 0}
            if not result.ok:
                return {
                    "ok": False,
                    "message": (
                        f"{result.problems.total}件の問題があるため、何も取り込んでいません。"
                    ),
                    "problems": [str(p) for p in result.problems[:MAX_SHOWN]],
                    "total": result.problems.total,
                }
            write_progress(task_id, step=f"{len(result.rows)}件を保存しています", percent=50)
            try:
                with transaction.atomic():  # whatever fails while saving, nothing is kept
                    count = self.save(
                        result,
                        municipality=member.municipality,
                        by=member.user,
                        request=None,
                        source=filename,
                    )
            except ValueError as error:  # the save refused the whole file: nothing saved
                return {"ok": False, "message": str(error), "problems": [], "total": 0}
            write_progress(task_id, step="終わりました", percent=100)
            return {"ok": True, "count": count, "message": self.done_message.format(count=count)}
        finally:
            kept.path.unlink(missing_ok=True)
