//! The ladder as Mermaid sequence-diagram text (`synack flow --format mermaid`), for a
//! student's report: the two sockets as participants, one message per packet with its
//! flags and the seed's relation (seq=x, ack=x+1, ...), and each endpoint's RFC 9293
//! state as a note where it changes.
//!
//! One ladder gives one bare diagram (a `.mmd` file). Several are one Markdown
//! document, each diagram under a heading in a `mermaid` code fence, since a Mermaid
//! text holds one diagram only.

use crate::tcp::ladder::{Arrow, Ladder};
use std::fmt::Write as _;

/// Mermaid's statement text ends at `;` and `#` starts an entity code; a line break
/// ends the statement, and `<`/`>` would reach the renderer as markup. Payload text
/// can hold any of them, so each is replaced.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ';' => ',',
            '#' => '№',
            '<' => '‹',
            '>' => '›',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// What one arrow's message says: frame, analysis, flags, then the relation with its
/// numbers, or seq/ack/len for data and plain ACKs.
pub fn message(a: &Arrow) -> String {
    let mut text = format!("{} ", a.frame);
    if !a.analysis.is_empty() {
        text.push_str(&a.analysis);
        text.push(' ');
    }
    text.push_str(&format!("[{}] ", a.flags));
    if a.relation.is_empty() {
        text.push_str(&format!("seq={}", a.seq));
        if let Some(ack) = a.ack {
            text.push_str(&format!(" ack={ack}"));
        }
        if a.len > 0 {
            text.push_str(&format!(" len={}", a.len));
        }
        if !a.app.is_empty() {
            let app: String = a.app.chars().take(60).collect();
            text.push_str(&format!(": {app}"));
        }
    } else {
        text.push_str(&format!("{} · {}", a.relation, a.numbers));
    }
    clean(&text)
}

fn phase_title(phase: &str) -> &'static str {
    match phase {
        "handshake" => "three-way handshake",
        "close" => "close",
        _ => "data",
    }
}

/// One ladder as a sequence diagram, `title` its title line.
pub fn diagram(l: &Ladder, title: &str) -> String {
    // Participant ids: C and S when a SYN told the roles, A and B otherwise.
    let ids = if l.roles[0] == "host" {
        ["A", "B"]
    } else {
        ["C", "S"]
    };
    super::flow::written(|out| {
        writeln!(out, "sequenceDiagram")?;
        let numbering = if l.absolute { "absolute" } else { "relative" };
        writeln!(out, "    title {} ({numbering} numbers)", clean(title))?;
        for ((id, role), endpoint) in ids.iter().zip(&l.roles).zip(&l.endpoints) {
            writeln!(
                out,
                "    participant {id} as {} {}",
                clean(role),
                clean(endpoint)
            )?;
        }
        for (id, state) in ids.iter().zip(&l.initial_states) {
            writeln!(out, "    Note over {id}: {}", clean(state))?;
        }
        let mut phase = "";
        for a in &l.arrows {
            if a.phase != phase {
                phase = &a.phase;
                writeln!(
                    out,
                    "    Note over {},{}: {}",
                    ids[0],
                    ids[1],
                    phase_title(phase)
                )?;
            }
            let from = a.from.min(1);
            // An RST ends in a cross: the connection is torn down.
            let arrow = if a.step == "reset" { "-x" } else { "->>" };
            writeln!(
                out,
                "    {}{arrow}{}: {}",
                ids[from],
                ids[1 - from],
                message(a)
            )?;
            let states = [&a.left_state, &a.right_state];
            for side in 0..2 {
                if a.changed[side] {
                    writeln!(out, "    Note over {}: {}", ids[side], clean(states[side]))?;
                }
            }
        }
        writeln!(
            out,
            "    Note over {},{}: {}",
            ids[0],
            ids[1],
            clean(&l.summary)
        )?;
        Ok(())
    })
}

/// The ladders with their titles: one bare diagram, or a Markdown document with one
/// fenced diagram per ladder when there are several.
pub fn mermaid(ladders: &[(Ladder, String)]) -> String {
    if let [(l, title)] = ladders {
        return diagram(l, title);
    }
    super::flow::written(|out| {
        for (i, (l, title)) in ladders.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "## {}", clean(title))?;
            writeln!(out)?;
            writeln!(out, "```mermaid")?;
            out.push_str(&diagram(l, title));
            writeln!(out, "```")?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_text_cannot_end_a_statement() {
        assert_eq!(clean("a;b#c<d>\ne"), "a,b№c‹d› e");
    }
}
