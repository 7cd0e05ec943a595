{{ config(severity='error') }}

{#-
  The publication gate: a fatal rule (seeds/reference/dq_rules.csv, severity fatal)
  means the warehouse itself is wrong, and a failing test stops the build before
  anything is published. The rules themselves are asserted by Great Expectations.
-#}

select
    rule_id,
    source_file,
    subject,
    message_en

from {{ ref('dq_finding') }}
where severity = 'fatal'
