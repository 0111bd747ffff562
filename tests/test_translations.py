"""The translation catalogues: Bahasa Indonesia (the source language of every msgid) and
English. Every entry translated and none fuzzy, the compiled .mo matching its .po, no string
of the code or the templates missing from the catalogue, no English left on the Indonesian
pages, and English shown once the user chooses it."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import kinerja

PACKAGE = Path(kinerja.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
LANGUAGES = ("id", "en")
FIELD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags": set, "msgctxt"?, "msgid", "msgid_plural"?,
    "msgstr" or "msgstr[n]"}; obsolete entries (#~) are kept out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key is not None:
                entry[key] += ast.literal_eval(line)
            else:
                raise AssertionError(f"{path}: unreadable line {line!r}")
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _msgstrs(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def _key(entry: dict) -> tuple[str | None, str]:
    return entry.get("msgctxt"), entry["msgid"]


def _catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_complete_and_not_fuzzy(language):
    entries = parse_po(_catalogue(language))
    header = [e for e in entries if e["msgid"] == "" and "msgctxt" not in e]
    assert len(header) == 1, "the catalogue needs exactly one header"
    assert f"Language: {language}\n" in header[0]["msgstr"]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy}"
    messages = [e for e in entries if e not in header]
    assert messages, "the catalogue is empty"
    empty = [e["msgid"] for e in messages if not all(_msgstrs(e))]
    assert not empty, f"untranslated entries in {language}: {empty}"
    for entry in messages:
        if "python-format" in entry["flags"]:
            wanted = sorted(re.findall(r"%\(\w+\)s", entry["msgid"]))
            for msgstr in _msgstrs(entry):
                assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == wanted, entry["msgid"]


def test_indonesian_catalogue_is_the_source_text():
    for entry in parse_po(_catalogue("id")):
        if entry["msgid"] and "msgid_plural" not in entry:
            assert entry["msgstr"] == entry["msgid"]


def test_both_catalogues_hold_the_same_msgids():
    ids = {_key(e) for e in parse_po(_catalogue("id"))}
    ens = {_key(e) for e in parse_po(_catalogue("en"))}
    assert ids - ens == set(), "missing from the English catalogue"
    assert ens - ids == set(), "missing from the Indonesian catalogue"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_po(language):
    """The committed .mo is compiled from the committed .po (run compilemessages)."""
    po = _catalogue(language)
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for entry in parse_po(po):
        if entry["msgid"] == "":
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for k, v in entry.items():
                if k.startswith("msgstr["):
                    assert compiled.get((msgid, int(k[7:-1]))) == v, (language, msgid)
        else:
            assert compiled.get(msgid) == entry["msgstr"], (language, msgid)


def test_makemessages_finds_nothing_new(tmp_path, settings, monkeypatch):
    """Every string marked in the code and templates is in the committed catalogue. Run on a
    copy of the package, so the committed catalogues are never written."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext is missing: apt-get install gettext (make test does)")
    copy = tmp_path / "kinerja"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "locale", "__pycache__", "static", "fonts", "data", "*.mo", "*.po"))  # fmt: skip
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["id"], ignore_patterns=["migrations/*"],
                 no_obsolete=True, verbosity=0)  # fmt: skip
    found = {_key(e) for e in parse_po(copy / "locale" / "id" / "LC_MESSAGES" / "django.po")}
    committed = {_key(e) for e in parse_po(_catalogue("id"))}
    missing = sorted(found - committed, key=str)
    assert not missing, (
        "strings without translation; run makemessages -l id -l en, translate, "
        f"compilemessages: {missing}"
    )


# --- the pages -------------------------------------------------------------------------

ENGLISH_UI = ("Log in", "Log out", "Login", "Logout", "Username", "Password", "Submit",
              "Save", "Welcome", "Change password", "History", "Home", "Cancel", "Search",
              "View site", "Recent actions", "Add", "Change", "Delete", "Quarter", "Agency",
              "Approve", "Verify", "Reason", "Notes")  # fmt: skip
ENGLISH_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_UI) + r")\b")
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class _VisibleText(HTMLParser):
    """The text a user reads: text outside <script>/<style>, plus the attributes a browser
    shows (tooltips, accessible labels, placeholders, the label of input buttons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        values = dict(attrs)
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


QUARTER_URL = "/pd/bkpsdm-sumenep/2024/tw1/"
PAGES = (("/masuk/", None), ("/", "pimpinan"), (QUARTER_URL, "verifikator"),
         ("/admin/", "admin"))  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "username"), PAGES)
def test_indonesian_pages_have_no_english(client, demo_users, url, username):
    if username:
        client.force_login(demo_users[username])
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    text = visible_text(response.content.decode())
    assert text, url
    english = sorted(set(ENGLISH_RE.findall(text)))
    assert not english, f"English on {url} in Indonesian: {english}"


@pytest.mark.django_db
def test_english_after_choosing_it(client, demo_users):
    client.force_login(demo_users["pimpinan"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    with translation.override("en"):
        agencies, home = translation.gettext("Perangkat daerah"), translation.gettext("Beranda")
    assert agencies != "Perangkat daerah" and home != "Beranda", "no English translation"
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    text = visible_text(response.content.decode())
    assert agencies in text and home in text
    assert "Perangkat daerah" not in text and "Beranda" not in text
    # and back to Bahasa Indonesia
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Perangkat daerah" in visible_text(client.get("/").content.decode())
