"""E-mail reminders (monitoring/reminders.py) with Django's locmem backend: each transition
mails the people who act next, once committed; none to whom turned reminders off, has no
address, or after a refused transition; `kinerja remind` mails operators whose period closes
within N days with their quarter not yet submitted, once a day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.accounts.models import Profile, Role
from kinerja.cli import main
from kinerja.monitoring import workflow
from kinerja.monitoring.models import Realisation, ReportingPeriod
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db
TW2 = {"year": 2024, "quarter": 2}
DAY = date(2024, 7, 10)  # within the seed's TW II 2024 period (1–31 July 2024)
BASE = "https://kinerja.sumenepkab.go.id"
QUARTER_URL = BASE + "/pd/bkpsdm-sumenep/2024/tw2/"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KINERJA_BASE_URL = BASE


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a transition and the callbacks its commit would run (the mails)."""

    def run(step, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(**kwargs)

    return run


def _mails(outbox):
    return [(m.to, m.subject) for m in outbox]


def _turn_off(user):
    Profile.objects.filter(user=user).update(reminders=False)


def test_each_transition_mails_who_acts_next(commit, mailoutbox, demo_users, agency):
    u = demo_users
    commit(workflow.submit_quarter, user=u["operator"], agency=agency, today=DAY, **TW2)
    assert _mails(mailoutbox) == [(["verifikator@demo.kinerja.test"],
                                   f"[Kinerja] Triwulan II 2024 {agency.name} diajukan, "
                                   "menunggu verifikasi")]  # fmt: skip
    body = mailoutbox[0].body
    assert body.startswith("Yth. Verifikator Bappeda,\n\nTriwulan II 2024 ")
    assert "diajukan oleh Operator BKPSDM pada " in body
    assert f"Buka: {QUARTER_URL}\n" in body
    assert f"matikan di {BASE}/akun/pengingat/" in body

    mailoutbox.clear()
    commit(workflow.return_quarter, user=u["verifikator"], agency=agency,
           reason="Bukti sub kegiatan 0001 belum ada", **TW2)  # fmt: skip
    assert _mails(mailoutbox) == [(["operator@demo.kinerja.test"],
                                   f"[Kinerja] Triwulan II 2024 {agency.name} dikembalikan "
                                   "untuk diperbaiki")]  # fmt: skip
    assert "Alasan: Bukti sub kegiatan 0001 belum ada" in mailoutbox[0].body
    assert "dikembalikan oleh Verifikator Bappeda" in mailoutbox[0].body

    commit(workflow.submit_quarter, user=u["operator"], agency=agency, today=DAY, **TW2)
    mailoutbox.clear()
    commit(workflow.verify_quarter, user=u["verifikator"], agency=agency, **TW2)
    assert _mails(mailoutbox) == [(["pimpinan@demo.kinerja.test"],
                                   f"[Kinerja] Triwulan II 2024 {agency.name} diverifikasi, "
                                   "menunggu pengesahan")]  # fmt: skip
    assert "menunggu pengesahan Anda" in mailoutbox[0].body

    mailoutbox.clear()
    commit(workflow.approve_quarter, user=u["pimpinan"], agency=agency,
           reason="Disahkan dengan catatan temuan", **TW2)  # fmt: skip
    assert _mails(mailoutbox) == [(["operator@demo.kinerja.test"],
                                   f"[Kinerja] Triwulan II 2024 {agency.name} disahkan")]  # fmt: skip
    assert "disahkan oleh Kepala BKPSDM" in mailoutbox[0].body

    mailoutbox.clear()  # the admin's reopening mails nobody
    commit(workflow.reopen_quarter, user=u["admin"], agency=agency, reason="Salah angka", **TW2)
    assert mailoutbox == []


def test_every_verifikator_of_the_pemda_gets_its_own_mail(commit, mailoutbox, demo_users,
                                                        agency, django_user_model):  # fmt: skip
    second = django_user_model.objects.create_user("verif2", email="verif2@contoh.test",
                                                   first_name="Verifikator", last_name="Dua")  # fmt: skip
    Profile.objects.create(user=second, role=Role.VERIFIER, government=agency.government)
    commit(workflow.submit_quarter, user=demo_users["operator"], agency=agency, today=DAY, **TW2)
    assert sorted(m.to[0] for m in mailoutbox) == ["verif2@contoh.test",
                                                   "verifikator@demo.kinerja.test"]  # fmt: skip
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    assert any(m.body.startswith("Yth. Verifikator Dua,") for m in mailoutbox)


def test_no_mail_when_reminders_are_off_or_without_address(commit, mailoutbox, demo_users,
                                                          agency):  # fmt: skip
    _turn_off(demo_users["verifikator"])
    commit(workflow.submit_quarter, user=demo_users["operator"], agency=agency, today=DAY, **TW2)
    assert mailoutbox == []
    demo_users["operator"].email = ""
    demo_users["operator"].save()
    commit(workflow.return_quarter, user=demo_users["verifikator"], agency=agency,
           reason="Perbaiki", **TW2)  # fmt: skip
    assert mailoutbox == []


def test_a_refused_transition_mails_nobody(commit, mailoutbox, demo_users, agency):
    with pytest.raises(workflow.WorkflowRefused):
        commit(workflow.verify_quarter, user=demo_users["verifikator"], agency=agency, **TW2)
    with pytest.raises(workflow.WorkflowRefused):  # outside the period
        commit(workflow.submit_quarter, user=demo_users["operator"], agency=agency,
               today=date(2024, 8, 5), **TW2)  # fmt: skip
    assert mailoutbox == []


def test_the_readers_above_the_pemda_get_no_mail_of_its_workflow(commit, mailoutbox, demo_users,
                                                                 agency):  # fmt: skip
    """«provinsi» is a verifikator of the demo pemda (with its province's scope) and
    «nasional» is registered there too, both with an address and reminders on: a reader
    above the pemda acts on none of its quarters, so no step of it mails them."""
    u = demo_users
    assert [(p.role, p.reminders) for p in (u["provinsi"].profile, u["nasional"].profile)] == [
        ("verifikator", True), ("nasional", True)]  # fmt: skip
    commit(workflow.submit_quarter, user=u["operator"], agency=agency, today=DAY, **TW2)
    commit(workflow.return_quarter, user=u["verifikator"], agency=agency, reason="x", **TW2)
    commit(workflow.submit_quarter, user=u["operator"], agency=agency, today=DAY, **TW2)
    commit(workflow.verify_quarter, user=u["verifikator"], agency=agency, **TW2)
    sent = [address for m in mailoutbox for address in m.to]
    assert sent.count("verifikator@demo.kinerja.test") == 2  # each submission mailed
    assert not {"provinsi@demo.kinerja.test", "nasional@demo.kinerja.test"} & set(sent)


def test_a_mail_is_sent_only_once_the_transition_is_committed(mailoutbox, demo_users, agency,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=DAY, **TW2)
        assert mailoutbox == []
    assert callbacks and mailoutbox == []  # the mail waits with the others for the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["verifikator@demo.kinerja.test"]]


def test_submitting_through_the_page_mails_the_verifikator(client, mailoutbox, demo_users,
                                                            django_capture_on_commit_callbacks,
                                                            monkeypatch):  # fmt: skip
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)
    client.force_login(demo_users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pd/bkpsdm-sumenep/2024/tw2/ajukan/")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["verifikator@demo.kinerja.test"]]


# ---- kinerja remind ---------------------------------------------------------------------


def _period_closing_in(days: int) -> date:
    """The TW II 2024 period: opened a week ago, closes ``days`` days from today."""
    today = timezone.localdate()
    ReportingPeriod.objects.filter(**TW2).update(opens_on=today - timedelta(days=7),
                                                 closes_on=today + timedelta(days=days))  # fmt: skip
    return today + timedelta(days=days)


def _remind(capsys, *args):
    code = main(["remind", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _indonesian(day: date) -> str:
    months = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober "
              "November Desember").split()  # fmt: skip
    return f"{day.day} {months[day.month - 1]} {day.year}"


def test_remind_mails_the_operator_whose_period_closes_soon(capsys, mailoutbox, demo_users,
                                                            agency):  # fmt: skip
    closes = _period_closing_in(3)
    items = WorkItem.objects.filter(agency=agency, year=2024).order_by("position")[:2]
    for item in items:
        Realisation.objects.create(work_item=item, quarter=2, value_rp=Decimal("1000"))
    code, out, _err = _remind(capsys)  # the default: 7 days
    assert code == 0
    line = (f"{agency.name}, Triwulan II 2024 (Draf): ditutup {_indonesian(closes)}, 3 hari "
            "lagi; 2 / 61 baris terisi")  # fmt: skip
    assert out.splitlines()[:2] == ["Terkirim ke operator <operator@demo.kinerja.test>:",
                                    f"  {line}"]  # fmt: skip
    assert out.splitlines()[-1] == "1 surel pengingat terkirim."
    assert [m.to for m in mailoutbox] == [["operator@demo.kinerja.test"]]
    mail = mailoutbox[0]
    assert mail.subject == (f"[Kinerja] Tenggat Triwulan II 2024: ditutup {_indonesian(closes)}, "
                            "3 hari lagi")  # fmt: skip
    assert f"- {line}\n  {BASE}/isi/bkpsdm-sumenep/2024/tw2/" in mail.body
    assert mail.body.startswith("Yth. Operator BKPSDM,")

    # a second run the same day (cron run twice) mails nobody again
    mailoutbox.clear()
    code, out, _err = _remind(capsys)
    assert code == 0 and mailoutbox == []
    assert "Tidak dikirim (sudah diingatkan hari ini): operator" in out
    assert out.splitlines()[-1] == "0 surel pengingat terkirim."


def test_remind_respects_the_window_and_the_quarters_state(capsys, mailoutbox, demo_users,
                                                           agency):  # fmt: skip
    _period_closing_in(3)
    code, out, _err = _remind(capsys, "--hari", "2")
    assert code == 0 and mailoutbox == []
    assert "dalam 2 hari" in out
    workflow.submit_quarter(user=demo_users["operator"], agency=agency,
                            today=timezone.localdate(), **TW2)  # fmt: skip
    code, out, _err = _remind(capsys, "--hari", "7")
    assert code == 0 and mailoutbox == []  # submitted: nothing to remind
    workflow.return_quarter(user=demo_users["verifikator"], agency=agency, reason="Perbaiki",
                            **TW2)  # fmt: skip
    mailoutbox.clear()
    code, out, _err = _remind(capsys, "--hari", "7")
    assert [m.to for m in mailoutbox] == [["operator@demo.kinerja.test"]]  # returned: again
    assert "(Dikembalikan)" in mailoutbox[0].body


def test_remind_skips_users_who_turned_it_off_or_have_no_address(capsys, mailoutbox,
                                                                 demo_users, agency,
                                                                 django_user_model):  # fmt: skip
    _period_closing_in(1)
    _turn_off(demo_users["operator"])
    second = django_user_model.objects.create_user("operator2", first_name="Operator")
    Profile.objects.create(user=second, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    code, out, _err = _remind(capsys, "--hari", "7")
    assert code == 0 and mailoutbox == []
    assert "Tidak dikirim (pengingat dimatikan): operator\n" in out
    assert "Tidak dikirim (tanpa alamat surel): operator2\n" in out
    assert out.splitlines()[-1] == "0 surel pengingat terkirim."


def test_remind_refuses_a_negative_window(capsys):
    assert main(["remind", "--hari", "-1"]) == 2
    assert "--hari tidak boleh negatif" in capsys.readouterr().err
