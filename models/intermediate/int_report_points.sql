{#-
  Sums of the indicator weights and scores of each report, with the budget-execution points of project tables.
  A table built by report: four models read it, and a report's sums follow from its own rows.
-#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

with

reports as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__reports') }}
    {{ only_reports_to_rebuild('report_id') }}

),

indicators as (

    select * from {{ ref('int_indicators_evaluated') }}
    {{ only_reports_to_rebuild('report_id') }}

),

per_report as (

    select
        report_id,
        count(*) as indicator_count,
        count(*) filter (where is_quantitative) as quantitative_indicator_count,
        sum(weight) as indicator_weight_sum,
        sum(score) as indicator_score_sum,
        coalesce(sum(weight) filter (where level1 is null), 0) as unplaced_weight

    from indicators
    group by report_id

),

joined as (

    select
        reports.report_id,
        reports.source_sha256,
        reports.doc_kind,
        coalesce(per_report.indicator_count, 0) as indicator_count,
        coalesce(per_report.quantitative_indicator_count, 0) as quantitative_indicator_count,
        per_report.indicator_weight_sum,
        per_report.indicator_score_sum,
        coalesce(per_report.unplaced_weight, 0) as unplaced_weight,
        per_report.indicator_weight_sum + coalesce(reports.budget_execution_weight, 0) as weight_total,
        per_report.indicator_score_sum + coalesce(reports.budget_execution_score, 0) as score_total

    from reports
    left join per_report on reports.report_id = per_report.report_id

)

select * from joined
