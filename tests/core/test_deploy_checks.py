"""`wangge check --deploy` refuses a production set-up whose cache is not shared (issue #24, 7)."""

from django.core.checks import run_checks


def errors(tags=None):
    return {e.id for e in run_checks(include_deployment_checks=True) if e.id.startswith("wangge.")}


def test_production_without_a_shared_cache_fails_the_deploy_check(settings):
    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "wangge.E003" in errors()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379"}}
    assert "wangge.E003" not in errors()


def test_outside_production_the_local_cache_is_fine(settings):
    settings.PRODUCTION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "wangge.E003" not in errors()
