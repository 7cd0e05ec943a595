{#
  Models built incrementally by report, for builds in place (pipeline/incremental.py): the work
  database starts as a copy of the published warehouse, so the model's table is there with the
  rows of every report as the published build made them. A report's rows depend on that report's
  own parsed rows only, which are the same as long as its file's SHA-256 is (the parser and the
  project versions are the published build's, or the build is not in place). So:

    pre-hook   delete the rows of every report whose (report_id, source_sha256) is not a current
               report's: changed, re-parsed or removed files
    model      where report_id is not in the table: only the reports whose rows were deleted
               (and reports that have no rows, which cost nothing)

  A build that is not in place starts with an empty database, and builds the table whole.
  The model must carry report_id and source_sha256 columns, and any column it takes from other
  reports (is_current: a revision in another file supersedes the report) named in ``columns``,
  compared with the same column of ``reports``.
#}

{% macro delete_changed_reports(reports, columns=[]) -%}
  {%- if is_incremental() -%}
    delete from {{ this }} as built
    where not exists (
        select 1 from {{ reports }} as reports
        where reports.report_id = built.report_id and reports.source_sha256 = built.source_sha256
        {%- for column in columns %}
            and reports.{{ column }} is not distinct from built.{{ column }}
        {%- endfor %}
    )
  {%- endif -%}
{%- endmacro %}


{% macro only_reports_to_rebuild(report_id_column) -%}
  {%- if is_incremental() -%}
    where {{ report_id_column }} not in (select built.report_id from {{ this }} as built where built.report_id is not null)
  {%- endif -%}
{%- endmacro %}
