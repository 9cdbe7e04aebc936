// A text/event-stream parser as the HTML standard's EventSource runs it: lines end in CRLF, LF or CR (a CR at the
// end of one chunk and its LF at the start of the next are one line end), "data:" lines of one event join with
// "\n", comments and unknown fields are ignored, a blank line dispatches the event when it has data.
// Returns a function to feed decoded text chunks to; onEvent(type, data, id) gets each dispatched event.
export function sseParser(onEvent) {
  let pending = "";        // the unfinished line
  let skipLf = false;      // the previous chunk ended in CR
  let data = [];
  let type = "";
  let lastId = "";
  function line(l) {
    if (l === "") {
      if (data.length > 0) onEvent(type || "message", data.join("\n"), lastId);
      data = [];
      type = "";
      return;
    }
    if (l.charCodeAt(0) === 58) return;                     // ":" comment
    const colon = l.indexOf(":");
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? "" : l.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) lastId = value;
  }
  return (chunk) => {
    let start = 0;
    if (skipLf && chunk.charCodeAt(0) === 10) start = 1;
    skipLf = false;
    for (let i = start; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      line(pending + chunk.slice(start, i));
      pending = "";
      if (c === 13) {
        if (i + 1 === chunk.length) skipLf = true;
        else if (chunk.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    pending += chunk.slice(start);
  };
}
