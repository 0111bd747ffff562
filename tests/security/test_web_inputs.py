"""The bad-input corpus of the web pages: every form, parameter and path part of
src/kinerja/*/urls.py fed what a careless user, a broken client or an attacker sends. Each
case: no 500 and no traceback anywhere in the redirect chain; a refusal answers 400/403/404/405
or a page that says why in Indonesian; a refused write leaves the recorded tables as they were
(``db_fingerprint``); an accepted value is stored exactly as typed.

Tokens in a case's URL and fields stand for the seed's records: {A} the agency, {I} a Renja
activity row (no negative K), {P} a program, {IND} a key indicator, {T} an indicator target,
{S} a PK signatory, {R} a realisation, and {OA}/{OI} another agency and one of its rows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import IndicatorRealisation, Narrative, Realisation, RowNote
from kinerja.planning.models import (
    Agency,
    Indicator,
    IndicatorTarget,
    Signatory,
    WorkItem,
)

from .conftest import db_fingerprint

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    url: str
    data: dict[str, Any] = field(default_factory=dict)
    user: str | None = "operator"
    status: tuple[int, ...] = (200,)
    says: str = ""  # the Indonesian message the final page shows
    writes: bool = False  # False: the recorded tables stay as they were
    stored: tuple[str, Any] | None = None  # (what, value) read back after an accepted write


NOT_FOUND, DENIED, BAD = "Halaman tidak ditemukan", "Akses ditolak", "Permintaan tidak dapat dibaca"
UNKNOWN_QUARTER = "Tahun atau triwulan tidak dikenal."
NOT_A_NUMBER = "bukan angka dalam format Indonesia"
FOREIGN_DIGIT = "yang bukan angka 0–9"
K_BOUND = "nilai K paling besar 1.000.000.000.000 dan paling kecil -1.000.000.000.000"
RP_BOUND = "nilai rupiah paling besar 999.999.999.999.999,99"
NOTHING_SAVED = "Tidak ada yang disimpan"
MB = "x" * 1_000_000
SQL = "'; DROP TABLE monitoring_realisation; --"
SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://contoh.invalid/?d="&A1;"klik")'
HUGE_INT = "9" * 5000

Q = "/pd/{A}/2024/tw2/"
GRID, SAVE, PREVIEW = (
    "/isi/{A}/2024/tw2/",
    "/isi/{A}/2024/tw2/simpan/",
    "/isi/{A}/2024/tw2/pratinjau/{I}/",
)
IKU, NARR = "/isi/{A}/2024/tw2/iku/simpan/", "/isi/{A}/2024/tw2/narasi/simpan/"
EVIDENCE = "/isi/{A}/2024/tw2/bukti/{I}/"
TARGET, PAGU = "/rencana/{A}/target/{T}/revisi/", "/rencana/{A}/2024/renja/{I}/pagu/"
PLAN, SIGN = "/rencana/{A}/2024/renja/{I}/tw3/", "/rencana/{A}/2024/pk/penanda-tangan/{S}/"


def grid(k: str | None = None, rp: str | None = None, note: str | None = None,
         row: str = "{I}", **extra: str) -> dict[str, str]:  # fmt: skip
    """The grid's fields for one row as a browser posts them: typed and drawn (``was-``)."""
    out = {}
    for name, value in (("k", k), ("rp", rp), ("note", note)):
        if value is not None:
            out[f"{name}-{row}"], out[f"was-{name}-{row}"] = value, ""
    return {**out, **extra}


def bad_k(case_id: str, text: str, says: str) -> Case:
    return Case(f"grid-k-{case_id}", "post", SAVE, grid(k=text), status=(400,), says=says)


def bad_rp(case_id: str, text: str, says: str) -> Case:
    return Case(f"grid-rp-{case_id}", "post", SAVE, grid(rp=text), status=(400,), says=says)


def iku(**fields: str) -> dict[str, str]:
    """One indicator's fields of the IKU page's single form (``reason`` is the page's own)."""
    typed = {"value": "60", "measured_on": "", "source": "", "note": "",
             **{k: v for k, v in fields.items() if k != "reason"}}  # fmt: skip
    out = {
        **{f"was-{k}-{{IND}}": "" for k in typed},
        **{f"{k}-{{IND}}": v for k, v in typed.items()},
    }
    return {**out, **({"reason": fields["reason"]} if "reason" in fields else {})}


def target(**fields: str) -> dict[str, str]:
    return {"value": "85", "was-value": "", "on": "2024-09-01", "reason": "Evaluasi",
            "legal_basis": "Keputusan Kepala", **fields}  # fmt: skip


def pagu(**fields: str) -> dict[str, str]:
    return {"amount": "2.000.000", "on": "2024-09-01", "reason": "APBD Perubahan",
            "legal_basis": "Perda APBD Perubahan", **fields}  # fmt: skip


def sign(**fields: str) -> dict[str, str]:
    return {"name": "Contoh", "nip": "", "rank": "", "acting": "", **fields}


# fmt: off
CASES = [
    # ---- the grid: K ---------------------------------------------------------------------------
    bad_k("rp-sized", "999.999.999.999.999", K_BOUND),
    bad_k("money-with-cents", "12.345.678.901.234,56", K_BOUND),
    bad_k("exponent-huge", "1e999999999", NOT_A_NUMBER),
    bad_k("exponent-small", "1e-999999999", NOT_A_NUMBER),
    bad_k("exponent-plain", "1e3", NOT_A_NUMBER),
    bad_k("5000-digits", HUGE_INT, K_BOUND),
    bad_k("arabic-indic", "١٢٣", FOREIGN_DIGIT),
    bad_k("arabic-decimal-sep", "٣٫٥", FOREIGN_DIGIT),
    bad_k("persian", "۱۲۳", FOREIGN_DIGIT),
    bad_k("devanagari", "१२३", FOREIGN_DIGIT),
    bad_k("fullwidth", "１２３", FOREIGN_DIGIT),
    bad_k("superscript", "²", FOREIGN_DIGIT),
    bad_k("negative-not-allowed", "-5", "tidak boleh negatif"),
    bad_k("nan", "NaN", NOT_A_NUMBER),
    bad_k("snan", "sNaN", NOT_A_NUMBER),
    bad_k("infinity", "Infinity", NOT_A_NUMBER),
    bad_k("minus-inf", "-inf", NOT_A_NUMBER),
    bad_k("seven-decimals", "1,1234567", "paling banyak 6 angka di belakang koma"),
    bad_k("one-over-bound", "1.000.000.000.001", K_BOUND),
    bad_k("english-format", "1,905,955,200", "format angka Inggris"),
    bad_k("two-commas", "1,2,3", NOT_A_NUMBER),
    bad_k("plus-sign", "+5", NOT_A_NUMBER),
    bad_k("double-minus", "--5", NOT_A_NUMBER),
    bad_k("hex", "0x10", NOT_A_NUMBER),
    bad_k("underscore", "1_000", NOT_A_NUMBER),
    bad_k("space-thousands", "12 345", NOT_A_NUMBER),
    bad_k("sql", SQL, NOT_A_NUMBER),
    bad_k("html", SCRIPT, NOT_A_NUMBER),
    bad_k("formula", "=1+1", NOT_A_NUMBER),
    bad_k("hyperlink", FORMULA, NOT_A_NUMBER),
    bad_k("json", '{"a": [[[[1]]]]}', NOT_A_NUMBER),
    bad_k("deep-json", "[" * 5000 + "]" * 5000, NOT_A_NUMBER),
    bad_k("megabyte", "9" * 1_000_000, K_BOUND),
    bad_k("emoji", "💯", NOT_A_NUMBER),
    bad_k("lone-surrogate-escape", "\\ud800", NOT_A_NUMBER),
    bad_k("zero-width", "1\u200b2", NOT_A_NUMBER),
    bad_k("nbsp", "1\u00a0000", NOT_A_NUMBER),
    bad_k("rtl-mark", "\u200f123", NOT_A_NUMBER),
    # ---- the grid: Rp --------------------------------------------------------------------------
    bad_rp("negative", "-5", "nilai rupiah tidak boleh negatif"),
    bad_rp("three-decimals", "0,001", "paling banyak 2 angka di belakang koma"),
    bad_rp("one-over-bound", "1.000.000.000.000.000", RP_BOUND),
    bad_rp("5000-digits", HUGE_INT, RP_BOUND),
    bad_rp("exponent-huge", "1e999999999", NOT_A_NUMBER),
    bad_rp("arabic-indic", "١٢٣", FOREIGN_DIGIT),
    bad_rp("fullwidth", "１２３", FOREIGN_DIGIT),
    bad_rp("nan", "NaN", NOT_A_NUMBER),
    bad_rp("infinity", "Infinity", NOT_A_NUMBER),
    bad_rp("currency-prefix", "Rp 1.000", NOT_A_NUMBER),
    bad_rp("sql", SQL, NOT_A_NUMBER),
    bad_rp("formula", FORMULA, NOT_A_NUMBER),
    # ---- the grid: accepted values are stored exactly ------------------------------------------
    Case("grid-rp-largest", "post", SAVE, grid(rp="999.999.999.999.999,99"), writes=True,
         stored=("rp", Decimal("999999999999999.99"))),
    Case("grid-rp-12345678901234,56", "post", SAVE, grid(rp="12.345.678.901.234,56"), writes=True,
         stored=("rp", Decimal("12345678901234.56"))),
    Case("grid-k-largest", "post", SAVE, grid(k="1.000.000.000.000"), writes=True,
         stored=("k", Decimal("1000000000000"))),
    Case("grid-k-six-decimals", "post", SAVE, grid(k="0,000001"), writes=True,
         stored=("k", Decimal("0.000001"))),
    Case("grid-k-empty", "post", SAVE, grid(k=""), says="Tidak ada nilai yang berubah."),
    Case("grid-k-whitespace", "post", SAVE, grid(k="   \t "), says="Tidak ada nilai yang berubah."),
    Case("grid-k-dash", "post", SAVE, grid(k="-"), says="Tidak ada nilai yang berubah."),
    Case("grid-note-sql", "post", SAVE, grid(note=SQL), writes=True, stored=("note", SQL)),
    Case("grid-note-html", "post", SAVE, grid(note=SCRIPT), writes=True, stored=("note", SCRIPT)),
    Case("grid-note-formula", "post", SAVE, grid(note=FORMULA), writes=True,
         stored=("note", FORMULA)),
    Case("grid-note-5000", "post", SAVE, grid(note="n" * 5000), writes=True,
         stored=("note", "n" * 5000)),
    Case("grid-note-unicode", "post", SAVE, grid(note="Catatan ١٢٣ ２ 💯 ﷽"), writes=True,
         stored=("note", "Catatan ١٢٣ ２ 💯 ﷽")),
    # ---- the grid: refused texts, rows and fields -----------------------------------------------
    Case("grid-note-5001", "post", SAVE, grid(note="n" * 5001), status=(400,),
         says="terlalu panjang: 5.001 karakter, paling banyak 5.000."),
    Case("grid-note-1mb", "post", SAVE, grid(note=MB), status=(400,),
         says="terlalu panjang: 1.000.000 karakter, paling banyak 5.000."),
    Case("grid-note-nul", "post", SAVE, grid(note="a\x00b"), status=(400,), says=BAD),
    Case("grid-k-nul", "post", SAVE, grid(k="1\x002"), status=(400,), says=BAD),
    Case("grid-reason-1mb", "post", SAVE, grid(k="1", reason=MB), status=(400,),
         says="Alasan perubahan terlalu panjang: 1.000.000 karakter, paling banyak 1.000."),
    Case("grid-field-superscript-id", "post", SAVE, {"k-²": "5", "was-k-²": ""},
         says="Tidak ada nilai yang berubah."),
    Case("grid-field-arabic-id", "post", SAVE, {"k-١٢": "5"}, says="Tidak ada nilai yang berubah."),
    Case("grid-field-negative-id", "post", SAVE, {"k--1": "5"},
         says="Tidak ada nilai yang berubah."),
    Case("grid-field-huge-id", "post", SAVE, {"k-" + "9" * 40: "5"},
         says="Tidak ada nilai yang berubah."),
    Case("grid-field-zero-id", "post", SAVE, {"k-0": "5"}, says="Tidak ada nilai yang berubah."),
    Case("grid-field-unknown-kind", "post", SAVE, {"x-{I}": "5", "k": "5", "-": "5"},
         says="Tidak ada nilai yang berubah."),
    Case("grid-unknown-row", "post", SAVE, grid(k="1", row="999999999"), status=(400,),
         says="bukan bagian formulir ini; muat ulang halaman."),
    Case("grid-row-of-another-agency", "post", SAVE, grid(k="1", row="{OI}"), status=(400,),
         says="bukan bagian formulir ini; muat ulang halaman."),
    Case("grid-drawn-value-malformed", "post", SAVE, {"k-{I}": "1", "was-k-{I}": "abc"},
         status=(400,), says="Nilai awal halaman tidak terbaca; muat ulang halaman."),
    Case("grid-many-fields", "post", SAVE, {f"k-{n}": "1" for n in range(1, 900)}, status=(400,),
         says="bukan bagian formulir ini; muat ulang halaman."),
    Case("grid-1200-fields", "post", SAVE,  # a form of 200 rows posts that many
         {**{f"was-note-{n}": "" for n in range(100_000, 101_200)}, **grid(k="7")}, writes=True,
         stored=("k", Decimal(7))),
    Case("grid-approved-quarter", "post", "/isi/{A}/2024/tw1/simpan/", grid(k="1"), status=(400,),
         says="berstatus Disahkan; datanya tidak dapat diubah."),
    Case("grid-verifier-writes", "post", SAVE, grid(k="1"), user="verifikator", status=(403,),
         says=DENIED),
    Case("grid-anonymous", "post", SAVE, grid(k="1"), user=None, says="Masuk"),
    Case("grid-other-agency-operator", "post", "/isi/{OA}/2024/tw2/simpan/", grid(k="1"),
         status=(403,), says=DENIED),
    Case("grid-get-on-save", "get", SAVE, status=(405,)),
    Case("grid-put", "put", GRID, status=(405,)),
    Case("grid-delete", "delete", GRID, status=(405,)),
    Case("grid-quarter-5", "get", "/isi/{A}/2024/tw5/", status=(404,), says=UNKNOWN_QUARTER),
    Case("grid-quarter-0-save", "post", "/isi/{A}/2024/tw0/simpan/", grid(k="1"), status=(404,),
         says=UNKNOWN_QUARTER),
    Case("grid-year-99999", "get", "/isi/{A}/99999/tw2/", status=(404,), says=UNKNOWN_QUARTER),
    Case("grid-year-huge", "get", "/isi/{A}/" + "9" * 30 + "/tw2/", status=(404,), says=NOT_FOUND),
    Case("grid-unknown-agency", "get", "/isi/tidak-ada/2024/tw2/", status=(404,), says=NOT_FOUND),
    Case("grid-agency-unicode", "get", "/isi/dinas-é/2024/tw2/", status=(404,), says=NOT_FOUND),
    Case("grid-year-superscript", "get", "/isi/{A}/2²24/tw2/", status=(404,), says=NOT_FOUND),
    # ---- the grid preview (htmx) -----------------------------------------------------------------
    Case("preview-k-nan", "post", PREVIEW, {"k-{I}": "NaN"}, says=NOT_A_NUMBER),
    Case("preview-k-5000-digits", "post", PREVIEW, {"k-{I}": HUGE_INT}, says=K_BOUND),
    Case("preview-rp-negative", "post", PREVIEW, {"rp-{I}": "-1"}, says="tidak boleh negatif"),
    Case("preview-rp-arabic", "post", PREVIEW, {"rp-{I}": "١٢٣"}, says=FOREIGN_DIGIT),
    Case("preview-k-exponent", "post", PREVIEW, {"k-{I}": "1e999999999"}, says=NOT_A_NUMBER),
    Case("preview-rp-largest", "post", PREVIEW, {"rp-{I}": "999.999.999.999.999,99"}),
    Case("preview-empty", "post", PREVIEW, {}),
    Case("preview-unknown-item", "post", "/isi/{A}/2024/tw2/pratinjau/999999999/",
         {"k-999999999": "1"}, status=(404,), says=NOT_FOUND),
    Case("preview-other-agency-item", "post", "/isi/{A}/2024/tw2/pratinjau/{OI}/", {"k-{OI}": "1"},
         status=(404,), says=NOT_FOUND),
    Case("preview-get", "get", PREVIEW, status=(405,)),
    Case("preview-verifier", "post", PREVIEW, {"k-{I}": "1"}, user="verifikator", status=(403,),
         says=DENIED),
    # ---- IKU ------------------------------------------------------------------------------------
    Case("iku-value-nan", "post", IKU, iku(value="NaN"), says=NOT_A_NUMBER),
    Case("iku-value-huge", "post", IKU, iku(value=HUGE_INT), says=K_BOUND),
    Case("iku-value-arabic", "post", IKU, iku(value="٦٠"), says=FOREIGN_DIGIT),
    Case("iku-value-fullwidth", "post", IKU, iku(value="６０"), says=FOREIGN_DIGIT),
    Case("iku-value-negative", "post", IKU, iku(value="-60"), says="tidak boleh negatif"),
    Case("iku-value-exponent", "post", IKU, iku(value="1e999999999"), says=NOT_A_NUMBER),
    Case("iku-source-300", "post", IKU, iku(source="s" * 300), says="disimpan", writes=True,
         stored=("iku-source", "s" * 300)),
    Case("iku-source-400", "post", IKU, iku(source="s" * 400),
         says="Sumber data terlalu panjang: 400 karakter, paling banyak 300."),
    Case("iku-note-1mb", "post", IKU, iku(note=MB),
         says="Keterangan terlalu panjang: 1.000.000 karakter, paling banyak 5.000."),
    Case("iku-note-html", "post", IKU, iku(note=SCRIPT), says="disimpan", writes=True,
         stored=("iku-note", SCRIPT)),
    Case("iku-date-9999", "post", IKU, iku(measured_on="9999-12-31"),
         says="Tanggal pengukuran 31-12-9999 di luar rentang yang diterima: 01-01-2023 sampai " "31-12-2025."),
    Case("iku-date-1900", "post", IKU, iku(measured_on="1900-01-01"),
         says="Tanggal pengukuran 01-01-1900 di luar rentang yang diterima"),
    Case("iku-date-year-0", "post", IKU, iku(measured_on="0000-01-01"),
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-date-garbage", "post", IKU, iku(measured_on="31/12/2024"),
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-date-feb-30", "post", IKU, iku(measured_on="2024-02-30"),
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-date-arabic", "post", IKU, iku(measured_on="٢٠٢٤-٠١-٠١"),
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-date-sql", "post", IKU, iku(measured_on=SQL),
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-drawn-date-garbage", "post", IKU, {**iku(), "was-measured_on-{IND}": "kemarin"},
         says="tidak terbaca; tulis sebagai TTTT-BB-HH."),
    Case("iku-reason-1mb", "post", IKU, iku(reason=MB), says="Alasan perubahan terlalu panjang"),
    Case("iku-nul", "post", IKU, iku(note="\x00"), status=(400,), says=BAD),
    Case("iku-unknown-indicator", "post", IKU, {"value-999999999": "60", "was-value-999999999": ""},
         says="Tidak ada realisasi IKU yang berubah."),
    Case("iku-approved-quarter", "post", "/isi/{A}/2024/tw1/iku/simpan/", iku(),
         says="berstatus Disahkan; datanya tidak dapat diubah."),
    Case("iku-verifier", "post", IKU, iku(), user="verifikator", status=(403,), says=DENIED),
    Case("iku-get-save", "get", IKU, status=(405,)),
    Case("iku-page-quarter-9", "get", "/isi/{A}/2024/tw9/iku/", status=(403, 404)),
    # ---- narratives -------------------------------------------------------------------------------
    Case("narr-1mb", "post", NARR, {"a-closing": MB, "was-a-closing": ""},
         says="Penutup terlalu panjang: 1.000.000 karakter, paling banyak 5.000."),
    Case("narr-5001", "post", NARR, {"a-foreword": "a" * 5001, "was-a-foreword": ""},
         says="Kata pengantar terlalu panjang: 5.001 karakter, paling banyak 5.000."),
    Case("narr-many-lines", "post", NARR, {"a-closing": "x\n" * 100_000, "was-a-closing": ""},
         says="Penutup terlalu panjang: 199.999 karakter, paling banyak 5.000."),
    Case("narr-nul", "post", NARR, {"a-closing": "a\x00", "was-a-closing": ""}, status=(400,),
         says=BAD),
    Case("narr-html", "post", NARR, {"a-closing": SCRIPT, "was-a-closing": ""},
         says="Narasi disimpan.", writes=True, stored=("closing", SCRIPT)),
    Case("narr-formula", "post", NARR, {"a-closing": FORMULA, "was-a-closing": ""},
         says="Narasi disimpan.", writes=True, stored=("closing", FORMULA)),
    Case("narr-whitespace-only", "post", NARR, {"a-closing": " \n\t\n ", "was-a-closing": ""},
         says="Narasi disimpan."),
    Case("narr-unknown-fields", "post", NARR,
         {"i999999-supporting": "x", "a-unknown": "y", "²-closing": "z"}, says="Narasi disimpan."),
    Case("narr-reason-1mb", "post", NARR, {"a-closing": "isi", "reason": MB},
         says="Alasan perubahan terlalu panjang"),
    Case("narr-approved-quarter", "post", "/isi/{A}/2024/tw1/narasi/simpan/", {"a-closing": "isi"},
         says="berstatus Disahkan; datanya tidak dapat diubah."),
    Case("narr-verifier", "post", NARR, {"a-closing": "isi"}, user="verifikator", status=(403,),
         says=DENIED),
    Case("narr-get-save", "get", NARR, status=(405,)),
    # ---- evidence uploads ---------------------------------------------------------------------------
    Case("evidence-none", "post", EVIDENCE, {}, says="Pilih sedikitnya satu berkas."),
    Case("evidence-exe", "post", EVIDENCE, {"files": ("virus.exe", b"MZ\x90\x00")},
         says="jenis berkas tidak diterima"),
    Case("evidence-renamed", "post", EVIDENCE, {"files": ("bukti.pdf", b"MZ\x90\x00")},
         says="isinya bukan berkas PDF"),
    Case("evidence-invalid-utf8", "post", EVIDENCE,
         {"files": ("bukti.pdf", b"\xff\xfe\x80\x81 bukan utf-8")},
         says="isinya bukan berkas PDF"),
    Case("evidence-utf16", "post", EVIDENCE, {"files": ("bukti.pdf", "%PDF".encode("utf-16"))},
         says="isinya bukan berkas PDF"),
    Case("evidence-empty-file", "post", EVIDENCE, {"files": ("kosong.pdf", b"")},
         says="isinya bukan berkas PDF"),
    Case("evidence-html-name", "post", EVIDENCE, {"files": (SCRIPT + ".html", b"<html>")},
         says="jenis berkas tidak diterima"),
    Case("evidence-no-realisation", "post", EVIDENCE, {"files": ("b.pdf", b"%PDF-1.4 x")},
         says="Isi realisasi triwulan ini dulu, lalu unggah buktinya."),
    Case("evidence-approved-quarter", "post", "/isi/{A}/2024/tw1/bukti/{I}/",
         {"files": ("b.pdf", b"%PDF-1.4 x")}, says="berstatus Disahkan"),
    Case("evidence-other-agency-item", "post", "/isi/{A}/2024/tw2/bukti/{OI}/",
         {"files": ("b.pdf", b"%PDF-1.4 x")}, status=(404,), says=NOT_FOUND),
    Case("evidence-verifier", "post", EVIDENCE, {"files": ("b.pdf", b"%PDF-1.4 x")},
         user="verifikator", status=(403,), says=DENIED),
    Case("evidence-put", "put", EVIDENCE, status=(405,)),
    # ---- row notes (verifikator) ------------------------------------------------------------------
    Case("note-row-abc", "post", Q + "catatan/", {"row": "abc", "text": "x"}, user="verifikator",
         status=(404,), says="Baris tidak dikenal."),
    Case("note-row-superscript", "post", Q + "catatan/", {"row": "²", "text": "x"},
         user="verifikator", status=(404,), says="Baris tidak dikenal."),
    Case("note-row-arabic", "post", Q + "catatan/", {"row": "١٢", "text": "x"}, user="verifikator",
         status=(404,), says="Baris tidak dikenal."),
    Case("note-row-huge", "post", Q + "catatan/", {"row": "9" * 40, "text": "x"},
         user="verifikator", status=(404,), says="Baris tidak dikenal."),
    Case("note-row-negative", "post", Q + "catatan/", {"row": "-1", "text": "x"},
         user="verifikator", status=(404,), says="Baris tidak dikenal."),
    Case("note-row-missing", "post", Q + "catatan/", {"text": "x"}, user="verifikator",
         status=(404,), says="Baris tidak dikenal."),
    Case("note-row-unknown", "post", Q + "catatan/", {"row": "999999999", "text": "x"},
         user="verifikator", status=(404,), says=NOT_FOUND),
    Case("note-row-other-agency", "post", Q + "catatan/", {"row": "{OI}", "text": "x"},
         user="verifikator", status=(404,), says=NOT_FOUND),
    Case("note-empty", "post", Q + "catatan/", {"row": "{I}", "text": "   "}, user="verifikator",
         says="Catatan tidak boleh kosong."),
    Case("note-1mb", "post", Q + "catatan/", {"row": "{I}", "text": MB}, user="verifikator",
         says="Catatan terlalu panjang: 1.000.000 karakter, paling banyak 5.000."),
    Case("note-html", "post", Q + "catatan/", {"row": "{I}", "text": SCRIPT}, user="verifikator",
         says="Catatan disimpan.", writes=True, stored=("rownote", SCRIPT)),
    Case("note-operator", "post", Q + "catatan/", {"row": "{I}", "text": "x"}, status=(403,),
         says=DENIED),
    Case("note-get", "get", Q + "catatan/", user="verifikator", status=(405,)),
    # ---- workflow transitions ----------------------------------------------------------------------
    Case("return-reason-1mb", "post", Q + "kembalikan/", {"reason": MB}, user="verifikator",
         says="Alasan terlalu panjang: 1.000.000 karakter, paling banyak 1.000."),
    Case("return-reason-empty", "post", Q + "kembalikan/", {"reason": "  "}, user="verifikator",
         says="Tuliskan alasan pengembalian."),
    Case("return-draft", "post", Q + "kembalikan/", {"reason": "Cek"}, user="verifikator",
         says="yang dapat dikembalikan hanya yang berstatus Diajukan."),
    Case("reopen-reason-1mb", "post", Q + "buka-kembali/", {"reason": MB}, user="admin",
         says="Alasan terlalu panjang: 1.000.000 karakter, paling banyak 1.000."),
    Case("reopen-reason-sql", "post", "/pd/{A}/2024/tw1/buka-kembali/", {"reason": SQL},
         user="admin", says="Triwulan dibuka kembali", writes=True),
    Case("reopen-operator", "post", Q + "buka-kembali/", {"reason": "x"}, status=(403,),
         says=DENIED),
    Case("approve-draft", "post", Q + "sahkan/", {}, user="pimpinan",
         says="yang dapat disahkan hanya yang berstatus Diverifikasi."),
    Case("approve-approved", "post", "/pd/{A}/2024/tw1/sahkan/", {}, user="pimpinan",
         says="berstatus Disahkan"),
    Case("verify-draft", "post", Q + "verifikasi/", {}, user="verifikator",
         says="yang dapat diverifikasi hanya yang berstatus Diajukan."),
    Case("submit-approved", "post", "/pd/{A}/2024/tw1/ajukan/", {}, says="berstatus Disahkan"),
    Case("submit-get", "get", Q + "ajukan/", status=(405,)),
    Case("submit-quarter-7", "post", "/pd/{A}/2024/tw7/ajukan/", {}, status=(404,), says=NOT_FOUND),
    Case("submit-other-agency", "post", "/pd/{OA}/2024/tw2/ajukan/", {}, status=(403,),
         says=DENIED),
    Case("submit-unknown-agency", "post", "/pd/tidak-ada/2024/tw2/ajukan/", {}, status=(404,),
         says=NOT_FOUND),
    # ---- planning screens ----------------------------------------------------------------------------
    Case("target-date-9999", "post", TARGET, target(on="9999-12-31"),
         says="Tanggal perubahan target 31-12-9999 di luar rentang yang diterima: 01-01-2020 " "sampai 31-12-2027."),
    Case("target-date-1900", "post", TARGET, target(on="1900-01-01"),
         says="Tanggal perubahan target 01-01-1900 di luar rentang yang diterima"),
    Case("target-date-garbage", "post", TARGET, target(on="besok"),
         says="Masukkan tanggal yang valid."),
    Case("target-value-nan", "post", TARGET, target(value="NaN"), says=NOT_A_NUMBER),
    Case("target-value-huge", "post", TARGET, target(value=HUGE_INT), says=K_BOUND),
    Case("target-value-arabic", "post", TARGET, target(value="٨٥"), says=FOREIGN_DIGIT),
    Case("target-upper-below", "post", TARGET, target(upper="10"),
         says="Batas atas target tidak boleh lebih kecil dari batas bawahnya."),
    Case("target-legal-basis-400", "post", TARGET, target(legal_basis="d" * 400),
         says="paling banyak 300 karakter"),
    Case("target-reason-1mb", "post", TARGET, target(reason=MB),
         says="Alasan perubahan terlalu panjang: 1.000.000 karakter, paling banyak 1.000."),
    Case("target-unknown", "post", "/rencana/{A}/target/999999999/revisi/", target(),
         status=(404,), says=NOT_FOUND),
    Case("target-verifier", "post", TARGET, target(), user="verifikator", status=(403,),
         says=DENIED),
    Case("target-get", "get", TARGET, status=(405,)),
    Case("pagu-date-9999", "post", PAGU, pagu(on="9999-12-31"),
         says="Tanggal perubahan pagu 31-12-9999 di luar rentang yang diterima: 01-01-2023 " "sampai 31-12-2025."),
    Case("pagu-negative", "post", PAGU, pagu(amount="-1"), says="tidak boleh negatif"),
    Case("pagu-over-bound", "post", PAGU, pagu(amount="1.000.000.000.000.000"), says=RP_BOUND),
    Case("pagu-three-decimals", "post", PAGU, pagu(amount="1,001"),
         says="paling banyak 2 angka di belakang koma"),
    Case("pagu-fullwidth", "post", PAGU, pagu(amount="２"), says=FOREIGN_DIGIT),
    Case("pagu-largest", "post", PAGU, pagu(amount="999.999.999.999.999,99"), writes=True,
         says="Pagu perubahan", stored=("pagu", Decimal("999999999999999.99"))),
    Case("pagu-legal-basis-html", "post", PAGU, pagu(legal_basis=SCRIPT), writes=True,
         says="Pagu perubahan", stored=("legal_basis", SCRIPT)),
    Case("pagu-item-other-agency", "post", "/rencana/{A}/2024/renja/{OI}/pagu/", pagu(),
         status=(404,), says=NOT_FOUND),
    Case("pagu-year-mismatch", "post", "/rencana/{A}/2023/renja/{I}/pagu/", pagu(), status=(404,),
         says=NOT_FOUND),
    Case("plan-quarter-9", "post", "/rencana/{A}/2024/renja/{I}/tw9/", {"target_k": "1"},
         status=(404,), says=NOT_FOUND),
    Case("plan-k-exponent", "post", PLAN, {"target_k": "1e999999999"}, says=NOT_A_NUMBER),
    Case("plan-cash-negative", "post", PLAN, {"cash_plan": "-5"}, says="tidak boleh negatif"),
    # 2024 has an approved quarter: its rencana aksi changes as a revision, whose reason is bounded
    Case("plan-reason-1mb", "post", PLAN, {"target_k": "2", "revision_on": "2024-09-02",
                                           "revision_reason": MB,
                                           "revision_legal_basis": "Perda"},
         says="Alasan revisi terlalu panjang"),
    Case("sign-name-1mb", "post", SIGN, sign(name=MB), says="paling banyak 200 karakter"),
    Case("sign-acting-unknown", "post", SIGN, sign(acting="raja"),
         says="bukan salah satu dari pilihan yang tersedia"),
    Case("sign-nip-31", "post", SIGN, sign(nip="1" * 31), says="paling banyak 30 karakter"),
    Case("sign-unknown", "post", "/rencana/{A}/2024/pk/penanda-tangan/999999999/", sign(),
         status=(404,), says=NOT_FOUND),
    Case("renja-year-0", "get", "/rencana/{A}/0/renja/", status=(404,), says=NOT_FOUND),
    Case("renja-year-huge", "get", "/rencana/{A}/" + "9" * 25 + "/renja/", status=(404,),
         says=NOT_FOUND),
    Case("renstra-other-agency", "get", "/rencana/tidak-ada/renstra/", status=(404,),
         says=NOT_FOUND),
    # ---- GET parameters and path parts ----------------------------------------------------------------
    Case("pick-bad-agency", "get", "/pilih/?agency=<script>&year=2024&quarter=2", status=(404,),
         says="Perangkat daerah tidak ada."),
    Case("pick-unicode-agency", "get", "/pilih/?agency=dinas-é&year=2024&quarter=2", status=(404,),
         says="Perangkat daerah tidak ada."),
    Case("pick-empty-agency", "get", "/pilih/?agency=&year=2024&quarter=2", status=(404,),
         says="Perangkat daerah tidak ada."),
    Case("pick-unknown-agency", "get", "/pilih/?agency=tidak-ada&year=2024&quarter=2",
         status=(404,), says=NOT_FOUND),
    Case("pick-year-abc", "get", "/pilih/?agency={A}&year=abc&quarter=2",
         says="Pilih tahun (2000–2100) dan triwulan (I–IV)."),
    Case("pick-year-superscript", "get", "/pilih/?agency={A}&year=2²&quarter=2",
         says="Pilih tahun (2000–2100) dan triwulan (I–IV)."),
    Case("pick-year-huge", "get", "/pilih/?agency={A}&year=" + "9" * 5000 + "&quarter=2",
         says="Pilih tahun (2000–2100) dan triwulan (I–IV)."),
    Case("pick-quarter-5", "get", "/pilih/?agency={A}&year=2024&quarter=5",
         says="Pilih tahun (2000–2100) dan triwulan (I–IV)."),
    Case("pick-quarter-arabic", "get", "/pilih/?agency={A}&year=2024&quarter=٢",
         says="Pilih tahun (2000–2100) dan triwulan (I–IV)."),
    Case("pick-nul", "get", "/pilih/?agency=%00&year=2024&quarter=2", status=(400,), says=BAD),
    Case("pick-post", "post", "/pilih/", {"agency": "{A}"}, status=(405,)),
    Case("download-berkas-superscript", "get", Q + "laporan/form.xlsx?berkas=²", status=(404,),
         says="Berkas laporan tidak ada."),
    Case("download-berkas-abc", "get", Q + "laporan/form.xlsx?berkas=abc", status=(404,),
         says="Berkas laporan tidak ada."),
    Case("download-berkas-empty", "get", Q + "laporan/form.xlsx?berkas=", status=(404,),
         says="Berkas laporan tidak ada."),
    Case("download-berkas-unknown", "get", Q + "laporan/form.xlsx?berkas=999999999", status=(404,),
         says=NOT_FOUND),
    Case("download-berkas-huge", "get", Q + "laporan/form.xlsx?berkas=" + "9" * 40, status=(404,),
         says="Berkas laporan tidak ada."),
    Case("download-unknown-format", "get", Q + "laporan/form.exe", status=(404,),
         says="Laporan tidak tersedia"),
    Case("download-unknown-document", "get", Q + "laporan/rahasia.pdf", status=(404,),
         says="Laporan tidak tersedia"),
    Case("download-traversal", "get", Q + "laporan/..%2F..%2Fsettings.py", status=(404,)),
    Case("download-other-agency", "get", "/pd/{OA}/2024/tw2/laporan/form.xlsx?berkas=1",
         status=(403,), says=DENIED),
    Case("overview-sort-unknown", "get", "/pemda/2024/tw2/?urut=" + SQL + "&arah=sideways",
         user="verifikator"),
    Case("overview-sort-huge", "get", "/pemda/2024/tw2/?urut=" + "x" * 10_000 + "&arah=desc",
         user="verifikator"),
    Case("overview-quarter-0", "get", "/pemda/2024/tw0/", user="verifikator", status=(404,),
         says=NOT_FOUND),
    Case("late-year-huge", "get", "/terlambat/" + "9" * 25 + "/tw2/", user="verifikator",
         status=(404,), says=NOT_FOUND),
    Case("history-unknown-kind", "get", "/pd/{A}/riwayat/rahasia/1/", status=(404,),
         says=NOT_FOUND),
    Case("history-unknown-pk", "get", "/pd/{A}/riwayat/realisasi/999999999/", status=(404,),
         says=NOT_FOUND),
    Case("history-huge-pk", "get", "/pd/{A}/riwayat/realisasi/" + "9" * 30 + "/", status=(404,),
         says=NOT_FOUND),
    Case("history-other-agency", "get", "/pd/{OA}/riwayat/realisasi/{R}/", status=(403, 404)),
    Case("history-sql-kind", "get", "/pd/{A}/riwayat/realisasi'--/1/", status=(404,),
         says=NOT_FOUND),
    Case("quarter-page-unknown-year", "get", "/pd/{A}/1999/tw2/", status=(404,), says=NOT_FOUND),
    Case("dashboard-quarter-5", "get", "/pd/{A}/2024/tw5/dasbor/", status=(404,), says=NOT_FOUND),
    Case("home-junk-params", "get", "/?agency=" + SQL + "&year=" + HUGE_INT),
    Case("home-post", "post", "/", {}, status=(405,)),
    Case("path-nul", "get", "/pd/%00/2024/tw2/", status=(400, 404)),
    Case("path-invalid-utf8", "get", "/pd/%ff%fe/2024/tw2/", status=(400, 404)),
    Case("path-very-long", "get", "/pd/" + "a" * 5000 + "/2024/tw2/", status=(404,),
         says=NOT_FOUND),
    Case("path-unknown", "get", "/wp-admin/", status=(404,), says=NOT_FOUND),
    Case("query-invalid-utf8", "get", "/pilih/?agency=%ff&year=2024&quarter=2", status=(404,),
         says="Perangkat daerah tidak ada."),
    # ---- the admin's parameters and ids ----------------------------------------------------------
    Case("admin-sort-abc", "get", "/admin/planning/workitem/?o=abc", user="admin"),
    Case("admin-page-huge", "get", "/admin/planning/workitem/?p=99999999", user="admin",
         status=(200, 404)),
    Case("admin-search-sql", "get", "/admin/planning/workitem/?q=" + SQL, user="admin"),
    Case("admin-filter-unknown", "get", "/admin/planning/workitem/?tidak_ada=1", user="admin"),
    Case("admin-filter-year-text", "get", "/admin/planning/workitem/?year=abc", user="admin"),
    # no such row (or another pemda's): 404, never Django's redirect to the index
    Case("admin-id-text", "get", "/admin/planning/workitem/abc/change/", user="admin",
         status=(404,), says=NOT_FOUND),
    Case("admin-id-superscript", "get", "/admin/planning/workitem/²/change/", user="admin",
         status=(404,), says=NOT_FOUND),
    Case("admin-id-huge", "get", "/admin/planning/workitem/" + "9" * 30 + "/change/",
         user="admin", status=(404,), says=NOT_FOUND),
    Case("admin-realisation-id-huge", "get", "/admin/monitoring/realisation/" + "9" * 25 +
         "/history/", user="admin", status=(200, 404)),
    Case("admin-operator", "get", "/admin/planning/workitem/", status=(200,), says="Masuk"),
    # ---- login, logout, password, language ------------------------------------------------------------
    Case("login-wrong", "post", "/masuk/", {"username": "operator", "password": "salah"},
         user=None, says="Nama pengguna atau kata sandi salah."),
    Case("login-sql", "post", "/masuk/", {"username": SQL, "password": SQL}, user=None,
         says="Nama pengguna atau kata sandi salah."),
    Case("login-1mb", "post", "/masuk/", {"username": MB, "password": MB}, user=None,
         says="Nama pengguna atau kata sandi salah."),
    Case("login-empty", "post", "/masuk/", {"username": "", "password": ""}, user=None,
         says="Nama pengguna atau kata sandi salah."),
    Case("login-nul", "post", "/masuk/", {"username": "op\x00", "password": "x"}, user=None,
         status=(400,), says=BAD),
    Case("login-arabic", "post", "/masuk/", {"username": "١٢٣", "password": "١٢٣"}, user=None,
         says="Nama pengguna atau kata sandi salah."),
    Case("login-next-external", "get", "/masuk/?next=https://contoh.invalid/", user=None),
    Case("logout-get", "get", "/keluar/", status=(405,)),
    Case("password-wrong-old", "post", "/sandi/",
         {"old_password": "salah", "new_password1": "x", "new_password2": "y"},
         says="Sandi lama Anda yang dimasukkan salah."),
    Case("password-1mb", "post", "/sandi/",
         {"old_password": MB, "new_password1": MB, "new_password2": MB}, status=(400,), says=BAD),
    Case("password-nul", "post", "/sandi/", {"old_password": "demo\x00"}, status=(400,), says=BAD),
    Case("password-anonymous", "post", "/sandi/", {"old_password": "demo"}, user=None,
         says="Masuk"),
    Case("language-unknown", "post", "/i18n/setlang/", {"language": "xx", "next": "/"}),
    Case("language-external-next", "post", "/i18n/setlang/",
         {"language": "en", "next": "https://contoh.invalid/"}),
    Case("health-post", "post", "/sehat/", {}, user=None),
]
# fmt: on


@pytest.fixture
def ctx(agency, demo_users, open_period):
    """The tokens' values (see the module docstring), with another agency and its operator."""
    other = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                  abbreviation="DC", slug="dinas-contoh", is_example=True)  # fmt: skip
    other_item = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                         code="1.01.01", name="Program Contoh")  # fmt: skip
    Realisation.objects.create(work_item=other_item, quarter=1, value_k=1)
    user = get_user_model().objects.create_user("operator-dc", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    assert not item.allows_negative
    assert not Realisation.objects.filter(work_item=item, quarter=2).exists()
    return {
        "{A}": agency.slug,
        "{OA}": other.slug,
        "{OI}": str(other_item.pk),
        "{I}": str(item.pk),
        "{P}": str(WorkItem.objects.get(agency=agency, code="5.03.02", level="program").pk),
        "{IND}": str(Indicator.objects.get(name="Indeks Profesionalitas ASN").pk),
        "{T}": str(
            IndicatorTarget.objects.get(
                indicator__name="Nilai SAKIP Perangkat Daerah", year=2025
            ).pk
        ),  # fmt: skip
        "{S}": str(
            Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first").pk
        ),  # fmt: skip
        "{R}": str(Realisation.objects.filter(work_item__agency=agency).first().pk),
        "item": item,
        "other_user": user,
    }


def fill(value: Any, ctx: dict[str, Any]) -> Any:
    if isinstance(value, str):
        for token, text in ctx.items():
            if token.startswith("{"):
                value = value.replace(token, text)
        return value
    if isinstance(value, dict):
        return {fill(k, ctx): fill(v, ctx) for k, v in value.items()}
    return value


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(content.decode("utf-8", errors="replace"))


def _messages(body: str) -> str:
    """What a page says (title, headings, messages, errors): for a failing case's report."""
    import re

    found = re.findall(r"<(?:title|h1|p|li|div)[^>]*(?:alert|error|message|errorlist)?[^>]*>"
                       r"([^<]{3,300})<", body)  # fmt: skip
    return " | ".join(t.strip() for t in found if t.strip())[:1500]


def _stored(what: str, ctx: dict[str, Any]) -> Any:
    item = ctx["item"]
    if what in ("k", "rp", "note"):
        r = Realisation.objects.get(work_item=item, quarter=2)
        return {"k": r.value_k, "rp": r.value_rp, "note": r.note}[what]
    if what.startswith("iku-"):
        r = IndicatorRealisation.objects.get(indicator_id=int(ctx["{IND}"]), year=2024, quarter=2)
        return getattr(r, what.removeprefix("iku-"))
    if what == "closing":
        return "\n".join(Narrative.objects.filter(kind="closing", year=2024, quarter=2)
                         .order_by("position").values_list("text", flat=True))  # fmt: skip
    if what == "rownote":
        return RowNote.objects.filter(work_item=item).latest("pk").text
    item.refresh_from_db()
    return {"pagu": item.budget_revised, "legal_basis": item.budget_legal_basis}[what]


def _request(client, case: Case, ctx: dict[str, Any]):
    url, data = fill(case.url, ctx), fill(case.data, ctx)
    if case.method == "get":
        return client.get(url, follow=True)
    if case.method == "post":
        files = {k: SimpleUploadedFile(v[0], v[1]) for k, v in data.items()
                 if isinstance(v, tuple)}  # fmt: skip
        fields = {k: v for k, v in data.items() if not isinstance(v, tuple)}
        return client.post(url, {**fields, **files}, follow=True)
    return getattr(client, case.method)(url, follow=True)


def test_the_corpus_has_at_least_200_cases_with_distinct_ids():
    from .test_cli_inputs import CLI_CASES

    ids = [c.id for c in CASES] + [c[0] for c in CLI_CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 200


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(client, demo_users, ctx, case):
    if case.user:
        client.force_login(demo_users[case.user])
    before = db_fingerprint()
    response = _request(client, case, ctx)
    for _url, status in response.redirect_chain:
        assert status < 500
    assert response.status_code < 500
    body = _body(response)
    assert "Traceback" not in body
    shown = _messages(body)
    assert response.status_code in case.status, shown
    if case.says:
        assert case.says in body, shown
    if not case.writes:
        assert db_fingerprint() == before
    if case.stored is not None:
        what, value = case.stored
        assert _stored(what, ctx) == value
