//! One Arrow row as the JSON BigQuery would have exported: Parquet and DataFusion rows of the
//! GA4 export then go through the same mapping as its newline-delimited JSON.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use serde_json::{Map, Number, Value};

/// Element `i` of `array` as JSON; `null` for a null or a type with no JSON counterpart here.
pub fn value(array: &dyn Array, i: usize) -> Value {
    if array.is_null(i) {
        return Value::Null;
    }
    let float = |x: f64| Number::from_f64(x).map_or(Value::Null, Value::Number);
    match array.data_type() {
        DataType::Boolean => Value::Bool(array.as_boolean().value(i)),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(i).into(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(i).into(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).into(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).into(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(i).into(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(i).into(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(i).into(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i).into(),
        DataType::Float32 => float(f64::from(array.as_primitive::<Float32Type>().value(i))),
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(i)),
        DataType::Utf8 => array.as_string::<i32>().value(i).into(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(i).into(),
        DataType::Utf8View => array.as_string_view().value(i).into(),
        DataType::List(_) => {
            let l = array.as_list::<i32>();
            let range = l.value_offsets()[i] as usize..l.value_offsets()[i + 1] as usize;
            list(l.values(), range)
        }
        DataType::LargeList(_) => {
            let l = array.as_list::<i64>();
            let range = l.value_offsets()[i] as usize..l.value_offsets()[i + 1] as usize;
            list(l.values(), range)
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut obj = Map::with_capacity(fields.len());
            for (field, column) in fields.iter().zip(s.columns()) {
                let v = value(column.as_ref(), i);
                if !v.is_null() {
                    obj.insert(field.name().clone(), v);
                }
            }
            Value::Object(obj)
        }
        _ => Value::Null,
    }
}

/// Elements `range` of a list's values. Read in place: slicing out each row's list would
/// allocate an array per child column per row (a third of the Parquet replay, by callgrind).
fn list(values: &ArrayRef, range: std::ops::Range<usize>) -> Value {
    Value::Array(range.map(|j| value(values.as_ref(), j)).collect())
}

/// Row `i` of named columns as a JSON object (null fields left out, as BigQuery's export does).
pub fn row(columns: &[(&str, &dyn Array)], i: usize) -> Value {
    let mut obj = Map::with_capacity(columns.len());
    for (name, column) in columns {
        let v = value(*column, i);
        if !v.is_null() {
            obj.insert((*name).to_string(), v);
        }
    }
    Value::Object(obj)
}
