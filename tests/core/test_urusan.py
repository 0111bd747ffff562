import pytest

from kinerja.core.urusan import program_urusan, urusan_name


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("5.03.01", ("5", "5.03")),
        ("5.04.02", ("5", "5.04")),
        ("9.01.01", ("9", "9.01")),  # read from the code even where Kinerja has no name
        (" 5.03.02 ", ("5", "5.03")),
        ("5.03.01.2.01", ("5", "5.03")),  # a kegiatan's code begins the same way
        ("", None),
        ("5.3.1", None),
        ("Program A", None),
        ("5.03", None),  # a bidang urusan, not a program
    ],
)
def test_program_urusan_reads_urusan_and_bidang_urusan_from_the_code(code, expected):
    assert program_urusan(code) == expected


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN"),  # as the seed's appendix prints them
        ("5.03", "KEPEGAWAIAN"),
        ("5.04", "PENDIDIKAN DAN PELATIHAN"),
        ("9", None),
        ("9.01", None),
        ("5.99", None),
    ],
)
def test_urusan_name_names_only_the_codes_in_its_table(code, name):
    assert urusan_name(code) == name
