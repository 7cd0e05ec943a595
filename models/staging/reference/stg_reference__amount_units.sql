with

source as (

    select * from {{ ref('amount_units') }}

),

renamed as (

    select
        unit_printed,
        amount_unit,
        yuan_per_unit

    from source

)

select * from renamed
