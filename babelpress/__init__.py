"""Babelpress: a self-hosted multilingual news platform."""

__version__ = "0.1.0"
