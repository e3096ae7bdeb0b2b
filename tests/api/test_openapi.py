"""The OpenAPI document: it loads without a token, and promises every error a route gives."""

import pytest

ROUTES = {
    ("get", "/strategies"),
    ("post", "/strategies"),
    ("post", "/strategies/validate"),
    ("post", "/strategies/syntax-test"),
    ("get", "/strategies/{strategy_id}"),
    ("put", "/strategies/{strategy_id}"),
    ("delete", "/strategies/{strategy_id}"),
    ("post", "/strategies/{strategy_id}/activate"),
    ("post", "/strategies/{strategy_id}/deactivate"),
    ("post", "/strategies/{strategy_id}/archive"),
    ("post", "/strategies/{strategy_id}/restore"),
    ("post", "/strategies/{strategy_id}/duplicate"),
    ("get", "/strategies/{strategy_id}/versions"),
    ("get", "/strategies/{strategy_id}/versions/{number}"),
    ("get", "/strategies/{strategy_id}/versions/{a}/diff/{b}"),
    ("post", "/strategies/{strategy_id}/versions/{number}/restore"),
    ("post", "/strategies/preview"),
    ("get", "/strategies/{strategy_id}/preview"),
    ("get", "/datasets"),
    ("post", "/datasets"),
    ("get", "/datasets/samples"),
    ("get", "/datasets/{dataset_id}"),
    ("delete", "/datasets/{dataset_id}"),
}


@pytest.fixture
def spec(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method, path.removeprefix("/api/v1"), operation


def test_the_document_lists_every_route(spec):
    assert {(method, path) for method, path, _ in operations(spec)} == ROUTES


def test_every_route_requires_a_bearer_token(spec):
    schemes = spec["components"]["securitySchemes"]

    assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]
    assert all(operation.get("security") for _, _, operation in operations(spec))


def expected_errors(method, path, operation) -> set[str]:
    expected = {"401", "422"}
    if "{strategy_id}" in path or "{dataset_id}" in path or path.endswith("/preview"):
        expected.add("404")
    if "requestBody" in operation:
        expected |= {"400", "413"}
    # Checks count against the token's budget, creates and updates against the user's.
    if path.endswith(("/validate", "/syntax-test", "/preview")) or (method, path) in (
        ("post", "/strategies"),
        ("put", "/strategies/{strategy_id}"),
    ):
        expected.add("429")
    if (method, path) == ("post", "/datasets"):
        expected.add("409")  # data.too_many
    if (method in ("put", "delete") and path.startswith("/strategies")) or path.rsplit("/", 1)[-1] in (
        "activate",
        "deactivate",
        "archive",
        "restore",
    ):
        expected.add("409")
    return expected


def test_every_operation_declares_the_4xx_responses_it_can_give(spec):
    for method, path, operation in operations(spec):
        declared = {code for code in operation["responses"] if code.startswith("4")}
        assert declared == expected_errors(method, path, operation), (method, path)


def test_every_4xx_response_is_described_as_an_error_with_a_code(spec):
    schemas = spec["components"]["schemas"]
    for _, _, operation in operations(spec):
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                reference = response["content"]["application/json"]["schema"]["$ref"]
                error = schemas[reference.rsplit("/", 1)[-1]]
                assert {"code", "message"} <= set(error["required"])
