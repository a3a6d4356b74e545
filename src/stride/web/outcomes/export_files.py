"""Writing checked export columns as CSV or Parquet (pyarrow), typed by the data dictionary.

Numbers absent (NaN) are written as empty CSV fields and Parquet nulls; integers are
written as integers. Each Parquet field carries its unit and meaning from the dictionary
as field metadata, so the file documents itself.
"""

from __future__ import annotations

import io
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from stride.core.registry.deidentify import Column, ColumnType, ExportTable


class ExportFormat(StrEnum):
    """A file format of the exports; the value is the file extension."""

    CSV = "csv"
    PARQUET = "parquet"


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.PARQUET: "application/vnd.apache.parquet",
}


def _array(column: Column, values: npt.NDArray[Any]) -> pa.Array:
    if column.type in (ColumnType.KEY, ColumnType.CODE):
        return pa.array(values.astype(str).tolist(), type=pa.string())
    numbers = values.astype(np.float64)
    absent = np.isnan(numbers)
    if column.type is ColumnType.INTEGER:
        return pa.array(np.where(absent, 0, numbers).astype(np.int32), mask=absent,
                        type=pa.int32())
    return pa.array(numbers, mask=absent, type=pa.float64())


def arrow_table(table: ExportTable, columns: dict[str, npt.NDArray[Any]]) -> pa.Table:
    """Return ``columns`` (already checked against ``table``) as a typed Arrow table."""
    fields, arrays = [], []
    for column in table.columns:
        array = _array(column, columns[column.name])
        metadata = {"unit": column.unit, "meaning": column.meaning, "type": column.type.value}
        fields.append(pa.field(column.name, array.type, nullable=True, metadata=metadata))
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=pa.schema(
        fields, metadata={"table": table.name, "row": table.row}))


def write(table: ExportTable, columns: dict[str, npt.NDArray[Any]],
          file_format: ExportFormat) -> bytes:
    """Return the export file's bytes in ``file_format``."""
    arrow = arrow_table(table, columns)
    sink = io.BytesIO()
    if file_format is ExportFormat.CSV:
        pa_csv.write_csv(arrow, sink)
    else:
        pq.write_table(arrow, sink, compression="zstd")
    return sink.getvalue()
