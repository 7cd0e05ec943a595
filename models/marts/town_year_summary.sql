{#-
  Department budgets are summed once per unit (int_department_budgets); project
  budgets are reported apart, since they are part of their department's 项目支出.
  Sums never hide a missing part: the counts say how many reports and fund lines
  they cover and how many lacked an amount.
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

fund_lines as (

    select * from {{ ref('stg_reports__fund_lines') }}

),

project_totals as (

    select * from fund_lines
    where fund_line = 'total'

),

fund_line_coverage as (

    select
        reports.town,
        reports.fiscal_year,
        count(*) as fund_lines,
        count(*) filter (
            where {{ lacks_required_amount(
                'reports.doc_kind',
                'fund_lines.initial_budget_yuan',
                'fund_lines.adjusted_budget_yuan',
                'fund_lines.executed_yuan',
            ) }}
        ) as fund_lines_missing_amount

    from reports
    inner join fund_lines on reports.report_id = fund_lines.report_id
    group by all

),

department_units as (

    select
        reports.town,
        reports.fiscal_year,
        count(distinct reports.unit_name) filter (
            where department_budgets.report_id is null
        ) as departments_without_budget

    from reports
    left join department_budgets
        on
            reports.town = department_budgets.town
            and reports.fiscal_year = department_budgets.fiscal_year
            and reports.unit_name is not distinct from department_budgets.unit_name
    where reports.doc_kind <> 'project_table'
    group by all

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
        count(*) filter (
            where reports.doc_kind = 'project_table' and project_totals.adjusted_budget_yuan is null
        ) as project_reports_without_budget,
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
        end as quantitative_indicator_share,
        coalesce(department_units.departments_without_budget, 0) as departments_without_budget,
        per_town_year.project_reports_without_budget,
        coalesce(fund_line_coverage.fund_lines, 0) as fund_lines,
        coalesce(fund_line_coverage.fund_lines_missing_amount, 0) as fund_lines_missing_amount

    from per_town_year
    left join departments
        on
            per_town_year.town = departments.town
            and per_town_year.fiscal_year = departments.fiscal_year
    left join department_units
        on
            per_town_year.town = department_units.town
            and per_town_year.fiscal_year = department_units.fiscal_year
    left join fund_line_coverage
        on
            per_town_year.town = fund_line_coverage.town
            and per_town_year.fiscal_year = fund_line_coverage.fiscal_year

)

select * from final
