{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

{#-
  Inputs of rule I9, one row per report and 一级指标 whose 权重 is printed: the
  weights of its indicators against that 权重. Rows whose 一级 the parser left
  NULL (ambiguous) may belong to any group, so they only widen what is accepted.
  A report's rows follow from its own rows: built by report.
-#}

with

level1_weights as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__level1_weights') }}
    {{ only_reports_to_rebuild('report_id') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

indicators as (

    -- of the reports built now only: most reports print no 权重 per 一级
    select * from {{ ref('stg_reports__indicators') }}
    where report_id in (select level1_weights.report_id from level1_weights)

),

points as (

    select * from {{ ref('int_report_points') }}

),

assigned as (

    select
        report_id,
        level1,
        sum(weight) as assigned_weight

    from indicators
    where level1 is not null
    group by all

),

compared as (

    select
        level1_weights.report_id || ':' || level1_weights.level1 as check_key,
        level1_weights.report_id,
        level1_weights.level1 as subject,
        reports.source_sha256,
        level1_weights.level1_weight,
        coalesce(assigned.assigned_weight, 0) as assigned_weight,
        points.unplaced_weight

    from level1_weights
    inner join reports on level1_weights.report_id = reports.report_id
    inner join points on level1_weights.report_id = points.report_id
    left join assigned
        on
            level1_weights.report_id = assigned.report_id
            and level1_weights.level1 = assigned.level1

)

select
    *,
    assigned_weight - level1_weight as difference,
    case
        when assigned_weight > level1_weight then assigned_weight - level1_weight
        when assigned_weight + unplaced_weight < level1_weight then level1_weight - assigned_weight - unplaced_weight
        else 0
    end as unexplained_weight

from compared
