//! Rendering a report as Markdown (and HTML, when that renderer is built) and parsing the page
//! again gives the same report: a property test over generated reports of both editions.

use xxgk_export::Item;
use xxgk_model::cell::{CellId, Value};
use xxgk_model::message::Lang;
use xxgk_model::{Edition, Report};
use xxgk_parse::{Format, parse_text};
use xxgk_testkit::synth;

/// Every cell's value, in print order.
fn values(r: &Report) -> Vec<(CellId, Value)> {
    let mut out = Vec::new();
    r.tables.for_each_cell(&mut |id, c| out.push((id, c.value)));
    out
}

/// The generated reports: `n` per edition, with blank, n/a and amount cells as the generator
/// makes them, and an agency, year, title and publication date.
fn generated(n: u64) -> Vec<Report> {
    let mut out = Vec::new();
    for edition in [Edition::E2019, Edition::E2021] {
        for i in 0..n {
            let mut rng = synth::Rng::new(synth::case_seed(edition, i));
            let year = synth::random_year(&mut rng, edition);
            let agency = synth::agency_name(i);
            let mut r = synth::report(&mut rng, edition, &agency, year);
            r.meta.title = Some(format!("{agency}{year}年政府信息公开工作年度报告"));
            r.meta.published =
                xxgk_model::Date::new(year + 1, 1 + (i % 12) as u8, 1 + (i % 28) as u8);
            out.push(r);
        }
    }
    out
}

fn assert_same(original: &Report, back: &Report, what: &str) {
    assert_eq!(back.edition(), original.edition(), "{what}: edition");
    assert_eq!(back.meta, original.meta, "{what}: meta");
    let (a, b) = (values(original), values(back));
    let differ: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| format!("{}: {:?} became {:?}", x.0, x.1, y.1))
        .collect();
    assert!(
        differ.is_empty() && a.len() == b.len(),
        "{what}: {} cells differ: {differ:#?}",
        differ.len()
    );
    assert!(
        back.extra_rows.is_empty(),
        "{what}: extra rows {:?}",
        back.extra_rows
    );
}

#[test]
fn markdown_round_trips_on_generated_reports() {
    let reports = generated(500);
    assert!(reports.len() >= 1000);
    for (k, original) in reports.into_iter().enumerate() {
        let item = Item::new(format!("r{k}"), original.clone(), Vec::new());
        let page = xxgk_export::markdown::report(&item);
        let back = parse_text(&page, Format::Markdown)
            .unwrap_or_else(|e| panic!("report {k}: {e}\n{page}"));
        assert_same(
            &original,
            &back,
            &format!("report {k} ({})", original.edition()),
        );
    }
}

#[test]
fn html_round_trips_on_generated_reports() {
    let reports = generated(500);
    assert!(reports.len() >= 1000);
    for (k, original) in reports.into_iter().enumerate() {
        // With what checking finds, in both languages: no text around the form reads back
        // as part of the report.
        let (diagnostics, _) = xxgk_validate::diagnose(&original);
        let item = Item::new(format!("r{k}"), original.clone(), diagnostics);
        let lang = if k % 2 == 0 { Lang::En } else { Lang::Zh };
        let page = xxgk_export::html::report_page(&item, lang);
        let back = parse_text(&page, Format::Html).unwrap_or_else(|e| panic!("report {k}: {e}"));
        assert_same(
            &original,
            &back,
            &format!("report {k} ({})", original.edition()),
        );
    }
}
