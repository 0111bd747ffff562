"""No lost update, in two real browsers (DESIGN §4a): two operators of the same agency open the
TW II 2024 draft grid; Ani changes row 4's K and row 6's note and saves; the operator, whose
page was drawn before that, changes row 4's K and saves. She is refused on row 4 with Ani's
name, the time, Ani's value and hers; her typing stays; row 6 keeps Ani's note; saving again
overwrites knowingly. The server is `kinerja serve` on its own SQLite file
(test_browser_workflow.py's fixture); screenshots land in ``tmp_path`` (kept by pytest
after a failure).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from .test_browser_workflow import (  # noqa: F401 - live_server_url is a fixture
    STEP_TIMEOUT,
    Contexts,
    _kinerja,
    _server_env,
    live_server_url,
)

GRID_PATH = "/isi/bkpsdm-sumenep/2024/tw2/"
MONTHS = ("Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
          "Desember")  # fmt: skip
ADD_ANI = (
    "from django.contrib.auth import get_user_model\n"
    "from kinerja.accounts.models import Profile, Role\n"
    "from kinerja.planning.models import Agency\n"
    "a = Agency.objects.get(slug='bkpsdm-sumenep')\n"
    "u = get_user_model().objects.create_user('ani', password='demo', first_name='Ani',"
    " last_name='Rahayu')\n"
    "Profile.objects.create(user=u, role=Role.OPERATOR, government=a.government, agency=a)\n"
)


@pytest.fixture
def two_pages(live_server_url: str, tmp_path: Path, chromium) -> Iterator[tuple[object, object]]:  # noqa: F811
    """Ani (a second operator of BKPSDM, added to the demo database) and the demo operator,
    each in their own browser context (own cookies), both logged in."""
    added = subprocess.run([*_kinerja(), "manage", "shell", "-c", ADD_ANI], cwd=tmp_path,
                           env=_server_env(tmp_path), capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert added.returncode == 0, added.stderr
    contexts = Contexts(chromium)  # the session's browser; these contexts closed after
    try:
        pages = []
        for username in ("ani", "operator"):
            context = contexts.new_context(base_url=live_server_url, locale="id-ID",
                                           viewport={"width": 1400, "height": 1000})  # fmt: skip
            context.set_default_timeout(STEP_TIMEOUT)
            page = context.new_page()
            page.goto("/masuk/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", "demo")
            page.get_by_role("button", name="Masuk").click()
            sync_api.expect(page.get_by_role("button", name="Keluar")).to_be_visible()
            pages.append(page)
        yield pages[0], pages[1]
    finally:
        contexts.close()


def test_the_later_save_is_refused_on_the_cell_and_keeps_the_other_persons_note(
    two_pages, tmp_path: Path
) -> None:
    expect = sync_api.expect
    ani, operator = two_pages
    ani.goto(GRID_PATH)
    operator.goto(GRID_PATH)  # drawn before Ani saves

    row4 = ani.locator('input.cell[data-col="k"]').nth(3).get_attribute("id").removeprefix("k-")
    row6 = ani.locator('input.cell[data-col="k"]').nth(5).get_attribute("id").removeprefix("k-")
    ani.fill(f"#k-{row4}", "7")
    ani.fill(f"#note-{row6}", "catatan Ani")
    ani.get_by_role("button", name="Simpan").click()
    expect(ani.locator("p.message")).to_contain_text("2 nilai diubah:")
    expect(ani.locator("p.message")).to_contain_text("→ 7")

    operator.fill(f"#k-{row4}", "9")
    operator.get_by_role("button", name="Simpan").click()
    expect(operator.locator("p.message.error")).to_contain_text(
        "Tidak ada yang disimpan: 1 isian Anda telah diubah orang lain"
    )
    conflict = operator.locator(f"#conflict-{row4}-k")
    expect(conflict).to_have_text(re.compile(
        rf"^Diubah Ani Rahayu pada \d{{1,2}} ({MONTHS}) \d{{4}} \d{{2}}\.\d{{2}} menjadi 7; "
        r"isian Anda 9\.$"))  # fmt: skip
    expect(operator.locator(f"#k-{row4}")).to_have_value("9")  # her typing stays
    expect(operator.locator(f"#note-{row6}")).to_have_value("catatan Ani")  # redrawn, not hers
    expect(operator.locator(".cell-conflict")).to_have_count(1)
    path = tmp_path / "konflik.png"
    operator.screenshot(path=str(path), full_page=True)

    operator.get_by_role("button", name="Simpan").click()  # resolves: hers, knowingly
    expect(operator.locator("p.message")).to_contain_text("1 nilai diubah:")
    expect(operator.locator("p.message")).to_contain_text("K 7 → 9")

    ani.reload()
    expect(ani.locator(f"#k-{row4}")).to_have_value("9")
    expect(ani.locator(f"#note-{row6}")).to_have_value("catatan Ani")
    history = ani.locator(f"#row-{row6} a.hist")
    expect(history).to_have_count(1)
