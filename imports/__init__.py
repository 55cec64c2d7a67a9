"""Imports of CSV/XLSX files, from upload to recompute: start reading at `service.py`.

The ground floor of the project: this package imports no app. Each app keeps the spec of the
files that fill its models beside itself (`<app>/import_spec.py`), named in the setting
`IMPORT_SPECS`. Modules: `reading` (file checks, CSV/XLSX rows), `cells` (one cell's value),
`spec` (specs, plans, row errors), `validation`, `apply` (bulk writes with history), `kinds`
(which spec, who may import it), `service` (the flow and the run record), `models`
(`ImportRun`), the upload pages (`forms`, `views`, `urls`), the command `import_data` and
the admin's link to the upload page (`admin`).
"""
