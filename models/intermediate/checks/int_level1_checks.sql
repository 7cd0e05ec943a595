{{ config(materialized='table') }}

{#-
  Inputs of rule I9, one row per report and 一级指标 whose 权重 is printed: the
  weights of its indicators against that 权重. Rows whose 一级 the parser left
  NULL (ambiguous) may belong to any group, so they only widen what is accepted.
-#}

with

level1_weights as (

    select * from {{ ref('stg_reports__level1_weights') }}

),

indicators as (

    select * from {{ ref('stg_reports__indicators') }}

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
        level1_weights.level1_weight,
        coalesce(assigned.assigned_weight, 0) as assigned_weight,
        points.unplaced_weight

    from level1_weights
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
