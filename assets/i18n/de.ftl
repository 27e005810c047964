# synacks Meldungen auf Deutsch (teilweise übersetzt: was fehlt, erscheint auf Englisch).
# Protokollfeldnamen und -werte (tcp.flags.syn, ESTABLISHED, handshake-1) bleiben, wie Wireshark sie schreibt.

count-bytes = { $count ->
    [one] { $count } Byte
   *[other] { $count } Bytes
}
count-packets = { $count ->
    [one] { $count } Paket
   *[other] { $count } Pakete
}
list-separator = {", "}

role-client = Client
role-server = Server
role-host = Host
role-host-at = Host { $address }

explain-syn-refused = Der { $sender } möchte eine Verbindung zu Port { $port } mit x = { $x } öffnen, aber dort lauscht niemand: der { $receiver } ist CLOSED und antwortet mit RST.
explain-syn = Der { $sender } möchte eine Verbindung öffnen und wählt seine initiale Sequenznummer x = { $x }; der { $receiver } antwortet aus { $state }.
explain-syn-ack = Der { $sender } nimmt an: er wählt seine eigene initiale Sequenznummer y = { $y } und bestätigt das SYN mit ack = x+1 = { $ack }.
explain-handshake-ack = Der { $sender } bestätigt das SYN des { $receiver }s mit ack = y+1 = { $ack }: beide Seiten sind jetzt ESTABLISHED, Daten können fließen.
explain-data = Der { $sender } sendet { $len ->
    [one] { $len } Byte
   *[other] { $len } Bytes
} Daten (relative Sequenznummern { $first } bis { $next }); der { $receiver } wird { $next } bestätigen.
explain-ack = Der { $sender } bestätigt alles, was der { $receiver } bis zur relativen Sequenznummer { $ack } gesendet hat; das Segment trägt keine Daten.
explain-fin-crossing = Der { $sender } hat nichts mehr zu senden: sein FIN hat seq = u = { $u }, er geht nach FIN-WAIT-1. Das FIN des { $receiver }s ist schon unterwegs, die beiden FINs kreuzen sich.
explain-fin = Der { $sender } hat nichts mehr zu senden: sein FIN hat seq = u = { $u }, er geht nach FIN-WAIT-1; der { $receiver } erfährt, dass der { $sender } fertig ist, und geht nach CLOSE-WAIT.
explain-fin-ack = Der { $sender } bestätigt das FIN des { $receiver }s mit ack = u+1 = { $ack }, noch ohne eigenes FIN; der { $receiver } ist jetzt { $state }.
explain-fin-ack-fin = Der { $sender } bestätigt das FIN (ack = u+1 = { $ack }) und sendet im selben Paket sein eigenes FIN (seq = w = { $w }): der Abbau braucht drei Pakete.
explain-second-fin-crossed = Der { $sender } sendet sein eigenes FIN (seq = w = { $w }), bevor er das FIN des { $receiver }s verarbeitet hatte: die FINs haben sich gekreuzt, beide Seiten sind in CLOSING.
explain-second-fin = Auch der { $sender } ist fertig: sein FIN hat seq = w = { $w }, er geht nach { $state }.
explain-last-ack = Der { $sender } bestätigt das letzte FIN mit ack = w+1 = { $ack }: der { $receiver } ist jetzt { $receiver_state }, der { $sender } wartet in { $sender_state }.
explain-rst-refused = Der { $sender } lehnt die Verbindung mit RST ab: an Port { $port } lauscht niemand, beide Seiten sind CLOSED.
explain-rst = Der { $sender } bricht die Verbindung mit RST ab: beide Seiten gehen ohne FIN-Austausch direkt nach CLOSED.

note-syn = x = { $x } (initiale Sequenznummer)
note-syn-ack = y = { $y } (initiale Sequenznummer), x+1 = { $ack }
note-fin-ack-fin = w = { $w }, u+1 = { $ack }: ACK und FIN reisen in einem Paket
note-fins-crossed = w = { $w }: die FINs haben sich gekreuzt
note-data = seq { $first } bis { $next } ({ $len ->
    [one] { $len } Byte
   *[other] { $len } Bytes
})
phase-handshake = Handshake
phase-data = Daten
phase-close = Abbau
phase-title-handshake = Drei-Wege-Handshake
phase-title-data = Daten
phase-title-close = Verbindungsabbau
ladder-seen = gesehen: { $phases }
ladder-fins-crossed = ; die beiden FINs haben sich gekreuzt (gleichzeitiger Abbau)
ladder-close-in-three = ; das zweite FIN bestätigte auch das erste (Abbau in drei Paketen)
ladder-ended-by-rst = ; durch RST beendet
ladder-heading-relative = TCP-Stream { $stream }: { $left } <-> { $right }  (relative Nummern)
ladder-heading-absolute = TCP-Stream { $stream }: { $left } <-> { $right }  (absolute Nummern)
ladder-col-frame = Frame
ladder-col-time = Zeit
ladder-col-step = Schritt
ladder-changed-note = (* der Zustand änderte sich mit diesem Paket)
ladder-packet-title = Paket #{ $frame }: { $step }

menu-file = Datei
menu-view = Ansicht
menu-capture = Aufzeichnen
menu-go = Navigation
menu-analyze = Analyse
menu-statistics = Statistiken
menu-help = Hilfe
menu-language = Sprache
menu-theme = Design
menu-quit = Beenden
menu-open = Öffnen…

# Lehrmodi: Schrittleiste, Vorhersage, Sortierübung, Verbindungsauswahl (die längeren Sätze fehlen noch).
teach-first = ⏮ Erstes
teach-first-hover = Zurück zum ersten Paket der Verbindung
teach-prev = ◀ Zurück
teach-prev-hover = Voriges Paket dieser Verbindung (← oder Strg+,)
teach-next = Weiter ▶
teach-next-hover = Nächstes Paket dieser Verbindung (→ oder Strg+.)
teach-play = ▶ Abspielen
teach-pause = ⏸ Pause
teach-play-hover = Die Verbindung von selbst durchlaufen (Leertaste)
teach-pace = Tempo
teach-pace-seconds = { $seconds } s pro Paket
teach-position = Paket { $at } von { $of }
teach-predict = Vorhersagen
teach-reorder = Handshake und Abbau ordnen
teach-student = Lernende
teach-picker = Verbindungen…
teach-picker-title = Eine Verbindung wählen
teach-arithmetic = Rechnung
teach-absolute-too = Auch absolut
teach-score = Punkte für Stream { $stream }: { $right } richtig von { $asked }
teach-ask-ack = Nach der ACK-Nummer fragen
teach-ask-flags = Nach den Flags fragen
teach-ask-states = Nach den nächsten Zuständen fragen
teach-check = Prüfen
teach-verdict-right = Richtig. { $why }
teach-verdict-wrong = Nicht ganz. { $why }
teach-export-quiz = Quiz exportieren…
teach-next-question = Nächste Frage ▶
teach-quiz-position = Frage { $at } von { $of }
teach-start-over = Neu beginnen
teach-close = Schließen
teach-col-stream = Stream
teach-col-client = Client
teach-col-server = Server
teach-col-packets = Pakete
teach-col-duration = Dauer
teach-duration = { $seconds } s
teach-col-outcome = Verlauf
teach-col-meaning = Bedeutung
teach-open-ladder = Leiter öffnen
lesson-waiting = Jetzt wartet der { $left } ({ $left_state }) auf { $left_waits }; der { $right } ({ $right_state }) wartet auf { $right_waits }.
waits-closed = nichts: er hat keine Verbindung
waits-listen = ein SYN
waits-syn-sent = das SYN+ACK auf sein SYN
waits-syn-received = das ACK seines SYN
waits-established = Daten oder ein FIN, das den Abbau beginnt
waits-fin-wait-1 = das ACK seines FIN
waits-fin-wait-2 = das FIN der Gegenseite
waits-close-wait = das Schließen durch seine Anwendung, dann sendet er sein eigenes FIN
waits-closing = das ACK seines FIN (die beiden FINs haben sich gekreuzt)
waits-last-ack = das ACK seines FIN, dann ist er geschlossen
waits-time-wait = die doppelte maximale Segmentlebensdauer (2 MSL), falls sein letztes ACK verloren ging
waits-other = das nächste Paket
arith-absolute = absolut: seq { $seq }, ack { $ack }
arith-absolute-no-ack = absolut: seq { $seq }
