{#-
  Each unit's department reports and each project's tables, year by year, next to
  the previous year the same unit or project reported (of the same kind).
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and fiscal_year is not null

),

keys as (

    select * from {{ ref('int_reports_keyed') }}

),

totals as (

    select * from {{ ref('int_reports_totalled') }}

),

per_year as (

    select
        case when reports.doc_kind = 'project_table' then 'project' else 'unit' end as subject_kind,
        case when reports.doc_kind = 'project_table' then keys.project_key else keys.unit_key end as subject_key,
        keys.unit_key,
        keys.project_key,
        reports.doc_kind,
        reports.fiscal_year,
        reports.report_id,
        reports.district,
        reports.town,
        reports.unit_name,
        reports.project_name,
        totals.budget_basis,
        totals.adjusted_budget_yuan as budget_yuan,
        totals.executed_yuan,
        totals.execution_rate_pct,
        reports.total_score

    from reports
    inner join keys on reports.report_id = keys.report_id
    left join totals on reports.report_id = totals.report_id

),

compared as (

    select
        *,
        lag(fiscal_year) over previous as previous_fiscal_year,
        lag(report_id) over previous as previous_report_id,
        lag(budget_yuan) over previous as previous_budget_yuan,
        lag(executed_yuan) over previous as previous_executed_yuan,
        lag(execution_rate_pct) over previous as previous_execution_rate_pct,
        lag(total_score) over previous as previous_total_score

    from per_year
    where subject_key is not null
    window previous as (partition by subject_key, doc_kind order by fiscal_year)

),

final as (

    select
        *,
        budget_yuan - previous_budget_yuan as budget_change_yuan,
        case
            when previous_budget_yuan > 0
                then round((budget_yuan - previous_budget_yuan)::double * 100 / previous_budget_yuan::double, 2)
        end as budget_change_pct,
        executed_yuan - previous_executed_yuan as executed_change_yuan,
        round(execution_rate_pct - previous_execution_rate_pct, 4) as execution_rate_change_pts,
        total_score - previous_total_score as total_score_change

    from compared

)

select * from final
