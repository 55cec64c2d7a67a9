"""Permit-holder housing reports (`capacity.models.PermitHolderReport`): entry and reads.

The task for permit holders counts persons housed per half year, so the municipalities report
how many they housed and how many are linked to them (the pipeline), by form, API or import
(`manage.py import_data permit-holders FILE`). Modules as in the app: `services` (writes),
`selectors` (reads), `permissions`, `filters`, `forms`, `views`, `api`, `import_spec` (the
import spec). Allocation reads `selectors` for the realisation of permit-holder tasks.
"""
