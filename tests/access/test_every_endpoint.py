"""Every page and every API operation, as every role, aimed at rows outside that role's scope.

The routes come from the URL configuration and the OpenAPI document, not from a hand-kept list of
URLs: a new page without a rule in routes.PAGES, or an API parameter the test cannot aim, fails the
suite. The administrator is left out: their scope is everything, so nothing is outside it.
"""

import json
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wangge.api.api import api
from wangge.core.models import ApiToken, AuditAction, AuditEntry
from wangge.core.roles import Role
from wangge.core.tabular.kinds import all_kinds
from wangge.dashboard.models import GridFigure, StaleGrid

from .routes import API_LITERALS, API_PARAMS, API_PUBLIC, LISTING, PAGES, PUBLIC, REFERENCE, SHOWS_GRIDS, ref

ROLES = [r for r in Role.values if r != Role.ADMIN] + [None]
REFUSED = {403, 404}
REFUSED_PAGE = {403, 404, 405}  # 405: the page answers another method only, so it neither shows nor changes


@pytest.fixture
def estate(db, module_estate):
    """One estate for the whole module (conftest's `module_estate`): the tests read it and each one's
    changes are rolled back, so building it again for each of the 60 role cases would only cost time."""
    return module_estate


@pytest.fixture
def world(estate):
    """The estate's own town, for the outsiders (who are made in each test's transaction)."""
    return estate.world


def named_routes(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):
                continue  # the Django admin (staff only, tested below) and the API (from its schema)
            yield from named_routes(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


# Derived tables a dashboard request may bring up to date (docs/DASHBOARD.md, "Roll-ups"): not a change.
ROLLUP = (GridFigure, StaleGrid)


def snapshot() -> dict:
    """Row counts of every table of ours and the audit trail: a refused request changes none. (An
    export the role may make of its own, empty, scope is logged: that entry is the one allowed.)"""
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()
              if m.__module__.startswith("wangge") and m not in (AuditEntry, *ROLLUP)}
    counts["audit"] = AuditEntry.objects.exclude(action=AuditAction.EXPORT).count()
    return counts


def leaked(response, names) -> list[str]:
    kind = response.get("Content-Type", "")
    if response.status_code != 200 or getattr(response, "streaming", False):
        return []
    if "json" in kind:
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
    elif "text/" in kind:
        text = response.content.decode()
    else:
        return []  # xlsx, docx, pdf, images: their rows come through the same querysets as the csv export
    return [n for n in names if n in text]


def visible_names(estate, role, outsider) -> list[str]:
    """Names an outsider must not see. A department officer picks any grid of their own town (their rule
    is the department, not an area: `Area.objects.choosable_by`), so its grid names are no leak for them;
    nobody of another town sees the town's grids, departments or campaigns."""
    if outsider.other_town:
        # The market office's name ("社区卫生服务中心" is also in a role's label, 社区卫生服务中心人员).
        return estate.names + estate.area_names + [estate.world.departments["market"].name,
                                                   estate.rows["campaign"].name]
    if role == Role.DEPARTMENT_OFFICER:
        return estate.names
    return estate.names + estate.area_names


def skip_own_town_administrator(outsider, role) -> None:
    """A town administrator of the estate's own town administers its staff: no outsider to them."""
    if role == Role.TOWN_ADMIN and not outsider.other_town:
        pytest.skip("the town's own administrator")


def listing_urls(name, rows):
    if name in ("ledgers:template", "ledgers:upload"):
        return [reverse(name, kwargs={"kind": k.name}) for k in all_kinds()]
    if name in ("ledgers:export", "ledgers:print"):
        # A list under a parent (a round's door-knocking list) is asked for the estate's own parent row.
        extra = {"fmt": "csv"} if name == "ledgers:export" else {}
        return [reverse(name, kwargs={"kind": k.name, **extra}) + "?" + "&".join(f"{p}={rows[p].pk}" for p in k.needs)
                for k in all_kinds()]
    return [reverse(name)]


def test_every_route_has_a_rule():
    routes = {name for name, _ in named_routes()}
    assert routes - set(PAGES) == set(), "routes without an access rule in tests/access/routes.py"
    assert set(PAGES) - routes == set(), "rules for routes that no longer exist"
    for path in api.get_openapi_schema()["paths"]:
        for param in re.findall(r"{(\w+)}", path):
            assert param in API_PARAMS or param in API_LITERALS, f"{path}: no rule for {{{param}}}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_refuse_rows_out_of_scope(estate, outsider, client, role):
    client.force_login(outsider(role))
    skip_own_town_administrator(outsider, role)
    names = visible_names(estate, role, outsider)
    before, failures = snapshot(), []
    for name, rule in PAGES.items():
        if rule == PUBLIC:
            continue
        if rule == LISTING or isinstance(rule, ref):
            urls = (listing_urls(name, estate.rows) if rule == LISTING
                    else [reverse(name, kwargs=rule.kwargs(estate.rows))])
            hidden = estate.names if name in SHOWS_GRIDS and not outsider.other_town else names
            for url in urls:
                response = client.get(url)
                if response.status_code >= 500 or leaked(response, hidden):
                    failures.append(f"GET {url} ({name}): {response.status_code} {leaked(response, hidden)}")
            continue
        url = reverse(name, kwargs=rule(estate.rows))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in REFUSED_PAGE:
                failures.append(f"{method.upper()} {url} ({name}): {status}")
    assert failures == [], f"{role}: " + "\n".join(failures)
    assert snapshot() == before


def test_bulk_assignment_refuses_orders_out_of_scope(estate, outsider, client):
    order = estate.rows["order"]
    version = order.version
    client.force_login(outsider(Role.DEPARTMENT_OFFICER))
    response = client.post(reverse("workorders:order_bulk_assign"),
                           {"ids": [order.pk], "assignee": estate.world.users["gridworker"].pk})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.version == version and order.assignee == estate.world.users["gridworker"]


@pytest.mark.parametrize("role", [r for r in ROLES if r])
def test_django_admin_is_for_staff_accounts_only(outsider, client, role):
    client.force_login(outsider(role))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- API -----------------------------------------------------------------------------------------

def minimal(schema: dict, components: dict):
    """The smallest body that satisfies a request schema, so the call reaches the access check
    instead of stopping at validation."""
    if "$ref" in schema:
        return minimal(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "allOf" in schema:
        return minimal(schema["allOf"][0], components)
    if "anyOf" in schema:
        return minimal(next(s for s in schema["anyOf"] if s.get("type") != "null"), components)
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format", "")
    if kind == "object":
        return {k: minimal(v, components) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema["items"], components)] if schema.get("minItems") else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    return {"date": "2022-07-12", "date-time": "2022-07-12T10:00:00+08:00", "time": "10:00:00",
            "uuid": "00000000-0000-4000-8000-000000000001"}.get(fmt, "新泾镇测试")


def operations():
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            body = None
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = minimal(content["application/json"]["schema"], components)
            elif content:
                body = {}  # multipart: empty (refused before the form is read)
            yield path, method, body, id_fields(content.get("application/json", {}).get("schema", {}), components)


def id_fields(schema: dict, components: dict) -> set[str]:
    """Top-level body fields that name rows (`x-names`, core/ids.py)."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return {name for name, sub in schema.get("properties", {}).items()
            if sub.get("x-names") or any(s.get("x-names") for s in sub.get("anyOf", []))}


def aim(path: str, rows) -> str | None:
    """The path with its parameters aimed at the estate; None if it names reference data."""
    def value(match):
        name = match.group(1)
        if name in API_LITERALS:
            return API_LITERALS[name]
        kind = API_PARAMS[name]
        if isinstance(kind, dict):
            kind = next(k for prefix, k in kind.items() if path.startswith(prefix))
        if kind == REFERENCE:
            raise LookupError
        return str(rows[kind].pk)
    try:
        return re.sub(r"{(\w+)}", value, path)
    except LookupError:
        return None


@pytest.mark.parametrize("role", ROLES)
def test_api_refuses_rows_out_of_scope(estate, outsider, client, role):
    headers = {"Authorization": f"Bearer {ApiToken.issue(outsider(role))[1]}"}
    skip_own_town_administrator(outsider, role)
    names = visible_names(estate, role, outsider)
    before, failures = snapshot(), []
    for path, method, body, named in operations():
        if path in API_PUBLIC:
            continue
        url = aim(path, estate.rows)
        if url is None or "{" not in path:
            if method == "get":  # a listing, or reference data: nothing out of scope in it
                url = url or re.sub(r"{(\w+)}", lambda m: str(estate.rows[m.group(1).removesuffix("_id")].pk), path)
                response = client.get(url, headers=headers)
                if response.status_code >= 500 or leaked(response, names):
                    failures.append(f"GET {url}: {response.status_code} {leaked(response, names)}")
            continue  # creating is checked by each app's own tests (the new row must lie in scope)
        extra = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(url, headers=headers, **extra)
        # The smallest body may name a row the outsider may not name: refused where the body is read (422).
        foreign_ids = response.status_code == 422 and named and {
            e["field"].split(".")[0] for e in response.json()["errors"]} <= named
        if response.status_code not in REFUSED and not foreign_ids:
            failures.append(f"{method.upper()} {url}: {response.status_code} {response.content[:200]!r}")
    assert failures == [], f"{role}: " + "\n".join(failures)
    assert snapshot() == before


# --- bodies naming rows out of scope ---------------------------------------------------------------

# A body field marked `x-names` (core/ids.py) -> the estate's row of that kind. Models every signed-in
# user may read (departments, categories, checklists, supply items) name nothing out of scope.
BODY_KINDS = {"core.area": "area", "core.user": "user", "community.compound": "compound",
              "community.resident": "resident", "vaccination.elder": "resident", "places.premises": "premises",
              "places.roadsegment": "segment", "economy.park": "park", "economy.enterprise": "enterprise",
              "inspections.task": "task", "community.supplysite": "supply_site",
              "vaccination.appointment": "appointment", "core.department": "department",
              "vaccination.vaccinationpoint": "point"}
# A department officer may name any area and anyone (their rule is the department: choosable_by).
TOWN_WIDE_FOR_DEPARTMENTS = {"core.area", "core.user"}


def names_anyone(label: str, other_town: bool = False) -> bool:
    """Reference data, and a town's own configuration (its departments) for the people of that town."""
    from wangge.core.visibility import ScopingSpec

    model = apps.get_model(label)
    spec = getattr(model, "Scoping", ScopingSpec)
    own_town = bool(spec.town or spec.town_area) and not other_town
    return spec.everyone or own_town or not hasattr(model.objects, "visible_to")


def foreign_body(schema: dict, components: dict, rows, role, prefix="", other_town=False) -> tuple[object, list[str]]:
    """The smallest body with every id field that names a row aimed at one out of the role's scope, and
    the fields aimed (dotted, list items by index)."""
    if "$ref" in schema:
        return foreign_body(components[schema["$ref"].rsplit("/", 1)[1]], components, rows, role, prefix, other_town)
    if "anyOf" in schema and "x-names" not in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return foreign_body(options[0], components, rows, role, prefix, other_town)
    label = schema.get("x-names") or next((s.get("x-names") for s in schema.get("anyOf", []) if s.get("x-names")),
                                          None)
    if label:
        if names_anyone(label, other_town) or (role == Role.DEPARTMENT_OFFICER and label in TOWN_WIDE_FOR_DEPARTMENTS
                                   and not other_town):
            return minimal(schema, components), []
        assert label in BODY_KINDS, f"{prefix}: the access test cannot aim an id of {label} (add it to BODY_KINDS)"
        pk = rows[BODY_KINDS[label]].pk
        return ([pk] if schema.get("type") == "array" else pk), [prefix]
    if schema.get("type") == "object":
        body, aimed = {}, []
        for key, sub in schema.get("properties", {}).items():
            value, fields = foreign_body(sub, components, rows, role, f"{prefix}{key}", other_town)
            if fields or key in schema.get("required", []):
                body[key] = value
                aimed += fields
        return body, aimed
    if schema.get("type") == "array" and schema.get("items"):
        item, fields = foreign_body(schema["items"], components, rows, role, f"{prefix}.0.", other_town)
        if fields or schema.get("minItems"):
            return [item], [f.rstrip(".") for f in fields]
    return minimal(schema, components), []


@pytest.mark.parametrize("role", ROLES)
def test_api_refuses_bodies_naming_rows_out_of_scope(estate, outsider, client, role):
    """Every operation that takes ids, sent by an outsider with each id aimed at a row out of their scope
    (and every campaign, whose teams and tasks reach the premises of its areas): a 422 naming each aimed
    field, or 403/404, and nothing changes."""
    skip_own_town_administrator(outsider, role)
    headers = {"Authorization": f"Bearer {ApiToken.issue(outsider(role))[1]}"}
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    before, failures, sent = snapshot(), [], 0
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method == "get" or path in API_PUBLIC:
                continue
            params = re.findall(r"{(\w+)}", path)
            if any(API_PARAMS.get(p) != REFERENCE and p not in API_LITERALS for p in params):
                continue  # names a scoped row in its path: refused by the pass above
            campaign = "campaign_id" in params and (role != Role.DEPARTMENT_OFFICER or outsider.other_town)
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            body, aimed = foreign_body(content["schema"], components, estate.rows, role,
                                       other_town=outsider.other_town) if content else (None, [])
            if not aimed and not campaign:
                continue
            url = re.sub(r"{(\w+)}", lambda m: API_LITERALS.get(m.group(1)) or str(
                estate.rows[m.group(1).removesuffix("_id")].pk), path)
            extra = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
            response = getattr(client, method)(url, headers=headers, **extra)
            sent += 1
            if response.status_code in REFUSED:
                continue
            named = {e["field"] for e in response.json().get("errors", [])} if response.status_code == 422 else set()
            missing = [f for f in aimed if f not in named]
            if response.status_code != 422 or missing:
                failures.append(f"{method.upper()} {url} {aimed}: {response.status_code} {response.content[:300]!r}")
    assert sent > 10
    assert failures == [], f"{role}: " + "\n".join(failures)
    assert snapshot() == before
