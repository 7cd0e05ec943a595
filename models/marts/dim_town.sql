with

towns as (

    select * from {{ ref('stg_reference__towns') }}

),

reports as (

    select * from {{ ref('int_reports_versioned') }}

),

-- towns named in reports but missing from the reference list still get a row
unlisted as (

    select distinct
        reports.district,
        reports.town,
        case
            when reports.town like '%街道' then '街道'
            when reports.town like '%乡' then '乡'
            else '镇'
        end as town_type

    from reports
    anti join towns on reports.town = towns.town
    where reports.town is not null

),

all_towns as (

    select
        district,
        town,
        town_type,
        true as is_in_reference_list
    from towns
    union all
    select
        district,
        town,
        town_type,
        false as is_in_reference_list
    from unlisted

),

final as (

    select
        all_towns.*,
        count(reports.report_id) filter (where reports.is_current) as current_report_count

    from all_towns
    left join reports on all_towns.town = reports.town
    group by all

)

select * from final
