"""Runs whose process died (kill -9, an out-of-memory kill, a reboot) are marked failed, so the next run starts.

Dagster's run monitoring cannot see a dead run worker under the default run launcher (it has no worker
health check), and an in-process run (`seamline run`, `seamline demo`) has no launcher at all: such a
run stays STARTED forever, and with one run allowed at a time every later scheduled run queues behind
it. Every run worker logs the pid it runs in (an engine event: "Started process for run (pid: N)" from
the launcher's subprocess, "Executing steps in process (pid: N)" from the in-process executor). A
STARTED run whose latest pid is no longer alive on this machine is reported failed with that reason, and
its outcome is written to serving/last_run.json like any failed run's.

Pids are local to a machine: this fits the single-machine deployment Seamline runs as (one DuckDB
file, one writer). The sensor ``heal_dead_runs_sensor`` does it every minute while the daemon runs;
``seamline run`` and ``seamline demo`` do it before they start.
"""

from __future__ import annotations

import os

import dagster as dg

from orchestration.publish import record_run_outcome


def process_is_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine (signal 0 checks without signalling)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def run_worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid the run's steps last ran in, from its engine events; None when none was logged yet."""
    for record in reversed(instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)):
        metadata = record.dagster_event.event_specific_data.metadata if record.dagster_event else {}
        pid = metadata.get("pid")
        if pid is not None and str(pid.value).isdigit():
            return int(pid.value)
    return None


def heal_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark every STARTED run whose worker process is gone as failed; return their run ids."""
    healed = []
    for run in instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
        pid = run_worker_pid(instance, run.run_id)
        if pid is None or process_is_alive(pid):
            continue
        instance.report_run_failed(
            run, f"The run's process (pid {pid}) is gone (killed or crashed) while the run was STARTED: "
                 "marked failed so the next run can start. Nothing it left half-done was published.")
        record_run_outcome(instance, run.run_id, run_failed=True)
        healed.append(run.run_id)
    return healed


@dg.sensor(minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Marks runs whose process died (kill -9, a crash) as failed, so scheduled runs do not "
                       "queue behind them forever; records them in serving/last_run.json.")
def heal_dead_runs_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    healed = heal_dead_runs(context.instance)
    return dg.SkipReason(f"marked failed: {', '.join(healed)}" if healed else "no run with a dead process")
