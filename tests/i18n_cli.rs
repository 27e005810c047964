//! The CLI in Simplified Chinese (issue 23): `synack.explain` and the ladder follow
//! `--lang` or the locale, with the same numbers as in English; field names and
//! values stay as Wireshark writes them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::process::Command;

/// Runs synack with `args` and the locale variables `env` (nothing else inherited).
fn with_locale(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synack"));
    c.args(args)
        .env("TZ", "UTC")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("run synack");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn explain(lang: &[&str]) -> Vec<String> {
    let path = capture("tcp_clean_close.pcap");
    let mut args = vec![
        "dump",
        "-r",
        path.to_str().unwrap(),
        "-T",
        "fields",
        "-Y",
        "tcp",
    ];
    args.extend_from_slice(&["-e", "frame.number", "-e", "synack.explain"]);
    args.extend_from_slice(lang);
    synack_ok(&args).lines().map(str::to_string).collect()
}

/// The runs of digits in `text`, in order (the numbers a sentence carries).
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn every_tcp_packet_is_explained_in_chinese_with_the_english_numbers() {
    let english = explain(&[]);
    let chinese = explain(&["--lang", "zh-CN"]);
    assert_eq!(english.len(), 10, "frames 9 to 18 are TCP");
    assert_eq!(chinese.len(), english.len());
    for (en, zh) in english.iter().zip(&chinese) {
        assert!(en.is_ascii(), "{en}");
        assert!(zh.chars().any(is_chinese), "{zh}");
        // The same numbers in the same order, except that a sentence may name the
        // state names' digits (FIN-WAIT-1) in another place; compare them as sets
        // of the long numbers (sequence numbers, lengths, ports), then in order.
        let long = |t: &str| -> Vec<String> {
            numbers(t)
                .into_iter()
                .filter(|n| n.len() > 1 || n != "1")
                .collect()
        };
        assert_eq!(long(en), long(zh), "\n{en}\n{zh}");
    }
    assert!(chinese[0].starts_with("9\t客户端请求建立连接，选定初始序列号 x = 4262667675"));
    assert!(chinese[2].contains("三次握手完成"));
}

#[test]
fn the_locale_chooses_the_language_and_english_is_the_fallback() {
    let path = capture("tcp_clean_close.pcap");
    let args = [
        "dump",
        "-r",
        path.to_str().unwrap(),
        "-T",
        "fields",
        "-Y",
        "frame.number == 9",
        "-e",
        "synack.explain",
    ];
    let zh = with_locale(&args, &[("LANG", "zh_CN.UTF-8")]);
    assert!(zh.starts_with("客户端请求建立连接"), "{zh}");
    // LC_ALL outranks LANG; a language synack does not ship falls back to English.
    let fr = with_locale(&args, &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")]);
    assert!(fr.starts_with("The client asks"), "{fr}");
    let none = with_locale(&args, &[]);
    assert!(none.starts_with("The client asks"), "{none}");
    // --lang outranks the locale.
    let mut explicit = args.to_vec();
    explicit.extend_from_slice(&["--lang", "en-US"]);
    assert!(with_locale(&explicit, &[("LANG", "zh_CN.UTF-8")]).starts_with("The client"));
    let de = with_locale(&args, &[("LANG", "de_DE.UTF-8")]);
    assert!(
        de.starts_with("Der Client möchte eine Verbindung öffnen"),
        "{de}"
    );
}

#[test]
fn the_ladder_reads_in_chinese_and_keeps_field_values() {
    let path = capture("tcp_clean_close.pcap");
    let text = synack_ok(&["flow", "-r", path.to_str().unwrap(), "--lang", "zh-CN"]);
    assert!(
        text.starts_with(
            "TCP 流 0：客户端 10.10.0.1:59804 <-> 服务器 10.10.0.2:10805（相对序列号）"
        ),
        "{text}"
    );
    for words in [
        "-- 三次握手 --",
        "-- 数据传输 --",
        "-- 连接释放 --",
        "x = 4262667675（初始序列号）",
        "handshake-1",
        "SYN-SENT*",
        "close-2+3",
        "TIME-WAIT",
    ] {
        assert!(text.contains(words), "{words} in\n{text}");
    }
    // The columns line up in a terminal: a Chinese character takes two columns.
    let header = text
        .lines()
        .find(|l| l.starts_with("帧"))
        .unwrap_or_default();
    let width = |s: &str| {
        s.chars()
            .map(|c| if is_chinese(c) { 2 } else { 1 })
            .sum::<usize>()
    };
    let state_at = header.find("客户端").map(|i| width(&header[..i]));
    let row = text
        .lines()
        .find(|l| l.starts_with("#9 "))
        .unwrap_or_default();
    assert_eq!(state_at, row.find("SYN-SENT"), "\n{header}\n{row}");

    let svg = synack_ok(&[
        "flow",
        "-r",
        path.to_str().unwrap(),
        "--lang",
        "zh-CN",
        "--format",
        "svg",
    ]);
    assert!(svg.contains(">三次握手<"), "the phase bracket");
    assert!(
        svg.contains("Noto Sans CJK SC"),
        "a CJK font in the font list"
    );
    let png = synack::export::raster::svg_to_png(&svg).unwrap_or_default();
    assert_eq!(png.get(1..4), Some(&b"PNG"[..]));
}

/// The lines under the ladder's arrows that are lessons (English: `Frame N ...`,
/// Chinese: `帧 N ...`; not the column header `帧  时间 ...`).
fn lessons(text: &str, start: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| {
            l.strip_prefix(start)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_ladders_lessons_and_the_offload_read_in_chinese_with_the_english_numbers() {
    // tshark: 14 [TCP Window Full], 15 [TCP Retransmission], 16 [TCP ZeroWindow],
    // 17 [TCP Keep-Alive], 23 [TCP Window Update].
    let path = capture("tcp_zero_window_head.pcap");
    let flow = |lang: &str| synack_ok(&["flow", "-r", path.to_str().unwrap(), "--lang", lang]);
    let english = lessons(&flow("en-US"), "Frame ");
    let chinese = lessons(&flow("zh-CN"), "帧 ");
    assert!(!english.is_empty());
    assert_eq!(english.len(), chinese.len());
    // The same numbers, in the order each language puts them.
    let sorted = |s: &str| {
        let mut n = numbers(s);
        n.sort();
        n
    };
    for (e, c) in english.iter().zip(&chinese) {
        assert_eq!(sorted(e), sorted(c), "\n{e}\n{c}");
    }
    for words in [
        "（窗口已满）",
        "首次发送于帧 14",
        "（零窗口）",
        "保活",
        "窗口更新",
    ] {
        assert!(chinese.iter().any(|l| l.contains(words)), "{words}");
    }
    // What each state waits for, from the reading of each step.
    let last = synack_ok(&[
        "flow",
        "-r",
        capture("tcp_refused.pcap").to_str().unwrap(),
        "--lang",
        "zh-CN",
    ]);
    assert!(last.contains("以 RST 回应帧"), "{last}");

    // synack.offload: a partial checksum is checksum offload, the numbers as in English.
    let path = capture("tcp_simultaneous_close.pcap");
    let offload = |lang: &str| {
        synack_ok(&[
            "dump",
            "-r",
            path.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "synack.offload",
            "--lang",
            lang,
        ])
    };
    let (en, zh) = (offload("en-US"), offload("zh-CN"));
    let (en8, zh8) = (
        en.lines().nth(7).unwrap_or_default(),
        zh.lines().nth(7).unwrap_or_default(),
    );
    assert!(
        en8.starts_with("Checksum 0x1445 is not wrong by accident"),
        "{en8}"
    );
    assert!(zh8.starts_with("校验和 0x1445 并非偶然出错"), "{zh8}");
    assert!(
        zh8.contains("（校验和卸载）") && zh8.contains("0x9f39"),
        "{zh8}"
    );
}
