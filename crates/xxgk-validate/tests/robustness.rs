//! Bad input of any kind gives a result or an error, never a panic: mutated fixtures of every
//! format go through decoding, parsing and checking.

use std::path::PathBuf;
use xxgk_testkit::synth::Rng;

fn fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../xxgk-parse/tests/fixtures");
    let mut out = Vec::new();
    for dir in ["text", "html", "markdown", "reports", "pdf"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            // The PDF folder also holds the fixtures' expected JSON and generator scripts.
            if dir == "pdf" && e.path().extension().is_none_or(|x| x != "pdf") {
                continue;
            }
            if let Ok(bytes) = std::fs::read(e.path()) {
                out.push((e.path(), bytes));
            }
        }
    }
    out
}

/// A damaged copy: cut, bytes changed, lines duplicated or dropped, tabs and digits sprinkled.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for _ in 0..1 + rng.below(6) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len() as u64) as usize;
        match rng.below(6) {
            0 => b.truncate(at),
            1 => b[at] = rng.below(256) as u8,
            2 => {
                let end = (at + rng.below(400) as usize).min(b.len());
                let chunk = b[at..end].to_vec();
                drop(b.splice(at..at, chunk));
            }
            3 => {
                let end = (at + rng.below(400) as usize).min(b.len());
                drop(b.drain(at..end));
            }
            4 => b.insert(at, *rng.pick(b"\t \n0123456789|<>")),
            _ => drop(b.splice(at..at, "（七）总计\t1\t2\t3\n".bytes())),
        }
    }
    b
}

/// Rounds of mutation the PDF fixtures go through (the others: 15).
const PDF_ROUNDS: usize = 6;

#[test]
fn damaged_inputs_never_panic() {
    let validator = xxgk_validate::Validator::new().unwrap();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 8, "fixtures found: {}", fixtures.len());
    let mut rng = Rng::new(0x5eed);
    let (mut parsed, mut refused) = (0, 0);
    for round in 0..15 {
        for (path, bytes) in &fixtures {
            // A PDF costs ten text files to parse in a debug build: fewer rounds of them.
            if round >= PDF_ROUNDS && path.extension().is_some_and(|x| x == "pdf") {
                continue;
            }
            let damaged = mutate(&mut rng, bytes);
            let options = xxgk_parse::Options::default();
            match xxgk_parse::parse(&damaged, Some(path), &options).map(|p| p.report) {
                Ok(report) => {
                    parsed += 1;
                    let checked = xxgk_validate::check_report(report);
                    // The report still serialises and reads back.
                    let json = checked.report.as_ref().unwrap().to_json_pretty();
                    let bad: Vec<_> = validator
                        .check_json(&json)
                        .diagnostics
                        .into_iter()
                        .filter(|d| d.code.starts_with("schema.") || d.code == "json.syntax")
                        .collect();
                    assert!(
                        bad.is_empty(),
                        "round {round}, {}: {bad:#?}",
                        path.display()
                    );
                }
                Err(_) => refused += 1,
            }
        }
    }
    eprintln!("{parsed} damaged inputs parsed, {refused} refused with an error");
    assert!(parsed > 0);
}
