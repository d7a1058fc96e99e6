import Testing

@testable import MatchingEngine

@Suite("a suggestion index that follows changes")
struct IncrementalSuggestionTests {
    /// Every member's top suggestions, both kinds, as an index answers them.
    func answers(_ index: SuggestionIndex, for ids: [String]) -> [String: [PairScore]] {
        var answers: [String: [PairScore]] = [:]
        for id in ids {
            answers["mentors " + id] = index.mentors(for: id, limit: 5, excluding: ["m3", "e4"])
            answers["peers " + id] = index.peers(for: id, limit: 5)
        }
        return answers
    }

    @Test(
        "after thousands of random changes it answers exactly as an index compiled afresh from the same members",
        arguments: 1...6)
    func sameAsFresh(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        // A pool of versions to draw from: each id has several profiles it can change between.
        let versions = (0..<4).map { round in peerNetwork(seed: seed &* 31 &+ UInt64(round), mentors: 25, mentees: 55) }
        let ids = versions[0].map(\.id)
        var current: [String: Participant] = [:]
        for person in versions[0] where rng.next() % 3 != 0 { current[person.id] = person }
        var index = SuggestionIndex(ids.compactMap { current[$0] })
        var changes = 0
        var comparisons = 0
        for step in 0..<2_500 {
            let id = ids[Int(rng.next() % UInt64(ids.count))]
            switch rng.next() % 5 {
            case 0:
                current[id] = nil
                index.remove(id)
            case 1 where current[id]?.isMentor == true:
                let capacity = Int(rng.next() % 3)
                current[id]!.capacity = capacity
                index.setCapacity(capacity, of: id)
            default:
                var person = versions[Int(rng.next() % 4)].first { $0.id == id }!
                // New strings too, so that the vocabulary grows while the index is in use.
                if rng.next() % 7 == 0 { person.expertise["skill\(step % 40)"] = 3 }
                if rng.next() % 7 == 0 { person.goals["skill\(step % 40)"] = 2 }
                current[id] = person
                index.upsert(person)
            }
            changes += 1
            if step % 250 == 249 {
                let fresh = SuggestionIndex(ids.compactMap { current[$0] })
                #expect(index.count == fresh.count, "seed \(seed) step \(step)")
                #expect(answers(index, for: ids) == answers(fresh, for: ids), "seed \(seed) step \(step)")
                for id in ids { #expect(index.participant(id) == current[id]) }
                comparisons += 1
            }
        }
        #expect(changes == 2_500 && comparisons == 10)
        // The comparison is not vacuous: members do get suggestions.
        let found = answers(index, for: ids).values.reduce(0) { $0 + $1.count }
        #expect(found > 100, "seed \(seed): \(found)")
    }

    @Test("a removed member is neither suggested nor asks; upserting them again brings them back")
    func removeAndReturn() {
        let people = peerNetwork(seed: 7, mentors: 6, mentees: 10)
        var index = SuggestionIndex(people)
        let mentee = people.first { $0.isMentee && !index.mentors(for: $0.id, limit: 3).isEmpty }!
        let best = index.mentors(for: mentee.id, limit: 1)[0].mentor
        index.remove(best)
        #expect(!index.contains(best))
        #expect(!index.mentors(for: mentee.id, limit: 10).contains { $0.mentor == best })
        #expect(index.mentors(for: best, limit: 10).isEmpty && index.peers(for: best, limit: 10).isEmpty)
        index.upsert(people.first { $0.id == best }!)
        #expect(index.mentors(for: mentee.id, limit: 1)[0].mentor == best)
        index.setCapacity(0, of: best)
        #expect(!index.mentors(for: mentee.id, limit: 10).contains { $0.mentor == best })
        index.remove("nobody")
        index.setCapacity(3, of: "nobody")
        #expect(index.count == people.count)
    }

    @Test("memory stays in proportion: a member changed 20,000 times leaves the lists no bigger than twice")
    func compaction() {
        let people = peerNetwork(seed: 3, mentors: 10, mentees: 20)
        var index = SuggestionIndex(people)
        let before = index.storedListElements
        for step in 0..<20_000 {
            index.upsert(people[step % people.count])
        }
        // Each of the two arrays stays within twice its live part plus twice the slack.
        #expect(index.storedListElements <= 2 * before + 4 * ProfileStore.compactionSlack + 64)
        #expect(index.storedListElements < 20_000)
        #expect(answers(index, for: people.map(\.id)) == answers(SuggestionIndex(people), for: people.map(\.id)))
    }
}
