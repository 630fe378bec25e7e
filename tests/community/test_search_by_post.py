"""A full ID or phone number searched on a page never goes into a URL: the search form posts, and the
list's address carries its keyed hash (issue #24, E)."""

from wangge.core.crypto import keyed_hash


def test_a_full_id_searched_on_the_residents_page_stays_out_of_the_address(world, login):
    resident = world.residents["linquan1"]
    cadre = login(world.users["cadre"])
    posted = cadre.post("/residents/", {"q": resident.id_number, "grid": ""})
    assert posted.status_code == 303
    address = posted["Location"]
    assert resident.id_number not in address and resident.id_number[:6] not in address
    assert f"qh={keyed_hash(resident.id_number)}" in address
    page = cadre.get(address).content.decode()
    assert resident.name in page and resident.id_number not in page
    assert world.residents["linquan2"].name not in page
    by_phone = cadre.post("/residents/", {"q": resident.phone})
    assert resident.phone not in by_phone["Location"]
    assert resident.name in cadre.get(by_phone["Location"]).content.decode()
    # A name is still a plain search.
    assert "q=" in cadre.post("/residents/", {"q": resident.name})["Location"]


def test_the_api_searches_by_post_too(world, client):
    resident = world.residents["linquan1"]
    answer = client.post("/api/v1/residents/search", {"q": resident.id_number}, content_type="application/json",
                         headers={"Authorization": f"Bearer {world.token('cadre')}"})
    assert answer.status_code == 200
    assert [r["name"] for r in answer.json()["items"]] == [resident.name]
    assert resident.id_number not in answer.content.decode()
