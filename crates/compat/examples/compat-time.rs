//! Times loading, lint and transform of one definition (three rounds), for measuring real
//! definitions: `cargo run --release -p lambda-sync-compat --example compat-time -- FILE`.

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let doc = lambda_sync_spec::load_path(&path).unwrap().document;
    eprintln!("load {:?}", t.elapsed());
    let opts = lambda_sync_compat::CompatOptions::default();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let l = lambda_sync_compat::lint(&doc, &opts);
        eprintln!("lint {:?} {}", t.elapsed(), l.len());
        let t = std::time::Instant::now();
        let o = lambda_sync_compat::transform(&doc, &opts);
        eprintln!("transform {:?} {}", t.elapsed(), o.changes.len());
    }
}
