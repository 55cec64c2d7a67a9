"""Imports of CSV/XLSX files: the upload page, `manage.py import_data` and their records."""
