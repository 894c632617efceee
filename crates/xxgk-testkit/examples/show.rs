//! Print one damaged rendering (the same case the degradation test measures) and, with a
//! fifth argument, parse it and list its diagnostics and every cell read differently from
//! the truth:
//!
//! ```sh
//! cargo run -p xxgk-testkit --example show -- DetachedLabels 2019 0 parse
//! ```

use std::path::Path;
use xxgk_model::Edition;
use xxgk_testkit::degrade::{Damage, render};
use xxgk_testkit::synth::{self, Rng};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: show KIND 2019|2021 CASE [parse]");
        std::process::exit(2);
    }
    let Some(k) = Damage::ALL.iter().position(|d| d.name() == args[1]) else {
        eprintln!("kinds: {:?}", Damage::ALL.map(Damage::name));
        std::process::exit(2);
    };
    let edition = if args[2] == "2019" {
        Edition::E2019
    } else {
        Edition::E2021
    };
    let i: u64 = args[3].parse().expect("a case number");
    // As tests/degradation.rs seeds it.
    let mut rng = Rng::new(synth::case_seed(edition, i));
    let year = synth::random_year(&mut rng, edition);
    let report = synth::report(&mut rng, edition, &synth::agency_name(i), year);
    let mut rng = Rng::new(synth::case_seed(edition, i) ^ ((k as u64 + 1) << 40));
    let out = render(&report, Damage::ALL[k], &mut rng);
    println!("{}", out.text);
    eprintln!("{} {}", out.name, out.note);
    if args.len() < 5 {
        return;
    }
    match xxgk_parse::parse(
        out.text.as_bytes(),
        Some(Path::new(out.name)),
        &Default::default(),
    ) {
        Err(e) => eprintln!("error[{}]: {e}", e.code()),
        Ok(p) => {
            for d in &p.report.diagnostics {
                eprintln!("{d} {:?}", d.cells);
            }
            for t in &out.cells {
                let v = p
                    .report
                    .tables
                    .cell(t.cell.table, t.cell.row, t.cell.column)
                    .map_or(Default::default(), |c| c.value);
                if !t.truth.accepts(&v) {
                    eprintln!(
                        "{}: truth {:?}, parsed {v:?}, rows at {:?}",
                        t.cell, t.truth, t.spans
                    );
                }
            }
        }
    }
}
