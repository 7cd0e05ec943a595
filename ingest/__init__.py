"""Parse published budget performance self-evaluations (预算绩效自评) into typed rows.

``ingest.parse.parse_document`` turns the text of one file into reports (pure,
no I/O); ``ingest.service`` reads files and parses a whole folder in parallel;
``ingest.seeds`` writes the rows as the dbt seeds the warehouse is built from.
"""

# Bump when a change to the parsers changes any output row: every file is then parsed again.
PARSER_VERSION = "1"
