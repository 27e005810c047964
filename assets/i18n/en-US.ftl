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
