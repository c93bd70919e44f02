"""Article extraction for rasad: pure functions, HTML + URL in, fields out.

    from crawler.extract import extract, Extraction, ExtractionError, parse_date
"""
from .core import extract
from .dates import parse_date
from .model import Extraction, ExtractionError

__all__ = ["extract", "Extraction", "ExtractionError", "parse_date"]
