{#
  Incremental by document: raw is append-only (a report that changes is loaded as a new document
  version, and nothing of raw is ever updated but the list of retired reports), so the models one
  row per raw row of a document only ever need the documents they do not hold yet. What an
  incremental run cannot see (a model, macro or seed edit, a new parser, a migration) makes
  esgwh build run dbt with --full-refresh (esgwh/build.py); so do the PostgreSQL and Spark targets,
  which rebuild from the mirrored raw every time.
#}

{# The rows of documents not in this model yet: a filter for the model's select (`keyword`: where,
   or and after a where of its own). #}
{% macro documents_not_held(document_id, keyword='where') %}
    {{- not_held('document_id', document_id, keyword) }}
{% endmacro %}

{# The rows whose `value` this model holds in no row's `column`: the filter both kinds of
   incremental model (by document, by company) add to their select. #}
{% macro not_held(column, value, keyword='where') %}
    {%- if is_incremental() %}
    {{ keyword }} not exists (select 1 from {{ this }} as held where held.{{ column }} = {{ value }})
    {%- endif %}
{% endmacro %}

{#
  A pre-hook of the models that keep the served documents (int_*_current and what they feed):
  the rows of a document that is no longer served (a newer version, a retirement), or whose
  served attributes changed (`columns`: this model's column -> int_current_documents' column,
  e.g. the company name, which follows the newest report of the company), leave; the model's
  select then adds them back as they are now, with the documents it does not hold.
#}
{% macro drop_documents_changed(columns) %}
    {%- if is_incremental() %}
    delete from {{ this }}
    where not exists (
        select 1 from {{ ref('int_current_documents') }} as d
        where d.document_id = {{ this }}.document_id
        {%- for own, served in columns.items() %}
            and d.{{ served }} is not distinct from {{ this }}.{{ own }}
        {%- endfor %}
    )
    {%- endif %}
{% endmacro %}

{#
  Incremental by company, for a model whose rows of one company depend on the company's other
  reports (a table dated by the figures the company prints elsewhere): a pre-hook that drops every
  company whose documents in `upstream` differ from those this model holds (a document gained or
  lost, or a served attribute changed: `columns`); the model's select then reads only the
  companies it does not hold (not_held). What a company's rows depend on beyond its own
  documents (seeds, models) is a full refresh, as for the models incremental by document.
#}
{% macro drop_companies_changed(upstream, columns) %}
    {%- if is_incremental() %}
    {%- set document = (['document_id', 'company'] + columns) | join(', ') %}
    -- a document tuple found on one side only: each side's tuples read once
    delete from {{ this }}
    where company in (
        select company
        from (
            select distinct {{ document }} from {{ upstream }}
            union all
            select distinct {{ document }} from {{ this }}
        ) as both_sides
        group by {{ document }}
        having count(*) = 1
    )
    {%- endif %}
{% endmacro %}
