//! Hostile PDFs end in bounded time and memory with a result or a clear error: a
//! decompression bomb, a form that draws itself, a page tree that contains itself; text
//! hidden from readers is not read as theirs.

use lopdf::{Document, Object, Stream, dictionary};
use std::io::Write;
use xxgk_pdf::{Limits, PdfError, read};

/// A one-page PDF whose page draws `content` with `resources`.
fn pdf(content: Stream, resources: lopdf::Dictionary) -> Vec<u8> {
    pdf_with(|_| {}, content, resources)
}

/// [`pdf`], with `extra` adding objects first.
fn pdf_with(
    extra: impl FnOnce(&mut Document),
    content: Stream,
    resources: lopdf::Dictionary,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    extra(&mut doc);
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the test PDF is written");
    out
}

#[test]
fn a_decompression_bomb_is_too_large() {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
    let compressed = encoder.finish().unwrap();
    assert!(compressed.len() < 64 * 1024);
    let content =
        Stream::new(dictionary! { "Filter" => "FlateDecode" }, compressed).with_compression(false);
    let bytes = pdf(content, dictionary! {});
    let limits = Limits {
        max_stream_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert!(matches!(read(&bytes, &limits), Err(PdfError::TooLarge(_))));
    // Within the default limits the same file reads (as an empty page).
    let pdf = read(&bytes, &Limits::default()).unwrap();
    assert!(pdf.pages[0].glyphs.is_empty());
}

#[test]
fn a_form_that_draws_itself_ends() {
    // The form's own resources name the form again: a cycle the reader must cut.
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "X0" => Object::Reference((1000, 0)) } },
        },
        b"0 0 m 100 0 l S /X0 Do".to_vec(),
    );
    let bytes = pdf_with(
        |doc| {
            doc.objects.insert((1000, 0), Object::Stream(form));
            doc.max_id = 1000;
        },
        Stream::new(dictionary! {}, b"/X0 Do /X0 Do".to_vec()),
        dictionary! { "XObject" => dictionary! { "X0" => Object::Reference((1000, 0)) } },
    );
    let pdf = read(&bytes, &Limits::default()).expect("the page reads");
    // Each of the page's two draws runs the form once; the form's draw of itself is cut.
    assert_eq!(pdf.pages[0].rules.len(), 2);
}

#[test]
fn an_operation_flood_hits_the_budget() {
    let content = Stream::new(dictionary! {}, b"q Q ".repeat(100_000));
    let bytes = pdf(content, dictionary! {});
    let limits = Limits {
        max_operations: 10_000,
        ..Limits::default()
    };
    assert!(matches!(read(&bytes, &limits), Err(PdfError::TooLarge(_))));
}

#[test]
fn text_in_a_simple_font_has_positions() {
    let content = Stream::new(
        dictionary! {},
        b"BT /F1 10 Tf 1 0 0 1 100 700 Tm (19) Tj 20 0 Td (5) Tj ET".to_vec(),
    );
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" };
    let bytes = pdf(
        content,
        dictionary! { "Font" => dictionary! { "F1" => font } },
    );
    let pdf = read(&bytes, &Limits::default()).unwrap();
    let glyphs = &pdf.pages[0].glyphs;
    let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
    assert_eq!(text, "195");
    // Top-down coordinates: a baseline at y = 700 is 142 points below the top.
    assert!((glyphs[0].y1 - 144.0).abs() < 1.0, "{:?}", glyphs[0]);
    assert!((glyphs[2].x0 - 120.0).abs() < 0.01, "{:?}", glyphs[2]);
}

#[test]
fn garbage_and_empty_files_are_malformed() {
    for bytes in [
        &b""[..],
        b"%PDF-1.4",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ] {
        assert!(
            matches!(read(bytes, &Limits::default()), Err(PdfError::Malformed(_))),
            "{bytes:?}"
        );
    }
}

/// A file that lost pages (cut short: a page its page tree names is gone, or a page's content
/// stream) says how many; a whole file says none, whatever `/Count` it declares.
#[test]
fn pages_a_damaged_file_cannot_give_are_counted() {
    let content = || Stream::new(dictionary! {}, b"0 0 m 10 10 l S".to_vec());
    let whole = pdf(content(), dictionary! {});
    assert_eq!(read(&whole, &Limits::default()).unwrap().unread_pages, 0);
    // The page's content stream missing.
    let mut doc = Document::load_mem(&whole).unwrap();
    let content_id = doc
        .page_iter()
        .next()
        .and_then(|p| {
            doc.get_dictionary(p)
                .ok()?
                .get(b"Contents")
                .ok()?
                .as_reference()
                .ok()
        })
        .unwrap();
    doc.objects.remove(&content_id);
    // And two more pages named that the file does not hold.
    let pages_id = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    if let Ok(Object::Dictionary(pages)) = doc.get_object_mut(pages_id) {
        if let Ok(Object::Array(kids)) = pages.get_mut(b"Kids") {
            kids.push(Object::Reference((900, 0)));
            kids.push(Object::Reference((901, 0)));
        }
        pages.set("Count", 3);
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(read(&bytes, &Limits::default()).unwrap().unread_pages, 3);
    // A whole file with a /Count too large.
    let mut doc = Document::load_mem(&whole).unwrap();
    if let Ok(Object::Dictionary(pages)) = doc.get_object_mut(pages_id) {
        pages.set("Count", 7);
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    assert_eq!(read(&bytes, &Limits::default()).unwrap().unread_pages, 0);
}

/// A content stream whose data the file cannot give (its `/Length` names an object that is
/// no number) is a page not read; a content stream that is empty by its own `/Length 0` is
/// a blank page, read.
#[test]
fn a_content_stream_that_cannot_be_read_is_a_page_not_read() {
    let content = b"0 0 m 10 10 l S";
    let whole = pdf(
        Stream::new(dictionary! {}, content.to_vec()),
        dictionary! {},
    );
    let declared = format!("/Length {}", content.len());
    let at = whole
        .windows(declared.len())
        .position(|w| w == declared.as_bytes())
        .expect("the stream declares its length");
    let mut broken = whole[..at].to_vec();
    broken.extend_from_slice(b"/Length 1 0 R");
    broken.extend_from_slice(&whole[at + declared.len()..]);
    assert_eq!(read(&broken, &Limits::default()).unwrap().unread_pages, 1);

    let blank = pdf(Stream::new(dictionary! {}, Vec::new()), dictionary! {});
    let read_blank = read(&blank, &Limits::default()).unwrap();
    assert_eq!((read_blank.pages.len(), read_blank.unread_pages), (1, 0));
}

/// Text no reader sees is not read beside the text they see: invisible text (`3 Tr`) and
/// white text on the white page. White text on a painted area shows and is read; a page whose
/// only text is invisible (a scan's OCR layer) is read. Nor is a watermark read, set aslant or
/// turned across the page's text.
#[test]
fn text_hidden_from_readers_or_set_across_the_page_is_not_read() {
    let font = || {
        dictionary! { "Font" => dictionary! { "F1" => dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        } } }
    };
    let text_of = |content: &[u8]| -> String {
        let bytes = pdf(Stream::new(dictionary! {}, content.to_vec()), font());
        let page = read(&bytes, &Limits::default()).unwrap().pages.remove(0);
        page.glyphs.iter().map(|g| g.text.as_str()).collect()
    };
    let shown = text_of(
        b"BT /F1 10 Tf 3 Tr 1 0 0 1 100 700 Tm (98) Tj 0 Tr 1 0 0 1 100 700 Tm (12) Tj ET \
          BT 1 g 1 0 0 1 200 700 Tm (0) Tj ET \
          0 g 290 690 40 20 re f BT 1 g 1 0 0 1 300 700 Tm (7) Tj 0 g ET \
          BT 0.7 0.7 -0.7 0.7 90 690 Tm (2024-05-06) Tj 0 1 -1 0 110 650 Tm (88) Tj ET \
          BT 1 0 0 1 100 600 Tm (total) Tj ET",
    );
    assert_eq!(shown, "127total");
    let ocr =
        text_of(b"q 500 0 0 700 0 0 cm Q BT /F1 10 Tf 3 Tr 1 0 0 1 100 700 Tm (scan text) Tj ET");
    assert_eq!(ocr, "scan text");
}
