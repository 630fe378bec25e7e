"""The field form's rules (issue #6, point 4) and what an outcome sets in motion (point 5)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wangge.inspections.choices import InspectionKind, TaskReason, TaskState
from wangge.inspections.models import Answer, Inspection, Photo, Task
from wangge.inspections.photos import process_pending
from wangge.places.models import Premises
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

from .helpers import COMPLIANT, campaign, photo, submit

TODAY = timezone.localdate()
DEADLINE = TODAY + datetime.timedelta(days=7)


def task_for(c, world, grid="linquan1"):
    return Task.objects.get(campaign=c, premises=world.premises[grid], reason=TaskReason.SCOPE)


def nothing_written(before_inspections=0):
    assert Inspection.objects.count() == before_inspections
    assert Answer.objects.count() == 0 or before_inspections
    assert WorkOrder.objects.count() == 0


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.fixture
def c(world):
    return campaign(world)


def test_compliant_inspection_completes_the_task(world, c):
    task = task_for(c, world)
    inspection, created = submit(world, task)
    assert created and inspection.violation_count == 0
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.inspection == inspection
    assert set(inspection.inspectors.values_list("username", flat=True)) == {"inspector", "officer"}
    assert inspection.answers.count() == 7  # the entertainment-only item does not apply to a restaurant
    assert Premises.objects.get(pk=task.premises_id).status == "open"


def test_a_violation_cannot_be_compliant(world, c):
    answers = dict(COMPLIANT, disinfection="no")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=answers, outcome="compliant")
    assert "outcome" in errors_of(excinfo)
    nothing_written()


def test_missing_and_malformed_answers_name_their_item(world, c):
    answers = dict(COMPLIANT, staff_count="many", venue_code_posted="maybe")
    del answers["everyone_scans"]
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=answers)
    errors = errors_of(excinfo)
    assert {"answers.staff_count", "answers.venue_code_posted", "answers.everyone_scans"} <= set(errors)
    nothing_written()


def test_staff_tested_below_staff_count_is_a_violation_and_above_is_an_error(world, c):
    task = task_for(c, world)
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task, answers=dict(COMPLIANT, staff_tested="6"))
    assert "answers.staff_tested" in errors_of(excinfo)
    inspection, _ = submit(world, task, answers=dict(COMPLIANT, staff_tested="3"), outcome="fixed",
                           fixed_description="当场安排3名员工补做核酸")
    assert inspection.answers.get(item__code="staff_tested").is_violation


def test_violated_item_that_needs_a_photo_refuses_without_one(world, c):
    answers = dict(COMPLIANT, venue_code_posted="no")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=answers, outcome="fixed", fixed_description="当场张贴")
    assert "photos.venue_code_posted" in errors_of(excinfo)
    nothing_written()
    inspection, _ = submit(world, task_for(c, world), answers=answers, outcome="fixed", fixed_description="当场张贴",
                           photos=[("venue_code_posted", photo())])
    assert inspection.photos.get().item.code == "venue_code_posted"


def test_fixed_on_the_spot_says_what_was_fixed(world, c):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=dict(COMPLIANT, disinfection="no"), outcome="fixed")
    assert "fixed_description" in errors_of(excinfo)


def test_rectification_needs_items_and_a_future_deadline(world, c):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=dict(COMPLIANT, disinfection="no"), outcome="rectification")
    assert {"rectification_items", "deadline"} <= set(errors_of(excinfo))
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
               rectification_items="建立消杀台账", deadline=TODAY - datetime.timedelta(days=1))
    assert "deadline" in errors_of(excinfo)
    nothing_written()


@pytest.mark.parametrize("outcome,extra", [("rectification", {"rectification_items": "补建消杀台账",
                                                               "deadline": DEADLINE}),
                                           ("shutdown", {"legal_reason": "《传染病防治法》第三十九条"})])
def test_rectification_and_shutdown_need_two_inspectors_one_from_enforcement(world, c, outcome, extra):
    answers = dict(COMPLIANT, disinfection="no")
    task = task_for(c, world)
    with pytest.raises(ValidationError) as excinfo:  # alone
        submit(world, task, answers=answers, outcome=outcome, inspectors=[], **extra)
    assert "inspectors" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:  # two, neither from an enforcement unit
        submit(world, task, answers=answers, outcome=outcome, inspectors=[world.users["gridworker"]], **extra)
    assert "inspectors" in errors_of(excinfo)
    nothing_written()
    inspection, created = submit(world, task, answers=answers, outcome=outcome, **extra)  # with the officer
    assert created


def test_shutdown_needs_a_legal_reason_and_shuts_the_premises(world, c):
    task = task_for(c, world, "beihong2")
    answers = dict(COMPLIANT, no_unpermitted_opening="no")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task, answers=answers, outcome="shutdown", photos=[("no_unpermitted_opening", photo())])
    assert "legal_reason" in errors_of(excinfo)
    submit(world, task, answers=answers, outcome="shutdown", legal_reason="未经许可擅自开业",
           photos=[("no_unpermitted_opening", photo())])
    premises = Premises.objects.get(pk=task.premises_id)
    assert premises.status == "shut"
    with pytest.raises(ValidationError) as excinfo:  # nothing more to inspect there
        submit(world, None, premises=premises)
    assert "premises" in errors_of(excinfo)


def test_the_same_submission_twice_is_one_inspection(world, c):
    client_id = uuid.uuid4()
    task = task_for(c, world)
    first, created = submit(world, task, client_id=client_id, answers=dict(COMPLIANT, disinfection="no"),
                            outcome="rectification", rectification_items="补建消杀台账", deadline=DEADLINE,
                            suspend=True, photos=[("", photo())])
    again, created_again = submit(world, task, client_id=client_id, answers=dict(COMPLIANT, disinfection="no"),
                                  outcome="rectification", rectification_items="补建消杀台账", deadline=DEADLINE,
                                  suspend=True, photos=[("", photo())])
    assert created and not created_again and again.pk == first.pk
    assert Inspection.objects.count() == 1 and Photo.objects.count() == 1
    assert WorkOrder.objects.count() == 1
    assert Task.objects.filter(reason=TaskReason.REINSPECTION).count() == 1


def test_a_submission_id_of_another_user_is_refused(world, c):
    client_id = uuid.uuid4()
    submit(world, task_for(c, world), client_id=client_id)
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world, "beihong1"), username="officer", client_id=client_id)
    assert "client_id" in errors_of(excinfo)


def test_a_task_inspected_already_is_a_conflict(world, c):
    task = task_for(c, world)
    submit(world, task)
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task)
    assert "task" in errors_of(excinfo)
    assert Inspection.objects.count() == 1


def test_photos_must_be_images_and_lose_their_exif(world, c):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world), photos=[("", fake)])
    assert "photos.general" in errors_of(excinfo)
    nothing_written()
    inspection, _ = submit(world, task_for(c, world), photos=[("", photo(exif=True, size=(3000, 1000)))])
    assert inspection.photos.get().processed is False  # stored as received: re-encoded by the worker
    assert process_pending() == 1
    stored = inspection.photos.get()
    from PIL import Image

    with stored.file.open("rb") as f, Image.open(f) as image:
        assert not image.getexif()  # maker and GPS are gone
        assert max(image.size) == 2560  # scaled down
    with stored.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert max(thumb.size) == 320


def test_rectification_opens_an_order_suspends_and_schedules_a_reinspection(world, c):
    task = task_for(c, world)
    inspection, _ = submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                           rectification_items="补建消杀台账", deadline=DEADLINE, suspend=True)
    order = inspection.work_order
    assert order.kind == Kind.RECTIFICATION and order.deadline == DEADLINE
    assert order.department == world.departments["market"]  # the restaurant's regulator
    assert order.subject == world.premises["linquan1"] and order.source_id == inspection.pk
    assert Premises.objects.get(pk=task.premises_id).status == "suspended"
    follow = Task.objects.get(reason=TaskReason.REINSPECTION)
    assert (follow.planned_on, follow.work_order, follow.team) == (DEADLINE, order, task.team)


def test_rectification_without_suspension_leaves_the_premises_open(world, c):
    task = task_for(c, world)
    submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
           rectification_items="补建消杀台账", deadline=DEADLINE, suspend=False)
    assert Premises.objects.get(pk=task.premises_id).status == "open"
    assert WorkOrder.objects.get().state == State.NEW


def _ordered(world, c):
    task = task_for(c, world)
    first, _ = submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                      rectification_items="补建消杀台账", deadline=DEADLINE, suspend=True)
    return first, Task.objects.get(reason=TaskReason.REINSPECTION)


def test_a_passing_reinspection_closes_the_order_and_reopens_the_premises(world, c):
    first, follow = _ordered(world, c)
    again, _ = submit(world, follow)
    assert again.kind == InspectionKind.REINSPECTION and again.reinspection_of == first and again.passed
    order = WorkOrder.objects.get()
    assert order.state == State.CLOSED and order.verified_by == world.users["inspector"]
    assert order.events.last().verb == "reinspect"
    assert Premises.objects.get(pk=first.premises_id).status == "open"


def test_a_failing_reinspection_sets_a_new_deadline(world, c):
    first, follow = _ordered(world, c)
    later = DEADLINE + datetime.timedelta(days=5)
    again, _ = submit(world, follow, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                      rectification_items="台账仍未建立", deadline=later, suspend=True)
    assert not again.passed
    order = WorkOrder.objects.get()
    assert order.state == State.RETURNED and order.deadline == later
    assert Premises.objects.get(pk=first.premises_id).status == "suspended"
    assert Task.objects.filter(reason=TaskReason.REINSPECTION, state=TaskState.PLANNED).get().planned_on == later


def test_a_failing_reinspection_can_shut_the_premises(world, c):
    first, follow = _ordered(world, c)
    submit(world, follow, answers=dict(COMPLIANT, disinfection="no"), outcome="shutdown",
           legal_reason="逾期未整改，依法责令关停")
    assert WorkOrder.objects.get().state == State.CLOSED
    assert Premises.objects.get(pk=first.premises_id).status == "shut"


def test_people_without_the_permission_cannot_inspect(world, c):
    from django.core.exceptions import PermissionDenied

    for username in ("doctor", "nobody"):
        with pytest.raises(PermissionDenied):
            submit(world, task_for(c, world), username=username)


def test_a_task_outside_the_inspectors_scope_is_not_found(world, c):
    # The grid worker may inspect, but is in no team and this grid is not theirs.
    with pytest.raises(ValidationError) as excinfo:
        submit(world, task_for(c, world, "linquan2"), username="gridworker")
    assert "task" in errors_of(excinfo)


def test_a_shutdown_settles_the_premises_open_rectification_orders(world, c):
    task = task_for(c, world, "beihong2")  # the KTV
    submit(world, task, answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
           rectification_items="补建消杀台账", deadline=DEADLINE, suspend=False)
    order = WorkOrder.objects.get()
    assert order.state == State.NEW
    # A later, separate inspection finds it open without permission: shut.
    submit(world, None, premises=world.premises["beihong2"], outcome="shutdown",
           answers=dict(COMPLIANT, no_unpermitted_opening="no"), legal_reason="未经许可擅自开业",
           photos=[("no_unpermitted_opening", photo())])
    order.refresh_from_db()
    assert order.state == State.CLOSED and order.events.last().verb == "reinspect"
    assert not Task.objects.filter(premises=world.premises["beihong2"], state=TaskState.PLANNED).exists()


def test_outside_a_campaign_the_next_inspection_of_the_premises_decides_its_open_order(world):
    """A finding made by an ad-hoc inspection is followed to a close too: with no campaign to plan a
    re-inspection task, the next inspection of that premises is its re-inspection."""
    premises = world.premises["linquan1"]
    first, _ = submit(world, None, premises=premises, answers=dict(COMPLIANT, disinfection="no"),
                      outcome="rectification", rectification_items="补建消杀台账", deadline=DEADLINE, suspend=True)
    order = first.work_order
    assert order.state == State.NEW and Premises.objects.get(pk=premises.pk).status == "suspended"
    assert not Task.objects.exists()  # nothing to plan it in

    failed, _ = submit(world, None, premises=premises, answers=dict(COMPLIANT, disinfection="no"),
                       outcome="rectification", rectification_items="台账仍未建立",
                       deadline=DEADLINE + datetime.timedelta(days=3))
    order.refresh_from_db()
    assert failed.kind == InspectionKind.REINSPECTION and failed.reinspection_of == first
    assert failed.work_order == order and WorkOrder.objects.count() == 1  # the same order, not a second one
    assert order.state == State.RETURNED and order.deadline == DEADLINE + datetime.timedelta(days=3)

    passed, _ = submit(world, None, premises=premises)
    order.refresh_from_db()
    assert passed.kind == InspectionKind.REINSPECTION and passed.reinspection_of == first and passed.passed
    assert order.state == State.CLOSED and order.events.last().verb == "reinspect"
    assert Premises.objects.get(pk=premises.pk).status == "open"

    later, _ = submit(world, None, premises=premises)  # nothing open any more: a routine inspection
    assert later.kind == InspectionKind.ROUTINE and later.work_order is None


def test_the_assignees_own_passing_inspection_hands_the_order_to_a_verifier(world):
    """Nobody verifies their own order (verify_and_close): an assignee who inspects the premises and finds
    it put right has reported the work done; the order waits for the one who assigned it, who is told."""
    from wangge.workorders import services as orders
    from wangge.workorders.models import Notification

    premises = world.premises["linquan1"]
    first, _ = submit(world, None, premises=premises, answers=dict(COMPLIANT, disinfection="no"),
                      outcome="rectification", rectification_items="补建消杀台账", deadline=DEADLINE)
    order, leader, officer = first.work_order, world.users["leader"], world.users["officer"]
    orders.assign(leader, order, officer, department=world.departments["market"])
    passed, _ = submit(world, None, username="officer", premises=premises)
    order.refresh_from_db()
    assert passed.passed and passed.work_order == order
    assert order.state == State.AWAITING_VERIFICATION and order.verified_by is None
    assert order.events.last().verb == "reinspect"
    assert Notification.objects.filter(user=leader, order=order, message__contains="等待您核查").exists()
    with pytest.raises(ValidationError):
        orders.verify_and_close(officer, order)
    orders.verify_and_close(leader, order)
    order.refresh_from_db()
    assert order.state == State.CLOSED and order.verified_by == leader
    assert Premises.objects.get(pk=premises.pk).status == "open"
