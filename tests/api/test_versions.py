"""Versions of a strategy: list, read, compare and restore."""

import pytest


@pytest.fixture
def edited(api, document):
    """A strategy saved twice: version 1 is the example, version 2 has a new description."""
    strategy = api.create()
    return api.put(
        f"/strategies/{strategy['id']}",
        {"document": document(description="Second take."), "format": "yaml", "lock_version": 1},
    ).json()


def test_versions_are_listed_newest_first_with_their_author(api, edited):
    response = api.get(f"/strategies/{edited['id']}/versions")

    assert response.status_code == 200
    assert [(v["number"], v["author"], v["is_valid"]) for v in response.json()] == [
        (2, "alice@example.com", True),
        (1, "alice@example.com", True),
    ]


def test_a_version_shows_its_document_and_diagnostics(api, edited):
    response = api.get(f"/strategies/{edited['id']}/versions/2")

    assert response.status_code == 200
    version = response.json()
    assert "description: Second take." in version["document"]
    assert version["errors"] == [] and isinstance(version["warnings"], list)


def test_an_unknown_version_is_a_404(api, edited):
    response = api.get(f"/strategies/{edited['id']}/versions/9")

    assert response.status_code == 404
    assert response.json()["code"] == "version.not_found"


def test_two_versions_are_compared_as_unified_text_and_rows(api, edited):
    response = api.get(f"/strategies/{edited['id']}/versions/1/diff/2")

    assert response.status_code == 200
    diff = response.json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert diff["text"].startswith("--- version 1\n+++ version 2\n")
    assert "+description: Second take.\n" in diff["text"]
    assert {"kind": "added", "old": None, "new": 5, "text": "description: Second take."} in diff["rows"]


def test_restoring_a_version_saves_its_document_as_a_new_version(api, edited):
    response = api.post(
        f"/strategies/{edited['id']}/versions/1/restore", {"lock_version": edited["lock_version"]}
    )

    assert response.status_code == 200
    restored = response.json()
    assert restored["current_version"] == 3
    assert restored["description"].startswith("Follows the trend")


def test_restoring_a_version_from_a_stale_lock_version_is_a_conflict(api, edited):
    response = api.post(f"/strategies/{edited['id']}/versions/1/restore", {"lock_version": 1})

    assert response.status_code == 409
    assert response.json()["current_lock_version"] == edited["lock_version"]
