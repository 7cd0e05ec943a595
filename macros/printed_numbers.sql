{#-
  Printed numbers re-read in SQL, independently of the Python parsers: the fatal
  rules F3 and F4 compare the two readings, and the tolerances of B2 and B3
  depend on how many decimals a number was printed with.
-#}

{#- The first number in a printed text ("275, 112, 698. 88", "=100.00(%)", "6,833.68 万元"). -#}
{% macro number_from_text(text) -%}
    try_cast(
        nullif(regexp_replace(regexp_extract({{ text }}, '[-+]?[0-9][0-9,\s]*(\.\s*[0-9]+)?'), '[,\s]', '', 'g'), '')
        as decimal(38, 6)
    )
{%- endmacro %}

{#- Digits printed after the decimal point (0 when there is none). -#}
{% macro printed_decimals(text) -%}
    length(regexp_extract(regexp_replace({{ text }}, '\s', '', 'g'), '\.([0-9]+)', 1))
{%- endmacro %}

{#- The amount unit printed inside a text ("181.77 万"), else null. -#}
{% macro unit_in_text(text) -%}
    nullif(regexp_extract({{ text }}, '(亿元|万元|亿|万|元)', 1), '')
{%- endmacro %}

{#- Half a unit of the last printed digit, in 元: what rounding to that digit can hide. -#}
{% macro half_unit_yuan(text, yuan_per_unit) -%}
    0.5 * power(10, -{{ printed_decimals(text) }}) * {{ yuan_per_unit }}
{%- endmacro %}

{#- A number for a message: up to four decimals, trailing zeros dropped ("5650.59", "-200", "99.9293"). -#}
{% macro display_number(value) -%}
    rtrim(rtrim(printf('%.4f', {{ value }}), '0'), '.')
{%- endmacro %}

{#- A message template with its {placeholders} filled: fill_template('t.message_en', {'subject': 't.subject'}). -#}
{% macro fill_template(template, values) -%}
    {%- set filled = namespace(sql=template) -%}
    {%- for placeholder, value in values.items() -%}
        {%- set filled.sql = "replace(" ~ filled.sql ~ ", '{" ~ placeholder ~ "}', coalesce(" ~ value ~ ", ''))" -%}
    {%- endfor -%}
    {{ filled.sql }}
{%- endmacro %}
