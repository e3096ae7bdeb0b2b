"""tests/faults: real servers whose PostgreSQL, Redis or workers fail under them
(live_stack, in tests/integration, starts them and provides the TCP proxies)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
