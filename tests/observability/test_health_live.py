def test_live_answers_without_touching_database(client, django_db_blocker):
    # Under block() any connection attempt or query raises, so a 200 proves the
    # endpoint never reached the database.
    with django_db_blocker.block():
        response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_live_is_never_cached(client):
    response = client.get("/health/live")

    assert "no-cache" in response["Cache-Control"]
