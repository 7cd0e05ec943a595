"""Which Great Expectations version runs the checks, and how many checks there are.

Asked of the checks process (quality.process), where Great Expectations runs: this
node depends on nothing, so dbt runs it first, while the seeds load.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from quality.process import started

    version, checks = started().runtime()
    # a relation, not a DataFrame: dbt's process does without pandas (quality.process)
    return session.sql(
        "select $version::varchar as great_expectations_version, $checks::bigint as checks",
        params={"version": version, "checks": checks},
    )
