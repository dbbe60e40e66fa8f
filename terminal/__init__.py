"""Loyalty Terminal: the counter app."""

__version__ = "0.1.0"
