"""The labelled outlet-theme page set must stay >= 98% exact per field (bench/extract_fields.py)."""
import importlib.util

from ._util import FIXTURES, ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("extract_fields", ROOT / "bench" / "extract_fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_size_and_families(labels):
    assert len(labels) >= 30
    families = {label["family"] for label in labels.values()}
    assert {"jannah", "newspaper", "sahifa", "jnews", "voice", "jsonld", "amp"} <= families
    assert any(name.startswith("legacy-cp1256") for name in labels)
    for name in labels:
        assert (FIXTURES / "pages" / name).exists()


def test_field_accuracy_at_least_98_percent():
    table, overall, failures = load_bench().score()
    assert overall >= 0.98, "\n".join(failures)
    for field, (correct, total) in table.items():
        assert total >= 30
