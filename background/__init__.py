"""The background worker: `manage.py db_worker` (django-tasks-db's worker, made to survive a
database restart), worker heartbeats, and the recovery of tasks whose worker died mid-task.

See docs/faults.md ("The task worker") and docs/scale-out.md ("Task workers").
"""
