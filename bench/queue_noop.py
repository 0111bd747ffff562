"""The no-op task bench_queue.py measures the queue with (importable by its worker process)."""

from django_tasks import task


@task()
def noop(n: int) -> int:
    return n
