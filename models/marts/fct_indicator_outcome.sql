{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('int_reports_versioned'), ['is_current']) }}"
    )
}}

with

indicators as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('int_indicators_evaluated') }}
    {{ only_reports_to_rebuild('report_id') }}

),

reports as (

    select * from {{ ref('int_reports_versioned') }}

),

final as (

    select
        ---------- ids
        indicators.report_id,
        indicators.indicator_seq,

        ---------- classification
        indicators.level1,
        indicators.level2,
        indicators.indicator_name,

        ---------- target and actual
        indicators.target_text,
        indicators.target_op,
        indicators.target_value,
        indicators.target_unit,
        indicators.actual_text,
        indicators.actual_value,
        indicators.actual_unit,
        indicators.is_quantitative,
        indicators.target_met,
        indicators.qualitative_achieved,

        ---------- points
        indicators.weight,
        indicators.score,
        indicators.weight - indicators.score as points_deducted,
        indicators.deviation_note,
        indicators.criteria_note,

        ---------- the report, for convenience
        reports.town,
        reports.district,
        reports.fiscal_year,
        reports.unit_name,
        reports.project_name,
        reports.doc_kind,
        reports.is_current,

        ---------- metadata
        indicators.weight_text,
        indicators.score_text,
        indicators.line_no,
        indicators.page,

        ---------- the 一级指标 to join marts.fct_indicator_group on, never NULL
        coalesce(indicators.level1, '{{ var("unplaced_level1_label") }}') as level1_label,

        ---------- the file the report was read from (rows are rebuilt by report when it changes)
        reports.source_sha256

    from indicators
    inner join reports on indicators.report_id = reports.report_id

)

select * from final
