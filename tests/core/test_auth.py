"""Signing in: throttling with lock-out, strong passwords, sign-out."""

from wangge.core.models import LoginFailure

from ..conftest import PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_and_out(world, client):
    response = _login(client, "cadre", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_lock_out_after_repeated_failures(world, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _login(client, "cadre", "wrong-password-1").status_code == 200
    # Even the right password is refused while the account is locked.
    locked = _login(client, "cadre", PASSWORD)
    assert locked.status_code == 200
    assert "锁定" in locked.content.decode() or "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Other accounts are unaffected.
    assert _login(client, "gridworker", PASSWORD).status_code == 302


def test_success_clears_failures(world, client):
    _login(client, "cadre", "wrong-password-1")
    assert LoginFailure.objects.filter(username="cadre").count() == 1
    assert _login(client, "cadre", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="cadre").exists()


def test_inactive_user_cannot_sign_in(world, client):
    user = world.users["cadre"]
    user.is_active = False
    user.save()
    assert _login(client, "cadre", PASSWORD).status_code == 200


def test_navigation_shows_only_what_the_role_may_use(world, login):
    html = login(world.users["inspector"]).get("/").content.decode()
    assert "/residents/" not in html and "/staff/users/" not in html
    html = login(world.users["admin"]).get("/").content.decode()
    assert "/residents/" in html and "/staff/users/" in html and "/staff/access-log/" in html
    html = login(world.users["gridworker"]).get("/").content.decode()
    assert "/residents/" in html and "/staff/users/" not in html


def test_home_figures_follow_scope(world, login):
    # The dashboard (tests/dashboard/ covers it in full): figures over the user's scope. A grid worker's
    # home page is the inbox (tests/dashboard/test_inbox.py), the dashboard is one link away.
    html = login(world.users["gridworker"]).get("/dashboard/").content.decode()
    assert 'data-testid="figure-residents-residents"><a href="/residents/">1</a>' in html
    html = login(world.users["leader"]).get("/").content.decode()
    assert 'data-testid="figure-places-premises"><a href="/premises/?key=1">4</a>' in html
    from wangge.places.services import apply_status

    apply_status(world.users["officer"], world.premises["beihong1"], "shut", "《无证无照经营查处办法》第十三条")
    html = login(world.users["leader"]).get("/").content.decode()
    assert 'data-testid="figure-places-shut"><a href="/premises/?key=1&amp;status=shut">1</a>' in html


def test_without_a_mail_server_the_reset_page_sends_people_to_an_administrator(world, client, settings, mailoutbox):
    settings.EMAIL_HOST = ""
    world.users["cadre"].email = "cadre@example.gov"
    world.users["cadre"].save()
    assert "/accounts/password_reset/" in client.get("/accounts/login/").content.decode()
    for response in (client.get("/accounts/password_reset/"),
                     client.post("/accounts/password_reset/", {"email": "cadre@example.gov"})):
        assert response.status_code == 200 and 'data-testid="reset-by-admin"' in response.content.decode()
    assert mailoutbox == []


def test_with_a_mail_server_a_reset_link_is_mailed(world, client, settings, mailoutbox):
    settings.EMAIL_HOST = "mail.example.gov"
    world.users["cadre"].email = "cadre@example.gov"
    world.users["cadre"].save()
    response = client.post("/accounts/password_reset/", {"email": "cadre@example.gov"})
    assert response.status_code == 302 and len(mailoutbox) == 1
    assert mailoutbox[0].to == ["cadre@example.gov"] and "/accounts/reset/" in mailoutbox[0].body
    client.post("/accounts/password_reset/", {"email": "nobody@example.gov"})
    assert len(mailoutbox) == 1  # an unknown address gets nothing, and the page says the same
