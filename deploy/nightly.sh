#!/usr/bin/env bash
# Nightly rebuild of the warehouse, for cron or a systemd timer (see README, "Nightly rebuilds").
#
# Settings, from the environment or from deploy/nightly.env beside this script:
#   BUDGET_REPORTS    folder where new and revised reports land  (default: data/reports)
#   BUDGET_WAREHOUSE  the published DuckDB file                  (default: warehouse/budget.duckdb)
#   BUDGET_LOG        log this script appends to                 (default: nightly.log beside the warehouse)
#
# Exit status is the build's own: 0 published, 3 published with skipped files, 1 nothing published,
# 75 refused (only without --wait). The log gets every skipped file, one JSON summary line and the status;
# each build's full log (dbt's output included) is kept in <warehouse>.build/logs/.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
if [[ -f deploy/nightly.env ]]; then
    # shellcheck source=/dev/null
    source deploy/nightly.env
fi
reports="${BUDGET_REPORTS:-data/reports}"
warehouse="${BUDGET_WAREHOUSE:-warehouse/budget.duckdb}"
log="${BUDGET_LOG:-$(dirname "$warehouse")/nightly.log}"
mkdir -p "$(dirname "$log")"

if [[ ! -x .venv/bin/python ]]; then
    make venv >>"$log" 2>&1 || { echo "$(date '+%F %T') could not install .venv" >>"$log"; exit 1; }
fi
# --wait: a build started by hand finishes first, then this one runs;
# --leave-out: the log is not read as a report when it lies in the reports folder
.venv/bin/python -m pipeline build --wait --reports "$reports" --warehouse "$warehouse" --leave-out "$log" \
    >>"$log" 2>&1
status=$?
echo "$(date '+%F %T') nightly build of $warehouse finished with exit status $status" >>"$log"
exit "$status"
