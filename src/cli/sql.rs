//! The core as a DataFusion aggregate (`--features datafusion`): `intent(...)` folds a visitor's
//! rows of GA4's BigQuery export, in time order, into the score, stage, intent and value, so
//! that scoring runs in DataFusion SQL over the export's Parquet, and on Ballista:
//!
//! ```sql
//! SELECT COALESCE(user_pseudo_id, user_id) AS visitor,
//!        intent(event_timestamp, event_name, event_params, items, ecommerce,
//!               collected_traffic_source, traffic_source, 1714600000000) AS intent
//! FROM events GROUP BY 1
//! ```
//!
//! The arguments are the export's columns in that order (the first two are required, the others
//! may be left off from the end), then optionally a cut-off in epoch ms as a literal. Each row
//! goes through the `ga4` reader's mapping ([`super::read::ga4::event`]); rows after the cut-off
//! are left out, as `shopper-intent score --at` does, and the result is the snapshot at the
//! cut-off (at the last event without one): `{score, stage, intent, value, high_value,
//! visits}`, NULL for a visitor none of whose rows could be read. Partial aggregates carry the
//! rows as JSON text, so the plan splits across partitions and Ballista's stages; rows of one
//! visitor with the same millisecond are replayed in arrival order, which the engine does not fix.

use super::read::{arrow_json, ga4};
use crate::core::{Model, Profile};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow_schema::{DataType, Field, FieldRef, Fields};
use datafusion::common::{exec_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;
use serde_json::Value;
use std::sync::Arc;

/// The export's columns `intent` takes, in argument order.
pub const ARGUMENTS: [&str; 7] = [
    "event_timestamp",
    "event_name",
    "event_params",
    "items",
    "ecommerce",
    "collected_traffic_source",
    "traffic_source",
];

/// `intent(...)` with `model`, to register on a session (`ctx.register_udaf(intent(model))`).
pub fn intent(model: Model) -> AggregateUDF {
    AggregateUDF::from(Intent {
        key: serde_json::to_string(&model.to_config()).unwrap_or_default(),
        model: Arc::new(model),
        signature: Signature::variadic_any(Volatility::Immutable),
    })
}

/// The fields of the result.
pub fn result_fields() -> Fields {
    Fields::from(vec![
        Field::new("score", DataType::Float64, false),
        Field::new("stage", DataType::Utf8, false),
        Field::new("intent", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
        Field::new("high_value", DataType::Boolean, false),
        Field::new("visits", DataType::Int64, false),
    ])
}

#[derive(Debug)]
struct Intent {
    model: Arc<Model>,
    /// The model's config as JSON: what makes two `intent` functions equal.
    key: String,
    signature: Signature,
}

impl PartialEq for Intent {
    fn eq(&self, other: &Intent) -> bool {
        self.key == other.key
    }
}
impl Eq for Intent {}
impl std::hash::Hash for Intent {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl AggregateUDFImpl for Intent {
    fn name(&self) -> &str {
        "intent"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(result_fields()))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let cutoff = args.exprs.last().and_then(|e| e.downcast_ref::<Literal>());
        let cutoff_ms = match cutoff.map(Literal::value) {
            None => None,
            Some(ScalarValue::Int64(Some(ms))) if *ms >= 0 => Some(*ms as u64),
            Some(ScalarValue::UInt64(Some(ms))) => Some(*ms),
            Some(other) => return exec_err!("intent(): the cut-off must be epoch ms, not {other}"),
        };
        let columns = args.exprs.len() - usize::from(cutoff_ms.is_some());
        if !(2..=ARGUMENTS.len()).contains(&columns) {
            return exec_err!(
                "intent() takes the export's columns {} in this order (at least the first two), then an optional cut-off",
                ARGUMENTS.join(", ")
            );
        }
        Ok(Box::new(Rows {
            model: self.model.clone(),
            cutoff_ms,
            columns,
            rows: Vec::new(),
            bytes: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let item = Field::new_list_field(DataType::Utf8, true);
        Ok(vec![Arc::new(Field::new(
            format!("{}[rows]", args.name),
            DataType::List(Arc::new(item)),
            true,
        ))])
    }
}

/// A visitor's rows, as the export's JSON, until the result is asked for.
#[derive(Debug)]
struct Rows {
    model: Arc<Model>,
    cutoff_ms: Option<u64>,
    columns: usize,
    rows: Vec<Value>,
    bytes: usize,
}

impl Accumulator for Rows {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns: Vec<(&str, &dyn Array)> = ARGUMENTS
            .iter()
            .zip(&values[..self.columns])
            .map(|(name, a)| (*name, a.as_ref()))
            .collect();
        for i in 0..values[0].len() {
            let row = arrow_json::row(&columns, i);
            self.bytes += 256;
            self.rows.push(row);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let texts: StringArray = self.rows.iter().map(|r| Some(r.to_string())).collect();
        let list = arrow_array::ListArray::new(
            Arc::new(Field::new_list_field(DataType::Utf8, true)),
            arrow_buffer_offsets(texts.len()),
            Arc::new(texts),
            None,
        );
        Ok(vec![ScalarValue::List(Arc::new(list))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let lists = states[0].as_list::<i32>();
        for i in 0..lists.len() {
            if lists.is_null(i) {
                continue;
            }
            let texts = lists.value(i);
            for j in 0..texts.len() {
                let Value::String(text) = arrow_json::value(texts.as_ref(), j) else {
                    continue;
                };
                let row = serde_json::from_str(&text)
                    .map_err(|e| datafusion::error::DataFusionError::Internal(e.to_string()))?;
                self.bytes += text.len();
                self.rows.push(row);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut events = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            // A row the reader would skip as bad is left out here too.
            if let Ok((time_ms, event)) = ga4::event(row) {
                if self.cutoff_ms.is_none_or(|at| time_ms <= at) {
                    events.push((time_ms, event));
                }
            }
        }
        if events.is_empty() {
            return ScalarValue::try_from(DataType::Struct(result_fields()));
        }
        events.sort_by_key(|(t, _)| *t);
        let mut profile = Profile::new("");
        for (_, event) in &events {
            match event {
                Some(e) => {
                    let _ = profile.track(&self.model, e);
                }
                None => profile.count_unknown(),
            }
        }
        let at = self.cutoff_ms.unwrap_or_else(|| profile.last_event_ms());
        let s = profile.snapshot(&self.model, at);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(vec![s.score])),
            Arc::new(StringArray::from(vec![s.stage.name()])),
            Arc::new(StringArray::from(vec![s.intent.name()])),
            Arc::new(Float64Array::from(vec![s.value])),
            Arc::new(BooleanArray::from(vec![s.high_value])),
            Arc::new(Int64Array::from(vec![i64::from(s.visits)])),
        ];
        let row = arrow_array::StructArray::new(result_fields(), columns, None);
        Ok(ScalarValue::Struct(Arc::new(row)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.bytes
    }
}

/// Offsets of a one-element list holding `len` values.
fn arrow_buffer_offsets(len: usize) -> datafusion::arrow::buffer::OffsetBuffer<i32> {
    datafusion::arrow::buffer::OffsetBuffer::from_lengths([len])
}
