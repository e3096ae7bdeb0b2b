"""Documentation generated from the language itself: `codes` is the registry of diagnostic
codes with a failing example and its fix for each, `reference` renders docs/dsl.md from
it, the catalog and the key rules (`python -m trading_strategy.dsl.docs.reference`).
"""
