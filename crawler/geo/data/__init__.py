"""Gazetteer data files (a package so that setuptools ships the CSV/MD files)."""
