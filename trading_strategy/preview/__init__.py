"""The signal preview (PREVIEW.md): what a valid strategy does on price data.

Pure Python with numpy and TA-Lib, beside the language and like it free of Django, so the
command line, the API and the editor share it. It reads the language only through
`trading_strategy.dsl`'s public face.

- `bars`: a dataset in memory; `csv_data`: CSV in, with positioned `data.*` diagnostics;
  `samples`: the synthetic sample datasets.
- `indicators`: every catalog indicator over arrays; `evaluate`: conditions over arrays,
  in three-valued logic; `walk`: the trade walk; `engine`: one preview from all three;
  `results`: what a preview reports, as JSON-ready data.
"""

from .bars import Bars
from .csv_data import Loaded, read_csv
from .engine import Preview, run_preview
from .warnings import mismatches

__all__ = ["Bars", "Loaded", "Preview", "mismatches", "read_csv", "run_preview"]
