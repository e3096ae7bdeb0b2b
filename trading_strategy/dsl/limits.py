"""Limits of DSL.md §1 and §3, in one place."""

MAX_DOCUMENT_BYTES = 256 * 1024
MAX_DEPTH = 32
# No setting takes a longer integer, and a message quoting one would take Python past its
# 4,300-digit limit for printing an int.
MAX_INTEGER_BITS = 256
MAX_ALIAS_VALUES = 10_000
MAX_INDICATORS = 100
MAX_CONDITION_CHARS = 2_000
