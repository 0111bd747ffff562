"""Audit an evaluation form as agencies keep it (an XLSX filled by hand): read it, recompute
every column and the footer with ``kinerja.core``, and list what the file gets wrong, each
finding located by sheet, row and cell. No database: `kinerja check` and *Periksa formulir*.
"""

from .check import AUDIT_RULES, Audit, AuditFinding, FooterAudit, audit_form, audit_workbook
from .reader import ReadError, read_form

__all__ = [
    "AUDIT_RULES",
    "Audit",
    "AuditFinding",
    "FooterAudit",
    "ReadError",
    "audit_form",
    "audit_workbook",
    "read_form",
]
