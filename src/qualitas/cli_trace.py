"""`qualitas epcis ...` and `qualitas trace ...`: EPCIS capture, hashing and query; traces and
native production events. Registered on the main CLI when ``qualitas.cli`` imports this module."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from qualitas.cli import DbUrl, app, cli_errors, fail, open_db, out
from qualitas.config import get_settings

epcis_app = typer.Typer(help="GS1 EPCIS 2.0 documents: capture, hash, query.", no_args_is_help=True)
trace_app = typer.Typer(help="Traceability: traces, production events.", no_args_is_help=True)
app.add_typer(epcis_app, name="epcis")
app.add_typer(trace_app, name="trace")

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="Document file, or - for stdin.")]
AsUser = Annotated[
    str | None, typer.Option("--as", help="Record as this user (default: the system).")
]


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    if not path.is_file():
        fail(f"FILE: {path} is not a readable file")
    return path.read_bytes()


def _content_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "application/xml"
    if suffix in (".json", ".jsonld"):
        return "application/ld+json"
    return None


def _actor(session: Any, username: str | None) -> Any:
    from qualitas.cli import _principal

    return _principal(session, username)


@epcis_app.command("capture")
@cli_errors
def epcis_capture(file: FileArg, database_url: DbUrl = None, as_user: AsUser = None) -> None:
    """Validate and store an EPCIS 2.0 document (JSON-LD or XML): exit 0 stored, 2 rejected."""
    from qualitas.trace import capture, epcis, service

    raw = _read(file)
    db = open_db(database_url)
    with db.session() as session:
        who = _actor(session, as_user)
        try:
            stored = capture.capture_document(
                session, who.username, raw, _content_type(file),
                schema_dir=get_settings().trace.epcis_schema_dir,
            )  # fmt: skip
        except epcis.EpcisInvalid as exc:
            for e in exc.errors:
                typer.echo(f"{e.pointer}: {e.message}", err=True)
            fail(f"{file}: rejected, {len(exc.errors)} error(s); nothing was stored")
        service.audit_capture(session, who.actor, stored)
        session.commit()
    out.print(
        f"stored {len(stored.hash_ids)} event(s), {len(stored.duplicates)} duplicate(s) ignored"
    )


@epcis_app.command("hash")
@cli_errors
def epcis_hash(file: FileArg) -> None:
    """Print the CBV 2.0 event hash ID of each event, one per line, in document order."""
    from qualitas.trace import epcis

    raw = _read(file)
    try:
        doc = epcis.parse_document(raw, _content_type(file))
    except epcis.EpcisInvalid as exc:
        for e in exc.errors:
            typer.echo(f"{e.pointer}: {e.message}", err=True)
        fail(f"{file}: not a valid EPCIS document")
    for event in doc.events:
        typer.echo(epcis.event_hash(event))


@epcis_app.command("query")
@cli_errors
def epcis_query(
    param: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME=VALUE", help="EPCIS query parameters, e.g. EQ_bizStep=shipping"
        ),
    ] = None,
    xml: Annotated[bool, typer.Option("--xml", help="Write EPCIS XML instead of JSON-LD.")] = False,
    database_url: DbUrl = None,
) -> None:
    """Export the events matching a query as one EPCIS 2.0 document (all pages)."""
    from qualitas.trace import epcis, query

    params: dict[str, list[str]] = {}
    for p in param or []:
        name, sep, value = p.partition("=")
        if not sep:
            fail(f"{p}: write parameters as NAME=VALUE")
        params.setdefault(name, []).append(value)
    db = open_db(database_url)
    events: list[dict[str, Any]] = []
    with db.session(write=False) as session:
        while True:
            page = query.run(session, params, max_page=get_settings().trace.max_page)
            events.extend(query.event_body(r) for r in page.events)
            if page.next_token is None:
                break
            params["nextPageToken"] = [page.next_token]
    if xml:
        sys.stdout.buffer.write(epcis.to_xml_document(events, query_name="SimpleEventQuery"))
    else:
        doc = epcis.to_json_document(events, query_name="SimpleEventQuery")
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _trace(direction: str, ident: str, as_json: bool, database_url: str | None) -> None:
    from qualitas.trace import service

    db = open_db(database_url)
    with db.session(write=False) as session:
        result = service.trace(session, ident, direction)  # type: ignore[arg-type]
    if as_json:
        sys.stdout.write(json.dumps(service.as_contract(result), ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    table = Table("depth", "kind", "id", "product", "quantity", "events")
    for h in result.items[:500]:
        qty = "" if h.quantity is None else f"{h.quantity:g} {h.uom or ''}".strip()
        table.add_row(str(h.depth), h.kind, h.key, h.product or "", qty, str(len(h.path)))
    out.print(table)
    out.print(f"{len(result.items)} item(s) from {result.root} in {result.elapsed_ms:.0f} ms")


JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON contract.")]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="Lot, serial, container: any form.")]


@trace_app.command("backward")
@cli_errors
def trace_backward(ident: IdArg, as_json: JsonOpt = False, database_url: DbUrl = None) -> None:
    """Everything ID came from, every level, with quantities and event paths."""
    _trace("backward", ident, as_json, database_url)


@trace_app.command("forward")
@cli_errors
def trace_forward(ident: IdArg, as_json: JsonOpt = False, database_url: DbUrl = None) -> None:
    """Everywhere ID went: lots, units, containers, locations, customers."""
    _trace("forward", ident, as_json, database_url)


@trace_app.command("record")
@cli_errors
def trace_record(
    action: Annotated[str, typer.Argument(help="receive, issue, output, split, rework, pack, ship, "
                                          "receive-transfer")],
    file: FileArg,
    database_url: DbUrl = None,
    as_user: AsUser = None,
) -> None:  # fmt: skip
    """Record a production event from a JSON body (the same body as the API takes)."""
    from pydantic import ValidationError

    from qualitas.errors import FieldError, ValidationFailed
    from qualitas.trace.api import PRODUCTION

    if action not in PRODUCTION:
        fail(f"ACTION: one of {', '.join(PRODUCTION)}")
    model, fn = PRODUCTION[action]
    try:
        body = model.model_validate_json(_read(file))
    except ValidationError as exc:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]) or "body", e["type"], e["msg"])
            for e in exc.errors()
        ]
        raise ValidationFailed("invalid body", errors) from exc
    db = open_db(database_url)
    with db.session() as session:
        who = _actor(session, as_user)
        stored = fn(session, who.actor, body)
        session.commit()
    for h in stored.hash_ids:
        typer.echo(h)


# ---- documents: device history record, FSMA 204 spreadsheet, recall report -----------------

LangOpt = Annotated[str, typer.Option("--lang", help="Language of the document: en or zh-CN.")]
OutFile = Annotated[Path, typer.Option("--out", metavar="FILE", help="File to write.")]
PdfOpt = Annotated[Path | None, typer.Option("--pdf", metavar="FILE", help="Write an A4 PDF.")]
SinceOpt = Annotated[str, typer.Option("--since", help="From (ISO 8601; UTC if no offset).")]
UntilOpt = Annotated[str, typer.Option("--until", help="Before (ISO 8601; UTC if no offset).")]
LotOpt = Annotated[list[str] | None, typer.Option("--lot", help="Lot (any form); repeatable.")]
ProductOpt = Annotated[
    list[str] | None, typer.Option("--product", help="Item code or GTIN; repeatable.")
]


def _lang(value: str) -> Any:
    from qualitas.trace.document_labels import LANGS

    if value not in LANGS:
        fail(f"--lang: one of {', '.join(LANGS)}")
    return value


def _when(value: str, name: str) -> Any:
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"{name}: an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T00:00:00Z")


@trace_app.command("dhr")
@cli_errors
def trace_dhr(
    ident: IdArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
    pdf: PdfOpt = None,
    lang: LangOpt = "en",
    database_url: DbUrl = None,
) -> None:  # fmt: skip
    """Device history record of a serial or lot: summary, JSON (--json) or A4 PDF (--pdf)."""
    from qualitas.trace import dhr, reports

    language = _lang(lang)
    db = open_db(database_url)
    with db.session(write=False) as session:
        record = dhr.build(session, ident)
    if pdf is not None:
        pdf.write_bytes(reports.dhr_pdf(record, language))
        out.print(f"wrote {pdf}")
    if as_json:
        sys.stdout.write(record.model_dump_json() + "\n")
    if pdf is None and not as_json:
        from rich.table import Table

        i = record.identity
        table = Table("", "", show_header=False)
        for name, value in (
            ("product", f"{i.item_name or ''} ({i.item_code})"), ("lot", i.lot),
            ("serial", i.serial), ("site", i.site_name), ("made at", i.made_at),
            ("hold", i.hold or "none"),
            ("components", len(record.genealogy)), ("steps", len(record.steps)),
            ("parameters", len(record.parameters)), ("inspections", len(record.inspections)),
            ("nonconformances", len(record.nonconformances)),
            ("customers", ", ".join(c.code for c in record.customers)),
        ):  # fmt: skip
            table.add_row(name, "" if value is None else str(value))
        out.print(table)


@trace_app.command("fsma")
@cli_errors
def trace_fsma(
    since: SinceOpt,
    until: UntilOpt,
    out_file: OutFile,
    lot: LotOpt = None,
    product: ProductOpt = None,
    database_url: DbUrl = None,
) -> None:
    """FSMA 204 sortable spreadsheet of the critical tracking events: --out FILE.csv or .xlsx."""
    from qualitas.trace import fsma

    suffix = out_file.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        fail("--out: FILE.csv or FILE.xlsx")
    db = open_db(database_url)
    with db.session(write=False) as session:
        table = fsma.rows(session, lot, product, _when(since, "--since"), _when(until, "--until"))
    out_file.write_bytes(fsma.to_csv(table) if suffix == ".csv" else fsma.to_xlsx(table))
    out.print(f"wrote {len(table)} row(s) to {out_file}")


@trace_app.command("recall-report")
@cli_errors
def trace_recall_report(
    recall_id: Annotated[int, typer.Argument(metavar="ID", help="Recall id.")],
    out_file: OutFile,
    lang: LangOpt = "en",
    database_url: DbUrl = None,
) -> None:
    """Recall or drill report with its mass balance: --out FILE.pdf or FILE.xlsx."""
    from qualitas.trace import recall, reports

    suffix = out_file.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        fail("--out: FILE.pdf or FILE.xlsx")
    language = _lang(lang)
    db = open_db(database_url)
    with db.session(write=False) as session:
        r = recall.get(session, recall_id)
        body = reports.recall_pdf(r, language) if suffix == ".pdf" else reports.recall_xlsx(r)
    out_file.write_bytes(body)
    out.print(f"wrote {out_file}")
