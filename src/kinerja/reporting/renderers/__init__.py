"""Renderers: ReportData → bytes, one small class per document × format, in a registry.

A renderer never queries the database and imports its heavy library inside ``render``.
It writes the provenance (hash of the data, hash of its template) into the file's
document properties.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import import_module, resources
from typing import Any, ClassVar


@dataclass(frozen=True)
class Provenance:
    data_hash: str
    template_hash: str
    generator: str = "Kinerja"

    def describe(self) -> str:
        return f"data sha256:{self.data_hash} · templat sha256:{self.template_hash}"


class Renderer:
    document: ClassVar[str]  # "form", later "laporan", "pk"
    identifier: ClassVar[str]  # the format: "xlsx", "pdf", "docx"
    label: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]
    templates: ClassVar[tuple[str, ...]] = ()  # package paths whose bytes make the template hash
    version: ClassVar[str] = "1"

    def render(self, data: Any, *, provenance: Provenance) -> bytes:
        raise NotImplementedError

    def template_hash_for(self, report: Any) -> str:
        """The template hash of this report: the shipped template's, or the agency's own
        Word template's where the report carries one."""
        own = getattr(report, "word_template", None)
        if own and self.identifier == "docx":
            return hashlib.sha256(own).hexdigest()
        return self.template_hash()

    @classmethod
    def template_hash(cls) -> str:
        digest = hashlib.sha256(f"{cls.__module__}.{cls.__name__} v{cls.version}".encode())
        for path in cls.templates:
            digest.update(resources.files("kinerja").joinpath(path).read_bytes())
        return digest.hexdigest()


RENDERERS: dict[tuple[str, str], type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    RENDERERS[(cls.document, cls.identifier)] = cls
    return cls


class UnsupportedFormat(ValueError):
    """A document × format pair Kinerja cannot make; ``str()`` is Indonesian."""


def load_renderers() -> dict[tuple[str, str], type[Renderer]]:
    """Import every module of this package once; each registers its renderers."""
    from pkgutil import iter_modules

    for module in iter_modules(__path__):
        import_module(f"{__name__}.{module.name}")
    return RENDERERS


def renderer_for(document: str, fmt: str) -> Renderer:
    renderers = load_renderers()
    cls = renderers.get((document, fmt))
    if cls is None:
        offered = ", ".join(sorted(f for d, f in renderers if d == document)) or "-"
        raise UnsupportedFormat(
            f"dokumen «{document}» tidak tersedia dalam format «{fmt}» (tersedia: {offered})."
        )
    return cls()
