//! SVG to PNG, for saving the flow graph as a picture (resvg renders it with the
//! system's fonts and the bundled CJK subset, so the PNG matches the SVG the CLI
//! writes, in Chinese too).

/// Most pixels a rendered picture may have (a 100-million-pixel PNG is a mistake).
const MAX_PIXELS: u64 = 60_000_000;

/// Renders `svg` to PNG bytes at twice its size (crisp on high-density screens).
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    // The bundled CJK subset first: resvg takes a missing glyph from the first font
    // that has it, so Chinese labels draw in the same sans-serif on every machine (a
    // system's Noto Serif CJK would otherwise win), and where no CJK font is installed
    // at all. A glyph no font has is left out by resvg, never a panic.
    options
        .fontdb_mut()
        .load_font_data(crate::i18n::CJK_FONT.to_vec());
    options.fontdb_mut().load_system_fonts();
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("the SVG is invalid: {e}"))?;
    let scale = 2.0;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the picture has no size")?;
    if u64::from(size.width()) * u64::from(size.height()) > MAX_PIXELS {
        return Err(format!(
            "the picture would be {}×{} pixels; save it as SVG instead",
            size.width(),
            size.height()
        ));
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("cannot allocate the picture")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_svg() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>"#;
        let png = svg_to_png(svg).unwrap_or_default();
        assert_eq!(png.get(1..4), Some(&b"PNG"[..]));
    }

    #[test]
    fn rejects_garbage() {
        assert!(svg_to_png("not svg").is_err());
    }
}
