{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

{#-
  Inputs of the indicator rules, one row per report and indicator: I1 (score
  within weight), I5 (deduction explained), I6 / I7 (score consistent with the
  target being met), I8 (same unit) and F4 (parsed numbers equal their printed text).
-#}

with

indicators as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('int_indicators_evaluated') }}
    {{ only_reports_to_rebuild('report_id') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

sourced as (

    select
        indicators.*,
        reports.source_sha256

    from indicators
    left join reports on indicators.report_id = reports.report_id

)

select
    ---------- ids
    report_id || ':' || indicator_seq as check_key,
    report_id,
    indicator_seq,
    indicator_name as subject,
    source_sha256,

    ---------- I1, I5, I6, I7 (flags never null: they select the rows a rule applies to)
    weight,
    score,
    coalesce(score < weight, false) as is_deducted,
    deviation_note,
    deviation_note is not null as has_deviation_note,
    coalesce(target_met = false, false) as target_missed,
    coalesce(target_met, false) as target_hit,
    target_text,
    actual_text,

    ---------- I8
    target_unit,
    actual_unit,

    ---------- F4: each printed number re-read here, independently of the parser
    target_value,
    actual_value,
    {{ number_from_text('weight_text') }} as weight_printed,
    {{ number_from_text('score_text') }} as score_printed,
    case when target_value is not null then {{ number_from_text('target_text') }} end as target_value_printed,
    case when actual_value is not null then {{ number_from_text('actual_text') }} end as actual_value_printed

from sourced
