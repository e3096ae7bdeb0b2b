"""trading-strategy: a self-hosted web application for trading strategies written in a
small YAML/TOML language."""
