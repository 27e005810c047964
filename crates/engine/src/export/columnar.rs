//! A Parquet table written row by row: typed columns buffered for one row group, then
//! handed to the `parquet` crate's low-level column writers. It is the one place that
//! knows Parquet; `dataset.rs` only says which cells go in which columns.

use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::sync::Arc;

/// A column's type, as readers (DuckDB, Spark) see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// BOOLEAN.
    Bool,
    /// INT32 (ports, small counts).
    Int32,
    /// INT64 (frame numbers, byte counts, raw numbers).
    Int64,
    /// DOUBLE.
    Double,
    /// BYTE_ARRAY annotated as a UTF-8 STRING.
    Str,
    /// INT64 annotated as TIMESTAMP(NANOS, UTC).
    TimestampNanos,
}

/// One column: its name and type. Every column may hold nulls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column's name (dots allowed: `id.orig_h`).
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
}

impl ColumnSpec {
    /// A column named `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        ColumnSpec {
            name: name.into(),
            ty,
        }
    }
}

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// No value.
    Null,
    /// A flag.
    Bool(bool),
    /// An integer (for Int32, Int64 and timestamp columns).
    Int(i64),
    /// A double.
    Float(f64),
    /// A string.
    Str(&'a str),
}

/// Values buffered for one column of the current row group.
#[derive(Debug)]
enum Buffer {
    Bool(Vec<bool>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Double(Vec<f64>),
    /// Strings end to end in one arena, with each one's end: one allocation per row
    /// group rather than one per cell.
    Bytes {
        arena: Vec<u8>,
        ends: Vec<usize>,
    },
}

#[derive(Debug)]
struct Column {
    values: Buffer,
    /// Definition levels: 1 present, 0 null.
    defs: Vec<i16>,
}

impl Column {
    fn new(ty: ColumnType) -> Self {
        let values = match ty {
            ColumnType::Bool => Buffer::Bool(Vec::new()),
            ColumnType::Int32 => Buffer::Int32(Vec::new()),
            ColumnType::Int64 | ColumnType::TimestampNanos => Buffer::Int64(Vec::new()),
            ColumnType::Double => Buffer::Double(Vec::new()),
            ColumnType::Str => Buffer::Bytes {
                arena: Vec::new(),
                ends: Vec::new(),
            },
        };
        Column {
            values,
            defs: Vec::new(),
        }
    }

    /// Appends `cell`; a cell of another type than the column's is stored as null
    /// (a mistake of the caller's, which the tests catch as a missing value).
    fn push(&mut self, cell: Cell<'_>) {
        let present = match (&mut self.values, cell) {
            (Buffer::Bool(v), Cell::Bool(b)) => {
                v.push(b);
                true
            }
            (Buffer::Int32(v), Cell::Int(i)) => match i32::try_from(i) {
                Ok(i) => {
                    v.push(i);
                    true
                }
                Err(_) => false,
            },
            (Buffer::Int64(v), Cell::Int(i)) => {
                v.push(i);
                true
            }
            (Buffer::Double(v), Cell::Float(f)) => {
                v.push(f);
                true
            }
            (Buffer::Bytes { arena, ends }, Cell::Str(s)) => {
                arena.extend_from_slice(s.as_bytes());
                ends.push(arena.len());
                true
            }
            _ => false,
        };
        self.defs.push(i16::from(present));
    }

    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.values {
            Buffer::Bool(v) => v.clear(),
            Buffer::Int32(v) => v.clear(),
            Buffer::Int64(v) => v.clear(),
            Buffer::Double(v) => v.clear(),
            Buffer::Bytes { arena, ends } => {
                arena.clear();
                ends.clear();
            }
        }
    }
}

/// The Parquet schema of `columns` (all OPTIONAL, flat).
fn schema(columns: &[ColumnSpec]) -> Result<Type, ParquetError> {
    let mut fields = Vec::with_capacity(columns.len());
    for c in columns {
        let (physical, logical) = match c.ty {
            ColumnType::Bool => (Physical::BOOLEAN, None),
            ColumnType::Int32 => (Physical::INT32, None),
            ColumnType::Int64 => (Physical::INT64, None),
            ColumnType::Double => (Physical::DOUBLE, None),
            ColumnType::Str => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            ColumnType::TimestampNanos => (
                Physical::INT64,
                Some(LogicalType::timestamp(true, TimeUnit::NANOS)),
            ),
        };
        let field = Type::primitive_type_builder(&c.name, physical)
            .with_repetition(Repetition::OPTIONAL)
            .with_logical_type(logical)
            .build()?;
        fields.push(Arc::new(field));
    }
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
}

/// A Parquet file being written row by row.
pub struct TableWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<Column>,
    /// The column the next [`TableWriter::push`] fills.
    cursor: usize,
    rows: usize,
    rows_per_group: usize,
}

impl<W: Write + Send> TableWriter<W> {
    /// Starts a file on `out` with these columns; a row group is written every
    /// `rows_per_group` rows (the row groups are the unit readers skip or split work
    /// by, so they hold a few MiB each).
    pub fn new(out: W, specs: &[ColumnSpec], rows_per_group: usize) -> Result<Self, ParquetError> {
        // Snappy: what Spark and DuckDB write by default, fast both ways, and a pure
        // Rust codec (no C library in the build).
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("synack {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(out, Arc::new(schema(specs)?), Arc::new(props))?;
        Ok(TableWriter {
            writer,
            columns: specs.iter().map(|c| Column::new(c.ty)).collect(),
            cursor: 0,
            rows: 0,
            rows_per_group: rows_per_group.max(1),
        })
    }

    /// Fills the next column of the current row.
    pub fn push(&mut self, cell: Cell<'_>) {
        if let Some(c) = self.columns.get_mut(self.cursor) {
            c.push(cell);
            self.cursor += 1;
        }
    }

    /// Ends the current row (columns not pushed are null), writing a row group when
    /// it is full.
    pub fn end_row(&mut self) -> Result<(), ParquetError> {
        while self.cursor < self.columns.len() {
            self.push(Cell::Null);
        }
        self.cursor = 0;
        self.rows += 1;
        if self.rows >= self.rows_per_group {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for column in &mut self.columns {
            let Some(mut w) = group.next_column()? else {
                return Err(ParquetError::General(
                    "fewer columns than the schema".into(),
                ));
            };
            let defs = Some(column.defs.as_slice());
            match &mut column.values {
                Buffer::Bool(v) => w.typed::<BoolType>().write_batch(v, defs, None)?,
                Buffer::Int32(v) => w.typed::<Int32Type>().write_batch(v, defs, None)?,
                Buffer::Int64(v) => w.typed::<Int64Type>().write_batch(v, defs, None)?,
                Buffer::Double(v) => w.typed::<DoubleType>().write_batch(v, defs, None)?,
                Buffer::Bytes { arena, ends } => {
                    // The cells as slices of one shared buffer (no copy per cell).
                    let shared = bytes::Bytes::from(std::mem::take(arena));
                    let mut start = 0;
                    let mut cells = Vec::with_capacity(ends.len());
                    for &end in ends.iter() {
                        cells.push(ByteArray::from(shared.slice(start.min(end)..end)));
                        start = end;
                    }
                    w.typed::<ByteArrayType>().write_batch(&cells, defs, None)?
                }
            };
            w.close()?;
            column.clear();
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, and returns the output.
    pub fn finish(mut self) -> Result<W, ParquetError> {
        self.flush()?;
        self.writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_readable_footer() {
        let specs = [
            ColumnSpec::new("id.orig_h", ColumnType::Str),
            ColumnSpec::new("n", ColumnType::Int32),
            ColumnSpec::new("ts", ColumnType::TimestampNanos),
        ];
        let mut t = TableWriter::new(Vec::new(), &specs, 2).unwrap();
        for i in 0..5 {
            t.push(Cell::Str("10.0.0.1"));
            t.push(if i == 3 { Cell::Null } else { Cell::Int(i) });
            t.end_row().unwrap();
        }
        let bytes = t.finish().unwrap();
        assert_eq!(bytes.get(..4), Some(&b"PAR1"[..]));
        assert_eq!(bytes.get(bytes.len() - 4..), Some(&b"PAR1"[..]));
    }
}
