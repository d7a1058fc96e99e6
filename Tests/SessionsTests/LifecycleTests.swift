import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("moving, cancelling and completing sessions; the match ending; lists")
struct LifecycleTests {
    /// Two partners with an active match, ready to book.
    func pair(_ fixture: SessionsFixture) async throws -> (Member, Member, String) {
        let ada = member("ada", timezone: "Europe/Berlin")
        let bo = member("bo", timezone: "America/Sao_Paulo")
        try await fixture.add(ada, bo)
        return (ada, bo, try await fixture.match(ada, bo))
    }

    func reschedule(
        _ fixture: SessionsFixture, _ session: Session, by member: Member, to start: Int64, version: UInt64 = 0
    ) async throws -> Session {
        try await fixture.client.rescheduleSession(
            RescheduleSessionRequest(
                sessionID: session.id, memberID: member.id, startAtMicros: start, reason: "moved",
                expectedVersion: version))
    }

    @Test("five reschedules: each new session replaces the last, one UID, SEQUENCE 5; then the limit")
    func reschedules() async throws {
        try await withSessions(policy: SessionPolicy(maximumReschedules: 5)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            var session = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(24))
            let uid = session.calendarUid
            var history = [session.id]
            for step in 1...5 {
                let moved = try await reschedule(
                    fixture, session, by: step % 2 == 0 ? ada : bo, to: fixture.hoursAhead(24 + Int64(step)))
                #expect(moved.replacesSessionID == session.id && moved.calendarUid == uid)
                #expect(moved.sequence == UInt32(step) && moved.rescheduleCount == UInt32(step))
                #expect(moved.durationMinutes == 60 && moved.state == .scheduled && moved.version == 1)
                let old = try await fixture.client.getSession(GetSessionRequest(id: session.id))
                #expect(old.state == .rescheduled && old.replacedBySessionID == moved.id && old.reason == "moved")
                history.append(moved.id)
                session = moved
            }
            await #expect {
                _ = try await reschedule(fixture, session, by: ada, to: fixture.hoursAhead(40))
            } throws: { isRPCError($0, .failedPrecondition, "moved 5 times") }
            // Both partners see only the current session as scheduled.
            let scheduled = try await fixture.client.listSessions(
                ListSessionsRequest(memberID: bo.id, state: .scheduled))
            #expect(scheduled.sessions.map(\.id) == [session.id])
            let kinds = try await fixture.feed().map(\.kind)
            #expect(kinds == [.scheduled] + Array(repeating: .rescheduled, count: 5))
        }
    }

    @Test("a session moved onto its own time frees the old one; a move is checked like a booking")
    func rescheduleRules() async throws {
        try await withSessions(policy: SessionPolicy(changeCutoffMinutes: 120)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let start = fixture.hoursAhead(24)
            let session = try await fixture.schedule(match, by: ada, at: start)
            let other = try await fixture.schedule(match, by: ada, at: start + 3 * Times.hour)
            // Half an hour later overlaps only itself, which it replaces.
            let moved = try await reschedule(fixture, session, by: bo, to: start + 30 * Times.minute)
            #expect(moved.startAtMicros == start + 30 * Times.minute)
            await #expect { _ = try await reschedule(fixture, moved, by: bo, to: other.startAtMicros) } throws: {
                isRPCError($0, .aborted, "overlaps session \(other.id)")
            }
            await #expect { _ = try await reschedule(fixture, moved, by: bo, to: start, version: 9) } throws: {
                isRPCError($0, .aborted, "not 9")
            }
            await #expect { _ = try await reschedule(fixture, session, by: bo, to: start) } throws: {
                isRPCError($0, .failedPrecondition, "is rescheduled, not scheduled")
            }
            fixture.clock.advance(.seconds(23 * 3600))  // now within 2 hours of the start
            await #expect { _ = try await reschedule(fixture, moved, by: bo, to: start + 5 * Times.hour) } throws: {
                isRPCError($0, .failedPrecondition, "too late to change it")
            }
        }
    }

    @Test("cancel needs a reason and a participant; a cancelled session frees the time")
    func cancels() async throws {
        try await withSessions { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let start = fixture.hoursAhead(24)
            let session = try await fixture.schedule(match, by: ada, at: start)
            await #expect {
                _ = try await fixture.client.cancelSession(CancelSessionRequest(sessionID: session.id, memberID: bo.id))
            } throws: { names($0, "reason") }
            let stranger = member("cy")
            await #expect {
                _ = try await fixture.client.cancelSession(
                    CancelSessionRequest(sessionID: session.id, memberID: stranger.id, reason: "x"))
            } throws: { isRPCError($0, .notFound, "no session \(session.id)") }
            let cancelled = try await fixture.client.cancelSession(
                CancelSessionRequest(sessionID: session.id, memberID: bo.id, reason: "sick", expectedVersion: 1))
            #expect(cancelled.state == .cancelled && cancelled.cancelledBy == bo.id && cancelled.reason == "sick")
            #expect(cancelled.sequence == 1 && cancelled.version == 2)
            await #expect {
                _ = try await fixture.client.cancelSession(
                    CancelSessionRequest(sessionID: session.id, memberID: bo.id, reason: "again"))
            } throws: { isRPCError($0, .failedPrecondition, "is cancelled") }
            _ = try await fixture.schedule(match, by: bo, at: start)
        }
    }

    @Test("a session is completed once it has started, not before")
    func completes() async throws {
        try await withSessions { fixture in
            let (ada, _, match) = try await pair(fixture)
            let session = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(2))
            let request = CompleteSessionRequest(sessionID: session.id, memberID: ada.id)
            await #expect { _ = try await fixture.client.completeSession(request) } throws: {
                isRPCError($0, .failedPrecondition, "has not started")
            }
            fixture.clock.advance(.seconds(2 * 3600))
            let completed = try await fixture.client.completeSession(request)
            #expect(completed.state == .completed && completed.sequence == 0)
            #expect(try await fixture.feed().map(\.kind) == [.scheduled, .completed])
        }
    }

    @Test("title, agenda and location change while scheduled; notes also afterwards; attendance once started")
    func editsAndAttendance() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let session = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(1))
            func update(_ edit: Session, _ mask: [String], by member: Member, version: UInt64 = 0) async throws
                -> Session
            {
                var edit = edit
                edit.id = session.id
                return try await fixture.client.updateSession(
                    UpdateSessionRequest(session: edit, updateMask: mask, memberID: member.id, expectedVersion: version)
                )
            }
            let titled = try await update(Session(title: "  Roadmap   review ", notes: "ignored"), ["title"], by: bo)
            #expect(titled.title == "Roadmap review" && titled.notes.isEmpty && titled.version == 2)
            #expect(titled.sequence == 0 && titled.startAtMicros == session.startAtMicros)
            await #expect { _ = try await update(Session(title: "x"), ["title"], by: bo, version: 1) } throws: {
                isRPCError($0, .aborted)
            }
            for (mask, text) in [([], "must name a field"), (["start_at"], "start_at cannot be changed here")] {
                await #expect { _ = try await update(Session(), mask, by: bo) } throws: { error in
                    names(error, "update_mask")
                        && (error as? RPCError)?.violations.first?.description.contains(text) == true
                }
            }
            await #expect {
                _ = try await fixture.client.recordAttendance(
                    RecordAttendanceRequest(sessionID: session.id, memberID: ada.id, attendeeID: bo.id, status: .late))
            } throws: { isRPCError($0, .failedPrecondition, "has not started") }
            fixture.clock.advance(.seconds(2 * 3600))
            _ = try await fixture.client.completeSession(
                CompleteSessionRequest(sessionID: session.id, memberID: ada.id))
            let noted = try await update(Session(notes: "Next: read chapter 3.\n- ada"), ["notes"], by: ada)
            #expect(noted.notes == "Next: read chapter 3.\n- ada" && noted.state == .completed)
            await #expect { _ = try await update(Session(title: "late"), ["title"], by: ada) } throws: {
                isRPCError($0, .failedPrecondition, "is completed, not scheduled")
            }
            var attended = try await fixture.client.recordAttendance(
                RecordAttendanceRequest(sessionID: session.id, memberID: ada.id, attendeeID: bo.id, status: .late))
            attended = try await fixture.client.recordAttendance(
                RecordAttendanceRequest(sessionID: session.id, memberID: bo.id, attendeeID: bo.id, status: .attended))
            attended = try await fixture.client.recordAttendance(
                RecordAttendanceRequest(sessionID: session.id, memberID: bo.id, attendeeID: ada.id, status: .attended))
            #expect(attended.attendance.map(\.status).count == 2)
            #expect(attended.attendance.first { $0.memberID == bo.id }?.status == .attended)
            #expect(attended.attendance.first { $0.memberID == bo.id }?.recordedBy == bo.id)
            let stranger = member("cy")
            await #expect {
                _ = try await fixture.client.recordAttendance(
                    RecordAttendanceRequest(
                        sessionID: session.id, memberID: ada.id, attendeeID: stranger.id, status: .noShow))
            } throws: { names($0, "attendee_id") }
            await #expect {
                _ = try await fixture.client.recordAttendance(
                    RecordAttendanceRequest(sessionID: session.id, memberID: ada.id, attendeeID: bo.id))
            } throws: { names($0, "status") }
            let kinds = try await fixture.feed().map(\.kind)
            #expect(
                kinds == [.scheduled, .updated, .completed, .updated] + Array(repeating: .attendanceRecorded, count: 3))
        }
    }

    @Test("a member's new availability applies to new bookings; booked sessions stay")
    func availabilityChange() async throws {
        try await withSessions { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let start = Times.utc(2026, 11, 24, 12, 0)  // a Tuesday, 13:00 in Berlin
            let session = try await fixture.schedule(match, by: bo, at: start)
            // ada now keeps only Monday mornings (a newer version arrives on the profiles feed).
            var changed = ada
            changed.availability = [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 720)]
            changed.version = 2
            try await fixture.add(changed)
            #expect(try await fixture.client.getSession(GetSessionRequest(id: session.id)).state == .scheduled)
            await #expect { _ = try await fixture.schedule(match, by: bo, at: start + 7 * 86_400_000_000) } throws: {
                isRPCError($0, .failedPrecondition, "outside \(ada.id)'s weekly availability")
            }
            // An older version arriving late changes nothing.
            try await fixture.add(ada)
            await #expect { _ = try await fixture.schedule(match, by: bo, at: start + 7 * 86_400_000_000) } throws: {
                isRPCError($0, .failedPrecondition, "outside \(ada.id)'s weekly availability")
            }
        }
    }

    @Test("a match that ends cancels its sessions to come with reason \"match ended\", in the feed; past ones stay")
    func matchEnds() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let soon = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(1))
            let later = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(30))
            let latest = try await fixture.schedule(match, by: bo, at: fixture.hoursAhead(60))
            fixture.clock.advance(.seconds(2 * 3600))
            try await fixture.match(ada, bo, state: .ended, id: match, version: 2)
            for session in [later, latest] {
                let now = try await fixture.client.getSession(GetSessionRequest(id: session.id))
                #expect(now.state == .cancelled && now.reason == "match ended" && now.cancelledBy.isEmpty)
            }
            #expect(try await fixture.client.getSession(GetSessionRequest(id: soon.id)).state == .scheduled)
            let feed = try await fixture.feed()
            #expect(feed.filter { $0.kind == .cancelled }.map { $0.session?.id } == [later.id, latest.id])
            await #expect { _ = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(80)) } throws: {
                isRPCError($0, .failedPrecondition, "is ended, not active")
            }
            // Applying the same change again changes nothing.
            try await fixture.match(ada, bo, state: .ended, id: match, version: 2)
            #expect(try await fixture.feed().count == feed.count)
        }
    }

    @Test("lists by member and by match, in a window, a page at a time, soonest first")
    func lists() async throws {
        try await withSessions(policy: SessionPolicy(bufferMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let cy = member("cy")
            try await fixture.add(cy)
            let other = try await fixture.match(ada, cy)
            var booked: [Session] = []
            for day in 1...5 {
                booked.append(try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(Int64(24 * day))))
                booked.append(
                    try await fixture.schedule(other, by: cy, at: fixture.hoursAhead(Int64(24 * day + 2))))
            }
            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await fixture.client.listSessions(
                    ListSessionsRequest(memberID: ada.id, pageSize: 3, pageToken: token))
                seen += page.sessions.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == booked.map(\.id))
            let ofMatch = try await fixture.client.listSessions(ListSessionsRequest(matchID: other))
            #expect(ofMatch.sessions.map(\.id) == booked.enumerated().filter { $0.offset % 2 == 1 }.map(\.element.id))
            let window = try await fixture.client.listSessions(
                ListSessionsRequest(
                    memberID: bo.id, windowStartAtMicros: fixture.hoursAhead(48),
                    windowEndAtMicros: fixture.hoursAhead(96)))
            #expect(window.sessions.map(\.id) == [booked[2].id, booked[4].id])
            for (field, request) in [
                ("member_id", ListSessionsRequest()),
                ("page_token", ListSessionsRequest(memberID: ada.id, pageToken: "nope")),
                ("page_size", ListSessionsRequest(memberID: ada.id, pageSize: 201)),
                ("window_end_at", ListSessionsRequest(memberID: ada.id, windowStartAtMicros: 5, windowEndAtMicros: 5)),
            ] {
                await #expect { _ = try await fixture.client.listSessions(request) } throws: { names($0, field) }
            }
        }
    }
}
