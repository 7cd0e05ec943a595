with

source as (

    select * from {{ ref('column_headings') }}

),

renamed as (

    select
        -- ids
        table_part,
        field,
        heading,

        -- numerics
        preference,

        -- text
        printed_in

    from source

)

select * from renamed
