//! The English catalogue: every message key and its template. The Chinese catalogue
//! (`zh.rs`) has the same keys; a test keeps them in step.

/// Key → template; `{name}` is a value of the message.
pub(super) static CATALOGUE: &[(&str, &str)] = &[
    // Words used inside other messages.
    ("sum_of", "the sum of {n} cells"),
    ("previous_year", "previous year's {cell}"),
    ("cell", "{cell}"),
    ("cmp.eq", "equal to"),
    ("cmp.le", "at most"),
    ("cmp.ge", "at least"),
    ("cmp.lt", "less than"),
    ("cmp.gt", "more than"),
    ("printed.blank", "a blank"),
    ("printed.not_applicable", "n/a"),
    ("clauses", "{clauses}"),
    // Constraint checks.
    (
        "check.failed",
        "{left} is {left_value}, but must be {op} {right}, which is {right_value}",
    ),
    (
        "check.failed_constant",
        "{left} is {left_value}, but must be {op} {right_value}",
    ),
    // Which cell is wrong (localisation).
    (
        "fix.cell",
        "{cell} prints {printed}; the other cells imply {implied}",
    ),
    ("fix.printed", "{cell} prints {printed}"),
    ("fix.candidate", "{cell} → {implied}"),
    (
        "fix.ambiguous",
        "{n} single-cell corrections fit equally ({fits}); none is suggested",
    ),
    (
        "fix.pair",
        "no single cell explains the failures, but exactly one pair does: {first}; {second}",
    ),
    (
        "fix.pair_cell",
        "{cell} prints {printed}, the other cells imply {implied}",
    ),
    (
        "fix.several_pairs",
        "no single cell explains the failures, and several pairs of cells would (e.g. one row counted twice); none is suggested",
    ),
    // Metadata.
    (
        "meta.unknown_builtin",
        "the schema names built-in check `{name}`, which this version of xxgk does not implement",
    ),
    (
        "meta.title_year",
        "the title names {title_year} but the report is recorded as covering {year}",
    ),
    (
        "meta.edition_year",
        "the report covers {year}, which uses the {expected} edition, but its tables follow the {edition} edition",
    ),
    (
        "meta.edition_none",
        "the report covers {year}, which no edition covers, but its tables follow the {edition} edition",
    ),
    (
        "meta.late",
        "published on {published}, after the deadline for the {year} report ({deadline})",
    ),
    ("meta.late_rule", "{rule}"),
    (
        "prose.mismatch",
        "the narrative says {stated} (“{quote}”), but the table has {tabled} in {cells}",
    ),
    (
        "prose.claim_mismatch",
        "the narrative says “{quote}”, but the table has {left} = {left_value} and {right} = {right_value}",
    ),
    (
        "outline.missing",
        "the report has no section {sections} of the national format",
    ),
    (
        "outline.order",
        "section {section} is out of the national format's order: it stands after {after}",
    ),
    (
        "outline.order_first",
        "section {section} opens the report, out of the national format's order",
    ),
    // Reading the file.
    (
        "input.lossy_decoding",
        "some bytes are not valid {encoding}; they were replaced",
    ),
    (
        "input.deep_nesting",
        "the page nests its markup more than {limit} elements deep; what lies deeper was read as plain text (its tables as prose)",
    ),
    ("input.error", "{error}"),
    // A file that could not be read as a report.
    ("input.failed", "{path}: {error}"),
    ("input.unreadable", "cannot read {path}: {why}"),
    ("input.not_utf8", "{path} is not UTF-8 text"),
    (
        "input.too_large",
        "the file has {size} bytes, more than the {limit} bytes read at most",
    ),
    ("input.empty", "the file is empty"),
    (
        "input.pdf_not_text",
        "a PDF file, not a text document: read it with `xxgk_parse::parse`",
    ),
    (
        "input.zip",
        "a ZIP container (.docx/.xlsx), not a text document: save or convert it as text or HTML first",
    ),
    (
        "input.legacy_office",
        "a binary Office document (Word 97-2003 .doc, WPS .wps or Excel .xls), which xxgk does not read: save it as .docx or PDF first",
    ),
    ("input.binary", "binary data, not text"),
    (
        "input.docx_not_zip",
        "not a Word document (.docx): not a ZIP archive ({why})",
    ),
    (
        "input.docx_no_document",
        "not a Word document (.docx): the ZIP archive has no {part}",
    ),
    (
        "input.docx_too_large",
        "the Word document's {part} is larger than {mb} MB uncompressed",
    ),
    (
        "input.docx_unreadable",
        "cannot read the Word document's {part}: {why}",
    ),
    (
        "input.docx_malformed",
        "the Word document's {part} is malformed: {why}",
    ),
    ("input.pdf_malformed", "not a readable PDF: {why}"),
    (
        "input.pdf_password",
        "the PDF is encrypted and needs a password to open; save an unprotected copy",
    ),
    (
        "input.pdf_damaged",
        "the PDF is damaged: {unread} of its {pages} page(s) could not be read, and no text could be read from it",
    ),
    (
        "input.pdf_unknown_characters",
        "{unknown} of the PDF's {chars} characters use fonts that do not say which characters they are (no ToUnicode map); the text cannot be read",
    ),
    ("input.pdf_too_large", "the PDF is too large to read: {why}"),
    (
        "input.pdf_internal",
        "the PDF could not be read (internal error: {why})",
    ),
    (
        "input.no_text_layer",
        "the PDF has no text layer: its {pages} page(s) hold no text to read",
    ),
    (
        "input.no_text_layer_scan",
        "the PDF has no text layer: its {pages} page(s) are {images} image(s), a scan; run OCR on it first (for example `ocrmypdf -l chi_sim in.pdf out.pdf`) and read the result",
    ),
    ("input.not_annual_report", "not an annual report: {why}"),
    (
        "input.table_not_found",
        "table {table} was not found (neither its section heading nor its row labels)",
    ),
    (
        "input.mhtml_without_page",
        "a web archive (MHTML) without an HTML page",
    ),
    ("input.no_edition", "no edition is defined"),
    ("json.syntax", "not valid JSON: {error}"),
    ("schema.invalid", "{pointer}: {error}"),
    ("schema.model", "{error}"),
    // Reading a value.
    ("value.not_a_number", "`{text}` is not a number"),
    ("value.not_whole", "`{text}` is not a whole number"),
    (
        "value.amount_not_count",
        "`{text}` is an amount in {unit}, not a count",
    ),
    ("value.too_large", "`{text}` is too large"),
    ("value.negative_amount", "`{text}` is a negative amount"),
    (
        "value.no_unit",
        "`{text}` has no unit and its column names none",
    ),
    (
        "value.not_money",
        "`{text}`: `{unit}` is not a unit of money",
    ),
    ("value.not_exact", "`{text}` is not an exact decimal amount"),
    // Matching the template.
    (
        "parse.edition_mismatch",
        "the report covers {year}, which uses the {year_edition} edition, but its headers are those of the {edition} edition; following the headers",
    ),
    (
        "parse.edition_from_year",
        "no header tells the edition apart; the year gives the {edition} edition",
    ),
    (
        "parse.edition_assumed",
        "neither the headers nor a year tell the edition; assuming the newest, {edition}",
    ),
    (
        "parse.cell_value",
        "{cell}: {why}; the cell is left unknown",
    ),
    (
        "parse.section_missing",
        "no heading of section {ordinal} was found: table {table} is absent",
    ),
    (
        "parse.section_rows_missing",
        "section {ordinal} was found but none of its rows: table {table} is absent",
    ),
    (
        "parse.section_and_rows_missing",
        "no heading of section {ordinal} was found, nor its rows: table {table} is absent",
    ),
    (
        "parse.section_values_missing",
        "the rows of section {ordinal} were found but no values could be read for them: every cell of table {table} is unknown",
    ),
    (
        "parse.section_by_rows",
        "no heading of section {ordinal} was found; table {table} was recognised by its rows",
    ),
    (
        "parse.pdf_pages_unread",
        "{unread} page(s) of the PDF could not be read (a damaged or truncated file): what they hold is missing from this report",
    ),
    (
        "parse.duplicate_row",
        "row `{label}` of table {table} is printed again here: the row on line {line} was read, this one is kept as an extra row",
    ),
    (
        "parse.row_by_position",
        "row `{label}` reads as no row of table {table}, but stands where {row} is missing: read as it",
    ),
    (
        "parse.columns_reordered",
        "table {table} prints its columns in another order than the national format's: each value was read under its own heading",
    ),
    (
        "parse.value_with_note",
        "{cell}: read as {value}; the note after it, `{note}`, is no part of the value",
    ),
    (
        "parse.extra_row",
        "row `{label}` is not in the template of table {table}; kept as an extra row",
    ),
    (
        "parse.extra_columns",
        "table {table}: column(s) {columns} are not in the template; their cells were left out",
    ),
    (
        "parse.row_missing",
        "table {table}: no printed row matches {rows}; their cells are unknown",
    ),
    (
        "parse.blank_row_short",
        "{row} (`{label}`): no value printed and {cells} cells for {columns} columns; every cell is read as blank",
    ),
    ("parse.placed", "{row} (`{label}`): {how}"),
    (
        "parse.group_ambiguous",
        "{row} (`{label}`, a group printed as one row): {values} values for {columns} columns; the group's values are left unknown",
    ),
    (
        "parse.group_as_one_row",
        "`{label}` prints group {row} as one row: its values are kept for the group, where checks that add up its rows use them; its rows {rows} are unknown",
    ),
    (
        "parse.rows_by_sequence",
        "{row} (`{title}`): the numbers on line {line} stand apart from the row's label ({label}); placed by the template's row order, the rows' value counts and the table's constraints",
    ),
    (
        "parse.unlabelled_numbers",
        "table {table}: rows of numbers without labels on line(s) {lines}: {why}; they are not placed and the rows they belong to stay unknown",
    ),
    // How values were placed.
    (
        "place.by",
        "{values} values for {columns} columns; placed by {by}",
    ),
    ("place.with_empty", "{how}: {cells}"),
    ("place.cell_blank", "{label} ({column}) is blank"),
    ("place.cell_unknown", "{label} ({column}) is unknown"),
    ("place.by_header", "the cell boundaries under the header"),
    ("place.by_positions", "their column positions"),
    ("sequence.no_label", "no label printed"),
    ("sequence.label_on_lines", "its label on line {lines}"),
    ("sequence.too_many", "too many ways to pair them"),
    (
        "sequence.none",
        "no pairing of them with the labels satisfies the table's constraints",
    ),
    (
        "sequence.disagree",
        "{n} pairings with the labels satisfy the table's constraints and disagree",
    ),
    // Values placed by the table's constraints.
    (
        "resolve.head",
        "{row} (`{label}`): {values} values for {columns} columns",
    ),
    (
        "resolve.head_unlabelled",
        "{row}: {values} values for {columns} columns",
    ),
    (
        "resolve.too_many",
        "too many ways to place them, the cells are left unknown",
    ),
    (
        "resolve.none",
        "no placement satisfies the table's constraints, the cells are left unknown",
    ),
    (
        "resolve.one",
        "one alignment satisfies the table's constraints",
    ),
    (
        "resolve.many",
        "{n} alignments satisfy the table's constraints",
    ),
    ("resolve.placed_by_one", "placed by it"),
    ("resolve.placed_alike", "all place the values alike"),
    (
        "resolve.disagree",
        "{how}, which disagree: left unknown: {cells}",
    ),
    (
        "resolve.lost",
        "no value was printed for {cells}, which stays unknown",
    ),
    (
        "slip.split_number",
        "`{a}` and `{b}` read as one number {joined} split over two cells",
    ),
    (
        "slip.run_together",
        "`{text}` read as two numbers {a} and {b} run together",
    ),
    (
        "slip.digit_run",
        "the digits `{run}` read as {parts} cells run together",
    ),
    // Across reports and plausibility.
    (
        "corpus.against",
        "{report} ({year}) against {previous} ({previous_year}): {what}",
    ),
    (
        "corpus.duplicate",
        "{first} and {second} are both {agency}'s report on {year}",
    ),
    (
        "plausibility.amount_unit",
        "{cell}: {amount} is printed in {unit} under a column in {expected}: it is {converted} {expected}, off by 10⁴ if read as {expected}",
    ),
    // The text printer (xxgk check).
    ("ui.text.fee", "processing fee: {fee}"),
    ("ui.text.status_passed", "ok  "),
    ("ui.text.status_warnings", "warn"),
    ("ui.text.status_failed", "FAIL"),
    (
        "ui.text.report_line",
        "{status} {path}  ({edition} edition, {agency}, {year}; {errors} errors, {warnings} warnings; checks: {passed} passed, {failed} failed, {not_assessable} not assessable)",
    ),
    (
        "ui.text.unreadable_line",
        "{status} {path}  (not readable; {errors} errors, {warnings} warnings)",
    ),
    ("ui.text.agency_unknown", "agency unknown"),
    ("ui.text.year", "{year}"),
    ("ui.text.year_unknown", "year unknown"),
    ("ui.text.implied", "the other cells imply {implied}"),
    ("ui.text.cells", "{cells}"),
    (
        "ui.text.original_at",
        "at line {line}, column {column} of the original document",
    ),
    ("ui.text.page", "page"),
    ("ui.text.page_of_pdf", "{page} of the PDF"),
    ("ui.text.rule", "rule"),
    (
        "ui.text.read_as_zero",
        "read as zero (blank or not applicable)",
    ),
    ("ui.text.note", "note"),
    ("ui.text.see", "see"),
    ("ui.text.suggestion", "suggestion"),
    ("ui.text.suggestion_line", "{words} (cell {id})"),
    ("ui.text.across_head", "across reports:"),
    (
        "ui.text.across_one",
        "{n} warning across reports (continuity, duplicates)",
    ),
    (
        "ui.text.across",
        "{n} warnings across reports (continuity, duplicates)",
    ),
    (
        "ui.text.total_one",
        "{reports} report: {passed} passed, {warnings} with warnings, {errors} with errors",
    ),
    (
        "ui.text.total",
        "{reports} reports: {passed} passed, {warnings} with warnings, {errors} with errors",
    ),
    ("ui.text.head_code", "code"),
    ("ui.text.head_reports", "reports"),
    ("ui.text.head_errors", "errors"),
    ("ui.text.head_warnings", "warnings"),
    (
        "ui.cli.no_report_files",
        "{folder}: no report file in this folder or below (read by their extension: {extensions}); a file named on the command line is read whatever its extension",
    ),
    (
        "ui.cli.export_summary",
        "{reports} reports read ({with_errors} with errors), {written} files written to {folder}, {failed} failed",
    ),
    // The exporter's pages and workbooks (xxgk-export): ui.export.* shared, ui.html.*, ui.xlsx.*.
    ("ui.export.severity.error", "error"),
    ("ui.export.severity.warning", "warning"),
    ("ui.export.severity.info", "info"),
    ("ui.export.stated", "The form states: {text}"),
    ("ui.export.rule", "Rule: {rule}"),
    (
        "ui.export.read_as_zero",
        "Read as zero (blank or not applicable): {cells}",
    ),
    ("ui.export.suggestion", "Suggested correction: {fix}"),
    ("ui.export.location", "line {line}, column {column}"),
    (
        "ui.export.location_page",
        "page {page}, line {line}, column {column}",
    ),
    ("ui.export.in_file", "{path}, {at}"),
    ("ui.export.report", "Report"),
    ("ui.export.agency", "Agency"),
    ("ui.export.year", "Year"),
    ("ui.export.edition", "Edition"),
    ("ui.export.title", "Title"),
    ("ui.export.published", "Published"),
    ("ui.export.source", "Source"),
    ("ui.export.errors", "Errors"),
    ("ui.export.warnings", "Warnings"),
    ("ui.export.infos", "Info"),
    ("ui.export.statement.agrees", "agrees with the table"),
    ("ui.export.statement.disagrees", "disagrees with the table"),
    (
        "ui.export.statement.not_checked",
        "not checked (the cells are not known)",
    ),
    ("ui.export.statement.data", "data (no cell to compare)"),
    ("ui.export.statements", "Statements of the narrative"),
    ("ui.export.statement", "Statement"),
    ("ui.export.stated_value", "Stated"),
    ("ui.export.tabled_value", "Table"),
    ("ui.export.quote", "Words quoted"),
    ("ui.export.check", "Check"),
    ("ui.export.processing_fee", "Processing fee (信息处理费)"),
    ("fee.none", "none charged"),
    ("fee.charged", "charged, {what}"),
    ("fee.count", "{n} times"),
    ("ui.export.status", "Status"),
    (
        "ui.html.generated",
        "Rendered by xxgk from the report as read; values as printed in the source.",
    ),
    ("ui.html.summary", "Summary"),
    ("ui.html.edition_value", "{edition} national form"),
    ("ui.html.cells", "Cells"),
    (
        "ui.html.cells_value",
        "{total} in {tables} tables: {known} known, {blank} blank, {na} not applicable, {unknown} unknown",
    ),
    ("ui.html.diagnostics", "Diagnostics"),
    (
        "ui.html.diagnostics_value",
        "{errors} errors, {warnings} warnings, {infos} notes",
    ),
    ("ui.html.extra_rows", "Extra rows"),
    (
        "ui.html.extra_rows_value",
        "{n} rows printed that the form lacks (listed under their tables)",
    ),
    (
        "ui.html.legend.suspect",
        "cell a correction is suggested for",
    ),
    ("ui.html.legend.error", "cell of a failed check"),
    ("ui.html.legend.warning", "cell with a warning"),
    ("ui.html.legend.unknown", "value not determined"),
    ("ui.html.legend.not_applicable", "printed as not applicable"),
    ("ui.html.legend.header", "header of the form"),
    (
        "ui.html.legend.hint",
        "Small numbers in cells are the diagnostics below; hover a cell to read them.",
    ),
    ("ui.html.status.passed", "Passed"),
    ("ui.html.status.warnings", "Passed with warnings"),
    ("ui.html.status.failed", "Failed"),
    ("ui.html.diagnostics_heading", "Diagnostics ({n})"),
    (
        "ui.html.no_diagnostics",
        "No diagnostics: every check passed.",
    ),
    (
        "ui.html.table_absent",
        "Not in this report: the table was not found in the source.",
    ),
    ("ui.html.findings", "Findings in this table ({n})"),
    (
        "ui.html.extra_rows_heading",
        "Rows printed in the source that the form lacks",
    ),
    ("ui.html.extra_row", "extra row"),
    ("ui.html.blank", "(blank)"),
    ("ui.html.details", "details"),
    ("ui.html.cells_list", "Cells ({n}): {cells}"),
    (
        "ui.html.more_marked",
        "; and {n} more, marked {number} in the table",
    ),
    ("ui.html.more", "; and {n} more"),
    ("ui.html.source_at", "Source: {place}"),
    ("ui.html.suggested_value", " (suggested: {implied})"),
    (
        "ui.html.no_agency",
        "No issuing agency is recorded for this report; the date below is its publication date.",
    ),
    ("ui.html.index_title", "xxgk report index"),
    ("ui.html.index_heading", "Annual reports: {n} checked"),
    (
        "ui.html.index_counts",
        "{passed} passed, {warnings} passed with warnings, {failed} failed. Rendered by xxgk.",
    ),
    (
        "ui.xlsx.extra_rows",
        "Rows the report prints that the form lacks (as printed)",
    ),
    ("ui.xlsx.legend", "Legend"),
    (
        "ui.xlsx.legend.error",
        "cell of a failed error check (the note names the check)",
    ),
    (
        "ui.xlsx.legend.suspect",
        "the cell an error suggests correcting",
    ),
    ("ui.xlsx.legend.warning", "cell of a failed warning check"),
    (
        "ui.xlsx.legend.unknown",
        "unknown: absent or not determinable",
    ),
    ("ui.xlsx.severity", "Severity"),
    ("ui.xlsx.code", "Code"),
    ("ui.xlsx.message", "Message"),
    ("ui.xlsx.cells", "Cells"),
    ("ui.xlsx.cell_labels", "Cell labels"),
    ("ui.xlsx.suggestion", "Suggestion"),
    ("ui.xlsx.location", "Location"),
    ("ui.xlsx.stated", "Form's wording"),
    ("ui.xlsx.rule", "Rule"),
    ("ui.xlsx.read_as_zero", "Read as zero"),
    ("ui.xlsx.notes", "Notes"),
];
