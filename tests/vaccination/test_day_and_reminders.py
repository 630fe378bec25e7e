"""The vaccination day (check-in, 30-minute observation, reaction, follow-up N days later), the
reminders job (idempotent, on the notifications), idempotent contacts, and bad input answered field by
field (no 500)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from wangge.vaccination.models import Contact, FollowUp
from wangge.vaccination.services import day, outreach
from wangge.workorders.models import Notification

from ..conftest import earlier_today


def test_reminders_the_day_before_are_made_once_and_cleared_by_the_call(town, client, login):
    admin, today = town.users["admin"], timezone.localdate()
    eve = today + datetime.timedelta(days=1)  # the job runs the day before the appointments
    day_after = today + datetime.timedelta(days=2)
    signed = outreach.book(admin, town.world.residents["linquan1"], point=town.points[0], date=day_after)
    unsigned = outreach.book(admin, town.people["bedridden"], point=town.points[0], date=day_after, at_home=True)
    outreach.book(admin, town.world.residents["linquan2"], point=town.points[0],
                  date=today + datetime.timedelta(days=3))
    assert not Notification.objects.exists()
    first = outreach.send_reminders(eve)
    assert first == {"appointments": 2, "notified": 2}
    assert outreach.send_reminders(eve)["notified"] == 0
    call_command("vaccination_reminders", f"--today={eve.isoformat()}", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.count() == 2
    # The signed resident's reminder goes to the doctor, the unsigned one's to Linquan's cadre.
    assert Notification.objects.get(user=town.users["doctor"]).key == f"vaccination-reminder:{signed.pk}"
    assert Notification.objects.get(user=town.users["cadre"]).key == f"vaccination-reminder:{unsigned.pk}"
    web = login(town.users["doctor"])
    page = web.get("/vaccination/worklist/")
    assert [a.pk for a in page.context["reminders"]] == [signed.pk]
    assert "/vaccination/worklist/" in web.get("/workorders/notifications/").content.decode()
    called = web.post(f"/vaccination/appointments/{signed.pk}/called/", {"next": "/vaccination/worklist/"})
    assert called.status_code == 302
    assert web.get("/vaccination/worklist/").context["reminders"] == []
    signed.refresh_from_db()
    assert signed.called_at is not None and signed.reminded_on == eve


def test_an_appointment_booked_for_tomorrow_after_the_mornings_run_is_reminded_at_once(town):
    """The job runs at 07:00 for the next day's appointments; one booked later that day for tomorrow was
    never reminded. It is reminded when booked, once: the next run adds nothing."""
    admin, today = town.users["admin"], timezone.localdate()
    assert outreach.send_reminders(today) == {"appointments": 0, "notified": 0}  # this morning's run
    booked = outreach.book(admin, town.world.residents["linquan1"], point=town.points[0],
                           date=today + datetime.timedelta(days=1))
    assert list(Notification.objects.values_list("user__username", "key")) == [
        (town.users["doctor"].username, f"vaccination-reminder:{booked.pk}")]
    assert outreach.send_reminders(today) == {"appointments": 1, "notified": 0}
    booked.refresh_from_db()
    assert booked.reminded_on == today


def test_vaccination_day_observation_reaction_and_follow_up(town, settings):
    health, person = town.users["health"], town.people["bedridden"]
    settings.VACCINATION_FOLLOWUP_DAYS = 5
    start = earlier_today()
    booked = outreach.book(health, person, point=town.points[0], date=timezone.localdate(start), at_home=True)
    visit = day.check_in(health, town.points[0], person, appointment=booked, now=start)
    assert day.check_in(health, town.points[0], person, now=start).pk == visit.pk  # a repeat is the same visit
    visit = day.vaccinate(health, visit, vaccine_type="inactivated", batch="B7", now=start)
    assert visit.earliest_release == start + datetime.timedelta(minutes=30)
    assert visit.dose.number == 1 and visit.dose.source == "given_here"
    booked.refresh_from_db()
    assert booked.state == "done"
    with pytest.raises(ValidationError) as early:
        day.release(health, visit, now=start + datetime.timedelta(minutes=29))
    assert "visit" in early.value.message_dict
    with pytest.raises(ValidationError) as half:
        day.release(health, visit, reaction="局部红肿", now=start + datetime.timedelta(minutes=31))
    assert {"severity", "handling"} <= set(half.value.message_dict)
    day.release(health, visit, reaction="局部红肿", severity="mild", handling="冷敷观察",
                now=start + datetime.timedelta(minutes=31))
    follow_up = FollowUp.objects.get(visit=visit)
    assert follow_up.due_on == visit.dose.given_on + datetime.timedelta(days=5)
    assert list(day.overdue_follow_ups(health, follow_up.due_on + datetime.timedelta(days=1))) == [follow_up]
    day.record_follow_up(health, follow_up, result="well")
    assert list(day.overdue_follow_ups(health, follow_up.due_on + datetime.timedelta(days=1))) == []


def test_check_in_on_the_appointments_day_and_follow_up_after_release(town):
    """#20.19: a check-in today against tomorrow's appointment is refused; a follow-up result before the
    release from observation is refused, and so is one dated before the release."""
    health, person = town.users["health"], town.people["bedridden"]
    now = earlier_today()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    booked = outreach.book(health, person, point=town.points[0], date=tomorrow, at_home=True)
    with pytest.raises(ValidationError) as wrong_day:
        day.check_in(health, town.points[0], person, appointment=booked, now=now)
    assert list(wrong_day.value.message_dict) == ["appointment"]
    assert not person.vaccination_visits.exists()
    visit = day.vaccinate(health, day.check_in(health, town.points[0], person, now=now), vaccine_type="inactivated",
                          now=now)
    follow_up = FollowUp.objects.get(visit=visit)
    with pytest.raises(ValidationError) as observed:
        day.record_follow_up(health, follow_up, result="well")
    assert list(observed.value.message_dict) == ["result"]
    day.release(health, visit, now=now + datetime.timedelta(minutes=31))
    with pytest.raises(ValidationError) as before:
        day.record_follow_up(health, follow_up, result="well",
                             on=timezone.localdate(now) - datetime.timedelta(days=1))
    assert list(before.value.message_dict) == ["done_on"]
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.result == ""
    assert day.record_follow_up(health, follow_up, result="well").done_on == timezone.localdate()


def test_at_home_only_for_the_bedridden(town):
    with pytest.raises(ValidationError) as exc:
        outreach.book(town.users["cadre"], town.world.residents["linquan1"], point=town.points[0],
                      date=timezone.localdate(), at_home=True)
    assert "at_home" in exc.value.message_dict


def test_contacts_are_idempotent_by_client_id(town, client):
    token = town.world.token("gridworker")
    body = {"resident_id": town.people["alone"].pk, "method": "visit", "result": "agreed",
            "client_id": str(uuid.uuid4())}
    headers = {"Authorization": f"Bearer {token}"}
    first = client.post("/api/v1/vaccination/contacts", body, content_type="application/json", headers=headers)
    again = client.post("/api/v1/vaccination/contacts", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/vaccination/census", {"reason": "temporary", "contraindication": "acute"}, "until"),
    ("/api/v1/vaccination/census", {"reason": "permanent"}, "contraindication"),
    ("/api/v1/vaccination/census", {"reason": "nonsense"}, "reason"),
    ("/api/v1/vaccination/doses", {"number": 1, "given_on": "2099-01-01", "vaccine_type": "inactivated"}, "given_on"),
    ("/api/v1/vaccination/doses", {"number": 9, "given_on": "2021-01-01", "vaccine_type": "inactivated"}, "number"),
    ("/api/v1/vaccination/doses", {"number": 1, "given_on": "1899-01-01", "vaccine_type": "inactivated"}, "given_on"),
    ("/api/v1/vaccination/appointments", {"point_id": 999999, "date": "2099-01-01"}, "point_id"),
    ("/api/v1/vaccination/contacts", {"method": "fax", "result": "agreed"}, "method"),
])
def test_bad_input_gets_field_errors(town, client, url, body, field):
    headers = {"Authorization": f"Bearer {town.world.token('health')}"}
    body = {"resident_id": town.people["alone"].pk, **body}
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}


def test_bad_reference_dates_are_answered_not_500(town, client, login):
    headers = {"Authorization": f"Bearer {town.world.token('admin')}"}
    assert client.get("/api/v1/vaccination/coverage?as_of=yesterday", headers=headers).status_code == 422
    assert client.get("/api/v1/vaccination/register?as_of=0001-01-01", headers=headers).status_code == 422
    web = login(town.users["admin"])
    for url in ("/vaccination/?as_of=xx", "/vaccination/register/?as_of=2022-02-30&hood=abc&status=zzz&page=999",
                "/vaccination/worklist/?hood=99999999999&as_of=0"):
        assert web.get(url).status_code == 200, url
    # A form with errors on a page: a Chinese message, nothing saved.
    person = town.people["alone"]
    web.post(f"/vaccination/people/{person.pk}/census/", {"reason": "temporary", "willingness": "willing"},
             HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert not person.census_answers.exists()


def test_a_walk_in_is_found_by_full_id_or_name_and_checked_in(town, login):
    """At the point, someone who came without an appointment is found on the 60+ register and checked in."""
    from django.urls import reverse

    from wangge.vaccination.models import Visit

    point, person = town.points[0], town.people["bedridden"]
    client = login(town.users["health"])
    url = reverse("vaccination:point_day", args=[point.pk])
    page = client.get(url, {"q": person.id_number}).content.decode()
    assert person.name in page and person.id_number not in page  # found by the hash, shown masked
    # The page's form posts: the number goes into no address, only its keyed hash does.
    posted = client.post(url, {"q": person.id_number})
    assert posted.status_code == 303 and person.id_number not in posted["Location"] and "qh=" in posted["Location"]
    assert person.name in client.get(posted["Location"]).content.decode()
    assert person.name in client.get(url, {"q": person.name[:2]}).content.decode()
    assert "孙秀兰" not in client.get(url, {"q": person.name}).content.decode()
    assert "宁" not in person.name and 'data-testid="walk-in"' not in client.get(url, {"q": "宁"}).content.decode()
    assert client.get(url, {"q": "周杰"}).content.decode().count('data-testid="walk-in"') == 0  # under 60
    response = client.post(reverse("vaccination:check_in", args=[point.pk]), {"resident": person.pk})
    visit = Visit.objects.get(resident=person)
    assert response.status_code == 302 and visit.appointment is None and visit.point == point
    # A family doctor finds only the people they serve.
    doctor = login(town.users["doctor"])
    beihong = town.world.residents["beihong1"]  # unsigned, outside the doctor's area
    assert 'data-testid="walk-in"' not in doctor.get(url, {"q": beihong.name}).content.decode()
    assert 'data-testid="walk-in"' in doctor.get(url, {"q": person.name}).content.decode()


def test_a_dose_too_early_for_the_schedule_is_refused_at_the_point(town, login):
    """Inactivated: the second dose ≥ 21 days after the first; a booster ≥ 90 days after the series."""
    from django.urls import reverse

    from wangge.vaccination.models import Dose
    from wangge.vaccination.services import doses

    admin, person, point = town.users["admin"], town.people["bedridden"], town.points[0]
    today = timezone.localdate()
    first = doses.record_dose(admin, person, number=1, given_on=today - datetime.timedelta(days=20),
                              vaccine_type="inactivated")
    visit = day.check_in(admin, point, person)
    with pytest.raises(ValidationError) as early:
        day.vaccinate(admin, visit, vaccine_type="inactivated")
    assert "dose" in early.value.message_dict and str(today + datetime.timedelta(days=1)) in str(early.value)
    assert Dose.objects.filter(resident=person).count() == 1  # nothing given, nothing recorded
    page = login(admin).get(reverse("vaccination:person_detail", args=[person.pk])).content.decode()
    assert str(today + datetime.timedelta(days=1)) in page  # the person's page says when the next may be given
    doses.update_dose(admin, first, first.version, given_on=today - datetime.timedelta(days=21))
    visit = day.vaccinate(admin, visit, vaccine_type="inactivated")
    assert visit.dose.number == 2
    # Another person's series completed 89 days ago: a booster is still too early; at 90 days it is given.
    other = town.people["alone"]
    doses.record_dose(admin, other, number=1, given_on=today - datetime.timedelta(days=120), vaccine_type="inactivated")
    second = doses.record_dose(admin, other, number=2, given_on=today - datetime.timedelta(days=89),
                               vaccine_type="inactivated")
    booster_visit = day.check_in(admin, point, other)
    with pytest.raises(ValidationError):
        day.vaccinate(admin, booster_visit, vaccine_type="inactivated")
    second.refresh_from_db()
    doses.update_dose(admin, second, second.version, given_on=today - datetime.timedelta(days=90))
    assert day.vaccinate(admin, booster_visit, vaccine_type="inactivated").dose.number == 3


def test_the_health_centre_opens_and_edits_a_point_from_the_page(town, login):
    from django.urls import reverse

    from wangge.vaccination.models import VaccinationPoint

    client = login(town.users["health"])
    grid = town.world.grids["beihong2"]
    data = {"name": "北虹社区临时接种点", "address": "北渔路3号", "grid": grid.pk, "active": "on"}
    response = client.post(reverse("vaccination:point_create"), data)
    point = VaccinationPoint.objects.get(name="北虹社区临时接种点")
    assert response.status_code == 302 and point.grid == grid and point.active
    assert "北虹社区临时接种点" in client.get(reverse("vaccination:point_list")).content.decode()
    again = client.post(reverse("vaccination:point_create"), data)  # the same name twice: a form error
    assert again.status_code == 200 and VaccinationPoint.objects.filter(name="北虹社区临时接种点").count() == 1
    edit = client.post(reverse("vaccination:point_edit", args=[point.pk]),
                       {**data, "address": "北渔路5号", "active": "", "version": point.version})
    point.refresh_from_db()
    assert edit.status_code == 302 and (point.address, point.active) == ("北渔路5号", False)
    stale = client.post(reverse("vaccination:point_edit", args=[point.pk]), {**data, "version": point.version - 1})
    assert stale.status_code == 200 and VaccinationPoint.objects.get(pk=point.pk).address == "北渔路5号"
    cadre = login(town.users["cadre"])
    assert cadre.get(reverse("vaccination:point_create")).status_code == 403
    assert cadre.post(reverse("vaccination:point_edit", args=[point.pk]), data).status_code == 403
