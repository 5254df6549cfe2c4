//! Loads a definition and builds its views, for timing and memory measurements
//! (`scripts/bench-spec.sh`).
//!
//! ```text
//! cargo run --release -p lambda-sync-spec --example load_spec -- generate OUT.json
//! cargo run --release -p lambda-sync-spec --example load_spec -- load FILE
//! ```

#[path = "../benches/synth.rs"]
mod synth;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", out] => {
            std::fs::write(out, synth::json_text()).expect("write the synthetic definition");
        }
        ["parse", file] => {
            let text = std::fs::read_to_string(file).expect("read the definition");
            let start = std::time::Instant::now();
            let (value, _) = lambda_sync_spec::parse(&text).expect("parse");
            let parsed = start.elapsed();
            let refs = lambda_sync_spec::collect_refs(&value).len();
            let walked = start.elapsed();
            println!(
                "parse {:.1} ms, collect_refs ({refs}) {:.1} ms",
                parsed.as_secs_f64() * 1000.0,
                (walked - parsed).as_secs_f64() * 1000.0
            );
        }
        ["load", file] => {
            // As the command line loads a definition: from its path (the file's bytes become
            // the document's source text without a copy).
            let start = std::time::Instant::now();
            let loaded = lambda_sync_spec::load_path(file).expect("load");
            let ops = loaded.document.operations();
            let elapsed = start.elapsed();
            println!(
                "{file}: {} bytes, {} operations, {} schemas, {} diagnostics, load+operations {:.1} ms",
                loaded.document.source_text().map_or(0, str::len),
                ops.len(),
                loaded.document.schemas().len(),
                loaded.diagnostics.len(),
                elapsed.as_secs_f64() * 1000.0
            );
        }
        _ => {
            eprintln!("usage: load_spec generate OUT | load FILE");
            std::process::exit(2);
        }
    }
}
