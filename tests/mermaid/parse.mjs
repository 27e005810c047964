// Parses Mermaid texts with Mermaid's own parser (the one its renderer uses) and
// prints what it understood, for tests/flow_mermaid.rs.
// Input on stdin: a JSON array of diagram texts. Output on stdout: a JSON array with,
// per text, {"error": message} or {"type", "title", "actors": [[id, description]],
// "messages": [{"from", "to", "message", "type", "placement"}]}.
//
// Parsing needs no DOM, but Mermaid installs DOMPurify hooks when it loads a diagram;
// outside a browser DOMPurify has no hooks, so they are stubbed (nothing is rendered,
// so nothing needs sanitizing).
import DOMPurify from 'dompurify';
DOMPurify.addHook = () => {};
DOMPurify.sanitize = (s) => s;
const { default: mermaid } = await import('mermaid');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    results.push({
      type: diagram.type,
      title: db.getDiagramTitle ? db.getDiagramTitle() : '',
      actors: [...db.getActors().values()].map((a) => [a.name, a.description]),
      messages: db.getMessages().map((m) => ({
        from: m.from ?? null,
        to: m.to ?? null,
        message: m.message ?? '',
        type: m.type,
        placement: m.placement ?? null,
      })),
    });
  } catch (e) {
    results.push({ error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(results));
