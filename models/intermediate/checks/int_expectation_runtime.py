"""Which Great Expectations version runs the checks, and how many checks there are.

This node depends on nothing, so dbt runs it first, while the seeds load: loading
Great Expectations takes seconds, and int_expectation_failures then finds it loaded.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    import great_expectations as gx
    import pandas as pd

    from quality.rules import build_checks

    checks = build_checks({"B4": -20.0})
    return pd.DataFrame({"great_expectations_version": [gx.__version__], "checks": [len(checks)]}).astype(
        {"great_expectations_version": "string", "checks": "Int64"}
    )
