# synack's messages in English (United States): the reference every other language follows.
# How to add a string: give it an id here, the same id in every complete language (the test
# `i18n::tests::translations_are_whole` fails otherwise), and look it up with `tr!("id")`.
# Protocol field names and values (tcp.flags.syn, ESTABLISHED, handshake-1) are never
# translated: they are what filters and lab sheets use.

## Counts

count-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
count-packets = { $count ->
    [one] { $count } packet
   *[other] { $count } packets
}
list-separator = {", "}

## Roles of the two endpoints

role-client = client
role-server = server
role-host = host
role-host-at = host { $address }

## synack.explain: one sentence per TCP packet, with the real numbers

explain-syn-refused = The { $sender } asks to open a connection to port { $port } with x = { $x }, but nothing listens there: the { $receiver } is CLOSED and will answer with RST.
explain-syn = The { $sender } asks to open a connection and picks its initial sequence number x = { $x }; the { $receiver } answers from { $state }.
explain-syn-ack = The { $sender } accepts: it picks its own initial sequence number y = { $y } and acknowledges the SYN with ack = x+1 = { $ack }.
explain-handshake-ack = The { $sender } acknowledges the { $receiver }'s SYN with ack = y+1 = { $ack }: both ends are now ESTABLISHED and data can flow.
explain-data = The { $sender } sends { $len ->
    [one] { $len } byte
   *[other] { $len } bytes
} of data (relative sequence numbers { $first } to { $next }); the { $receiver } will acknowledge { $next }.
explain-ack = The { $sender } acknowledges everything the { $receiver } sent up to relative sequence number { $ack }; it carries no data.
explain-fin-crossing = The { $sender } has nothing more to send: its FIN has seq = u = { $u } and it moves to FIN-WAIT-1. The { $receiver }'s own FIN is already on its way, so the two FINs cross.
explain-fin = The { $sender } has nothing more to send: its FIN has seq = u = { $u } and it moves to FIN-WAIT-1; the { $receiver } learns the { $sender } is done and moves to CLOSE-WAIT.
explain-fin-ack = The { $sender } acknowledges the { $receiver }'s FIN with ack = u+1 = { $ack }, without a FIN of its own yet; the { $receiver } is now { $state }.
explain-fin-ack-fin = The { $sender } acknowledges the FIN (ack = u+1 = { $ack }) and sends its own FIN (seq = w = { $w }) in the same packet: the close takes three packets.
explain-second-fin-crossed = The { $sender } sends its own FIN (seq = w = { $w }) before it had taken in the { $receiver }'s FIN: the FINs crossed, and both ends are in CLOSING.
explain-second-fin = The { $sender } has finished too: its FIN has seq = w = { $w } and it moves to { $state }.
explain-last-ack = The { $sender } acknowledges the last FIN with ack = w+1 = { $ack }: the { $receiver } is now { $receiver_state } and the { $sender } waits in { $sender_state }.
explain-rst-refused = The { $sender } refuses the connection with RST: nobody listens on port { $port }, so both ends are CLOSED.
explain-rst = The { $sender } aborts the connection with RST: both ends go straight to CLOSED, with no FIN exchange.

## The ladder (synack flow, the flow pane, its SVG and PNG)

note-syn = x = { $x } (initial sequence number)
note-syn-ack = y = { $y } (initial sequence number), x+1 = { $ack }
note-fin-ack-fin = w = { $w }, u+1 = { $ack }: the ACK and the FIN travel in one packet
note-fins-crossed = w = { $w }: the FINs crossed
note-data = seq { $first } to { $next } ({ $len ->
    [one] { $len } byte
   *[other] { $len } bytes
})
phase-handshake = handshake
phase-data = data
phase-close = close
phase-title-handshake = three-way handshake
phase-title-data = data
phase-title-close = close
ladder-seen = { $phases } seen
ladder-fins-crossed = ; the two FINs crossed (simultaneous close)
ladder-close-in-three = ; the second FIN also acknowledged the first (a close in three packets)
ladder-ended-by-rst = ; ended by RST
ladder-heading-relative = TCP stream { $stream }: { $left } <-> { $right }  (relative numbers)
ladder-heading-absolute = TCP stream { $stream }: { $left } <-> { $right }  (absolute numbers)
ladder-col-frame = frame
ladder-col-time = time
ladder-col-step = step
ladder-changed-note = (* the state changed with this packet)
ladder-packet-title = Packet #{ $frame }: { $step }

## The window: menus

menu-file = File
menu-view = View
menu-capture = Capture
menu-go = Go
menu-analyze = Analyze
menu-statistics = Statistics
menu-help = Help
menu-help-about = A packet analyzer that explains TCP.
menu-open = Open…
menu-open-recent = Open Recent
menu-none = (none)
menu-open-sample = Open the sample capture
menu-save-as = Save Capture As…
menu-export = Export Specified Packets…
menu-quit = Quit
menu-go-to-packet = Go to Packet…  (Ctrl+G)
menu-find-packet = Find Packet…  (Ctrl+F)
menu-go-next = Next packet
menu-go-previous = Previous packet
menu-go-first = First packet
menu-go-last = Last packet
menu-go-previous-in-conversation = Previous Packet in Conversation  (Ctrl+,)
menu-go-next-in-conversation = Next Packet in Conversation  (Ctrl+.)
menu-decode-as = Decode As…
menu-colorize = Colorize packet list
menu-teaching = Teaching mode (Step column, explanations)
menu-diagram = Packet diagram (headers as the RFCs draw them)
menu-ladder-view = Ladder View  (L)
menu-leave-ladder-view = Leave Ladder View  (L)
menu-theme = Theme
menu-language = Language
menu-zoom-in = Zoom In  (Ctrl++)
menu-zoom-out = Zoom Out  (Ctrl+−)
menu-zoom-normal = Normal Size  (Ctrl+0)
menu-time-format = Time Display Format
menu-precision-auto = Automatic (from the file)
menu-precision-seconds = Seconds
menu-precision-milliseconds = Milliseconds
menu-precision-microseconds = Microseconds
menu-precision-nanoseconds = Nanoseconds
menu-font-size = Font size
theme-system = Follow the desktop (light or dark)
theme-light = Light
theme-dark = Dark
theme-projector = Projector (high contrast)
time-relative = Seconds Since Beginning of Capture
time-delta = Seconds Since Previous Captured Packet
time-delta-displayed = Seconds Since Previous Displayed Packet
time-absolute = Time of Day
time-absolute-date = Date and Time of Day
time-utc = UTC Time of Day
time-utc-date = UTC Date and Time of Day
time-epoch = Seconds Since 1970-01-01

## The window: start page
start-tagline = See what every TCP packet does: the handshake, the data, the close, and both ends' states.
start-open-sample = ▶  Open the sample capture
start-open-sample-hint = A real connection: three-way handshake, a request and its reply, and a four-way close
start-open-file = Open a capture file…
start-drop-hint = or drop a .pcap / .pcapng / .gz file on this window
start-capture-live = Capture live traffic
start-capture-hint = Pick the card that carries traffic (its line moves), then ▶.
start-recent = Recent files
start-unsaved = Unsaved captures found
start-unsaved-hint = A synack window closed while capturing. Open one to look at it or save it.
start-unsaved-line = { $device } · started { $started } UTC · { $kib } KB
button-open = Open
button-discard = Discard
button-cancel = Cancel
button-close = Close
button-save = Save

## The window: window titles (Statistics windows: `window-` + the English title's slug)
window-flow-graph = Flow Graph
window-conversations = Conversations
window-endpoints = Endpoints
window-expert-information = Expert Information
window-protocol-hierarchy = Protocol Hierarchy
window-io-graph = I/O Graph
window-plots = Plots
window-tcp-stream-graphs = TCP Stream Graphs
window-decode-as = Decode As…
window-export = Export Specified Packets
window-packet-diagram = Packet Diagram
window-follow = Follow TCP Stream (tcp.stream eq { $stream })

## The window: status bar
status-field = { $name } ({ $abbrev }), { $len ->
    [one] { $len } byte
    *[other] { $len } bytes
    }
status-filtering-progress = filtering… { $examined } of { $total } examined
status-filtering = filtering…
status-capturing = Capturing on { $device }
status-capture-stopped-unsaved = Capture on { $device } stopped, not saved
status-capture-stopped = Capture on { $device } stopped
status-capture-counts = { $what } · received { $received } · dropped by kernel { $dropped } · dropped by interface { $if_dropped }
status-loading = loading… { $percent }%
status-loading-cancelled = loading cancelled
status-loaded-in = loaded in { $seconds } s
status-experts-errors = { $errors } errors, { $warnings } warnings
status-experts-warnings = { $warnings } warnings
status-experts-notes = { $notes } notes
status-experts-chats = { $chats } chats
status-no-experts = no expert items
status-experts-hint = Expert items: { $errors } errors, { $warnings } warnings, { $notes } notes, { $chats } chats (click: Expert Information)
status-no-capture = No capture open
status-packets-displayed-percent = Packets: { $total } · Displayed: { $displayed } ({ $percent }%)
status-packets-displayed = Packets: { $total } · Displayed: { $displayed }

## The window: the teaching strip
explain-select-hint = Select a packet: its role in the TCP connection is explained here.
explain-states = sender → { $sender }, receiver → { $receiver }

## The window: toolbar
tool-open = 📂 Open
tool-sample = Sample
tool-sample-hint = Open the bundled sample capture
tool-stop = ■ Stop
tool-stop-hint = Stop capturing (the packets stay)
tool-capture-hint = Capture on { $device } (Capture menu: interface and filter)
tool-capture-choose = Choose an interface in the Capture menu
tool-capture = ▶ Capture
tool-prev = ⏶ Prev
tool-next = ⏷ Next
tool-ladder-view = ⛶ Ladder view
tool-leave-ladder-view = ✖ Ladder view
tool-ladder-view-hint = The selected connection's whole ladder in the window (L)
tool-go-to = Go to…
tool-go-to-hint = Go to packet (Ctrl+G)
tool-find = 🔍 Find…
tool-find-hint = Find packet (Ctrl+F)
tool-zoom-out-hint = Zoom out (Ctrl+−)
tool-zoom-reset-hint = Reset zoom (Ctrl+0)
tool-zoom-in-hint = Zoom in (Ctrl++)

## The window: packet list columns (a field's column keeps its Wireshark name)
column-number = No.
column-time = Time
column-delta = Delta
column-source = Source
column-destination = Destination
column-protocol = Protocol
column-length = Length
column-step = Step
column-info = Info

## The window: filter bar (the filters themselves stay in Wireshark's language)
filter-label = Filter:
filter-hint = Display filter, e.g. tcp.flags.syn == 1 (Enter applies)
filter-apply = Apply
filter-clear = Clear
filter-history = History
filter-saved = Saved ▾
filter-error = ✖ { $message } (at character { $position })
saved-handshake = handshake
saved-handshake-tip = The three-way handshake: SYN, SYN+ACK and the ACK that completes it
saved-close = close
saved-close-tip = The close: FINs and the ACKs of FINs
saved-resets = resets
saved-resets-tip = Connections aborted or refused with RST
saved-retransmissions = retransmissions
saved-retransmissions-tip = Segments sent again
saved-problems = problems
saved-problems-tip = Everything tshark's TCP analysis flags

## The window: detail tabs, ladder view, flow pane
tab-details = Details
tab-ladder = Ladder
tab-ladder-hint = The selected connection as a ladder (L: the whole window)
ladder-back = ✖ Back to the packets
ladder-back-hint = Leave Ladder view (L or Esc)
ladder-prev = ◀ Prev
ladder-prev-hint = Previous packet of this connection (Ctrl+,)
ladder-next = Next ▶
ladder-next-hint = Next packet of this connection (Ctrl+.)
ladder-save-svg = Save SVG…
ladder-save-png = Save PNG…
ladder-view-title = Ladder view
ladder-stream-line = TCP stream { $stream }: { $left } ↔ { $right }
ladder-select-in-strip = select a TCP packet in the strip below
flow-select-hint = Select a TCP packet to see its connection drawn as a ladder.
flow-stream = TCP stream { $stream }
flow-ladder-view-hint = The whole connection in the window (L)
flow-earlier-omitted = ({ $count } earlier packets of this stream not shown)
flow-ladder-view-select = Select a TCP packet: Ladder view draws its whole connection.
flow-later-omitted = ({ $count } later packets not shown)

## The window: packet list menus
related-acked = The selected packet acknowledges this segment
related-request = The request the selected packet answers
related-response = The response to the selected packet
related-other = A packet the selected one refers to
menu-packet = Packet { $frame }
menu-filter-source = Filter on source: { $filter }
menu-filter-destination = Filter on destination: { $filter }
menu-filter-protocol = Filter on protocol: { $filter }
menu-follow-stream = Follow TCP stream { $stream }
menu-filter-stream = Filter on TCP stream { $stream }
menu-ladder-of-connection = Ladder view of this connection (L)
menu-unmark = Unmark packet
menu-mark = Mark packet
menu-reset-columns = Reset columns
column-hint = Right-click: columns
menu-remove-column = Remove column "{ $column }"
menu-move-left = Move left
menu-move-right = Move right

## The window: Go to and Find
search-go-to-label = Go to packet:
search-number-hint = number
search-go-to = Go to packet
search-not-a-number = "{ $text }" is not a packet number
search-find-label = Find:
search-by-filter = Display filter
search-by-hex = Hex value
search-by-string = String
search-in-list = Packet list
search-in-details = Packet details
search-in-bytes = Packet bytes
search-case = Case
search-previous = ◀ Previous
search-next = Find ▶
search-close-hint = Close (Esc)
ladder-title = TCP stream { $stream } of { $file }

## The window: detail tree, bytes, packet diagram
tree-select-hint = Select a packet to see its fields.
tree-expand-hint = Expand or collapse
tree-apply-filter = Apply as filter: { $filter }
tree-prepare-filter = Prepare as filter
tree-graph-field = Graph this field
tree-apply-column = Apply as Column: { $field }
tree-copy-value = Copy value
tree-copy-line = Copy line
bytes-hint = The selected packet's bytes appear here.
diagram-heading = { $protocol } header of packet { $frame } ({ $len ->
    [one] { $len } byte
    *[other] { $len } bytes
    })
diagram-hint = Click a box to select its field in the tree and its bytes.
diagram-none = This packet has no header synack draws (Ethernet, IPv4, IPv6, UDP, TCP, ICMP).
diagram-select-hint = Select a packet to see its headers drawn.
message-dismiss = Dismiss

## The window: capture
capture-filter = Capture filter
capture-filter-hint = BPF, e.g. tcp port 80 (empty: everything)
capture-options = Capture options
capture-kernel-buffer = Kernel buffer
capture-promiscuous = Promiscuous mode
capture-stop-after = Stop after
capture-unit-packets = { " " }packets
capture-unit-seconds = { " " }s
capture-looking = Looking for capture devices…
capture-start-on-hint = Start capturing on { $device }
capture-interfaces = Interfaces
capture-start-on = ▶ Start on { $device }
capture-start = ▶ Start
capture-choose-hint = Choose an interface above (and a valid filter)

## The window: dialogs
quit-heading = Save the captured packets?
quit-body = The { $count } packets captured are only in a temporary file. Quitting without saving throws them away.
quit-save = Save…
quit-discard = Quit without saving
export-displayed = All displayed packets ({ $count })
export-selected = Selected packet ({ $count })
export-marked = Marked packets ({ $count })
export-range = Range:
export-format = Format:
export-pcap-nanos = pcap (nanoseconds)
export-save-as = Save as…
decode-as-intro = Decode the traffic of a port as another protocol (as -d does).
decode-as-add = + Add a row
button-ok = OK
decode-as-field = Field
decode-as-value = Value
decode-as-protocol = Decode as
decode-as-remove = Remove this row
follow-missing = There is no TCP stream { $stream } in this capture.
follow-hex = Hex dump
follow-copy = Copy
follow-hint = Lines indented by a tab were sent by Node 1 (the server side).

## The window: messages
export-range-empty = Type the packets to export in the Range field, e.g. 1-10,15
export-range-invalid = The range "{ $range }" is not a packet range: write N, N-M, N- or -M, e.g. 1-10,15
file-svg = SVG image
file-png = PNG image
file-captures = Captures
file-all = All files
message-damaged = The capture is damaged at byte { $offset }: { $what }. The { $count } packets before the damage are listed. ({ $path })
message-saved-flow = Saved the flow graph to { $path }
message-save-flow-failed = Could not save the flow graph: { $error }
message-saved = Saved { $path }
message-save-failed = Could not save: { $error }
message-exported = Exported to { $path }
message-export-failed = Export failed: { $error }
search-no-packet = There is no packet { $frame }
search-not-displayed = Packet { $frame } is not displayed (filter)
search-hex-help = Hex values are pairs of hex digits, e.g. 47 45 54
search-type-string = Type the string to find
search-searching = Searching…
search-found = Found packet { $frame }
search-no-match = No packet matches
title-capturing = synack — capturing on { $device }

## Statistics windows: headings (`heading-` + the English heading's slug) and words
heading-sort = Sort
heading-address-a = Address A
heading-port-a = Port A
heading-address-b = Address B
heading-port-b = Port B
heading-packets = Packets
heading-bytes = Bytes
heading-packets-a-b = Packets A → B
heading-bytes-a-b = Bytes A → B
heading-packets-b-a = Packets B → A
heading-bytes-b-a = Bytes B → A
heading-rel-start = Rel Start
heading-duration = Duration
heading-bitss-a-b = Bits/s A → B
heading-bitss-b-a = Bits/s B → A
heading-completeness = Completeness
heading-final-states-a-b = Final states A / B
heading-address = Address
heading-port = Port
heading-tx-packets = Tx Packets
heading-tx-bytes = Tx Bytes
heading-rx-packets = Rx Packets
heading-rx-bytes = Rx Bytes
heading-severity = Severity
heading-group = Group
heading-protocol = Protocol
heading-count = Count
heading-summary = Summary
heading-percent-packets = Percent packets
conv-filter-both = Filter on { $a } ↔ { $b }
conv-filter-one = Filter on { $a } → { $b }
conv-open-ladder = Open its ladder
conv-open-stream-graph = Open its stream graph
stats-limit = Limit to display filter
stats-no-filter = No display filter is applied
stats-counting = Counting…
endpoint-filter = Filter on it
endpoint-filter-source = Filter on it as source
endpoint-filter-destination = Filter on it as destination
experts-none = No expert items.
flows-counts = { $nodes } node(s), { $items } item(s)
flows-not-drawn = ; the last { $count } packets are not drawn: limit the graph to a display filter

## Statistics windows: graphs (`graph-`, `axis-`, `series-` + the English name's slug)
heading-name = Name
heading-display-filter = Display filter
heading-colour = Colour
heading-style = Style
heading-y-axis = Y axis
heading-y-field = Y field
graph-packets = Packets
graph-bytes = Bytes
graph-bits = Bits
graph-line = Line
graph-bar = Bar
graph-dot = Dot
graph-step = Step
graph-time-sequence-stevens = Time-Sequence (Stevens)
graph-time-sequence-tcptrace = Time-Sequence (tcptrace)
graph-throughput = Throughput
graph-round-trip-time = Round Trip Time
graph-window-scaling = Window Scaling
graph-title = { $graph } for { $direction }
graph-stream = Stream
graph-switch = Switch direction
graph-switch-hint = Graph the other direction's data
graph-relative = Relative sequence numbers
graph-average-over = Average over
graph-reading = Reading the stream…
graph-no-stream = No TCP stream: select a TCP packet, or pick a stream number.
graph-points = { $count } points
graph-sums = → { $out_segments } segments, { $out_bytes } bytes ← { $back_segments } segments, { $back_bytes } bytes
axis-time = Time (s)
axis-sequence-number-b = Sequence number (B)
axis-throughput-bitss = Throughput (bits/s)
axis-round-trip-time-ms = Round trip time (ms)
axis-bytes = Bytes
series-segment = segment
series-receive-window = receive window
series-retransmission = retransmission
series-duplicate-ack = duplicate ACK
series-zero-window = zero window
series-segment-throughput = segment throughput
series-bytes-in-flight = bytes in flight
series-average-over = average over { $seconds } s
io-every-packet = every packet
io-next-colour = Next colour
io-remove = Remove
io-values = Values
io-interval-start = Interval start (s)
io-per-interval = { $unit } per { $interval }
io-add-graph = + Add a graph
io-interval = Interval
io-log-scale = Log scale
chart-save-csv = Save CSV…
chart-hint = Drag to pan · Ctrl+scroll to zoom · right-drag a box to zoom into it · double-click to reset · click a point to select its packet

## The synack pseudo-protocol's tree line
synack-label = synack: { $step } (sender { $sender }, receiver { $receiver })
synack-label-relation = , { $relation }
plots-plot = Plot
plots-values = { $count } values of { $field }
bytes-frame = Frame ({ $len } bytes)
plots-title = { $field } against time

## Lessons: what an analysis mark means (tcp/lessons.rs, under the ladder)

lesson-range-bytes = bytes { $first }–{ $last }
lesson-range-byte = byte { $first }
lesson-syn-again = Frame { $frame } sends the SYN of frame { $original } again: no SYN+ACK came back, so the { $sender } tries once more.
lesson-syn-again-alone = Frame { $frame } sends its SYN again: no SYN+ACK came back.
lesson-spurious = Frame { $frame } resends { $range } although the { $receiver } had already acknowledged them in frame { $acked }: a needless (spurious) retransmission.
lesson-spurious-alone = Frame { $frame } resends { $range } that were already acknowledged: a needless (spurious) retransmission.
lesson-fast-retransmission = Frame { $frame } resends { $range }{ $first_sent } at once, without waiting for a timeout: the { $receiver }'s duplicate ACKs{ $dups } said it still misses byte { $seq }.
lesson-first-sent = {" "}first sent in frame { $frame }
lesson-dups-one = {" "}(frame { $frame })
lesson-dups-many = {" "}(frames { $first } to { $last })
lesson-retransmission = Frame { $frame } resends { $range } first sent in frame { $original }: no ACK for them came back in time, so the { $sender } sent them again.
lesson-retransmission-alone = Frame { $frame } resends { $range }: the { $sender } got no ACK for them in time.
lesson-out-of-order = Frame { $frame } carries { $range }, which come before bytes already sent in frame { $highest }: it arrived out of order.
lesson-out-of-order-alone = Frame { $frame } carries { $range } out of order.
lesson-dup-ack = Frame { $frame } repeats the ACK of frame { $original } (ack { $ack }): the { $sender } still waits for byte { $ack }, so later bytes arrived but one segment before them is missing.
lesson-dup-ack-alone = Frame { $frame } repeats an earlier ACK (ack { $ack }): the { $sender } still waits for byte { $ack }.
lesson-zero-window = Frame { $frame } advertises a window of 0: the { $sender }'s receive buffer is full, so the { $receiver } must stop sending until the window opens again.
lesson-window-full = Frame { $frame } fills the { $window }-byte window the { $receiver } advertised in frame { $advertised }: the { $sender } must now wait for an ACK before sending more.
lesson-window-full-alone = Frame { $frame } fills the { $receiver }'s window: the { $sender } must wait for an ACK before sending more.
lesson-keep-alive = Frame { $frame } is a keep-alive: it repeats the byte before the next one (seq { $seq }) only to ask whether the { $receiver } is still there.
lesson-zero-window-probe = Frame { $frame } probes the { $receiver }'s zero window with one byte, to learn when it opens.
lesson-window-update = Frame { $frame } only changes the window, from { $old } bytes (frame { $previous }) to { $window }: no data and no new ACK, it tells the { $receiver } it may send more.
lesson-window-update-alone = Frame { $frame } only changes the window (to { $window } bytes): it tells the { $receiver } it may send more.
lesson-refused = Frame { $frame } answers the SYN of frame { $syn } with RST: nothing listens on port { $port }, so the connection is refused.
lesson-reset = Frame { $frame } resets the connection: the { $sender } aborts it at once, neither side sends more, and data not yet delivered is lost.
lesson-unanswered-syn = Nothing answered the SYN of frame { $frame }: no SYN+ACK and no RST came back, so the { $receiver } is down, unreachable, or a firewall dropped it.
lesson-waiting = Now the { $left } ({ $left_state }) waits for { $left_waits }; the { $right } ({ $right_state }) waits for { $right_waits }.
waits-closed = nothing: it has no connection
waits-listen = a SYN
waits-syn-sent = the SYN+ACK answering its SYN
waits-syn-received = the ACK of its SYN
waits-established = data, or a FIN to start the close
waits-fin-wait-1 = the ACK of its FIN
waits-fin-wait-2 = the peer's FIN
waits-close-wait = its application to close, then it sends its own FIN
waits-closing = the ACK of its FIN (the two FINs crossed)
waits-last-ack = the ACK of its FIN, then it is closed
waits-time-wait = twice the maximum segment lifetime, in case its last ACK was lost
waits-other = the next packet

## synack.offload: what a checksum or a segment size says about the network card

offload-partial = Checksum { $field } is not wrong by accident: it is only the pseudo-header sum (a "partial" checksum). The sending host left the rest to its network card (checksum offload), which fills in { $correct } after the capture point saw the packet. This is not corruption.
offload-wrong = Checksum { $field } is wrong (it should be { $correct }): if every packet this host sends has a wrong checksum, its network card computes them (checksum offload) after the capture; otherwise the segment was damaged.
offload-tso-syn = This segment carries { $len } bytes, more than the { $mss }-byte MSS (maximum segment size) the SYNs announced, so it never crossed the wire in one piece: the sending kernel built one large segment (TSO/GSO, segmentation offload) and the network card cuts it into packets of at most { $mss } bytes after the capture point saw it. Nothing is wrong with the connection.
offload-tso = This segment carries { $len } bytes, more than the { $mss }-byte MSS of an Ethernet path: the kernel built one large segment (TSO/GSO) and the network card cuts it into MSS-sized packets after the capture point.

## The ladder's arithmetic (beside each arrow)

arith-data = seq { $seq } + len { $len } = { $end }: the peer will ack { $end }
arith-ack = ack { $ack } = { $seq } + { $len } (seq + len of #{ $frame })
arith-absolute = absolute: seq { $seq }, ack { $ack }
arith-absolute-no-ack = absolute: seq { $seq }
arith-join = {"; "}

## The window: step, predict and reorder modes, the connection picker

teach-first = ⏮ First
teach-first-hover = Back to the connection's first packet
teach-prev = ◀ Previous
teach-prev-hover = Previous packet of this connection (← or Ctrl+,)
teach-next = Next ▶
teach-next-hover = Next packet of this connection (→ or Ctrl+.)
teach-play = ▶ Play
teach-pause = ⏸ Pause
teach-play-hover = Step through the connection by itself (Space)
teach-pace = Pace
teach-pace-seconds = { $seconds } s per packet
teach-position = Packet { $at } of { $of }
teach-predict = Predict
teach-predict-hover = Quiz: the ladder hides what comes next, you say what the next packet carries
teach-reorder = Reorder handshake and close
teach-student = Student
teach-student-hover = Explanations and lessons under the ladder (off: expert, the ladder alone)
teach-picker = Connections…
teach-picker-title = Choose a connection
teach-arithmetic = Arithmetic
teach-arithmetic-hover = Write ack = seq + len on each arrow and link each ACK to the segment it acknowledges
teach-absolute-too = Absolute too
teach-absolute-too-hover = Show the absolute numbers (tcpdump -S) beside the relative ones
teach-score = Score for stream { $stream }: { $right } right of { $asked }
teach-question-ack = What acknowledgment number does the { $sender } send in the next packet (frame { $frame })? Type it as the ladder counts (relative: each side's first sequence number is 0) or as the absolute number on the wire; type "none" if its ACK flag is off.
teach-question-flags = Which flags does the next packet (frame { $frame }, from the { $sender }) carry?
teach-question-states = After the next packet (frame { $frame }, from the { $sender }), which states are the two endpoints in (left / right)?
teach-ask-ack = Ask its ack number
teach-ask-flags = Ask its flags
teach-ask-states = Ask the next states
teach-check = Check
teach-verdict-right = Right. { $why }
teach-verdict-wrong = Not quite. { $why }
teach-why-ack-relation = Frame { $frame } carries ack { $ack }{ $wire }: { $relation }. { $explain }
teach-why-ack = Frame { $frame } carries ack { $ack }{ $wire }: the { $sender } acknowledges every byte before { $ack }, the next one it expects.
teach-ack-on-the-wire = {" "}in relative numbers ({ $raw } on the wire)
teach-why-no-ack = Frame { $frame } has no ACK flag, so no acknowledgment number.
teach-why-flags = Frame { $frame } carries { $flags }: { $explain }
teach-why-states = After frame { $frame } the left endpoint is { $left } and the right one { $right }: { $explain }
teach-reorder-help = These packets of the handshake and the close are shuffled: click them in the order they were sent. x and y are the client's and the server's initial sequence numbers, u and w the sequence numbers of the first and the second FIN.
teach-quiz-error = Quiz file: { $what }: { $path }
teach-quiz-no-file-name = the capture has no file name
teach-export-quiz = Export quiz…
teach-export-quiz-hover = Save this connection as a quiz file (with a copy of the capture) that students open
teach-next-question = Next question ▶
teach-quiz-position = Question { $at } of { $of }
teach-ladder-hidden = The ladder is hidden while you put the handshake and the close back in order.
teach-start-over = Start over
teach-close = Close
teach-order-right = Right: x comes before x+1, y before y+1, u before u+1 and w before w+1, so this is the order the packets were sent.
teach-order-wrong = Not quite: each ack must answer a seq already sent (ack=x+1 after seq=x, ack=u+1 after seq=u). Start over and try again.
teach-col-stream = stream
teach-col-client = client
teach-col-server = server
teach-col-packets = packets
teach-col-duration = duration
teach-duration = { $seconds } s
teach-col-outcome = how it went
teach-col-meaning = what that means
teach-badge-complete = complete
teach-badge-reset = reset
teach-badge-refused = refused
teach-badge-syn-only = syn-only
teach-badge-no-close = no-close
teach-badge-mid-stream = mid-stream
teach-badge-hover-complete = handshake and close both seen
teach-badge-hover-reset = ended by RST after the handshake
teach-badge-hover-refused = the SYN was answered by RST: nothing listened
teach-badge-hover-syn-only = a SYN that nothing answered
teach-badge-hover-no-close = handshake seen, but no FIN or RST
teach-badge-hover-mid-stream = the capture started after the handshake
teach-open-ladder = Open its ladder

## The window: messages from opening a file and from a live capture (the reason the
## system or the capture helper gives stays as it came, inside the frame)
message-cannot-read = cannot read { $path }: { $error }
io-not-found = { $system }
io-permission-denied = { $system }
open-not-a-capture = not a capture file: it starts with { $magic }, expected a pcap (a1b2c3d4), pcapng (0a0d0d0a) or gzip (1f8b) magic number: { $path }
open-too-short = the file is too short to be a capture ({ $len } bytes; a { $format } file header needs { $needed }): { $path }
open-no-room = not opened: { $path } inflates to { $needed } or more, and the temporary folder { $dir } has { $free } free; set TMPDIR to a folder with more room, or gunzip the file where there is room and open that
open-bad-header = { $what }: { $path }
message-sample-unwritable = cannot write the sample capture to { $path }: { $error }
message-capture-gone = the capture is no longer available
message-export-running = an export is already running; wait for it to finish
message-no-thread = cannot start the { $name } thread: { $error }
message-capture-failed = The capture did not start: { $reason }
message-capture-ended = { $reason }
capture-cannot-create = cannot create the capture file { $path }: { $error }; check that the temporary folder is writable
capture-no-reader = cannot start the status reader thread: { $error }
capture-no-pipe = the capture helper has no stderr pipe
capture-helper-ended = the capture helper { $program } ended: { $status }
capture-unreadable = the capture file could not be read
capture-lost-helper = lost the capture helper: { $error }
capture-no-devices = { $reason }
filter-refused = { $message } (at character { $position })
search-example = e.g. { $example }
bytes-source = { $name } ({ $len } bytes)

## Statistics windows: I/O graph names, intervals and units
io-all-packets = All packets
io-tcp-errors = TCP errors
io-graph-number = Graph { $number }
io-not-a-field = "{ $field }" is not a field
graph-1-ms = 1 ms
graph-10-ms = 10 ms
graph-100-ms = 100 ms
graph-1-s = 1 s
graph-10-s = 10 s
graph-1-min = 1 min
graph-10-min = 10 min
graph-sumy-field = SUM(Y Field)
graph-miny-field = MIN(Y Field)
graph-maxy-field = MAX(Y Field)
graph-avgy-field = AVG(Y Field)
graph-county-field = COUNT(Y Field)

## The connection picker: a connection's notes (`synack flows`' words)
teach-badge-notes = { $badge } ({ $notes })
teach-note-separator = ,
teach-note-half-close = half-close
teach-note-simultaneous-close = simultaneous-close
teach-note-three-packet-close = three-packet-close
teach-note-one-fin = one-fin
teach-note-rst-after-close = rst-after-close
teach-note-syn-retransmitted = syn-retransmitted
teach-note-simultaneous-open = simultaneous-open
teach-note-partial-handshake = partial-handshake
teach-note-ports-reused = ports-reused

## The capture menu: a device's state (`synack interfaces` keeps these words in English)
capture-device-up = up
capture-device-down = down
capture-device-running = running
capture-device-loopback = loopback
capture-device-wireless = wireless
capture-device-separator = {", "}
capture-rate = { $rate }/s
teach-quiz-files = synack quiz
