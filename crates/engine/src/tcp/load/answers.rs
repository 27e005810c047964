//! The load pass's answers to the dissectors: [`FirstPass`] implements
//! [`Analysis`] by computing each answer (and recording it) as the packets come in
//! capture order, as tshark's first pass does.

use super::*;
impl Analysis for FirstPass<'_> {
    fn tcp(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<TcpFrameInfo> {
        Some(self.state.borrow_mut().segment(frame, segment))
    }

    fn teaching(&self, _frame: u32, _segment: &TcpSegment<'_>) -> Option<Teaching> {
        None
    }

    fn transaction(&self, frame: u32, key: &TransactionKey, is_response: bool) -> Option<Linked> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&key.requester, &key.responder);
        if key.proto == 53 {
            return dns_transaction(&mut st, frame, key, is_response);
        }
        if is_response {
            let request = st.pass.transactions.get(key).copied()?;
            st.results
                .requests
                .insert(frame, (request.frame, key.proto));
            Some(request)
        } else {
            let ts_nanos = st.pass.current_ts;
            st.pass
                .transactions
                .insert(*key, Linked { frame, ts_nanos });
            None
        }
    }

    fn dns_retransmit(&self, frame: u32) -> Option<u32> {
        self.state
            .borrow()
            .results
            .dns_retransmits
            .get(frame)
            .copied()
    }

    fn http_link(&self, frame: u32, message: &HttpMessage<'_>) -> Option<HttpLink> {
        let mut st = self.state.borrow_mut();
        if st.results.http_links.get(frame).is_some() {
            // A second message in the same frame: tshark links each; one is kept.
            return None;
        }
        let conv = st.pass.http.entry(message.stream).or_default();
        let link = if message.is_response {
            conv.responses = conv.responses.saturating_add(1);
            let number = conv.responses;
            let request = conv.requests.get(number as usize - 1);
            let link = HttpLink {
                number,
                prev_request: (number as usize)
                    .checked_sub(2)
                    .and_then(|i| conv.requests.get(i))
                    .map(|r| r.0),
                prev_response: conv.last_response,
                request_in: request.map(|r| r.0),
                request_ts_nanos: request.map(|r| r.1),
                request_uri: request.and_then(|r| r.2.clone()),
                is_response: true,
                ..HttpLink::default()
            };
            conv.last_response = Some(frame);
            link
        } else {
            let prev_request = conv.requests.last().map(|r| r.0);
            conv.requests
                .push((frame, message.ts_nanos, message.uri.map(Box::from)));
            HttpLink {
                number: conv.requests.len() as u32,
                prev_request,
                ..HttpLink::default()
            }
        };
        st.results.http_links.insert(frame, link.clone());
        Some(link)
    }

    fn pdu_parts(&self, frame: u32) -> Option<PduParts> {
        // Handed over rather than copied: the segment's one dissection takes them.
        let mut st = self.state.borrow_mut();
        match st.pass.completed.take() {
            Some((f, parts)) if f == frame => Some(parts),
            other => {
                st.pass.completed = other;
                None
            }
        }
    }

    fn udp(&self, frame: u32, key: &UdpKey, quoted: bool) -> Option<UdpInfo> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&key.a.0, &key.b.0);
        let now = st.pass.current_ts;
        let next = u32::try_from(st.pass.udp.len()).ok()?;
        let local = *st.pass.udp.entry(*key).or_insert(next);
        if local == next {
            st.pass.udp_times.push((now, frame, now));
            if st.pass.partition.is_none() {
                st.results.udp_first.push(frame);
            }
        }
        // A partition's numbers carry the partition until the merge numbers them all.
        let stored = match st.pass.partition {
            Some(p) => u32::from(p) << 27 | local,
            None => local,
        };
        let already = st.results.udp.last_frame() == Some(frame);
        let times = st.pass.udp_times.get_mut(local as usize)?;
        if quoted {
            if !already {
                st.results
                    .udp
                    .insert(frame, (stored, crate::tcp::results::UDP_QUOTED));
            }
            return Some(UdpInfo {
                stream: local,
                times: None,
            });
        }
        let (first_ts, prev_frame, prev_ts) = *times;
        let prev = if local == next { frame } else { prev_frame };
        *times = (first_ts, frame, now);
        // The first UDP layer of a frame is the one kept (a tunnel's inner one is not).
        if !already {
            st.results.udp.insert(frame, (stored, prev));
        }
        Some(UdpInfo {
            stream: local,
            times: Some((now.saturating_sub(first_ts), now.saturating_sub(prev_ts))),
        })
    }

    fn quoted_tcp(&self, frame: u32, s: &TcpSegment<'_>) -> Option<(u32, u8)> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&s.src, &s.dst);
        let (key, _) = ConversationKey::new((s.src, s.src_port), (s.dst, s.dst_port));
        let streams = &st.results.streams;
        let stream = st
            .pass
            .conversations
            .get(&key, |id| streams.key(id as usize))?;
        let completeness = st.full_live(stream)?.completeness;
        st.results.quoted_tcp.insert(frame, (stream, completeness));
        Some((stream, completeness))
    }

    fn ftp_control(&self, frame: u32, message: &FtpControl<'_>) -> Option<Arc<str>> {
        let mut st = self.state.borrow_mut();
        if let Some(e) = &message.announces {
            // The data connection must fall in this partition for its frames to find it.
            st.pass.touch(&e.a.0, &e.b);
        }
        let cwd = st.pass.ftp.control(frame, message);
        st.results.ftp.cwd.insert(frame, cwd.clone());
        Some(cwd)
    }

    fn ftp_data(
        &self,
        frame: u32,
        src: (crate::dissect::ipv4::Addr, u16),
        dst: (crate::dissect::ipv4::Addr, u16),
    ) -> Option<Arc<FtpDataLink>> {
        let mut st = self.state.borrow_mut();
        let link = st.pass.ftp.data_link(src, dst)?;
        st.results.ftp.data.insert(frame, link.clone());
        Some(link)
    }

    fn rtp_announce(&self, _frame: u32, carrier: (Addr, Addr), media: &[RtpAnnounce]) {
        let mut st = self.state.borrow_mut();
        for m in media {
            // The media flows between hosts the split cannot know yet when SDP names a
            // third address: a parallel load then starts over on one thread.
            if m.addr != carrier.0 && m.addr != carrier.1 && st.pass.partition.is_some() {
                st.pass.conflict = true;
            }
        }
        st.pass.rtp.announce(media);
    }

    fn rtp(&self, frame: u32, src: (Addr, u16), dst: (Addr, u16)) -> Option<Arc<RtpLink>> {
        let mut st = self.state.borrow_mut();
        let link = st.pass.rtp.lookup(src, dst)?;
        st.results.rtp.insert(frame, link.clone());
        Some(link)
    }

    fn request_link(
        &self,
        frame: u32,
        key: &TransactionKey,
        ts_nanos: i64,
        is_response: bool,
    ) -> Option<(u32, i64)> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&key.requester, &key.responder);
        let found = st.pass.ftp.request(frame, key, ts_nanos, is_response)?;
        // A frame may answer several tags: each keeps its own link.
        let mut links = st
            .results
            .ftp
            .requests
            .get(frame)
            .cloned()
            .unwrap_or_default();
        links.push((crate::tcp::ftp_link::tag_hash(key), found.0, found.1));
        st.results.ftp.requests.insert(frame, links);
        Some(found)
    }

    fn arp_binding(
        &self,
        frame: u32,
        mac: [u8; 6],
        ip: [u8; 4],
        target: bool,
    ) -> Option<ArpDuplicate> {
        let mut st = self.state.borrow_mut();
        // ARP carries no IP header: a parallel load routes it all to partition 0,
        // whose pass alone keeps the bindings.
        if st.pass.partition.is_some_and(|p| p != 0) {
            st.pass.conflict = true;
        }
        let secs = st.pass.current_ts.div_euclid(1_000_000_000);
        let found = st.pass.arp.check(frame, mac, ip, secs)?;
        let mut pair = st.results.arp.get(frame).copied().unwrap_or_default();
        if let Some(slot) = pair.get_mut(usize::from(target)) {
            *slot = Some(found);
        }
        st.results.arp.insert(frame, pair);
        Some(found)
    }

    fn quic(
        &self,
        frame: u32,
        src: (Addr, u16),
        dst: (Addr, u16),
        payload: &[u8],
        heuristic: bool,
    ) -> Option<QuicDatagram> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&src.0, &dst.0);
        let State { pass, results, .. } = &mut *st;
        pass.quic
            .record((frame, &mut results.quic), src, dst, payload, heuristic)
    }

    fn quic_crypto_reused(
        &self,
        frame: u32,
        conn: u32,
        from_server: bool,
        offset: u64,
        len: u64,
    ) -> bool {
        let mut st = self.state.borrow_mut();
        let State { pass, results, .. } = &mut *st;
        pass.quic
            .crypto((frame, &mut results.quic), (conn, from_server), offset, len)
    }

    fn smtp(&self, frame: u32, stream: u32, payload: &[u8], request: bool) -> Option<SmtpPdu> {
        let mut st = self.state.borrow_mut();
        if !request {
            st.pass.smtp.server_segment(stream, payload);
            return Some(SmtpPdu::Command);
        }
        let pdu = st.pass.smtp.client_segment(frame, stream, payload);
        if let Some(record) = crate::tcp::smtp_link::record_of(&pdu) {
            st.results.smtp.insert(frame, record);
        }
        Some(pdu)
    }

    fn pop(&self, frame: u32, stream: u32, payload: &[u8], request: bool) -> Option<SmtpPdu> {
        let mut st = self.state.borrow_mut();
        let pdu = st.pass.pop.segment(frame, stream, payload, request);
        if let Some(record) = crate::tcp::smtp_link::record_of(&pdu) {
            st.results.smtp.insert(frame, record);
        }
        Some(pdu)
    }

    fn fragment(&self, frame: u32, fragment: &FragmentIn<'_>) -> Option<Reassembly> {
        let mut st = self.state.borrow_mut();
        st.pass.touch(&fragment.key.src, &fragment.key.dst);
        let done = st.pass.defrag.add(frame, fragment)?;
        let len = u32::try_from(done.data.len()).unwrap_or(u32::MAX);
        st.results
            .reassembled
            .insert(frame, (done.parts.clone(), len));
        Some(done)
    }
}

/// tshark's DNS transaction tracking (one per conversation and ID): a query repeating
/// one still unanswered less than 5 s earlier (`dns.retransmission_timer`) is a
/// retransmission of it and opens no transaction; a second response to a transaction
/// is a retransmission of its first. Both are recorded in `dns_retransmits` and link to
/// nothing else.
fn dns_transaction(
    st: &mut State<'_>,
    frame: u32,
    key: &TransactionKey,
    is_response: bool,
) -> Option<Linked> {
    const RETRANSMISSION_NANOS: i64 = 5_000_000_000;
    let now = st.pass.current_ts;
    match st.pass.dns.get_mut(key) {
        Some((request, response)) if is_response => {
            if *response != 0 {
                st.results.dns_retransmits.insert(frame, *response);
                return None;
            }
            *response = frame;
            let request = *request;
            st.results
                .requests
                .insert(frame, (request.frame, key.proto));
            Some(request)
        }
        None if is_response => None,
        Some((request, 0)) if now.saturating_sub(request.ts_nanos) < RETRANSMISSION_NANOS => {
            st.results.dns_retransmits.insert(frame, request.frame);
            None
        }
        _ => {
            let opened = Linked {
                frame,
                ts_nanos: now,
            };
            st.pass.dns.insert(*key, (opened, 0));
            None
        }
    }
}
