{#- Projects (项目) of a unit across years: the key follows a project from one year's table to the next. -#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and doc_kind = 'project_table'

),

keys as (

    select * from {{ ref('int_reports_keyed') }}

),

final as (

    select
        keys.project_key,
        any_value(keys.unit_key) as unit_key,
        any_value(reports.district) as district,
        any_value(reports.town) as town,
        any_value(reports.unit_name) as unit_name,
        any_value(reports.project_name) as project_name,
        min(reports.fiscal_year) as first_fiscal_year,
        max(reports.fiscal_year) as last_fiscal_year,
        count(distinct reports.fiscal_year) as fiscal_years,
        count(*) as reports

    from reports
    inner join keys on reports.report_id = keys.report_id
    where keys.project_key is not null
    group by keys.project_key

)

select * from final
