import re

from .conftest import log_in


def test_another_user_cannot_open_my_strategy_by_url(server, browser):
    alice, bob = server.create_user("e2e-alice@example.com"), server.create_user("e2e-bob@example.com")
    document = (
        "name: Alice private\ntrading_pair: BTC/USDT\ntimeframe: 1h\nindicators: []\n"
        "entry_conditions: close > open\nexit_conditions: close < open\n"
        "stop_conditions: drawdown > 0.1\n"
        "position_sizing: {type: percentage, percentage_of_capital: 0.1}\n"
        "risk_parameters: {max_daily_loss: 0.02, max_drawdown: 0.1}\n"
    )
    alice_page = browser.new_context().new_page()
    log_in(alice_page, server, alice)
    alice_page.goto(f"{server.url}/strategies/new")
    alice_page.fill("#document", document)
    alice_page.click("#save")
    alice_page.wait_for_url(re.compile(r".*/strategies/\d+$"))
    strategy_url = alice_page.url

    bob_page = browser.new_context().new_page()
    log_in(bob_page, server, bob)
    for suffix in ("", "/edit", "/versions"):
        response = bob_page.goto(strategy_url + suffix)
        assert response.status == 404
        assert "Alice private" not in bob_page.content()
