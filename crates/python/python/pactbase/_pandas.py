"""Marks pyarrow tables so that ``to_pandas()`` keeps integer and boolean columns with
missing values as pandas' nullable dtypes (``Int32``, ``boolean``) instead of turning
them into floats and objects: in pactbase, missing means missing, never 0 or NaN."""

import json

import pyarrow as pa

_NULLABLE = {
    pa.int8(): "Int8",
    pa.int16(): "Int16",
    pa.int32(): "Int32",
    pa.int64(): "Int64",
    pa.uint8(): "UInt8",
    pa.uint16(): "UInt16",
    pa.uint32(): "UInt32",
    pa.uint64(): "UInt64",
    pa.bool_(): "boolean",
}


def nullable(table: pa.Table) -> pa.Table:
    """``table`` with pandas metadata naming a nullable dtype for each integer and boolean
    column (the data are not touched; other columns convert as pyarrow converts them)."""
    columns = [
        {
            "name": field.name,
            "field_name": field.name,
            "pandas_type": "bool" if field.type == pa.bool_() else str(field.type),
            "numpy_type": _NULLABLE[field.type],
            "metadata": None,
        }
        for field in table.schema
        if field.type in _NULLABLE
    ]
    pandas = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "creator": {"library": "pactbase"},
    }
    metadata = dict(table.schema.metadata or {})
    metadata[b"pandas"] = json.dumps(pandas).encode()
    return table.replace_schema_metadata(metadata)
