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
    select * from {{ ref('stg_reports__indicators') }}
    {{ only_reports_to_rebuild('report_id') }}

),

level1_weights as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__level1_weights') }}
    {{ only_reports_to_rebuild('report_id') }}

),

reports as (

    select * from {{ ref('int_reports_versioned') }}

),

per_group as (

    select
        report_id,
        level1,
        count(*) as indicator_count,
        sum(weight) as weight_sum,
        sum(score) as score_sum

    from indicators
    group by all

),

final as (

    select
        coalesce(per_group.report_id, level1_weights.report_id) as report_id,
        coalesce(per_group.level1, level1_weights.level1) as level1,
        level1_weights.level1_weight,
        coalesce(per_group.indicator_count, 0) as indicator_count,
        per_group.weight_sum,
        per_group.score_sum,
        reports.town,
        reports.fiscal_year,
        reports.is_current,
        coalesce(per_group.level1, level1_weights.level1, '{{ var("unplaced_level1_label") }}') as level1_label,
        reports.source_sha256

    from per_group
    full outer join level1_weights
        on
            per_group.report_id = level1_weights.report_id
            and per_group.level1 = level1_weights.level1
    inner join reports on coalesce(per_group.report_id, level1_weights.report_id) = reports.report_id

)

select * from final
