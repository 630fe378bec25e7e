"""The papers' API: visible rows only, made from an inspection, signed with a base64 PNG or refused with
a witness, voided or corrected; field-level errors, never a 500."""

import base64

import pytest

from wangge.papers.models import Paper

from ..conftest import make_user
from .conftest import signature_png


def _headers(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


@pytest.fixture
def api(client, world):
    def call(method, url, username="inspector", body=None):
        extra = {"data": body, "content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{url}", headers=_headers(world, username), **extra)

    return call


def test_make_sign_read_and_list(world, inspections, api):
    _c, first, _second = inspections
    made = api("post", f"/papers/from-inspection/{first.pk}", body={"kind": "rectification", "note": "请于期限内整改"})
    assert made.status_code == 201, made.content
    paper = made.json()
    assert paper["number"].startswith("长新市监责改") and paper["status"] == "awaiting"
    assert paper["verify_url"].startswith("http://testserver/public/papers/")
    png = base64.b64encode(signature_png()).decode()
    signed = api("post", f"/papers/{paper['id']}/sign", body={"signature": png})
    assert signed.status_code == 200 and signed.json()["status"] == "issued" and signed.json()["signed"]
    listed = api("get", f"/papers?premises={first.premises_id}").json()
    assert [p["number"] for p in listed["items"]] == [paper["number"]]
    assert api("get", f"/papers/{paper['id']}").json()["content"]["title"] == "责令改正通知书"
    pdf = api("get", f"/papers/{paper['id']}/file?fmt=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert api("get", f"/papers/{paper['id']}/file?fmt=exe").status_code == 404


def test_field_errors(world, inspections, api):
    _c, first, second = inspections
    bad_kind = api("post", f"/papers/from-inspection/{second.pk}", body={"kind": "suspension"})
    assert bad_kind.status_code == 422 and bad_kind.json()["errors"][0]["field"] == "kind"
    paper = api("post", f"/papers/from-inspection/{first.pk}", body={"kind": "record"}).json()
    blank = api("post", f"/papers/{paper['id']}/sign",
                body={"signature": base64.b64encode(signature_png(strokes=False)).decode()})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "signature"
    garbage = api("post", f"/papers/{paper['id']}/sign", body={"signature": "not base64 %%"})
    assert garbage.status_code == 422 and garbage.json()["errors"][0]["field"] == "signature"
    witness = api("post", f"/papers/{paper['id']}/refuse", body={"witness": ""})
    assert witness.status_code == 422 and witness.json()["errors"][0]["field"] == "witness"
    reason = api("post", f"/papers/{paper['id']}/void", body={"reason": " "})
    assert reason.status_code == 422 and reason.json()["errors"][0]["field"] == "reason"
    assert Paper.objects.get(pk=paper["id"]).status == "awaiting"
    refused = api("post", f"/papers/{paper['id']}/refuse", body={"witness": "隔壁店主"})
    assert refused.json()["refused"] and refused.json()["status"] == "issued"
    again = api("post", f"/papers/{paper['id']}/refuse", body={"witness": "隔壁店主"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "status"
    corrected = api("post", f"/papers/{paper['id']}/void", body={"reason": "笔录有误", "correct": True})
    assert corrected.status_code == 200 and corrected.json()["replaces_id"] == paper["id"]
    assert corrected.json()["number"] != paper["number"]


def test_visibility_by_grid(world, inspections, api):
    _c, first, second = inspections  # 林泉 and 北虹
    for inspection in (first, second):
        api("post", f"/papers/from-inspection/{inspection.pk}", body={"kind": "rectification"})
    world.users["cadre-beihong"] = make_user("cadre-beihong", "neighbourhood_cadre", [world.hoods["beihong"]])
    seen = {p["premises_id"] for p in api("get", "/papers", username="cadre-beihong").json()["items"]}
    assert seen == {second.premises_id}
    linquan = Paper.objects.get(inspection=first)
    assert api("get", f"/papers/{linquan.pk}", username="cadre-beihong").status_code == 404
    assert api("post", f"/papers/{linquan.pk}/refuse", username="cadre-beihong",
               body={"witness": "某人"}).status_code == 404
    assert api("get", "/papers", username="doctor").status_code == 403
