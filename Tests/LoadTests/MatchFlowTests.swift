import Foundation
import MatchingV1
import Testing

@testable import LoadKit

/// The matching service's rules that bear on the journey, in memory: one open match per pair, a
/// mentor's active mentees up to their capacity, one active mentor per mentee (whose other
/// proposals are withdrawn when a match activates).
actor FakeMatching {
    struct Match {
        var mentor: String
        var mentee: String
        var state = "proposed"
        var mentorAccepted = false
    }

    let capacity: Int
    var matches: [String: Match] = [:]
    var mostActivePerMentor = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    func propose(mentor: String, mentee: String) -> MatchCallResult {
        let open = matches.values.filter { ["proposed", "active"].contains($0.state) }
        if open.contains(where: { $0.mentor == mentor && $0.mentee == mentee }) {
            return refusal("409", "\(mentor) and \(mentee) already have an open match: x")
        }
        if let answer = room(mentor: mentor, mentee: mentee) { return answer }
        let id = "mat_\(matches.count)"
        matches[id] = Match(mentor: mentor, mentee: mentee)
        return MatchCallResult(status: "201", succeeded: true, matchID: id)
    }

    func accept(_ id: String, by member: String) -> MatchCallResult {
        guard var match = matches[id], match.mentor == member else { return refusal("404", "no match \(id)") }
        guard match.state == "proposed" else { return refusal("400", "match \(id) is \(match.state), not proposed") }
        if let answer = room(mentor: match.mentor, mentee: match.mentee) { return answer }
        match.mentorAccepted = true
        match.state = "active"
        matches[id] = match
        for (other, proposal) in matches where proposal.mentee == match.mentee && proposal.state == "proposed" {
            matches[other]?.state = "withdrawn"
        }
        mostActivePerMentor = max(mostActivePerMentor, active(mentor: match.mentor))
        return MatchCallResult(status: "200", succeeded: true, matchID: id)
    }

    func end(_ id: String, by member: String) -> MatchCallResult {
        guard let match = matches[id], match.mentee == member, match.state == "active" else {
            return refusal("400", "match \(id) is not active")
        }
        matches[id]?.state = "completed"
        return MatchCallResult(status: "200", succeeded: true, matchID: id)
    }

    private func active(mentor: String) -> Int {
        matches.values.filter { $0.mentor == mentor && $0.state == "active" }.count
    }

    private func room(mentor: String, mentee: String) -> MatchCallResult? {
        if active(mentor: mentor) >= capacity {
            return refusal("400", "\(mentor) has no open slot: \(capacity) of \(capacity) taken")
        }
        if matches.values.contains(where: { $0.mentee == mentee && $0.state == "active" }) {
            return refusal("400", "\(mentee) already has 1 mentor(s), the most allowed (1)")
        }
        return nil
    }

    private func refusal(_ status: String, _ message: String) -> MatchCallResult {
        MatchCallResult(status: status, succeeded: false, message: message)
    }
}

struct FakeMatchCalls: MatchCalls {
    let service: FakeMatching

    func propose(mentorID: String, menteeID: String) async -> MatchCallResult {
        await service.propose(mentor: mentorID, mentee: menteeID)
    }

    func accept(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await service.accept(matchID, by: memberID)
    }

    func end(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await service.end(matchID, by: memberID)
    }
}

/// The match flow as a load target.
struct MatchFlowTarget: LoadTarget {
    let book: MatchBook
    let calls: any MatchCalls

    func perform(_ operation: String, index: Int) async -> Outcome {
        await book.perform(operation, index: index, calls: calls)
    }
}

/// Seeded members numbered as the seed phase numbers them.
func seeded(_ count: Int) -> [SeededMember] {
    (0..<count).map { SeededMember(id: "mbr_\($0)", index: LoadMembers.firstSeed + $0) }
}

@Suite("the journey's matches")
struct MatchFlowTests {
    @Test("a long run of requests, acceptances and endings keeps within the service's rules: nothing refused")
    func staysWithinTheRules() async throws {
        let service = FakeMatching(capacity: LoadMembers.mentorCapacity)
        let book = MatchBook(seeded(40))
        #expect(book.canMatch)
        let recorder = Recorder()
        let plan = LoadPlan(mode: .closed(concurrency: 4), duration: nil, requests: 3000, warmup: .zero)
        let scenario = try #require(Scenarios.named("match", matching: true))
        _ = await Driver.run(
            plan, scenario: scenario, target: MatchFlowTarget(book: book, calls: FakeMatchCalls(service: service)),
            recorder: recorder)
        let report = Report(
            target: "fake", scenario: "match", mode: plan.mode, warmup: .zero, measured: .seconds(1),
            snapshot: recorder.snapshot())
        #expect(report.failed == 0 && report.refused == 0, "\(report.text)")
        #expect(report.sent == 3000)
        #expect(report.operations.keys.sorted() == ["accept-match", "end-match", "request-match"])
        // Capacity filled up and kept being freed: mentors reached their capacity, never more.
        #expect(await service.mostActivePerMentor == LoadMembers.mentorCapacity)
        let completed = await service.matches.values.filter { $0.state == "completed" }.count
        #expect(completed == report.operations["end-match"]?.succeeded)
    }

    @Test("a step drawn when nothing waits for it does the possible one, recorded under its own name")
    func fallsBackToWhatIsPossible() async {
        let service = FakeMatching(capacity: 3)
        let book = MatchBook(seeded(12))
        let calls = FakeMatchCalls(service: service)
        #expect(await book.perform("accept-match", index: 0, calls: calls).operation == "request-match")
        #expect(await book.perform("end-match", index: 1, calls: calls).operation == "accept-match")
        #expect(await book.perform("end-match", index: 2, calls: calls).operation == "end-match")
        #expect(await book.perform("accept-match", index: 3, calls: calls).operation == "request-match")
    }

    @Test("the service saying no by its rules is refused and counted apart; any other error is a failure")
    func refusals() async {
        struct Answering: MatchCalls {
            let message: String
            func propose(mentorID: String, menteeID: String) async -> MatchCallResult {
                MatchCallResult(status: "400", succeeded: false, message: message)
            }
            func accept(_ matchID: String, by memberID: String) async -> MatchCallResult {
                MatchCallResult(status: "400", succeeded: false, message: message)
            }
            func end(_ matchID: String, by memberID: String) async -> MatchCallResult {
                MatchCallResult(status: "400", succeeded: false, message: message)
            }
        }
        let book = MatchBook(seeded(12))
        let full = await book.perform(
            "request-match", index: 0, calls: Answering(message: "mbr_0 has no open slot: 3 of 3 taken"))
        #expect(full == Outcome(status: "400", succeeded: true, refused: true, operation: "request-match"))
        let wrong = await book.perform(
            "request-match", index: 0,
            calls: Answering(message: "mbr_0 cannot mentor mbr_1: the mentor teaches none of the mentee's goals"))
        #expect(wrong == Outcome(status: "400", succeeded: false, operation: "request-match"))

        let recorder = Recorder()
        recorder.sent()
        recorder.record("request-match", full, latency: .milliseconds(1), measured: true)
        recorder.sent()
        recorder.record("request-match", wrong, latency: .milliseconds(1), measured: true)
        let report = Report(
            target: "fake", scenario: "match", mode: .closed(concurrency: 1), warmup: .zero, measured: .seconds(1),
            snapshot: recorder.snapshot())
        #expect(report.sent == 2 && report.succeeded == 1 && report.refused == 1 && report.failed == 1)
        #expect(report.errorsByStatus == ["400": 1])
        #expect(report.text.contains("refused    1 of the succeeded were refused by the services' rules"))
        #expect(report.text.contains("1 ok (1 refused), 1 failed"))
    }

    @Test("proposals pair a mentee with a mentor who teaches their goal, and only when the seed has one")
    func pairsFit() async {
        #expect(!MatchBook(seeded(1)).canMatch)  // one mentor, no mentee
        let lonely = await MatchBook(seeded(1)).perform(
            "request-match", index: 0, calls: FakeMatchCalls(service: FakeMatching(capacity: 3)))
        #expect(lonely == Outcome(status: "no mentee with a fitting mentor seeded", succeeded: false))
        #expect(MatchBook(seeded(3)).canMatch)
        let members = seeded(200)
        let index = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0.index) })
        let book = MatchBook(members)
        var mentees: Set<String> = []
        for number in 0..<100 {
            guard case .propose(let mentor, let mentee, let reserved) = book.step(for: "request-match", index: number)
            else {
                Issue.record("step \(number) was not a proposal")
                continue
            }
            #expect(reserved && LoadMembers.isMentor(index[mentor]!) && !LoadMembers.isMentor(index[mentee]!))
            #expect(LoadMembers.taught(index[mentor]!).contains(LoadMembers.skill(index[mentee]!)))
            #expect(mentees.insert(mentee).inserted, "\(mentee) was proposed twice while busy")
        }
    }
}
