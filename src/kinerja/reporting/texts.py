"""Default texts of the quarterly report and the PK. An agency's own texts (stored as
Narrative per agency and quarter: foreword, background, closing) replace them."""

from __future__ import annotations

from kinerja.core.numbers import QUARTER_ROMAN as ROMAN


def foreword(agency: str, quarter: int, year: int) -> tuple[str, ...]:
    q = ROMAN[quarter - 1]
    return (
        "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya "
        f"Laporan Capaian Kinerja {agency} Triwulan {q} Tahun {year} ini dapat diselesaikan.",
        f"Laporan ini menyajikan realisasi dan capaian kinerja triwulan {q} tahun {year} "
        "terhadap target Rencana Strategis, Perjanjian Kinerja dan Rencana Kerja, sebagai "
        "pengukur keberhasilan maupun kegagalan pencapaian kinerja dan sebagai dasar perbaikan "
        "pada triwulan berikutnya.",
    )


def background(agency: str) -> tuple[str, ...]:
    return (
        "Pemerintahan yang akuntabel merupakan keharusan dalam mewujudkan visi dan misi "
        "pembangunan daerah. Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
        "Kinerja Instansi Pemerintah (SAKIP) mewajibkan setiap perangkat daerah merencanakan, "
        "mengukur, melaporkan dan mengevaluasi kinerjanya.",
        "Monitoring dan evaluasi rencana aksi setiap triwulan memantau kemajuan pencapaian "
        f"kinerja yang telah diperjanjikan dalam Perjanjian Kinerja {agency}, sehingga "
        "hambatan dapat dikenali sejak dini dan ditindaklanjuti.",
    )


def purposes(agency: str, quarter: int, year: int) -> tuple[str, ...]:
    return (
        "mengukur dan menilai tingkat keberhasilan pencapaian target kinerja berdasarkan "
        f"rencana aksi pencapaian kinerja tahun {year};",
        "mengendalikan proses pencapaian target kinerja dan pelaksanaan kegiatan sesuai sasaran "
        "strategis dan IKU dalam Perjanjian Kinerja;",
        f"mewujudkan akuntabilitas pelaksanaan tugas dan fungsi {agency} sebagai wujud "
        "transparansi dan pertanggungjawaban kepada masyarakat.",
    )


def closing(agency: str, quarter: int, year: int) -> tuple[str, ...]:
    q = ROMAN[quarter - 1]
    return (
        f"Laporan Capaian Kinerja Triwulan {q} Tahun {year} ini disusun sebagai bentuk "
        f"pertanggungjawaban {agency} atas pelaksanaan program dan kegiatan yang telah "
        "direncanakan.",
        "Capaian yang belum memenuhi target menjadi bahan evaluasi dan perbaikan pada triwulan "
        "berikutnya, agar target kinerja tahun berjalan dapat tercapai.",
    )


def agreement(agency: str, head: str, regent: str, year: int) -> tuple[str, ...]:
    return (
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel "
        "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:",
        f"{head}, selanjutnya disebut PIHAK PERTAMA; dan {regent}, selaku atasan PIHAK "
        "PERTAMA, selanjutnya disebut PIHAK KEDUA.",
        f"PIHAK PERTAMA berjanji akan mewujudkan target kinerja tahun {year} sebagaimana "
        "terlampir dalam perjanjian ini, dalam rangka mencapai target kinerja jangka menengah "
        "seperti yang telah ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan "
        "pencapaian target kinerja tersebut menjadi tanggung jawab PIHAK PERTAMA.",
        "PIHAK KEDUA akan melakukan supervisi yang diperlukan serta evaluasi terhadap capaian "
        "kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka "
        "pemberian penghargaan dan sanksi.",
    )
