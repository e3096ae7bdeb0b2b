"""Creating, reading, listing, updating and deleting strategies through the API."""


def test_creating_a_strategy_reads_its_fields_from_the_document(api):
    created = api.create()

    assert created["name"] == "EMA crossover trend follower"
    assert created["trading_pair"] == "BTC/USDT"
    assert created["timeframe"] == "4h"
    assert created["description"].startswith("Follows the trend")
    assert (created["status"], created["format"], created["is_valid"]) == ("draft", "yaml", True)
    assert (created["current_version"], created["lock_version"]) == (1, 1)


def test_a_draft_with_errors_is_saved_and_marked_invalid(api, invalid_document):
    created = api.create(text=invalid_document)

    assert created["name"] == "Half typed draft"
    assert created["is_valid"] is False


def test_a_strategy_says_which_actions_are_allowed_and_why_not(api):
    actions = api.create()["allowed_actions"]

    assert actions["activate"] == {"allowed": True, "reason": None}
    assert actions["edit"]["allowed"] and actions["delete"]["allowed"]
    assert actions["restore"] == {"allowed": False, "reason": "Only an archived strategy can be restored."}


def test_a_strategy_is_read_back_by_its_id(api):
    created = api.create()

    response = api.get(f"/strategies/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_a_second_strategy_with_the_same_name_is_refused_with_422(api, document):
    api.create()

    response = api.post("/strategies", {"document": document(), "format": "yaml"})

    assert response.status_code == 422
    assert response.json()["code"] == "strategy.name_taken"


def test_the_list_shows_the_most_recently_updated_first_with_a_total(api, document):
    first, second = api.create("First one"), api.create("Second one")
    api.put(
        f"/strategies/{first['id']}",
        {"document": document("First one", "Edited."), "format": "yaml", "lock_version": 1},
    )

    listing = api.get("/strategies").json()

    assert [item["id"] for item in listing["items"]] == [first["id"], second["id"]]
    assert (listing["total"], listing["page"], listing["page_size"]) == (2, 1, 20)


def test_the_list_is_paginated(api):
    names = [f"Strategy {n}" for n in range(5)]
    for name in names:
        api.create(name)

    page = api.get("/strategies", page=2, page_size=2).json()

    assert [item["name"] for item in page["items"]] == ["Strategy 2", "Strategy 1"]
    assert page["total"] == 5


def test_the_list_filters_by_status_and_searches_names_ignoring_case(api):
    api.create("Momentum alpha")
    api.act(api.create("Momentum beta"), "activate")
    api.create("Mean reversion")

    active = api.get("/strategies", status="active").json()
    momentum = api.get("/strategies", q="MOMENTUM").json()

    assert [item["name"] for item in active["items"]] == ["Momentum beta"]
    assert {item["name"] for item in momentum["items"]} == {"Momentum alpha", "Momentum beta"}
    assert momentum["total"] == 2


def test_a_page_size_above_100_is_refused(api):
    response = api.get("/strategies", page_size=101)

    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


def test_updating_saves_a_new_version_and_a_new_lock_version(api, document):
    created = api.create()

    response = api.put(
        f"/strategies/{created['id']}",
        {"document": document("Renamed follower"), "format": "yaml", "lock_version": created["lock_version"]},
    )

    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "Renamed follower"
    assert (updated["current_version"], updated["lock_version"]) == (2, 2)


def test_updating_without_changes_keeps_the_version_and_the_lock_version(api):
    created = api.create()

    response = api.put(
        f"/strategies/{created['id']}",
        {"document": created["document"], "format": "yaml", "lock_version": created["lock_version"]},
    )

    assert response.status_code == 200
    unchanged = response.json()
    assert (unchanged["current_version"], unchanged["lock_version"]) == (1, created["lock_version"])


def test_deleting_a_draft_removes_it(api):
    created = api.create()

    response = api.delete(f"/strategies/{created['id']}")

    assert response.status_code == 204
    assert api.get(f"/strategies/{created['id']}").status_code == 404


def test_duplicating_makes_a_new_draft_named_as_a_copy(api):
    original = api.create()

    response = api.act(original, "duplicate")

    assert response.status_code == 201
    copy = response.json()
    assert copy["name"] == "EMA crossover trend follower - Copy"
    assert copy["id"] != original["id"] and copy["status"] == "draft"
    assert "EMA crossover trend follower - Copy" in copy["document"]
