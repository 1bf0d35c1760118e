"""Shared API pieces: pagination, an exception handler that turns model errors into 400s, and
the schema hook that documents the error answers every operation can give."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    if isinstance(exc, OverflowError):
        # An id too large for the database's integers (SQLite raises on binding it where a
        # lookup goes through a join or a subquery): no such object.
        exc = NotFound()
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


# What `exception_handler` answers: DRF's {"detail": "…"} for everything but invalid input.
ERROR_SCHEMA = {
    "type": "object",
    "description": "An error that is not about particular fields.",
    "properties": {"detail": {"type": "string", "description": "What went wrong, for people."}},
    "required": ["detail"],
}
# Invalid input: each field (`non_field_errors` for the whole body, `detail` for a rule of the
# data model) maps to its messages; a nested object or list of rows nests its own errors the same
# way, and a body that cannot be parsed answers {"detail": "…"}.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Invalid input: each field with its messages (nested rows nest the same way).",
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": {}},
        ]
    },
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
VALIDATION_ERROR_REF = {"$ref": "#/components/schemas/ValidationError"}

_EMPTY_BODY = "No response body"


def _answers(method: str, operation: dict) -> dict[str, tuple[str, dict, dict]]:
    """The error answers this operation can give, by status: description, body, headers."""
    parameters = operation.get("parameters", [])
    # Every write goes through a service whose model rules answer 400 (see exception_handler).
    takes_input = (
        method != "get" or "requestBody" in operation or any(p["in"] != "path" for p in parameters)
    )
    finds_objects = any(p["in"] == "path" or p["name"] == "page" for p in parameters)
    answers = {
        "401": (
            "Not signed in, or the token is unknown.",
            ERROR_REF,
            {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Token"}},
        ),
        "403": ("Not allowed.", ERROR_REF, {}),
        "429": (
            "Too many requests; try again later.",
            ERROR_REF,
            {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
            },
        ),
    }
    if takes_input or "400" in operation["responses"]:
        answers["400"] = ("Invalid input.", VALIDATION_ERROR_REF, {})
    if finds_objects or "404" in operation["responses"]:
        answers["404"] = ("No such object (or page) among those the caller may see.", ERROR_REF, {})
    if "409" in operation["responses"]:
        answers["409"] = ("The version sent is stale: someone saved in between.", ERROR_REF, {})
    return answers


def _merge(response: dict, description: str, body: dict, headers: dict) -> dict:
    """Adds the error body to a documented answer; an answer that documents a body of its own
    (the import's report) may now be either."""
    if not response.get("description") or response["description"] == _EMPTY_BODY:
        response["description"] = description
    content = response.setdefault("content", {})
    documented = content.get("application/json", {}).get("schema")
    if documented is None:
        content["application/json"] = {"schema": body}
    elif documented != body:
        content["application/json"] = {"schema": {"anyOf": [documented, body]}}
    if headers:
        response.setdefault("headers", {}).update(headers)
    return response


def document_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors DRF can answer
    with (invalid input, authentication, permission, missing objects, stale versions, throttling),
    so clients and contract tests know their bodies."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, body, headers) in _answers(method, operation).items():
                responses[code] = _merge(responses.get(code, {}), description, body, headers)
            operation["responses"] = dict(sorted(responses.items()))
    return result
