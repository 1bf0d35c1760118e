"""The error answers the API gives are the ones its schema documents (the schemathesis run in
test_api_schema.py checks the same thing by generated requests; these name each rule)."""

import pytest
from rest_framework.authtoken.models import Token

from communities import services as community_services
from communities.tests.factories import kind
from organisations.tests.factories import OrganisationFactory
from people.tests.factories import TeacherProfileFactory, school_admin

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def json_schema(response: dict) -> dict:
    return response["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/imports/teachers/-1/", "/api/v1/no-such-thing/", "/api/v1/plans/1/no-such-action/"],
)
def test_an_api_address_that_names_nothing_answers_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_site_address_that_names_nothing_still_answers_the_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_authentication_permission_and_throttling(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for code in ("401", "403", "429"):
            assert json_schema(responses[code]) == {"$ref": "#/components/schemas/Error"}, (
                path,
                method,
                code,
            )
        assert "WWW-Authenticate" in responses["401"]["headers"]
        assert "Retry-After" in responses["429"]["headers"]


def test_writes_and_filters_document_validation_errors_and_lookups_document_404(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        parameters = {p["name"]: p["in"] for p in operation.get("parameters", [])}
        if method in WRITES or "query" in parameters.values():
            assert "400" in responses, (path, method)
        if "path" in parameters.values() or "page" in parameters:
            assert json_schema(responses["404"]) == {"$ref": "#/components/schemas/Error"}
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert schema["components"]["schemas"]["ValidationError"]["type"] == "object"


def test_optimistic_locking_documents_409_with_its_body(schema):
    for path, method in (
        ("/api/v1/plans/{id}/", "patch"),
        ("/api/v1/meetings/{id}/minutes/", "put"),
    ):
        conflict = schema["paths"][path][method]["responses"]["409"]
        assert json_schema(conflict) == {"$ref": "#/components/schemas/Error"}


def test_a_documented_error_body_of_its_own_stays_as_an_alternative(schema):
    rejected = schema["paths"]["/api/v1/imports/teachers/"]["post"]["responses"]["400"]
    assert json_schema(rejected) == {
        "anyOf": [
            {"$ref": "#/components/schemas/TeacherImport"},
            {"$ref": "#/components/schemas/ValidationError"},
        ]
    }


def test_reorganising_documents_the_201_it_answers(schema):
    responses = schema["paths"]["/api/v1/communities/{id}/reorganise/"]["post"]["responses"]
    assert "201" in responses and "200" not in responses


def test_nullable_fields_are_documented_as_nullable(schema):
    community = schema["components"]["schemas"]["Community"]["properties"]
    assert community["leader"]["nullable"] is True
    assert community["leader_name"]["nullable"] is True
    databank = schema["components"]["schemas"]["Databank"]["properties"]
    assert databank["qualification_category"]["nullable"] is True


def test_a_leaderless_community_and_a_databank_without_category_answer_null(client):
    school = OrganisationFactory()
    director = school_admin(school)
    TeacherProfileFactory(person=director, qualification_category=None)
    community_services.create_community(
        kind=kind("school_plc"), name="ПОС без руководителя", organisation=school
    )
    token = Token.objects.create(user=director).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    listed = client.get("/api/v1/communities/", **auth).json()["results"]
    assert [(c["leader"], c["leader_name"]) for c in listed] == [(None, None)]
    me = client.get("/api/v1/people/me/", **auth).json()
    assert me["databank"]["qualification_category"] is None


def test_rule_violations_are_documented_as_a_plain_list_of_code_and_message(schema):
    answer = schema["paths"]["/api/v1/communities/{id}/violations/"]["get"]["responses"]["200"]
    assert json_schema(answer) == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/RuleViolation"},
    }
    violation = schema["components"]["schemas"]["RuleViolation"]
    assert set(violation["required"]) == {"code", "message"}
