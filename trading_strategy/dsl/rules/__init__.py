"""The checks of the strategy's sections (DSL.md §1, §2, §4, §5), called by the validator.

`context` collects diagnostics and holds the helpers every check shares, `keys` the key
vocabulary, `fields` the typed field readers, `sections` metadata, sizing and risk,
`indicators` the indicator list against the catalog, `series` the names an indicator
gives the conditions.
"""
