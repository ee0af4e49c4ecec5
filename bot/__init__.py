"""Suara Warga: citizen complaints and public-information requests over chat."""

__version__ = "0.1.0"
