"""Logic checks across conditions and indicators (DSL.md §6): warnings, never errors.

`check` runs them; `terms` reduces comparisons to quantities and constants, `intervals`
holds the value sets, `bounds` finds never/always-true comparisons and `equivalence`
compares the exit and stop with the entry.
"""

from .check import check_logic

__all__ = ["check_logic"]
