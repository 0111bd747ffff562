"""Fill the id and en catalogues: id msgstr = msgid, en from EN (tools/i18n/en.py); clears
fuzzy flags. After adding or changing user-facing strings:

    cd src/kinerja && DJANGO_SETTINGS_MODULE=kinerja.settings \
        ../../.venv/bin/django-admin makemessages -l id -l en --no-obsolete --ignore 'migrations/*'
    # add the English of each new string to tools/i18n/en.py, then:
    .venv/bin/python tools/i18n/fill_catalogues.py
    cd src/kinerja && ../../.venv/bin/django-admin compilemessages -l id -l en

tests/test_translations.py fails while a string is missing from a catalogue.
"""

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from en import EN

LOCALE = Path(__file__).resolve().parents[2] / "src" / "kinerja" / "locale"


def parse(text):
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        e = {"comments": [], "fields": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                e["comments"].append(line)
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if m:
                key = m.group(1)
                e["fields"][key] = ast.literal_eval(m.group(2))
            else:
                e["fields"][key] += ast.literal_eval(line)
        entries.append(e)
    return entries


def q(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    parts = s.split("\n")
    if len(parts) == 1:
        return f'"{s}"'
    chunks = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{c}"' for c in chunks)


HEADER = {
    "id": ("Indonesian", "nplurals=1; plural=0;", "Bahasa Indonesia"),
    "en": ("English", "nplurals=2; plural=(n != 1);", "English"),
}


def fill(lang):
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = parse(path.read_text())
    missing = []
    out = []
    for e in entries:
        f = e["fields"]
        comments = []
        for c in e["comments"]:
            if c.startswith("#|"):
                continue
            if c.startswith("#,"):
                flags = [x.strip() for x in c[2:].split(",") if x.strip() and x.strip() != "fuzzy"]
                if not flags:
                    continue
                c = "#, " + ", ".join(flags)
            comments.append(c)
        if f.get("msgid") == "" and "msgctxt" not in f:
            name, plural, team = HEADER[lang]
            comments = [f"# Kinerja — {name} translation of the user interface.", "#"]
            f = {
                "msgid": "",
                "msgstr": (
                    "Project-Id-Version: Kinerja\n"
                    "Report-Msgid-Bugs-To: \n"
                    + re.search(r"POT-Creation-Date: [^\n]*\n", f["msgstr"]).group(0)
                    + "PO-Revision-Date: 2024-07-01 00:00+0700\n"
                    "Last-Translator: Kinerja\n"
                    f"Language-Team: {team}\n"
                    f"Language: {lang}\n"
                    "MIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=UTF-8\n"
                    "Content-Transfer-Encoding: 8bit\n"
                    f"Plural-Forms: {plural}\n"
                ),
            }
        else:
            msgid = f["msgid"]
            if lang == "id":
                if "msgid_plural" in f:
                    f = {k: v for k, v in f.items() if not k.startswith("msgstr")}
                    f["msgstr[0]"] = msgid  # nplurals=1
                else:
                    f["msgstr"] = msgid
            else:
                tr = EN.get(msgid)
                if tr is None:
                    missing.append(msgid)
                    tr = ""
                if "msgid_plural" in f:
                    f = {k: v for k, v in f.items() if not k.startswith("msgstr")}
                    f["msgstr[0]"], f["msgstr[1]"] = tr if isinstance(tr, tuple) else (tr, tr)
                else:
                    f["msgstr"] = tr
        lines = list(comments)
        for k, v in f.items():
            lines.append(f"{k} {q(v)}")
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + "\n")
    return missing


for lang in ("id", "en"):
    missing = fill(lang)
    for m in missing:
        print(f"{lang}: NO TRANSLATION: {m!r}")
