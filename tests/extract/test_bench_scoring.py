"""The AEB scorer itself, and rasad vs trafilatura on a slice of the AEB pages."""
import importlib.util

import pytest

from ._util import ROOT


def load():
    spec = importlib.util.spec_from_file_location("extract_aeb", ROOT / "bench" / "extract_aeb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shingle_f1():
    b = load()
    assert b.prf("a b c d e", "a b c d e") == (1.0, 1.0, 1.0)
    assert b.prf("", "a b c d e") == (0.0, 0.0, 0.0)
    p, r, f = b.prf("a b c d e f g h", "a b c d e")
    assert r == 1.0 and p == pytest.approx(2 / 5) and 0 < f < 1


def test_rasad_not_worse_than_trafilatura_on_aeb_slice():
    b = load()
    if not b.AEB.exists():
        pytest.skip("AEB benchmark not available")
    pages = b.load_aeb()[::6]
    ours = sum(b.prf(b.rasad_text(body, url), truth)[2] for _, body, url, truth in pages) / len(pages)
    theirs = sum(b.prf(b.trafilatura_text(body, url), truth)[2] for _, body, url, truth in pages) / len(pages)
    assert ours >= theirs - 0.005, (ours, theirs)
