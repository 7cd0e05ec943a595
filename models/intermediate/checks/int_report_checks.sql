{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

{#-
  Inputs of the report rules, one row per report: I2 (weights add up to 100),
  I3 (scores add up to the printed 总分), I4 (grade matches the total) and
  I10 (the 总分 row carries its values). A report's row follows from its own rows:
  built by report.
-#}

with

reports as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__reports') }}
    {{ only_reports_to_rebuild('report_id') }}

),

points as (

    select * from {{ ref('int_report_points') }}

),

graded as (

    select * from {{ ref('int_reports_graded') }}

)

select
    ---------- ids
    reports.report_id as check_key,
    reports.report_id,
    coalesce(reports.project_name, reports.unit_name) as subject,
    reports.doc_kind <> 'dept_narrative' as is_table,
    reports.source_sha256,

    ---------- I2: indicator weights (plus budget-execution points) against 100
    points.weight_total,
    case when points.weight_total is not null then 100 end as weight_expected,

    ---------- I3: indicator scores (plus budget-execution points) against the printed 总分
    points.score_total,
    reports.total_score,

    ---------- I4: the printed grade against the grade of the printed 总分
    reports.grade,
    graded.grade_from_total

from reports
inner join points on reports.report_id = points.report_id
left join graded on reports.report_id = graded.report_id
