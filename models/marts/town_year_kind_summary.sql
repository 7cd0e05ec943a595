{#-
  Whole budgets per report: a department's from int_department_budgets (once per
  unit, from the table when the unit also published prose), a project's from its
  total line. Kinds are kept apart, since project budgets are part of their
  department's 项目支出.
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and town is not null

),

department_budgets as (

    select * from {{ ref('int_department_budgets') }}

),

project_totals as (

    select * from {{ ref('stg_reports__fund_lines') }}
    where fund_line = 'total'

),

cut_findings as (

    select * from {{ ref('dq_finding') }}
    where rule_id = 'B4'

),

whole_budgets as (

    select
        report_id,
        initial_budget_yuan,
        adjusted_budget_yuan,
        executed_yuan
    from department_budgets
    union all
    select
        project_totals.report_id,
        project_totals.initial_budget_yuan,
        project_totals.adjusted_budget_yuan,
        project_totals.executed_yuan
    from project_totals
    inner join reports
        on
            project_totals.report_id = reports.report_id
            and reports.doc_kind = 'project_table'

),

reports_cut as (

    select distinct report_id from cut_findings

),

per_kind as (

    select
        reports.district,
        reports.town,
        reports.fiscal_year,
        reports.doc_kind,
        count(*) as reports,
        count(reports.total_score) as scored_reports,
        round(avg(reports.total_score), 2) as avg_score,
        min(reports.total_score) as min_score,
        max(reports.total_score) as max_score,
        count(whole_budgets.report_id) as reports_with_budget,
        sum(whole_budgets.initial_budget_yuan) as initial_budget_yuan,
        sum(whole_budgets.adjusted_budget_yuan) as budget_yuan,
        sum(whole_budgets.executed_yuan) as executed_yuan,
        sum(whole_budgets.adjusted_budget_yuan - whole_budgets.initial_budget_yuan) as budget_change_yuan,
        count(*) filter (
            where whole_budgets.adjusted_budget_yuan < whole_budgets.initial_budget_yuan
        ) as reports_with_budget_reduced,
        count(reports_cut.report_id) as reports_with_mid_year_cut

    from reports
    left join whole_budgets on reports.report_id = whole_budgets.report_id
    left join reports_cut on reports.report_id = reports_cut.report_id
    group by all

),

final as (

    select
        *,
        case
            when budget_yuan > 0
                then round(executed_yuan::double * 100 / budget_yuan::double, 2)
        end as execution_rate_pct

    from per_kind

)

select * from final
