"""tests/integration: several real server processes on PostgreSQL and Redis
(helpers in live_stack.py, which this folder's path makes importable)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
