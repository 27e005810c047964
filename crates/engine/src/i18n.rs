//! The languages synack speaks: every sentence either face shows goes through a
//! message id looked up here, in one Project Fluent resource per language
//! (`assets/i18n/LANG.ftl`, compiled into the binary).
//!
//! Fluent (`fluent-bundle`) was chosen because it is Mozilla's maintained format for
//! exactly this: plurals by each language's CLDR rules, named placeables the
//! translator can move within the sentence (Chinese puts them elsewhere than
//! English), and a plain-text file format translators already know.
//!
//! Which language is current is one process-wide setting (`set_current`), as
//! `manuf::set_enabled` is: the CLI sets it from `--lang` or the locale, the window
//! from its settings. Code that must not depend on it (tests) calls `text_in`.
//! A message missing in a language falls back to English, and one missing in
//! English shows its id: nothing here panics.
//!
//! Protocol field names and values (`tcp.flags.syn`, `ESTABLISHED`, `handshake-1`) are
//! never messages: they stay as Wireshark and RFC 9293 write them, in every language.
//! Numbers that name a header field's value (sequence numbers, ports) are passed as
//! text, so they read exactly as the packet shows them; counts are passed as numbers,
//! so they choose the plural form and get the language's digit grouping.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language synack ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (United States), the default and the reference every other file follows.
    #[default]
    EnUs,
    /// Simplified Chinese.
    ZhCn,
    /// German, which proves the mechanism for a second language.
    De,
}

/// One shipped resource: its language and the Fluent text.
struct Resource {
    lang: Lang,
    source: &'static str,
}

/// The resources, compiled in so the binary needs no files beside it.
const RESOURCES: [Resource; 3] = [
    Resource {
        lang: Lang::EnUs,
        source: include_str!("../../../assets/i18n/en-US.ftl"),
    },
    Resource {
        lang: Lang::ZhCn,
        source: include_str!("../../../assets/i18n/zh-CN.ftl"),
    },
    Resource {
        lang: Lang::De,
        source: include_str!("../../../assets/i18n/de.ftl"),
    },
];

impl Lang {
    /// Every shipped language, English first.
    pub const ALL: [Lang; 3] = [Lang::EnUs, Lang::ZhCn, Lang::De];

    /// The BCP 47 tag (`en-US`, `zh-CN`, `de`), as `--lang` takes it and the settings keep it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::EnUs => "en-US",
            Lang::ZhCn => "zh-CN",
            Lang::De => "de",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::EnUs => "English",
            Lang::ZhCn => "简体中文",
            Lang::De => "Deutsch",
        }
    }

    /// Whether every English message has a translation (a partial language falls back
    /// to English message by message; the completeness test holds the complete ones whole).
    pub fn complete(self) -> bool {
        !matches!(self, Lang::De)
    }

    /// Reads a tag or a POSIX locale name: `zh-CN`, `zh_CN.UTF-8`, `zh`, `de_DE@euro`,
    /// `en`. Traditional Chinese (`zh_TW`, `zh-Hant`) is not Simplified: `None`.
    pub fn parse(text: &str) -> Option<Lang> {
        let base = text
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .replace('_', "-")
            .to_ascii_lowercase();
        let mut parts = base.split('-');
        let language = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        match language {
            "en" => Some(Lang::EnUs),
            "de" => Some(Lang::De),
            "zh" if rest
                .iter()
                .any(|p| matches!(*p, "tw" | "hk" | "mo" | "hant")) =>
            {
                None
            }
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set (POSIX's order), English when it names none synack ships.
    pub fn from_env() -> Lang {
        Self::from_locale_vars(|name| std::env::var(name).ok())
    }

    /// `from_env` over any variable source (tests give their own).
    pub fn from_locale_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }

    fn index(self) -> usize {
        match self {
            Lang::EnUs => 0,
            Lang::ZhCn => 1,
            Lang::De => 2,
        }
    }

    fn from_index(i: u8) -> Lang {
        match i {
            1 => Lang::ZhCn,
            2 => Lang::De,
            _ => Lang::EnUs,
        }
    }

    /// The Fluent source of this language (for the completeness test and tools).
    pub fn source(self) -> &'static str {
        RESOURCES
            .iter()
            .find(|r| r.lang == self)
            .map_or("", |r| r.source)
    }
}

/// Noto Sans CJK SC cut down to the characters the Chinese resource uses
/// (`assets/fonts/make-cjk-subset.sh` regenerates it; SIL Open Font License,
/// `assets/fonts/NotoSansCJK-LICENSE.txt`). The window and the ladder's PNG draw
/// Chinese with it on machines without a CJK font, and tests never show boxes.
pub const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-synack.otf");

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Makes `lang` the language of every later `tr`.
pub fn set_current(lang: Lang) {
    CURRENT.store(lang.index() as u8, Ordering::Relaxed);
}

/// The current language.
pub fn current() -> Lang {
    Lang::from_index(CURRENT.load(Ordering::Relaxed))
}

/// A value for a placeable: text as it is, or a number that selects plurals and is
/// grouped as the language groups digits.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// Shown as given (field values, addresses, names).
    Text(Cow<'a, str>),
    /// A count or size.
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s.as_str()))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f32, f64);

type Bundle = FluentBundle<FluentResource>;

/// The bundles, built once on first use (parsing all three files takes well under a
/// millisecond).
fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        RESOURCES
            .iter()
            .map(|r| {
                let id = r.lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks (U+2068/U+2069) are for mixed-direction text; none of
                // synack's languages is right-to-left and the marks would show in a
                // terminal and in test output.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(match r.lang {
                    Lang::De => format_de,
                    Lang::EnUs | Lang::ZhCn => format_en,
                }));
                // A resource that does not parse whole still gives the messages that
                // did (the completeness test reports the error).
                let resource = FluentResource::try_new(r.source.to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                bundle
            })
            .collect()
    })
}

/// English and Chinese write counts as tshark prints them, ungrouped (`540104 bytes`),
/// so a sentence's numbers read as in every other synack output and in both languages.
fn format_en(
    value: &FluentValue<'_>,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    format_number(value, None, '.')
}

/// German groups thousands with a dot and writes a decimal comma.
fn format_de(
    value: &FluentValue<'_>,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    format_number(value, Some('.'), ',')
}

/// Writes a number with the language's decimal separator and, where the language
/// groups digits (`group`: German writes 12.345), groups of three. Numbers under
/// 10000 are left whole, as CLDR's minimum grouping leaves four-digit numbers in German.
fn format_number(value: &FluentValue<'_>, group: Option<char>, decimal: char) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let text = n.as_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_ref()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::from(sign);
    if let Some(group) = group.filter(|_| int.len() > 4 && n.options.use_grouping) {
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
    } else {
        out.push_str(int);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(f);
    }
    Some(out)
}

fn fluent_args<'a>(args: &'a [(&'a str, Arg<'a>)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        match value {
            Arg::Text(s) => out.set(*name, FluentValue::from(s.as_ref())),
            Arg::Number(n) => out.set(*name, FluentValue::from(*n)),
        }
    }
    out
}

fn format_in(bundle: &Bundle, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned(),
    )
}

/// The message `id` in `lang` with `args`: English when `lang` lacks it, the id itself
/// when English lacks it too.
pub fn text_in(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let all = bundles();
    let fargs = (!args.is_empty()).then(|| fluent_args(args));
    all.get(lang.index())
        .and_then(|b| format_in(b, id, fargs.as_ref()))
        .or_else(|| {
            all.get(Lang::EnUs.index())
                .and_then(|b| format_in(b, id, fargs.as_ref()))
        })
        .unwrap_or_else(|| {
            note_unknown(id);
            id.to_string()
        })
}

/// The ids looked up since the process started that no resource has, English included
/// (the window showed the id, or the English text a caller fell back to): a test that
/// draws every window asks for this and fails on any, so a string added without its
/// message is caught where the completeness test, which only compares the files,
/// cannot see it.
pub fn unknown_ids() -> Vec<String> {
    unknown()
        .lock()
        .map(|set| set.iter().cloned().collect())
        .unwrap_or_default()
}

fn unknown() -> &'static std::sync::Mutex<std::collections::BTreeSet<String>> {
    static UNKNOWN: OnceLock<std::sync::Mutex<std::collections::BTreeSet<String>>> =
        OnceLock::new();
    UNKNOWN.get_or_init(Default::default)
}

/// Remembers `id` as looked up and missing (a few dozen at most: each id once).
fn note_unknown(id: &str) {
    if let Ok(mut set) = unknown().lock()
        && !set.contains(id)
    {
        set.insert(id.to_string());
    }
}

/// The message `id` in the current language.
pub fn tr(id: &str) -> String {
    text_in(current(), id, &[])
}

/// The message `id` in the current language with `args`.
pub fn tr_args(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    text_in(current(), id, args)
}

/// `tr!("id")` or `tr!("id", name = value, ...)`: the message in the current language.
/// Values are anything `Arg` converts from (text, or a number for counts).
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::tr($id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::tr_args($id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

/// The ids and placeable names of every message in a Fluent source, in file order
/// (for the completeness test: a translation must have each English id, with the
/// same placeables).
pub fn messages(source: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    use fluent_syntax::ast;
    let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
        format!(
            "{} syntax errors, first: {:?}",
            errors.len(),
            errors.first()
        )
    })?;
    let mut out = Vec::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut names = Vec::new();
            if let Some(p) = &m.value {
                placeables(p, &mut names);
            }
            for a in &m.attributes {
                placeables(&a.value, &mut names);
            }
            names.sort();
            names.dedup();
            out.push((m.id.name.to_string(), names));
        }
    }
    Ok(out)
}

fn placeables(pattern: &fluent_syntax::ast::Pattern<&str>, names: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, names: &mut Vec<String>) {
        match e {
            InlineExpression::VariableReference { id } => names.push(id.name.to_string()),
            InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline(a, names);
                }
            }
            InlineExpression::Placeable { expression } => expr(expression, names),
            _ => {}
        }
    }
    fn expr(e: &Expression<&str>, names: &mut Vec<String>) {
        match e {
            Expression::Inline(i) => inline(i, names),
            Expression::Select { selector, variants } => {
                inline(selector, names);
                for v in variants {
                    for el in &v.value.elements {
                        if let PatternElement::Placeable { expression } = el {
                            expr(expression, names);
                        }
                    }
                }
            }
        }
    }
    for el in &pattern.elements {
        if let PatternElement::Placeable { expression } = el {
            expr(expression, names);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_locales() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh_TW.UTF-8"), None);
        assert_eq!(Lang::parse("de_DE@euro"), Some(Lang::De));
        assert_eq!(Lang::parse("en_GB.UTF-8"), Some(Lang::EnUs));
        assert_eq!(Lang::parse("C"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn locale_variables_in_posix_order() {
        let vars = |all: &'static str, msgs: &'static str, lang: &'static str| {
            move |name: &str| {
                let v = match name {
                    "LC_ALL" => all,
                    "LC_MESSAGES" => msgs,
                    _ => lang,
                };
                (!v.is_empty()).then(|| v.to_string())
            }
        };
        assert_eq!(
            Lang::from_locale_vars(vars("", "", "zh_CN.UTF-8")),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_locale_vars(vars("de_DE", "", "zh_CN")), Lang::De);
        assert_eq!(
            Lang::from_locale_vars(vars("", "zh_CN", "de_DE")),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_locale_vars(vars("", "", "fr_FR")), Lang::EnUs);
        assert_eq!(Lang::from_locale_vars(vars("", "", "")), Lang::EnUs);
    }

    #[test]
    fn plurals_and_grouping_follow_the_language() {
        let bytes = |lang, n: u32| text_in(lang, "count-bytes", &[("count", Arg::from(n))]);
        assert_eq!(bytes(Lang::EnUs, 1), "1 byte");
        assert_eq!(bytes(Lang::EnUs, 2), "2 bytes");
        assert_eq!(bytes(Lang::EnUs, 123456), "123456 bytes");
        assert_eq!(bytes(Lang::ZhCn, 123456), "123456 字节");
        assert_eq!(bytes(Lang::ZhCn, 1), "1 字节");
        assert_eq!(bytes(Lang::De, 123456), "123.456 Bytes");
        assert_eq!(bytes(Lang::De, 1), "1 Byte");
    }

    /// The bundled font has a glyph for every character of every shipped resource
    /// that DejaVu Sans (the Latin fallback) lacks: rerun
    /// `assets/fonts/make-cjk-subset.sh` after editing a translation.
    #[test]
    fn cjk_font_covers_the_translation() {
        let face = ttf_parser::Face::parse(CJK_FONT, 0);
        assert!(face.is_ok(), "the bundled CJK font parses");
        let Ok(face) = face else { return };
        let mut missing: Vec<char> = Lang::ALL
            .iter()
            .flat_map(|l| l.source().chars())
            // CJK ideographs, punctuation and full-width forms (emoji come from egui's
            // own emoji font).
            .filter(|c| matches!(u32::from(*c), 0x2e80..=0x9fff | 0xff00..=0xffef))
            .filter(|c| face.glyph_index(*c).is_none())
            .collect();
        missing.sort_unstable();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "run assets/fonts/make-cjk-subset.sh: no glyph for {missing:?}"
        );
    }

    #[test]
    fn missing_messages_fall_back() {
        assert_eq!(
            text_in(Lang::ZhCn, "no-such-message", &[]),
            "no-such-message"
        );
    }

    /// Every English message exists in each complete language, with the same
    /// placeables; a partial language may lack messages but never has one English
    /// lacks, nor other placeables. Every file parses whole.
    #[test]
    fn translations_are_whole() {
        let english = match messages(Lang::EnUs.source()) {
            Ok(m) => m,
            Err(e) => panic!("en-US: {e}"),
        };
        assert!(english.len() > 40, "{} English messages", english.len());
        let mut problems = Vec::new();
        for lang in Lang::ALL {
            let theirs = match messages(lang.source()) {
                Ok(m) => m,
                Err(e) => {
                    problems.push(format!("{}: {e}", lang.code()));
                    continue;
                }
            };
            let mut seen = std::collections::HashSet::new();
            for (id, _) in &theirs {
                if !seen.insert(id.clone()) {
                    problems.push(format!("{}: {id} is defined twice", lang.code()));
                }
            }
            for (id, names) in &english {
                match theirs.iter().find(|(i, _)| i == id) {
                    None if lang.complete() => {
                        problems.push(format!("{}: {id} is missing", lang.code()))
                    }
                    None => {}
                    Some((_, n)) if n != names => problems.push(format!(
                        "{}: {id} has placeables {n:?}, English has {names:?}",
                        lang.code()
                    )),
                    Some(_) => {}
                }
            }
            for (id, _) in &theirs {
                if !english.iter().any(|(i, _)| i == id) {
                    problems.push(format!("{}: {id} is not in English", lang.code()));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
