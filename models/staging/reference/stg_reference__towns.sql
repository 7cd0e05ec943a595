with

source as (

    select * from {{ ref('towns') }}

),

renamed as (

    select
        district,
        town,
        town_type

    from source

)

select * from renamed
