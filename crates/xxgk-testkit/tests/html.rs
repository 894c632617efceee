//! The HTML renderings of the national layout (the benchmark's HTML corpora, plain and as a
//! portal page) parse back exactly.

use std::path::Path;
use xxgk_parse::{Options, parse};
use xxgk_testkit::degrade::{render_html, render_portal_html};
use xxgk_testkit::synth::{self, Rng};

#[test]
fn html_parses_back_exactly() {
    parses_back(render_html);
}

#[test]
fn portal_pages_parse_back_exactly_through_the_fast_path() {
    parses_back(|r| {
        let page = render_portal_html(r);
        // Word's markup and the portal's menu and scripts are plain enough for the fast path,
        // which reads them as html5ever does; some twenty times the plain page's bytes.
        assert_eq!(xxgk_parse::html_fast_path_agrees(&page), Some(true));
        assert!(page.len() > 10 * render_html(r).len(), "{}", page.len());
        page
    });
}

/// Each of 16 generated reports, rendered by `render`, parses back to its own cells and year.
fn parses_back(render: fn(&xxgk_model::Report) -> String) {
    let mut rng = Rng::new(3);
    for (i, r) in synth::corpus(&mut rng, 16).iter().enumerate() {
        let page = render(r);
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
