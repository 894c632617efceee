//! The parser's thresholds in one place: how far label matching stretches, how much work
//! placing uncertain values may take. Each was set against the fixtures, the shared samples
//! and the degradation test (`crates/xxgk-testkit/tests/degradation.rs`), which reports cells
//! right and silent wrong values per kind of damage: change one, then run that test.

/// The thresholds (see [`TUNING`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Printed lines one template row may span: a label wrapped over lines, with vertical
    /// merged labels and group labels interleaved.
    pub max_span: usize,
    /// Printed lines one detached label (a label printed apart from its numbers) may span.
    pub max_label_lines: usize,
    /// Added to each matched row's label score, so that matching a row beats skipping it.
    pub match_bonus: f32,
    /// Taken off for each printed line a span takes beyond the first, so that spans do not
    /// swallow their neighbours' label lines.
    pub span_line_cost: f32,
    /// Added when a matched span holds the row's values, so that a label wrapped onto the
    /// line with its numbers (a row broken across a page) takes them rather than leaving
    /// them to an extra row: more than [`Tuning::span_line_cost`], less than a label's
    /// worth of text.
    pub values_bonus: f32,
    /// Labels this short (characters of their core) must be printed whole.
    pub short_label: usize,
    /// Share of a longer label's characters a printed label must hold.
    pub label_coverage: f32,
    /// A label cut short matches by an unbroken run of at least this many of its characters …
    pub cut_label_run: usize,
    /// … making up at least this share of it.
    pub cut_label_share: f32,
    /// A header cell names a column when it holds this share of the column's label …
    pub header_coverage: f32,
    /// … and the label is at least this share of the cell (unless the label starts it).
    pub header_precision: f32,
    /// A section heading is at most this many characters long.
    pub max_heading_chars: usize,
    /// Order-keeping alignments of a row's values tried at the most.
    pub max_alignments: usize,
    /// Readings of a run of digits (a crawler dump) tried at the most; beyond, none is read.
    pub max_digit_splits: usize,
    /// Pairings of rows of numbers with detached labels tried at the most.
    pub max_pairings: usize,
}

/// The thresholds in force.
pub(crate) const TUNING: Tuning = Tuning {
    max_span: 5,
    max_label_lines: 3,
    match_bonus: 0.5,
    span_line_cost: 0.02,
    values_bonus: 0.05,
    short_label: 4,
    label_coverage: 0.75,
    cut_label_run: 5,
    cut_label_share: 0.45,
    header_coverage: 0.99,
    header_precision: 0.5,
    max_heading_chars: 60,
    max_alignments: 512,
    max_digit_splits: 5_000,
    max_pairings: 5_000,
};
