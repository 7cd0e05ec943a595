with

source as (

    select * from {{ ref('indicator_framework') }}

),

renamed as (

    select
        level2,
        level1,
        level2_en,
        level1_en

    from source

)

select * from renamed
