"""Kinerja: the SAKIP performance-accountability cycle of an Indonesian regional agency."""

__version__ = "0.1.0"
