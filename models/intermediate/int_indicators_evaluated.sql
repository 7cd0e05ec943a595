{#-
  Whether each quantitative target was met, by its own comparator. Qualitative
  targets (健全, 提升, …) have no comparator: target_met stays null and
  qualitative_achieved tells whether the 达成指标 marker was printed.
-#}

with

indicators as (

    select * from {{ ref('stg_reports__indicators') }}

),

evaluated as (

    select
        *,
        target_op is not null and target_value is not null as is_quantitative,
        case
            when target_op is null or target_value is null or actual_value is null then null
            -- values in different units cannot be compared (rule I8 reports them)
            when coalesce(target_unit, '') <> coalesce(actual_unit, '') then null
            when target_op = '=' then actual_value = target_value
            when target_op = '>=' then actual_value >= target_value
            when target_op = '<=' then actual_value <= target_value
            when target_op = '>' then actual_value > target_value
            when target_op = '<' then actual_value < target_value
        end as target_met,
        case when target_op is null then actual_text = '达成指标' end as qualitative_achieved

    from indicators

)

select * from evaluated
