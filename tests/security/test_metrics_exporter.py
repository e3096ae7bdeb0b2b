"""The metrics exporter answers only on the loopback interface unless told otherwise."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from trading_strategy.observability import exporter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def running():
    servers = []

    def start(**options):
        server, thread = exporter.start(listen_port=free_port(), **options)
        servers.append((server, thread))
        return server

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_by_default_the_exporter_listens_on_loopback_only(running, monkeypatch):
    monkeypatch.delenv("METRICS_HOST", raising=False)

    server = running()

    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        assert response.status == 200


def test_an_operator_can_choose_the_address(running, monkeypatch):
    monkeypatch.setenv("METRICS_HOST", "127.0.0.2")

    assert running().server_address[0] == "127.0.0.2"
