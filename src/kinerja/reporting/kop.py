"""The kop surat a report prints (``reporting.data.Kop``), from a quarter's input.

The address, contacts and logo come from the input's ``kop`` — the live kop of the year for a
draft quarter, the frozen one for an approved quarter (``record.snapshots.quarter_input``) —
and the logo's bytes from the storage by the name it froze (content-addressed, so always the
same image). The pemda's and the agency's names come from the agency. A kop never set, or a
logo the storage no longer has, prints without it: never an exception.
"""

from __future__ import annotations

from typing import Any

from kinerja.planning.letterhead import logo_ext, read_logo
from kinerja.record.capture import QuarterInput

from .data import Kop


def kop_for(agency: Any, inp: QuarterInput) -> Kop:
    """The kop of ``agency`` (a planning Agency, its government loaded or loadable) as the
    quarter input ``inp`` holds it."""
    kop = inp.kop
    government = agency.government.name
    if kop is None:
        return Kop(government=government, agency=agency.name)
    logo = read_logo(kop.logo)
    return Kop(
        government=government,
        agency=agency.name,
        address=kop.address,
        telephone=kop.telephone,
        email=kop.email,
        website=kop.website,
        logo=logo,
        logo_ext=logo_ext(kop.logo) if logo is not None else "",
    )
