//! The HTML rendering of the national layout (the benchmark's HTML corpus) parses back exactly.

use std::path::Path;
use xxgk_parse::{Options, parse};
use xxgk_testkit::degrade::render_html;
use xxgk_testkit::synth::{self, Rng};

#[test]
fn html_parses_back_exactly() {
    let mut rng = Rng::new(3);
    for (i, r) in synth::corpus(&mut rng, 16).iter().enumerate() {
        let page = render_html(r);
        let back = parse(
            page.as_bytes(),
            Some(Path::new("report.html")),
            &Options::default(),
        )
        .unwrap_or_else(|e| panic!("{i}: {e}\n{page}"))
        .report;
        let differ = synth::differences(r, &back);
        assert!(differ.is_empty(), "{i}: {differ:#?}\n{page}");
        assert_eq!(back.meta.year, r.meta.year, "{i}");
    }
}
