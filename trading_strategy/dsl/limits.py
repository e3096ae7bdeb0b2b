"""Limits of DSL.md §1 and §3, in one place."""

MAX_DOCUMENT_BYTES = 256 * 1024
MAX_DEPTH = 32
# No setting takes a longer integer, and a message quoting one would take Python past its
# 4,300-digit limit for printing an int.
MAX_INTEGER_BITS = 256
MAX_ALIAS_VALUES = 10_000
MAX_INDICATORS = 100
# Values (what keys name and lists hold) in one document. The largest document without
# errors has under a thousand: 100 indicators of at most 9 each (the entry, its type, name,
# parameters and up to 5 of them) and some 25 more in the other sections. Past this,
# reading the rest of a document would cost more than any strategy needs.
MAX_VALUES = 5_000
MAX_CONDITION_CHARS = 2_000
MIN_NAME_CHARS = 3
MAX_NAME_CHARS = 100
# A report lists at most this many diagnostics, errors first, then one saying how many
# more there were: past a hundred, more of the same mistake tells the writer nothing,
# and every page, response and stored version showing them grows with their number.
MAX_DIAGNOSTICS = 100
# Close-match hints cost a string comparison against every candidate; past these many
# lookups a document's diagnostics go without one (they are past the list's end anyway,
# or the writer has more to fix than a spelling).
MAX_HINT_LOOKUPS = 100
# Per condition, against up to a few hundred indicator outputs each.
MAX_HINTED_NAMES = 5
