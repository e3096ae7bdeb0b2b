NEW = "a brand new passphrase"


def test_logging_in_replaces_a_session_planted_before(visitor, new_visitor, trader, password):
    planted = visitor.client.session
    planted["seen"] = True
    planted.save()

    visitor.log_in(trader.email, password)

    assert visitor.client.cookies["sessionid"].value != planted.session_key
    attacker = new_visitor()
    attacker.client.cookies["sessionid"] = planted.session_key
    assert not attacker.is_logged_in()


def test_logging_out_ends_the_session_for_good(visitor, new_visitor, trader):
    visitor.log_in(trader.email)
    old_cookie = visitor.client.cookies["sessionid"].value

    response = visitor.client.post("/users/log-out")

    assert response.status_code == 302
    assert response.url == "/users/log-in"
    assert not visitor.is_logged_in()
    replay = new_visitor()
    replay.client.cookies["sessionid"] = old_cookie
    assert not replay.is_logged_in()


def test_log_out_refuses_a_get(logged_in):
    assert logged_in.client.get("/users/log-out").status_code == 405
    assert logged_in.is_logged_in()


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    logged_in, new_visitor, trader, password
):
    elsewhere = new_visitor()
    elsewhere.log_in(trader.email)

    response = logged_in.client.post(
        "/users/settings/password", {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert "Password changed." in logged_in.page("/users/settings")
    assert logged_in.is_logged_in()
    assert not elsewhere.is_logged_in()
    assert new_visitor().log_in(trader.email, NEW).status_code == 302


def test_changing_the_password_needs_the_current_one(logged_in, trader, password):
    response = logged_in.client.post(
        "/users/settings/password",
        {"old_password": "a wrong guess here", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 200
    assert response.context["password_form"].has_error("old_password", "password_incorrect")
    trader.refresh_from_db()
    assert trader.check_password(password)


def test_a_new_password_under_twelve_characters_is_refused(logged_in):
    response = logged_in.client.post(
        "/users/settings/password",
        {
            "old_password": "correct horse battery",
            "new_password1": "short pass1",
            "new_password2": "short pass1",
        },
    )

    assert response.context["password_form"].has_error("new_password2", "password_too_short")
