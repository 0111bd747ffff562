"""A corpus of ≥ 40 files and options `kinerja check` refuses: one Indonesian line, exit code 2,
no traceback, nothing written."""

from __future__ import annotations

import pytest

from kinerja.cli import main

from .corpus import bad_files
from .forms import seed_form


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    valid = seed_form(base / "seed-source.xlsx").read_bytes()
    return bad_files(base, valid)


def test_the_corpus_is_large_enough(corpus):
    assert len(corpus) >= 40


def test_every_bad_file_is_refused_in_one_line_with_exit_2(corpus, tmp_path, capsys):
    for name, path, extra in corpus:
        out = tmp_path / f"audit-{name}.xlsx"
        args = ["check", str(path), *extra]
        if "--output" not in extra:
            args += ["--output", str(out)]
        with pytest.raises(SystemExit) if name in ("quarter-text", "quarter-arabic",
                                                   "unknown-option") else _nothing() as exit_:  # fmt: skip
            code = main(args)
        if exit_ is not None and hasattr(exit_, "value"):
            code = exit_.value.code
        err = capsys.readouterr().err
        assert code == 2, name
        assert err.count("\n") == 1 and err.startswith("kinerja"), (name, err)
        assert "Traceback" not in err and "kesalahan tak terduga" not in err, (name, err)
        assert not out.exists(), name
        assert not list(tmp_path.glob("*.tmp")), name


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
