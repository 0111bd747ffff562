"""A Word template is code: its Jinja tags run on the server. Every template — the shipped
ones and an agency's own — is rendered in a sandbox, and an uploaded one is checked before
it is kept.

The sandbox (``SandboxedTemplateEnvironment``) is Jinja's immutable sandbox, narrowed: no
globals (``range``, ``lipsum``, ``cycler`` …), attributes only of plain data (strings,
numbers, lists, dicts and a loop's ``loop``), never one starting with ``_``, and ``*``/``**``
bounded. A template that reaches further raises ``TemplateRefused`` (an Indonesian message)
instead of running anything.

``check_template`` is what an upload passes (``planning.ReportTemplate.clean``): a bounded
OOXML package (size, parts, unpacked size), a Word document python-docx opens, tags that
parse, only the fields of docs/report-template.md, no ``_`` attribute, and a test render
against the fixed data of ``reporting.sample``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import DictLoader, meta, nodes
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kinerja.core.numbers import format_number

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024  # the shipped templates are 40–50 KB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # all parts together, as the zip declares them
MAX_PARTS = 1000
MAX_REPEAT = 10_000  # characters or items one ``*`` may make
MAX_EXPONENT = 100
PLAIN = (str, int, float, Decimal, bool, type(None), list, tuple, dict, LoopContext)
DOCUMENTS = ("laporan", "pk")
HELP = "docs/report-template.md"


class TemplateRefused(ValueError):
    """A Word template that may not be used; ``str()`` says why, in Indonesian."""


class SandboxedTemplateEnvironment(ImmutableSandboxedEnvironment):
    """The Jinja environment every Word template renders in (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        # no other templates: {% include %}, {% import %}, {% extends %} find nothing
        super().__init__(autoescape=True, loader=DictLoader({}))
        self.globals.clear()

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, PLAIN) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refuse at once: Jinja's own answer, an undefined value, prints as nothing, so a
        template reaching for ``__class__`` would pass unnoticed."""
        raise SecurityError(
            _("«%(name)s» dari %(type)s") % {"name": attribute, "type": type(obj).__name__}
        )

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for items, times in ((left, right), (right, left)):
                if (isinstance(items, str | list | tuple) and isinstance(times, int)
                        and len(items) * times > MAX_REPEAT):  # fmt: skip
                    raise SecurityError(
                        _("pengulangan lebih dari %(limit)s")
                        % {"limit": format_number(Decimal(MAX_REPEAT))}
                    )
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(_("pangkat lebih dari %(limit)s") % {"limit": MAX_EXPONENT})
        return super().call_binop(context, operator, left, right)


def _refused(reason: str) -> TemplateRefused:
    return TemplateRefused(_("Templat Word ditolak: %(reason)s") % {"reason": reason})


def _unsafe(detail: str) -> TemplateRefused:
    return _refused(
        _("templat menjangkau sesuatu yang tidak aman (%(detail)s). Templat hanya boleh memakai "
          "isian laporan yang tercantum di %(help)s.") % {"detail": detail, "help": HELP}
    )  # fmt: skip


# ---- the package -------------------------------------------------------------------------


def _check_size(size: int) -> None:
    if size > MAX_TEMPLATE_BYTES:
        raise _refused(_("berkasnya %(size)s byte, paling besar %(limit)s byte.")
                       % {"size": format_number(Decimal(size)),
                          "limit": format_number(Decimal(MAX_TEMPLATE_BYTES))})  # fmt: skip


def check_package(content: bytes) -> None:
    """A .docx is an OOXML zip: bounded in size, in parts and unpacked (a zip bomb is not)."""
    _check_size(len(content))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _refused(_("berkas ini bukan dokumen Word (.docx).")) from exc
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names:
        raise _refused(_("berkas ini bukan dokumen Word (.docx): [Content_Types].xml tidak ada."))
    if len(parts) > MAX_PARTS:
        raise _refused(_("dokumen berisi %(count)s bagian, paling banyak %(limit)s.")
                       % {"count": format_number(Decimal(len(parts))),
                          "limit": format_number(Decimal(MAX_PARTS))})  # fmt: skip
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refused(_("isi dokumen yang dibuka %(size)s byte, paling besar %(limit)s byte.")
                       % {"size": format_number(Decimal(unpacked)),
                          "limit": format_number(Decimal(MAX_UNPACKED_BYTES))})  # fmt: skip


def open_template(content: bytes) -> Any:
    """A docxtpl DocxTemplate of ``content``, its document loaded; refused if it is none."""
    from docxtpl import DocxTemplate
    from lxml.etree import LxmlError

    check_package(content)
    template = DocxTemplate(io.BytesIO(content))
    try:
        template.get_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:
        raise _refused(_("berkas ini bukan dokumen Word (.docx) yang dapat dibuka.")) from exc
    return template


def render_template(template: Any, context: dict[str, Any]) -> None:
    """docxtpl's render in the sandbox, with XML-escaped values (as before the sandbox)."""
    try:
        template.render(context, jinja_env=SandboxedTemplateEnvironment(), autoescape=True)
    except SecurityError as exc:
        raise _unsafe(str(exc)) from exc
    except TemplateNotFound as exc:  # {% include %}, {% import %}, {% extends %}
        raise _refused(_("templat tidak boleh memuat templat lain («%(name)s»).")
                       % {"name": exc.name}) from exc  # fmt: skip
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)  # line 1 is the part's root tag: docxtpl
        # starts each paragraph on a line of its own
        where = _(" sekitar paragraf ke-%(line)s") % {"line": line - 1} if line else ""
        raise _refused(_("tag templat tidak dapat dijalankan%(where)s: %(error)s.")
                       % {"where": where, "error": exc.message or type(exc).__name__}) from exc  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - {{ title + 1 }}: the template's fault, not a 500
        raise _refused(_("tag templat tidak dapat dijalankan (%(error)s).")
                       % {"error": f"{type(exc).__name__}: {exc}"[:200]}) from exc  # fmt: skip


# ---- what an upload must pass -------------------------------------------------------------


def _sources(template: Any) -> Iterator[tuple[str, str]]:
    """(part, Jinja source) of everything docxtpl renders: the body, headers, footers,
    footnotes and the core properties, patched as docxtpl patches them, one paragraph a line."""
    from docx.oxml import parse_xml

    def prepared(xml: str) -> str:
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))

    docx = template.docx
    yield _("isi dokumen"), prepared(template.get_xml())
    for uri, label in ((template.HEADER_URI, _("kepala halaman")),
                       (template.FOOTER_URI, _("kaki halaman"))):  # fmt: skip
        for _rel, part in template.get_headers_footers(uri):
            yield label, prepared(template.xml_to_string(parse_xml(part.blob)))
    for part in docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            yield _("catatan kaki"), prepared(part.blob.decode("utf-8"))
    props = docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        yield _("properti dokumen"), getattr(props, name) or ""


def _text(source: str, line: int) -> str:
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[line - 1]) if 0 < line <= len(lines) else ""
    return text.strip()[:80]


def _underscored(tree: nodes.Template) -> str | None:
    for node in tree.find_all(nodes.Getattr):
        if node.attr.startswith("_"):
            return node.attr
    for item in tree.find_all(nodes.Getitem):
        if isinstance(item.arg, nodes.Const) and str(item.arg.value).startswith("_"):
            return str(item.arg.value)
    for flt in tree.find_all(nodes.Filter):
        if flt.name == "attr" and flt.args and isinstance(flt.args[0], nodes.Const):
            if str(flt.args[0].value).startswith("_"):
                return str(flt.args[0].value)
    return None


def known_fields(document: str) -> frozenset[str]:
    """The names a template of ``document`` may use: the renderer's context."""
    from .document import laporan_document
    from .renderers.docx_laporan import laporan_context
    from .renderers.docx_pk import agreement_context
    from .sample import sample_agreement_report, sample_quarterly_report

    if document == "pk":
        return frozenset(agreement_context(sample_agreement_report()))
    sample = sample_quarterly_report()
    return frozenset(laporan_context(sample, doc=laporan_document(sample)))


def check_tags(template: Any, document: str) -> None:
    """Every part parses; no attribute starting with ``_``; only the document's fields."""
    env = SandboxedTemplateEnvironment()
    allowed = known_fields(document)
    for part, source in _sources(template):
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            line = exc.lineno or 0  # line 1 is the part's root tag (``_sources``)
            text = _text(source, line)
            raise _refused(_("tag templat tidak sah di %(part)s, sekitar paragraf ke-%(line)s "
                             "(«%(text)s»): %(error)s.")
                           % {"part": part, "line": max(line - 1, 1), "text": text,
                              "error": exc.message}) from exc  # fmt: skip
        underscored = _underscored(tree)
        if underscored:
            raise _unsafe(_("«%(name)s» di %(part)s") % {"name": underscored, "part": part})
        names = set(meta.find_undeclared_variables(tree))
        names |= {n.name for n in tree.find_all(nodes.Name) if n.name == "self"}
        unknown = sorted(names - allowed)
        if unknown:
            raise _refused(_("isian %(names)s di %(part)s tidak dikenal. Isian yang tersedia "
                             "tercantum di %(help)s.")
                           % {"names": ", ".join(f"«{n}»" for n in unknown[:5]), "part": part,
                              "help": HELP})  # fmt: skip


def check_template(content: bytes, document: str) -> None:
    """Refuse (``TemplateRefused``) a Word template of ``document`` (``laporan`` or ``pk``)
    that is not a bounded .docx, whose tags do not parse or reach beyond the report's
    fields, or that does not render a Word document from the sample data."""
    import docx

    from .renderers import Provenance, renderer_for
    from .sample import SAMPLES

    if document not in DOCUMENTS:
        raise _refused(_("dokumen «%(document)s» tidak memakai templat Word.")
                       % {"document": document})  # fmt: skip
    check_tags(open_template(content), document)
    data = SAMPLES[document](word_template=content)
    try:
        out = renderer_for(document, "docx").render(data, provenance=Provenance("-", "-"))
        docx.Document(io.BytesIO(out))
    except TemplateRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the template is not kept
        raise _refused(_("templat tidak dapat dibuat dokumen dengan data contoh (%(error)s).")
                       % {"error": f"{type(exc).__name__}: {exc}"[:200]}) from exc  # fmt: skip


def check_template_file(field_file: Any, document: str) -> None:
    """``check_template`` of a model's FileField: an upload not yet stored (its name is the
    uploader's: it must end in .docx) or a file already in storage. An upload is read and
    rewound, so the model can still store it once it passes."""
    if not field_file.name.lower().endswith(".docx"):
        raise _refused(_("berkas «%(name)s» bukan berkas .docx.")
                       % {"name": field_file.name.rsplit("/", 1)[-1][:80]})  # fmt: skip
    stored = field_file._committed
    try:
        _check_size(field_file.size)
        handle = field_file.open("rb")
        try:
            content = handle.read(MAX_TEMPLATE_BYTES + 1)
        finally:
            handle.close() if stored else handle.seek(0)
    except OSError as exc:
        raise _refused(_("berkas templat tidak dapat dibaca; unggah ulang.")) from exc
    check_template(content, document)


def stored_template_message(exc: TemplateRefused) -> str:
    """What the reports page and ``kinerja report`` say when a template already stored (before
    uploads were checked) is refused while rendering."""
    return _("Laporan Word tidak dibuat. %(why)s Perbaiki templat itu, atau hapus templat "
             "laporan perangkat daerah ini di Admin (Perencanaan › Templat laporan) agar "
             "templat bawaan Kinerja dipakai.") % {"why": exc}  # fmt: skip
