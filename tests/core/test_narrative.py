from decimal import Decimal as D

import pytest

from kinerja.core.narrative import iku_paragraph


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"target": D(84), "realisation": D(59), "achievement": D(5900) / D(84),
             "rating": "Sedang", "note": "Realisasi ini merupakan hasil pengukuran sementara"},
            "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 84 dan "
            "terealisasi 59 dengan capaian 70,24 % (Sedang). Realisasi ini merupakan hasil "
            "pengukuran sementara.",
        ),
        (
            {"target": D("0.70"), "realisation": None, "achievement": None, "rating": None,
             "reason_missing": "masih belum dilakukan Penilaian oleh Komisi Aparatur Sipil "
                               "Negara."},
            "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 0,7 dan belum "
            "terealisasi karena masih belum dilakukan Penilaian oleh Komisi Aparatur Sipil "
            "Negara.",
        ),
        (
            {"target": D(84), "realisation": None, "achievement": None, "rating": None},
            "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 84 dan belum "
            "terealisasi.",
        ),
        (
            {"target": D(80), "realisation": D(92), "achievement": D(115),
             "rating": "Sangat Tinggi"},
            "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 80 dan "
            "terealisasi 92 dengan capaian 115,00 % (Sangat Tinggi), melampaui target.",
        ),
        (
            {"target": D(0), "realisation": D(5), "achievement": None, "rating": None},
            "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 0 dan "
            "terealisasi 5; capaiannya tidak dapat dihitung karena targetnya 0 atau belum ada.",
        ),
    ],
)  # fmt: skip
def test_iku_paragraph_realised_not_yet_realised_and_above_target(kwargs, expected):
    assert iku_paragraph(indicator="Indeks Profesionalitas ASN", year=2024, **kwargs) == expected
