"""Price data the tests of every folder upload: a small synthetic CSV, and one row wrong.

Unit tests import it relatively (`from ..price_data import price_csv`), like documents.py.
"""

from trading_strategy.preview import samples


def price_csv(bars: int = 300, pair: str = "BTC/USDT", timeframe: str = "4h") -> bytes:
    """A valid CSV with a header: `bars` synthetic bars, line 1 the header."""
    return samples.to_csv(samples.synthetic(pair, timeframe, bars)).encode()


def csv_with_bad_price(line: int = 3) -> bytes:
    """A valid CSV but for the close (column 5) of file line `line`, which is not a number."""
    lines = price_csv(10).decode().splitlines()
    cells = lines[line - 1].split(",")
    cells[4] = "n/a"
    lines[line - 1] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()
