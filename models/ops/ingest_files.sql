with

files as (

    select * from {{ ref('stg_reports__files') }}

)

select * from files
