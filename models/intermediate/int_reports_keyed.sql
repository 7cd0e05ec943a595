{#-
  Keys that follow a unit and a project across years: the same district, town and
  unit name (and project name) in every year's report. Names are taken as printed;
  a unit that renames itself starts a new key.
-#}

with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

keyed as (

    select
        report_id,
        case
            when unit_name is not null
                then md5(concat_ws('|', 'unit', coalesce(district, ''), coalesce(town, ''), unit_name))
        end as unit_key,
        case
            when unit_name is not null and project_name is not null
                then md5(concat_ws('|', 'project', coalesce(district, ''), coalesce(town, ''), unit_name, project_name))
        end as project_key

    from reports

)

select * from keyed
