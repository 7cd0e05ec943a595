with

source as (

    select * from {{ ref('parsed_fund_lines') }}

),

renamed as (

    select
        ---------- ids
        report_id,
        fund_line,

        ---------- amounts in 元, rate in percent
        initial_budget_yuan,
        adjusted_budget_yuan,
        executed_yuan,
        execution_rate_pct as execution_rate_reported_pct,
        execution_rate_decimals,

        ---------- as printed
        fund_line_printed,
        amount_unit,
        initial_budget_text,
        adjusted_budget_text,
        executed_text,
        execution_rate_text,

        ---------- metadata
        line_no,
        page

    from source

)

select * from renamed
