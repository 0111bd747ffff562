"""A year's plan as a file: Kinerja's own XLSX template (import and export), the Renja list
as agencies export it from their planning system (layout C), and the diff that applies
either to the database in one transaction (docs/plan-import.md).

Every reader returns a :class:`~kinerja.planning.plan_io.model.PlanData`; nothing reads
the database but ``apply`` and ``export``.
"""
