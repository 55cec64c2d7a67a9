"""Demo data for a development install: `manage.py load_demo` (twente/fixtures/README.md).

`plan.py` builds the history as plain data from a fixed seed; `load.py` writes it in bulk and
recomputes the figures once.
"""
