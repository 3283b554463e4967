//! What a call hands back besides its return value: a flat record the loader reads with a
//! `DataView` (`src/web/js/engine.js`, `Out`): integers little-endian, strings as a u32 byte
//! length and UTF-8, optional strings after a presence byte.

use crate::core::Error;
use alloc::vec::Vec;

/// A record being written.
#[derive(Default)]
pub struct Out(pub Vec<u8>);

impl Out {
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn time(&mut self, ms: u64) -> &mut Self {
        self.f64(ms as f64)
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    pub fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.u8(1).str(s),
            None => self.u8(0),
        }
    }

    /// A refusal, as [`Error::parts`] (the tag words it: `src/web/js/errors.js`).
    pub fn why(&mut self, e: &Error) -> &mut Self {
        let p = e.parts();
        self.u8(p.code);
        for t in p.texts {
            self.str(t);
        }
        for n in p.numbers {
            self.f64(n);
        }
        self
    }
}
