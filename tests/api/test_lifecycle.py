"""Status changes and concurrent edits, as an API client sees them."""

import pytest


def test_a_strategy_goes_through_its_whole_life(api):
    strategy = api.create()

    active = api.act(strategy, "activate").json()
    inactive = api.act(strategy, "deactivate").json()
    archived = api.act(strategy, "archive").json()
    restored = api.act(strategy, "restore").json()

    assert [active["status"], inactive["status"], archived["status"], restored["status"]] == [
        "active",
        "inactive",
        "archived",
        "inactive",
    ]
    assert restored["lock_version"] == 5


@pytest.mark.parametrize(
    "operation, status",
    [
        ("deactivate", "draft"),
        ("restore", "draft"),
        ("activate", "active"),
        ("archive", "active"),
        ("delete", "active"),
        ("edit", "active"),
    ],
)
def test_a_refused_operation_is_a_409_saying_why(api, operation, status, document):
    strategy = api.create()
    if status == "active":
        api.act(strategy, "activate")

    if operation == "delete":
        response = api.delete(f"/strategies/{strategy['id']}")
    elif operation == "edit":
        response = api.put(
            f"/strategies/{strategy['id']}", {"document": document(), "format": "yaml", "lock_version": 2}
        )
    else:
        response = api.act(strategy, operation)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "strategy.refused"
    assert (
        body["message"]
        == api.get(f"/strategies/{strategy['id']}").json()["allowed_actions"][operation]["reason"]
    )


def test_activating_a_draft_with_errors_is_a_422_with_its_diagnostics(api, invalid_document):
    draft = api.create(text=invalid_document)

    response = api.act(draft, "activate")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "strategy.invalid"
    assert body["diagnostics"] and all(d["severity"] == "error" for d in body["diagnostics"])
    assert {"code", "line", "column", "path", "hint"} <= set(body["diagnostics"][0])
    assert api.get(f"/strategies/{draft['id']}").json()["status"] == "draft"


def test_the_second_of_two_updates_from_the_same_lock_version_is_a_conflict(api, document):
    strategy = api.create()
    url = f"/strategies/{strategy['id']}"
    api.put(url, {"document": document(description="First tab."), "format": "yaml", "lock_version": 1})

    response = api.put(
        url, {"document": document(description="Second tab."), "format": "yaml", "lock_version": 1}
    )

    assert response.status_code == 409
    conflict = response.json()
    assert conflict["code"] == "strategy.conflict"
    assert (conflict["your_lock_version"], conflict["current_lock_version"], conflict["current_version"]) == (
        1,
        2,
        2,
    )
    assert conflict["changed_by"] == "alice@example.com" and conflict["changed_at"]
    assert "First tab." in conflict["current_document"]
    assert {"kind": "added", "old": None, "new": 5, "text": "description: Second tab."} in conflict["diff"]


def test_retrying_with_the_reported_lock_version_overwrites(api, document):
    strategy = api.create()
    url = f"/strategies/{strategy['id']}"
    api.put(url, {"document": document(description="First tab."), "format": "yaml", "lock_version": 1})
    current = api.put(
        url, {"document": document(description="Second tab."), "format": "yaml", "lock_version": 1}
    ).json()["current_lock_version"]

    response = api.put(
        url, {"document": document(description="Second tab."), "format": "yaml", "lock_version": current}
    )

    assert response.status_code == 200
    assert response.json()["description"] == "Second tab."
    assert response.json()["current_version"] == 3
