"""The OpenAPI document states the whole contract: the one error shape on every operation (400, 401,
403, 404, 409, 422, 429), operation ids made from the method and the path (so they change only when the
URL does), and a description for every parameter (from PARAMETERS: a parameter missing there fails
tests/api/test_contract.py)."""

import json
import re

from ninja import NinjaAPI
from ninja.parser import Parser

from wangge.core.text import clean_data

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the user's language"},
        "errors": {
            "type": "array",
            "description": "Validation only: one entry per field at fault (dotted path into the body)",
            "items": {"type": "object", "required": ["field", "message"],
                      "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        },
    },
}
ERRORS = {
    "400": "Malformed request (the body is not JSON, or too large a form)",
    "401": "No credentials, or not valid ones",
    "403": "Signed in, but this role may not do this",
    "404": "Not found, or outside your scope (the same answer either way)",
    "409": "The version sent is stale, or the row is still in use",
    "413": "The request body is larger than the server accepts",
    "422": "Fields not valid: `errors` names each one",
    "429": "Too many requests or failed sign-ins from this address; see `Retry-After`",
}

PARAMETERS = {
    # paging and search
    "page": "Page number, from 1", "page_size": "Rows per page", "q": "Search words: a name, an address, "
    "or a full ID or phone number (matched through its hash, never stored in logs)",
    "sort": "Sort order, as on the list page", "tab": "`mine` (assigned to me) or `department` (my departments')",
    # rows named in the path
    "appointment_id": "The appointment's id", "area_id": "The area's id", "campaign_id": "The campaign's id",
    "checklist_id": "The checklist revision's id", "compound_id": "The compound's id", "dose_id": "The dose's id",
    "enterprise_id": "The enterprise's id", "follow_up_id": "The follow-up's id",
    "inspection_id": "The inspection's id", "notification_id": "The notification's id",
    "order_id": "The work order's id", "paper_id": "The enforcement paper's id", "park_id": "The park's id",
    "period_report_id": "The period report's id (one version)", "photo_id": "The photo's id",
    "point_id": "The vaccination point's id", "premises_id": "The premises' id", "result_id": "The screening "
    "result's id", "report_id": "The public report's id", "resident_id": "The resident's id",
    "round_id": "The screening round's id",
    "segment_id": "The road segment's id", "site_id": "The sampling site's id", "stock_id": "The stock row's id "
    "(one item at one supplies site)", "suggestion_id": "The likely-duplicate pair's id", "user_id": "The user's id",
    "visit_id": "The visit's id", "verb": "The transition: assign, start, submit, verify, return, reopen, escalate",
    # filters
    "area": "Only rows in this area or below it (an area id)", "grid": "Only rows in this grid (an area id)",
    "grid_id": "Only rows in this grid (an area id)", "hood": "Only this neighbourhood or grid (an area id)",
    "compound": "Only residents of this compound (its id)", "campaign": "Only this campaign's rows (its id)",
    "category": "Only this premises category (its id)", "department": "Only orders owned by this department "
    "(its id)", "enterprise": "Only this enterprise's visits (its id)", "park": "Only this park (its id), or "
    "`none` for enterprises in no park", "premises": "Only this premises' inspections (its id)",
    "segment": "Only premises on this road segment (its id), or `none` for premises on none",
    "team": "Only this team's tasks (its id)", "visit": "Only orders raised from this field visit (its id)",
    "chief": "`none`: only segments without a road chief", "level": "Only areas of this level "
    "(district, town, neighbourhood, grid)", "kind": "Only rows of this kind", "state": "Only rows in this state "
    "(`open`: any state before closed)", "status": "Only rows with this status", "outcome": "Only inspections "
    "with this outcome", "reason": "Only tasks planned for this reason", "shift": "Only this shift (day, night, "
    "both)", "band": "Only this risk or age band", "flag": "Only residents of this special group",
    "industry": "Only this industry", "size": "Enterprises: only this size; photos: `thumb` for the thumbnail",
    "key": "`1`: only key premises", "venue_code_status": "Only premises whose venue code is in this state",
    "overdue": "`true`/`1`: only overdue rows", "unread": "`1`: only unread notifications",
    "low": "`true`: only stock below its warning level", "signed": "Only residents with (`yes`) or without "
    "(`no`) a family-doctor contract", "census": "Only residents whose census answer is this",
    "days": "How many days back to look", "by": "Group by grid, neighbourhood, category or shift",
    "as_of": "The reference date ages are counted on (default: today or the configured date)",
    "date": "The day (default today)", "date_from": "First day, inclusive", "date_to": "Last day, inclusive",
    "start": "First day of the period", "end": "Last day of the period",
    "since": "Only what changed after this time (the `now` of the previous sync)",
    "definition": "Only reports of this definition (its name)",
    "ends_after": "Only reports whose period ends on or after this day",
    "have": "Comma-separated checklist ids and versions the client already holds",
}


def operation_id(method: str, path: str) -> str:
    """`get /api/v1/premises/{premises_id}/status` -> `get_premises_by_premises_id_status`."""
    rest = path.removeprefix("/api/v1").strip("/")
    words = [f"by_{m.group(1)}" if (m := re.fullmatch(r"{(\w+)}", part)) else part for part in rest.split("/")]
    return "_".join([method, *[w.replace("-", "_") for w in words if w]])


def _body_schema(schema: dict, response: dict) -> dict:
    found = response.get("content", {}).get("application/json", {}).get("schema", {})
    while "$ref" in found:
        found = schema["components"]["schemas"][found["$ref"].rsplit("/", 1)[-1]]
    return found


def add_links(schema: dict) -> None:
    """OpenAPI links from each creation (`POST /x` answering with an `id`) to the operations on the row
    it made (`/x/{x_id}` and below): clients see how the calls chain, and the fuzzing's stateful phase
    (tests/api/test_schemathesis.py) creates rows and then reads, edits and deletes them."""
    paths = schema["paths"]
    for parent, operations in paths.items():
        create = operations.get("post")
        if create is None:
            continue
        answers = {str(status): answer for status, answer in create["responses"].items()}  # Ninja's keys: ints
        response = next((answers[s] for s in ("201", "200") if s in answers and "id" in _body_schema(
            schema, answers[s]).get("properties", {})), None)
        if response is None:
            continue
        links = {}
        for child, child_operations in paths.items():
            match = re.fullmatch(re.escape(parent) + r"/\{(\w+)\}(/.*)?", child)
            if not match:
                continue
            for method in child_operations:
                links[operation_id(method, child)] = {
                    "operationId": operation_id(method, child),
                    "parameters": {f"path.{match.group(1)}": "$response.body#/id"}}
        if links:
            response["links"] = links


def document(schema: dict) -> dict:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            operation["operationId"] = operation_id(method, path)
            for status, description in ERRORS.items():
                operation["responses"].setdefault(status, {
                    "description": description, "content": {"application/json": {"schema": reference}}})
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in PARAMETERS:
                    parameter["description"] = PARAMETERS[parameter["name"]]
    add_links(schema)
    return schema


class CleanParser(Parser):
    """JSON bodies without control characters, NUL or lone surrogates (core/text.py)."""

    def parse_body(self, request):
        return clean_data(json.loads(request.body))


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document(super().get_openapi_schema(*args, **kwargs))
