{#-
  A unit may re-publish a report (same kind, town, unit, year and project) in a new
  file. The version from the most recently modified file is current; older ones stay
  queryable as superseded, so analysts filtering on is_current never double count.
  A table: most models read it.
-#}

{{ config(materialized='table') }}

with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

files as (

    select * from {{ ref('stg_reports__files') }}

),

keyed as (

    select
        reports.*,
        files.file_modified_at,
        -- a report whose unit or year could not be read is a version line of its own
        case
            when reports.unit_name is null or reports.fiscal_year is null then reports.report_id
            else md5(concat_ws(
                '|', reports.doc_kind, coalesce(reports.town, ''), reports.unit_name,
                reports.fiscal_year, coalesce(reports.project_name, '')
            ))
        end as report_key

    from reports
    inner join files on reports.source_file = files.source_file

),

versioned as (

    select
        *,
        row_number() over newest_first as version_rank,
        first_value(report_id) over newest_first as current_report_id,
        count(*) over (partition by report_key) as version_count

    from keyed
    window newest_first as (
        partition by report_key
        order by file_modified_at desc, source_file desc, report_ordinal desc
    )

)

select
    * exclude (current_report_id),
    version_rank = 1 as is_current,
    case when version_rank > 1 then current_report_id end as superseded_by_report_id

from versioned
