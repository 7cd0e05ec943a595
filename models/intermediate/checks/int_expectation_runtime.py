"""Which Great Expectations version runs the checks, and how many checks there are.

Asked of the checks process (quality.process), where Great Expectations runs: this
node depends on nothing, so dbt runs it first, while the seeds load.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    import pandas as pd

    from quality.process import started

    version, checks = started().runtime()
    return pd.DataFrame({"great_expectations_version": [version], "checks": [checks]}).astype(
        {"great_expectations_version": "string", "checks": "Int64"}
    )
