//! Pages are read as a reader turns the paper: whatever way a page is rotated or its content
//! drawn, text that reads left to right comes out left to right.

use lopdf::{Document, Object, Stream, dictionary};
use xxgk_pdf::{Limits, read};

/// A page is read as a reader turns the paper: the same report with `/Rotate 90` that its
/// content does not make up for, or with its content drawn sideways on a landscape page
/// (turned either way), gives every character where the upright original has it.
#[test]
fn a_page_printed_sideways_is_read_turned_upright() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../xxgk-parse/tests/fixtures/pdf/reportlab-cid-2021.pdf"
    );
    let bytes = std::fs::read(path).unwrap();
    let upright = read(&bytes, &Limits::default()).unwrap();

    // Each variant edits every page of the original.
    let variant = |edit: &dyn Fn(&mut Document, lopdf::ObjectId, f32, f32)| {
        let mut doc = Document::load_mem(&bytes).unwrap();
        for id in doc.page_iter().collect::<Vec<_>>() {
            let media: Vec<f32> = doc
                .get_dictionary(id)
                .unwrap()
                .get(b"MediaBox")
                .and_then(Object::as_array)
                .map(|a| a.iter().map(|v| v.as_float().unwrap()).collect())
                .unwrap();
            edit(&mut doc, id, media[2], media[3]);
        }
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    };
    let rotate = variant(&|doc, id, _, _| {
        let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
        page.set("Rotate", 90);
    });
    // Content turned by `cm` onto a landscape page: `[0 1 -1 0 h 0]` makes the text read
    // bottom to top, `[0 -1 1 0 0 w]` top to bottom.
    let sideways = |clockwise: bool| {
        variant(&|doc, id, w, h| {
            let cm = if clockwise {
                format!("q 0 -1 1 0 0 {w} cm\n")
            } else {
                format!("q 0 1 -1 0 {h} 0 cm\n")
            };
            let before = doc.add_object(Stream::new(dictionary! {}, cm.into_bytes()));
            let after = doc.add_object(Stream::new(dictionary! {}, b"\nQ".to_vec()));
            let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
            let mut contents = vec![before.into()];
            match page.get(b"Contents").unwrap().clone() {
                Object::Array(parts) => contents.extend(parts),
                one => contents.push(one),
            }
            contents.push(after.into());
            page.set("Contents", contents);
            page.set("MediaBox", vec![0.into(), 0.into(), h.into(), w.into()]);
        })
    };
    for (name, bytes) in [
        ("/Rotate 90", rotate),
        ("sideways, reading top to bottom", sideways(true)),
        ("sideways, reading bottom to top", sideways(false)),
    ] {
        let turned = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(turned.pages.len(), upright.pages.len(), "{name}");
        for (t, u) in turned.pages.iter().zip(&upright.pages) {
            assert!(
                (t.width - u.width).abs() < 0.01,
                "{name}: {} {}",
                t.width,
                u.width
            );
            assert_eq!(t.glyphs.len(), u.glyphs.len(), "{name}");
            assert!(!u.glyphs.is_empty());
            for (a, b) in t.glyphs.iter().zip(&u.glyphs) {
                let close = [(a.x0, b.x0), (a.y0, b.y0), (a.x1, b.x1), (a.y1, b.y1)]
                    .iter()
                    .all(|(p, q)| (p - q).abs() < 0.05);
                assert!(
                    close && a.text == b.text && a.turn == 0,
                    "{name}: {a:?} {b:?}"
                );
            }
            assert_eq!(t.rules.len(), u.rules.len(), "{name}");
        }
    }
}
