//! Event parameters read straight from JS objects, without serde: the `track()` hot path.

use crate::core::event::{Params, Value, MAX_URL};
use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// Any object whose properties are read.
    type Record;

    /// `object[key]`: a plain property read. Unlike `Reflect.get` through `catch` it costs no
    /// try/catch wrapper, and this is the hot path. A getter that throws (only a hostile page
    /// has one) throws through here with nothing of the scorer borrowed, and is caught at the
    /// edge: the loader's API wrapper and data layer watcher, or the event loop.
    #[wasm_bindgen(method, structural, indexing_getter)]
    fn property(this: &Record, key: &JsValue) -> JsValue;
}

/// The keys every event decode reads, made into JS strings once (not once per read).
const KEYS: [&str; 11] = [
    "ecommerce",
    "items",
    "item_id",
    "item_name",
    "item_category",
    "price",
    "quantity",
    "value",
    "coupon",
    "page_location",
    "page_referrer",
];

thread_local! {
    static KEY_STRINGS: [JsValue; 11] = KEYS.map(JsValue::from_str);
}

impl Params for JsValue {
    fn get(&self, key: &str) -> Option<JsValue> {
        if !self.is_object() {
            return None;
        }
        let record = self.unchecked_ref::<Record>();
        let v = match KEYS.iter().position(|k| *k == key) {
            Some(i) => KEY_STRINGS.with(|keys| record.property(&keys[i])),
            None => record.property(&JsValue::from_str(key)),
        };
        (!v.is_undefined()).then_some(v)
    }

    // Ordered by how often each kind turns up, since every check is a call into JS.
    fn value(&self) -> Value {
        if let Some(s) = self.dyn_ref::<JsString>() {
            // Measure before copying: a hostile 1 MB string is refused without crossing into wasm.
            let len = s.length() as usize;
            if len > MAX_URL {
                Value::LongText(len)
            } else {
                Value::Text(String::from(s))
            }
        } else if let Some(n) = self.as_f64() {
            Value::Number(n)
        } else if self.is_object() {
            // `typeof` "object" and not null (functions are not objects here).
            if Array::is_array(self) {
                Value::List(self.unchecked_ref::<Array>().length() as usize)
            } else {
                Value::Map
            }
        } else if self.is_undefined() {
            Value::Missing
        } else if self.is_null() {
            Value::Null
        } else if let Some(b) = self.as_bool() {
            Value::Bool(b)
        } else {
            Value::Other
        }
    }

    /// JS's own `Number()`, which keeps Rust's float parser out of the wasm.
    fn parse_number(text: &str) -> Option<f64> {
        // Like Rust's parser: "NaN" is a number (then refused as not finite), "abc" is not.
        let n = js_sys::Number::from(JsValue::from_str(text)).value_of();
        let is_number = !n.is_nan() || text.trim() == "NaN";
        (!text.trim().is_empty() && is_number).then_some(n)
    }

    fn keys(&self) -> Vec<String> {
        if !self.is_object() {
            return Vec::new();
        }
        let keys: js_sys::Array = js_sys::Object::keys(self.unchecked_ref::<js_sys::Object>());
        keys.iter().filter_map(|k| k.as_string()).collect()
    }

    fn at(&self, index: usize) -> Option<JsValue> {
        let v = self.dyn_ref::<Array>()?.get(index as u32);
        (!v.is_undefined()).then_some(v)
    }
}

/// `object[key]` through `Reflect.get` with `catch`: slower than [`Params::get`], for objects the
/// page hands to our event listeners and timers, where a throw would surface as an uncaught error.
pub(crate) fn read(object: &JsValue, key: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    let v = Reflect::get(object, &JsValue::from_str(key)).ok()?;
    (!v.is_undefined()).then_some(v)
}
