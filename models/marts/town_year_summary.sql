{#-
  Department budgets are summed once per unit (int_department_budgets); project
  budgets are reported apart, since they are part of their department's 项目支出.
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and town is not null

),

points as (

    select * from {{ ref('int_report_points') }}

),

department_budgets as (

    select * from {{ ref('int_department_budgets') }}

),

project_totals as (

    select * from {{ ref('stg_reports__fund_lines') }}
    where fund_line = 'total'

),

per_town_year as (

    select
        reports.district,
        reports.town,
        reports.fiscal_year,
        count(*) as reports,
        count(*) filter (where reports.doc_kind <> 'project_table') as department_reports,
        count(*) filter (where reports.doc_kind = 'project_table') as project_reports,
        sum(project_totals.adjusted_budget_yuan) filter (where reports.doc_kind = 'project_table') as project_budget_yuan,
        sum(project_totals.executed_yuan) filter (where reports.doc_kind = 'project_table') as project_executed_yuan,
        round(avg(reports.total_score) filter (where reports.doc_kind = 'project_table'), 2) as avg_project_score,
        sum(points.indicator_count)::bigint as indicators,
        sum(points.quantitative_indicator_count)::bigint as quantitative_indicators

    from reports
    inner join points on reports.report_id = points.report_id
    left join project_totals
        on
            reports.report_id = project_totals.report_id
            and reports.doc_kind = 'project_table'
    group by all

),

departments as (

    select
        town,
        fiscal_year,
        count(*) as departments_with_budget,
        sum(adjusted_budget_yuan) as budget_yuan,
        sum(executed_yuan) as executed_yuan

    from department_budgets
    group by all

),

final as (

    select
        per_town_year.district,
        per_town_year.town,
        per_town_year.fiscal_year,
        per_town_year.reports,
        per_town_year.department_reports,
        per_town_year.project_reports,
        coalesce(departments.departments_with_budget, 0) as departments_with_budget,
        departments.budget_yuan,
        departments.executed_yuan,
        case
            when departments.budget_yuan > 0
                then round(departments.executed_yuan::double * 100 / departments.budget_yuan::double, 2)
        end as execution_rate_pct,
        per_town_year.project_budget_yuan,
        per_town_year.project_executed_yuan,
        per_town_year.avg_project_score,
        per_town_year.indicators,
        per_town_year.quantitative_indicators,
        case
            when per_town_year.indicators > 0
                then round(per_town_year.quantitative_indicators / per_town_year.indicators, 4)
        end as quantitative_indicator_share

    from per_town_year
    left join departments
        on
            per_town_year.town = departments.town
            and per_town_year.fiscal_year = departments.fiscal_year

)

select * from final
