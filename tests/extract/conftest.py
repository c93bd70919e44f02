import json

import pytest

from ._util import FIXTURES


@pytest.fixture(scope="session")
def labels() -> dict:
    return json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
