"""`adapter` for sqlfluff's jinja templater: the project's dispatch macros (macros/cross_engine.sql)
render per engine, which only dbt can do; for linting, a type macro stands for a type and any
other for an expression (what each renders in DuckDB is tested by the builds, not by the linter)."""

TYPES = {"text_type": "varchar", "float_type": "double"}


def dispatch(name, macro_namespace=None):
    def render(*args, **kwargs):
        return TYPES.get(name, "null")

    return render


def quote_seed_column(column, quote=None):
    return column
