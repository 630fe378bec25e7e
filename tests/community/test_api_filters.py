"""The residents API filters like the list page: by compound, and by special group — a health flag
only for roles that may see health facts."""


def names(client, token, **params):
    response = client.get("/api/v1/residents", params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return {row["name"] for row in response.json()["items"]}


def test_residents_by_compound(hood, client):
    token = hood.world.token("cadre")
    lq = hood.compounds["linquan1"]
    expected = {r.name for r in lq.residents.all()}
    assert expected >= {"张伟", "孙秀兰", "吴德福"}
    assert names(client, token, compound_id=lq.pk) == expected
    assert names(client, token, compound_id=hood.compounds["linquan2"].pk) == {"李娜"}


def test_health_flags_filter_only_for_roles_that_may_see_them(hood, client):
    cadre, leader = hood.world.token("cadre"), hood.world.token("leader")
    assert names(client, cadre, flag="bedridden") == {"吴德福"}
    # The leader sees the register but not health facts: the filter is ignored, not applied.
    assert "吴德福" in names(client, leader, flag="bedridden")
    assert len(names(client, leader, flag="bedridden")) == len(names(client, leader))
    assert names(client, leader, flag="lives_alone") == {"孙秀兰"}


def test_the_export_does_not_filter_by_a_health_flag_for_who_may_not_see_it(hood, login):
    """The ledger export shares the list's filter: a leader (export, no reveal) gets the whole list."""
    leader = login(hood.world.users["leader"])
    body = leader.get("/ledgers/residents/export.csv", {"flag": "bedridden"}).content.decode("utf-8-sig")
    assert "吴德福" in body and "孙秀兰" in body  # the bedridden one and one who is not
    cadre = login(hood.world.users["cadre"])
    body = cadre.get("/ledgers/residents/export.csv", {"flag": "bedridden"}).content.decode("utf-8-sig")
    assert "吴德福" in body and "孙秀兰" not in body
