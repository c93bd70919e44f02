import datetime as dt
import json
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "extract"
PAGES = FIXTURES / "pages"
NOW = dt.datetime.fromisoformat("2026-11-27T12:00:00+03:00")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def page_bytes(name: str) -> bytes:
    return (PAGES / name).read_bytes()
