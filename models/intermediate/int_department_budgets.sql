{#-
  The whole budget of each department-level report (int_reports_totalled), for
  town totals. A unit that published both a table and a prose report for a year
  counts once, from the table (its amounts are in 元).
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and doc_kind in ('dept_table', 'dept_narrative')

),

totals as (

    select * from {{ ref('int_reports_totalled') }}
    where budget_basis is not null

),

one_per_unit as (

    select
        reports.report_id,
        reports.district,
        reports.town,
        reports.fiscal_year,
        reports.unit_name,
        reports.doc_kind,
        totals.budget_basis,
        totals.initial_budget_yuan,
        totals.adjusted_budget_yuan,
        totals.executed_yuan

    from reports
    inner join totals on reports.report_id = totals.report_id
    qualify row_number() over (
        partition by reports.town, reports.fiscal_year, reports.unit_name
        order by case reports.doc_kind when 'dept_table' then 1 else 2 end, reports.report_id
    ) = 1

)

select * from one_per_unit
