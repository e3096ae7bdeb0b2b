"""Bad requests get a JSON error with a 4xx status, never a 500."""

import pytest


def test_malformed_json_is_a_400(api):
    response = api.send("post", "/strategies", None, raw='{"document": ')

    assert response.status_code == 400
    assert response.json()["code"] == "request.malformed"


def test_json_nested_beyond_reason_is_a_400(api):
    response = api.send("post", "/strategies", None, raw="[" * 100_000)

    assert response.status_code == 400


def test_a_body_over_512_kib_is_a_413(api):
    response = api.post("/strategies", {"document": "#" * (513 * 1024), "format": "yaml"})

    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"


def test_a_body_beyond_djangos_own_limit_is_a_413_too(api):
    response = api.post("/strategies", {"document": "#" * (3 * 1024 * 1024), "format": "yaml"})

    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        {"document": "name: Some strategy", "format": "xml"},
        {"document": 42, "format": "yaml"},
        {"format": "yaml"},
        ["not", "an", "object"],
    ],
)
def test_a_body_of_the_wrong_shape_is_a_422_saying_where(api, body):
    response = api.post("/strategies", body)

    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "request.invalid"
    assert error["details"] and all({"loc", "message", "type"} == set(d) for d in error["details"])


@pytest.mark.parametrize("lock_version", ["abc", "1", None, True, 0, 2**40, 1.5, 1e300])
def test_a_lock_version_that_is_not_a_positive_integer_is_a_422(api, lock_version, document):
    strategy = api.create()

    response = api.put(
        f"/strategies/{strategy['id']}",
        {"document": document(), "format": "yaml", "lock_version": lock_version},
    )

    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "lock_version"


def test_a_lock_version_written_as_a_whole_float_is_the_integer_it_is(api, document):
    # JSON Schema, which the OpenAPI document speaks, counts 1.0 as an integer.
    strategy = api.create()

    response = api.put(
        f"/strategies/{strategy['id']}",
        {"document": document("Renamed"), "format": "yaml", "lock_version": float(strategy["lock_version"])},
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


@pytest.mark.parametrize(
    "path",
    [
        "/strategies/abc",
        "/strategies/0",
        f"/strategies/{2**64}",
        f"/strategies/1/versions/{2**40}",
        f"/strategies?page={2**64}",
        "/strategies?status=deleted",
    ],
)
def test_parameters_out_of_range_are_a_422(api, path):
    response = api.client.get(f"/api/v1{path}", headers=api.headers)

    assert response.status_code == 422


@pytest.mark.parametrize("text", ["name: Nul\x00byte", "name: Lone \ud800 surrogate"])
def test_a_document_no_database_could_store_is_a_422(api, text):
    # json.dumps writes both as \u escapes, which are valid JSON.
    response = api.post("/strategies", {"document": text, "format": "yaml"})

    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "document"


def test_an_unknown_strategy_id_is_a_404(api):
    response = api.get("/strategies/999999")

    assert response.status_code == 404
    assert response.json() == {"code": "strategy.not_found", "message": "No such strategy.", "hint": None}
