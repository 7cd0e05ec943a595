with

source as (

    select * from {{ ref('budget_equations') }}

),

renamed as (

    select
        doc_kind,
        equation,
        side,
        fund_line

    from source

)

select * from renamed
