//! Loading a large definition and building its operation views.
//!
//! The input is the synthetic definition of `synth.rs` (2,000 operations, 1,500 schemas, about
//! 13 MB of JSON); `scripts/bench-spec.sh` compares the same work with `jq` and reports peak
//! memory.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "synth.rs"]
mod synth;

fn load(c: &mut Criterion) {
    let text = synth::json_text();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("load_bytes+operations (synthetic 13 MB JSON)", |b| {
        b.iter(|| {
            let loaded = lambda_sync_spec::load_bytes(black_box(text.as_bytes())).unwrap();
            let ops = loaded.document.operations();
            assert_eq!(ops.len(), synth::OPERATIONS);
            black_box(ops.len())
        })
    });
    group.bench_function("parse only", |b| {
        b.iter(|| black_box(lambda_sync_spec::parse(black_box(&text)).unwrap()))
    });
    let loaded = lambda_sync_spec::load_bytes(text.as_bytes()).unwrap();
    group.bench_function("operations", |b| {
        b.iter(|| black_box(loaded.document.operations().len()))
    });
    group.bench_function("schema_cycles", |b| {
        b.iter(|| black_box(loaded.document.schema_cycles().len()))
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
