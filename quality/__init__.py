"""Consistency rules run by Great Expectations over the warehouse (see seeds/reference/dq_rules.csv)."""
