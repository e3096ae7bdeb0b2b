"""tests/load: the load script's smoke run; live_stack (tests/integration) starts servers."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
