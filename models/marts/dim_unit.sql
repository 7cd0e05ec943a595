{#- Units (预算单位) across years: the key follows a unit from one year's report to the next. -#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current

),

keys as (

    select * from {{ ref('int_reports_keyed') }}

),

final as (

    select
        keys.unit_key,
        any_value(reports.district) as district,
        any_value(reports.town) as town,
        any_value(reports.unit_name) as unit_name,
        arg_max(reports.supervisor, reports.fiscal_year) as supervisor,
        min(reports.fiscal_year) as first_fiscal_year,
        max(reports.fiscal_year) as last_fiscal_year,
        count(distinct reports.fiscal_year) as fiscal_years,
        count(*) as reports,
        count(*) filter (where reports.doc_kind <> 'project_table') as department_reports,
        count(distinct keys.project_key) as projects

    from reports
    inner join keys on reports.report_id = keys.report_id
    where keys.unit_key is not null
    group by keys.unit_key

)

select * from final
