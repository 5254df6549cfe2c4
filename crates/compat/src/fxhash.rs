//! The fast, deterministic hasher for the string-keyed maps on hot paths: rustc's FxHash from
//! the `rustc-hash` crate (the default SipHash showed up in profiles of large definitions).

pub(crate) use rustc_hash::FxHashMap;
