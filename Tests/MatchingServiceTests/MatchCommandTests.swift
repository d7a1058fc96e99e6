import Foundation
import MatchingV1
import ProfilesV1
import TestSupport
import Testing

@Suite("mentornet-match, the instance-file command")
struct MatchCommandTests {
    let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/examples/match-instance.json").path

    @Test("prints the round, its difference from the previous one and, on request, every eligible pair")
    func round() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("round-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, text) = try await ServiceProcess.run(
            "mentornet-match", [example, "--pair-scores", "--output", output.path])
        #expect(status == 0, "\(text)")
        let round = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let pairs = try #require(round["pairs"] as? [[String: Any]])
        let totals = try #require(round["totals"] as? [String: Any])
        let eligible = try #require(round["eligiblePairs"] as? [[String: Any]])
        #expect(!pairs.isEmpty)
        // Every proposed pair is among the eligible ones with the same score, and totals add up.
        var sum = 0.0
        for pair in pairs {
            let score = try #require(pair["score"] as? Double)
            sum += score
            #expect(
                eligible.contains {
                    $0["mentor"] as? String == pair["mentor"] as? String
                        && $0["mentee"] as? String == pair["mentee"] as? String && $0["score"] as? Double == score
                })
            let parts = try #require(pair["parts"] as? [String: Double])
            #expect(abs(parts.values.reduce(0, +) - score) < 0.001)
        }
        #expect(abs(sum - (totals["totalScore"] as? Double ?? -1)) < 0.001)
        // The example's instance file names one previous pair (ada → gus), which the round keeps.
        let diff = try #require(round["diff"] as? [String: Any])
        #expect(diff["kept"] as? Int == 1)
        // Ada has capacity 2 in the example.
        #expect(pairs.filter { $0["mentor"] as? String == "ada" }.count <= 2)
        // How long each step took, as docs/matching.md says.
        let timings = try #require(round["timings"] as? [String: Double])
        #expect(Set(timings.keys) == ["scoringSeconds", "oneWaySeconds", "mutualSeconds"])
        #expect(timings.values.allSatisfy { $0 >= 0 && $0 < 60 })
    }

    @Test("a bad instance fails with a message naming the field, and an unreadable file says so")
    func badInput() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"members": [{"id": "x", "email": "nope", "displayName": "X", "roles": ["ROLE_MENTEE"]}]}"#.utf8)
            .write(to: file)
        let (status, text) = try await ServiceProcess.run("mentornet-match", [file.path])
        #expect(status == 1)
        #expect(text.contains("members[0].email"))
        let (missing, message) = try await ServiceProcess.run("mentornet-match", ["/nonexistent/instance.json"])
        #expect(missing == 1)
        #expect(message.contains("cannot read /nonexistent/instance.json"))
    }
}
