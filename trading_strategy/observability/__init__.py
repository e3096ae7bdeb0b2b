"""Telemetry, metrics, logging and health endpoints for operators."""
