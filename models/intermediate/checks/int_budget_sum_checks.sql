{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

{#-
  Inputs of rule B3 (parts add up), one row per report, identity and measure.
  The identities are data (seeds/reference/budget_equations.csv). Each side is
  summed only when every one of its terms is printed; the tolerance is half a
  unit of the last printed digit of each term.
-#}

with

reports as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__reports') }}
    {{ only_reports_to_rebuild('report_id') }}

),

fund_lines as (

    select * from {{ ref('stg_reports__fund_lines') }}

),

equations as (

    select * from {{ ref('stg_reference__budget_equations') }}

),

units as (

    select * from {{ ref('stg_reference__amount_units') }}

),

measures (measure, measure_printed) as (

    values ('initial', '年初预算数'), ('adjusted', '全年预算数'), ('executed', '全年执行数')

),

amounts as (

    select
        report_id,
        fund_line,
        amount_unit,
        'initial' as measure,
        initial_budget_yuan as amount_yuan,
        initial_budget_text as amount_text
    from fund_lines
    union all
    select
        report_id,
        fund_line,
        amount_unit,
        'adjusted' as measure,
        adjusted_budget_yuan as amount_yuan,
        adjusted_budget_text as amount_text
    from fund_lines
    union all
    select
        report_id,
        fund_line,
        amount_unit,
        'executed' as measure,
        executed_yuan as amount_yuan,
        executed_text as amount_text
    from fund_lines

),

terms as (

    select
        reports.report_id,
        reports.source_sha256,
        equations.equation,
        equations.side,
        measures.measure,
        measures.measure_printed,
        amounts.amount_yuan,
        {{ half_unit_yuan('amounts.amount_text', 'units.yuan_per_unit') }} as half_unit_yuan

    from reports
    inner join equations on reports.doc_kind = equations.doc_kind
    cross join measures
    left join amounts
        on
            reports.report_id = amounts.report_id
            and equations.fund_line = amounts.fund_line
            and measures.measure = amounts.measure
    left join units
        on units.unit_printed = coalesce({{ unit_in_text('amounts.amount_text') }}, amounts.amount_unit)

),

sums as (

    select
        report_id,
        source_sha256,
        equation,
        measure,
        measure_printed,
        sum(amount_yuan) filter (where side = 'observed') as observed_yuan,
        sum(amount_yuan) filter (where side = 'expected') as expected_yuan,
        sum(half_unit_yuan) as tolerance_yuan,
        bool_and(amount_yuan is not null) as is_complete

    from terms
    group by all

)

select
    report_id || ':' || equation || ':' || measure as check_key,
    report_id,
    equation || '（' || measure_printed || '）' as subject,
    measure,
    observed_yuan,
    expected_yuan,
    observed_yuan - expected_yuan as difference_yuan,
    tolerance_yuan,
    abs(observed_yuan - expected_yuan) - tolerance_yuan as excess_yuan,
    source_sha256

from sums
where is_complete
