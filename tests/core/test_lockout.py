"""One lockout for every way in: the sign-in page, the Django admin's sign-in and API tokens, per
account and per client address (behind a trusted proxy), counted in the database (issue #24, 6)."""

import pytest

from wangge.core.models import ApiToken, LoginFailure, User

from ..conftest import PASSWORD


@pytest.fixture
def staff(world):
    user = User.objects.create_superuser("root", "root@example.gov", PASSWORD)
    return user


def page_login(client, username, password, **extra):
    client.post("/accounts/login/", {"username": username, "password": password}, **extra)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def admin_login(client, username, password, **extra):
    client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def test_failures_at_the_admin_sign_in_are_counted_and_lock_every_door(staff, client, settings):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(12):
        assert not admin_login(client, "root", "wrong-password-1")
    assert LoginFailure.objects.filter(username="root").count() >= 5
    assert not admin_login(client, "root", PASSWORD)  # locked: the right password is refused too
    assert not page_login(client, "root", PASSWORD)
    locked = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert "锁定" in locked.content.decode()


def test_an_account_locked_at_the_sign_in_page_is_locked_at_the_admin(staff, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert not page_login(client, "root", "wrong-password-1")
    assert not admin_login(client, "root", PASSWORD)
    LoginFailure.objects.all().delete()
    assert admin_login(client, "root", PASSWORD)


def test_one_address_guessing_many_accounts_is_locked(world, client, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("cadre", "gridworker", "leader", "inspector"):
        assert not page_login(client, name, "wrong-password-1", REMOTE_ADDR="10.0.0.5")
    # A fresh account, the right password, from that address: refused; from another address: fine.
    assert not page_login(client, "officer", PASSWORD, REMOTE_ADDR="10.0.0.5")
    assert page_login(client, "officer", PASSWORD, REMOTE_ADDR="10.0.0.6")


def test_behind_a_trusted_proxy_the_forwarded_address_counts_and_nobody_else_can_choose_it(world, client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    page_login(client, "cadre", "wrong-password-1", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    page_login(client, "cadre", "wrong-password-1", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert sorted(LoginFailure.objects.values_list("ip", flat=True)) == ["10.0.0.9", "203.0.113.7"]


def test_bad_api_tokens_count_against_the_address(world, client, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    good = ApiToken.issue(world.users["cadre"])[1]
    for n in range(3):
        bad = client.get("/api/v1/me", headers={"Authorization": f"Bearer wg_guess{n}"}, REMOTE_ADDR="10.0.0.7")
        assert bad.status_code == 401
    assert LoginFailure.objects.filter(ip="10.0.0.7").count() == 3
    locked = client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"}, REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429 and set(locked.json()) == {"detail"} and int(locked["Retry-After"]) > 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"},
                      REMOTE_ADDR="10.0.0.8").status_code == 200
    # And the page's sign-in from the locked address too.
    assert not page_login(client, "cadre", PASSWORD, REMOTE_ADDR="10.0.0.7")
