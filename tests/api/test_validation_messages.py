"""Validation messages come in the user's language, field by field: Chinese by default, English when
asked (issue #20, 19)."""

import re

LATIN = re.compile(r"[A-Za-z]{3,}")


def test_pydantic_messages_are_chinese_and_name_each_field(world, client):
    token = world.token("cadre")
    body = {"name": "x" * 300, "category_id": "abc", "address": 7, "staff_count": -1, "opens_at": "25:99",
            "grid_id": 2**70}
    answer = client.post("/api/v1/premises", body, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert {"name", "category_id", "address", "staff_count", "grid_id"} <= set(errors)
    for field, message in errors.items():
        assert not LATIN.search(message), f"{field}: {message}"
    assert errors["name"] == "最多输入 100 个字符。"
    assert errors["staff_count"] == "请输入不小于 0 的值。"
    missing = client.post("/api/v1/campaigns", {}, content_type="application/json",
                          headers={"Authorization": f"Bearer {token}"}).json()["errors"]
    assert {e["message"] for e in missing} == {"此项必填。"}


def test_english_when_the_client_asks_for_it(world, client):
    token = world.token("cadre")
    answer = client.post("/api/v1/campaigns", {}, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    assert {e["message"] for e in answer.json()["errors"]} == {"This field is required."}
