{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

{#-
  Inputs of the fund-line rules, one row per report and fund line: B1 (executed
  within budget), B2 (printed rate matches the amounts), B4 (mid-year cut),
  B5 (no negative amount), B6 (the amounts the template requires are there) and F3
  (parsed amount equals its printed text).
  Great Expectations asserts the rules on this table (checks/rules.py).
-#}

with

fund_lines as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__fund_lines') }}
    {{ only_reports_to_rebuild('report_id') }}

),

units as (

    select * from {{ ref('stg_reference__amount_units') }}

),

labels as (

    select * from {{ ref('stg_reference__fund_lines') }}

),

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

with_units as (

    -- the unit printed with each amount (prose reports) or in the table header
    select
        fund_lines.*,
        labels.fund_line_label,
        reports.doc_kind,
        reports.source_sha256,
        -- B4 looks at a report's total when it prints one, else at each line
        fund_lines.fund_line = 'total'
        or not bool_or(fund_lines.fund_line = 'total') over (partition by fund_lines.report_id) as is_headline,
        initial_unit.yuan_per_unit as initial_yuan_per_unit,
        adjusted_unit.yuan_per_unit as adjusted_yuan_per_unit,
        executed_unit.yuan_per_unit as executed_yuan_per_unit

    from fund_lines
    left join labels on fund_lines.fund_line = labels.fund_line
    left join reports on fund_lines.report_id = reports.report_id
    left join units as initial_unit
        on initial_unit.unit_printed = coalesce({{ unit_in_text('fund_lines.initial_budget_text') }}, fund_lines.amount_unit)
    left join units as adjusted_unit
        on adjusted_unit.unit_printed = coalesce({{ unit_in_text('fund_lines.adjusted_budget_text') }}, fund_lines.amount_unit)
    left join units as executed_unit
        on executed_unit.unit_printed = coalesce({{ unit_in_text('fund_lines.executed_text') }}, fund_lines.amount_unit)

),

checks as (

    select
        ---------- ids
        report_id || ':' || fund_line as check_key,
        report_id,
        fund_line,
        fund_line_label as subject,
        source_sha256,

        ---------- B1, B5
        initial_budget_yuan,
        adjusted_budget_yuan,
        executed_yuan,

        ---------- B2: the rate printed against the rate the amounts give, within what rounding allows
        execution_rate_reported_pct,
        case
            when adjusted_budget_yuan > 0
                then executed_yuan::double * 100 / adjusted_budget_yuan::double
        end as execution_rate_computed_pct,
        case
            when adjusted_budget_yuan > 0 and execution_rate_decimals is not null
                then
                    0.5 * power(10, -execution_rate_decimals)
                    + 100 * (
                        {{ half_unit_yuan('executed_text', 'executed_yuan_per_unit') }}
                        + executed_yuan::double / adjusted_budget_yuan::double
                        * {{ half_unit_yuan('adjusted_budget_text', 'adjusted_yuan_per_unit') }}
                    ) / adjusted_budget_yuan::double
        end as execution_rate_tolerance_pct,

        ---------- B4: change of the adjusted budget against the initial one
        is_headline,
        case
            when initial_budget_yuan > 0
                then (adjusted_budget_yuan - initial_budget_yuan)::double * 100 / initial_budget_yuan::double
        end as budget_change_pct,

        ---------- B6: amounts the template requires, with what was printed instead
        {{ requires_amounts('doc_kind') }} as requires_amounts,
        {{ requires_initial_budget('doc_kind') }} as requires_initial_budget,
        '年初预算数' as initial_budget_header,
        '全年预算数' as adjusted_budget_header,
        '全年执行数' as executed_header,
        coalesce(initial_budget_text, '') as initial_budget_printed_as,
        coalesce(adjusted_budget_text, '') as adjusted_budget_printed_as,
        coalesce(executed_text, '') as executed_printed_as,
        -- printed as a number, whether or not it could be read (an unreadable one is a parse issue)
        coalesce(initial_budget_yuan, {{ number_from_text('initial_budget_text') }}) is not null as has_initial_budget,
        coalesce(adjusted_budget_yuan, {{ number_from_text('adjusted_budget_text') }}) is not null as has_adjusted_budget,
        coalesce(executed_yuan, {{ number_from_text('executed_text') }}) is not null as has_executed,

        ---------- F3: each printed amount re-read here, independently of the parser
        {{ number_from_text('initial_budget_text') }} * initial_yuan_per_unit as initial_budget_printed_yuan,
        {{ number_from_text('adjusted_budget_text') }} * adjusted_yuan_per_unit as adjusted_budget_printed_yuan,
        {{ number_from_text('executed_text') }} * executed_yuan_per_unit as executed_printed_yuan,
        {{ number_from_text('execution_rate_text') }} as execution_rate_printed_pct

    from with_units

)

select
    *,
    execution_rate_reported_pct - execution_rate_computed_pct as execution_rate_difference_pct,
    abs(execution_rate_reported_pct - execution_rate_computed_pct)
    - execution_rate_tolerance_pct as execution_rate_excess_pct

from checks
