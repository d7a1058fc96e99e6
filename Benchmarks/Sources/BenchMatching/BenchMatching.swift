import ArgumentParser
import Foundation
import MatchingEngine

/// The matching benchmark: a full round over a generated network, top-k suggestions among many
/// members, and a single-capacity instance written out for an independent solver to check.
@main
struct BenchMatching: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-matching", abstract: "Times matching rounds and suggestions on generated networks.")

    @Option(help: "Mentees in the round.") var mentees = 10_000
    @Option(help: "Mentors in the round (capacities 1–5).") var mentors = 2_000
    @Option(help: "Members among which suggestions are ranked.") var members = 50_000
    @Option(help: "Suggestion queries to time.") var queries = 200
    @Option(help: "Size n of the n × n single-capacity instance.") var square = 2_000
    @Option(help: "Where to write the n × n instance's score matrix (for scipy).") var matrix: String?
    @Option(help: "Repetitions of each round (the median is reported).") var repeats = 3
    @Option(help: "Seed of the generated networks.") var seed: UInt64 = 42

    func run() throws {
        var report: [String: Any] = [:]

        var generator = NetworkGenerator(seed: seed)
        let network = generator.network(mentors: mentors, mentees: mentees)
        for objective in [Objective.maxScore, .maxParticipation] {
            var times: [Double] = []
            var result: RoundResult?
            for _ in 0..<repeats {
                let clock = ContinuousClock()
                let start = clock.now
                result = Round.run(network, options: RoundOptions(objective: objective, minimumScore: 30, seed: seed))
                times.append(seconds(clock.now - start))
            }
            let round = result!
            report["round_\(objective.rawValue)"] = [
                "seconds_median": median(times), "seconds_all": times, "mentees": round.menteeCount,
                "mentors": round.mentorCount, "one_way_pairs": round.pairs.count,
                "mutual_pairs": round.mutualPairs.count, "matched_mentees": round.matchedMentees,
                "one_way_score": round.oneWayScore, "mutual_score": round.mutualScore,
                "scoring_seconds": seconds(round.timings.scoring), "one_way_seconds": seconds(round.timings.oneWay),
                "mutual_seconds": seconds(round.timings.mutual),
            ]
        }

        var crowd = NetworkGenerator(seed: seed &+ 1)
        let population = crowd.network(mentors: members / 5, mentees: members - members / 5)
        let clock = ContinuousClock()
        let built = clock.now
        let index = SuggestionIndex(population)
        let buildSeconds = seconds(clock.now - built)
        var mentorTimes: [Double] = []
        var peerTimes: [Double] = []
        var rng = SplitMix64(seed: seed)
        for _ in 0..<queries {
            let who = "mentee-\(Int(rng.next() % UInt64(members - members / 5)))"
            let a = clock.now
            let found = index.mentors(for: who, limit: 10)
            mentorTimes.append(seconds(clock.now - a))
            let b = clock.now
            let peers = index.peers(for: who, limit: 10)
            peerTimes.append(seconds(clock.now - b))
            precondition(found.count <= 10 && peers.count <= 10)
        }
        report["suggestions"] = [
            "members": members, "queries": queries, "index_build_seconds": buildSeconds,
            "mentors_ms_median": median(mentorTimes) * 1000, "mentors_ms_p99": percentile(mentorTimes, 0.99) * 1000,
            "peers_ms_median": median(peerTimes) * 1000, "peers_ms_p99": percentile(peerTimes, 0.99) * 1000,
        ]

        var squareGenerator = NetworkGenerator(seed: seed &+ 2)
        var squareNetwork = squareGenerator.network(mentors: square, mentees: square)
        for i in squareNetwork.indices where squareNetwork[i].isMentor { squareNetwork[i].capacity = 1 }
        var times: [Double] = []
        var result: RoundResult?
        for _ in 0..<repeats {
            let start = clock.now
            result = Round.run(
                squareNetwork,
                options: RoundOptions(minimumScore: 0, seed: seed, mutual: false, includeEligiblePairs: true))
            times.append(seconds(clock.now - start))
        }
        let round = result!
        report["square"] = [
            "n": square, "seconds_median": median(times), "seconds_all": times, "pairs": round.pairs.count,
            "eligible_pairs": round.eligiblePairs.count, "score": round.oneWayScore,
            "scoring_seconds": seconds(round.timings.scoring), "one_way_seconds": seconds(round.timings.oneWay),
        ]
        if let matrix {
            // One line per eligible pair: mentor index, mentee index, score in hundredths.
            var text = "\(square)\n"
            for pair in round.eligiblePairs {
                let mentor = pair.mentor.dropFirst("mentor-".count)
                let mentee = pair.mentee.dropFirst("mentee-".count)
                text += "\(mentor) \(mentee) \(Int((pair.score * 100).rounded()))\n"
            }
            try text.write(toFile: matrix, atomically: true, encoding: .utf8)
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(Int(Double(sorted.count) * p), sorted.count - 1)]
}
