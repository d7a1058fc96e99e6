import Foundation
import MatchFile
import MatchingEngine
import MatchingV1
import ProfilesV1
import ProtoJSON
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

    /// An instance of `count` members as the gateway shapes them; `edit` may spoil one.
    static func instance(_ count: Int, edit: (Int, inout [String: Any]) -> Void = { _, _ in }) throws -> Data {
        let members = (0..<count).map { index -> [String: Any] in
            var member: [String: Any] = [
                "id": "m\(index)", "email": "m\(index)@example.org", "displayName": "Member \(index)",
                "roles": [index % 5 == 0 ? "ROLE_MENTOR" : "ROLE_MENTEE"], "networks": ["guild"],
                "timezone": "Europe/Berlin", "languages": ["en"], "yearsOfExperience": index % 5 == 0 ? 10 : 1,
                "expertise": [["skill": index % 2 == 0 ? "go" : "rust", "level": 4]],
                "learningGoals": [["skill": index % 3 == 0 ? "go" : "rust", "priority": 1]],
                "mentoringCapacity": index % 5 == 0 ? 2 : 0,
                "availability": [["weekday": 2, "startMinute": 1080, "endMinute": 1200]],
                "preferences": ["oneWay": true, "mutual": true, "organization": "ORGANIZATION_PREFERENCE_ANY"],
            ]
            edit(index, &member)
            return member
        }
        return try JSONSerialization.data(withJSONObject: ["members": members, "options": ["seed": 3]])
    }

    static func run(_ data: Data, _ arguments: [String] = []) async throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("instance-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try data.write(to: file)
        return try await ServiceProcess.run("mentornet-match", [file.path] + arguments)
    }

    @Test("a file that is not JSON, a bad member among hundreds and a repeated id are named exactly")
    func badInstances() async throws {
        let (status, text) = try await Self.run(Data(#"{"members": [1,]}"#.utf8))
        #expect(status == 1)
        #expect(text.contains("Error: the instance is not valid JSON: expected a value but found ']' at byte 15"))
        // Members are read on every core: the member named is the first bad one, wherever it is.
        let spoiled = try Self.instance(900) { index, member in
            if index == 611 || index == 877 { member["email"] = "nope" }
            if index == 640 { member["languages"] = ["english"] }
        }
        let (badStatus, badText) = try await Self.run(spoiled)
        #expect(badStatus == 1)
        #expect(badText.contains("Error: members[611].email: must be an address"), "\(badText)")
        let unknownField = try Self.instance(900) { index, member in
            if index == 700 { member["emial"] = "x" }
            if index == 800 { member["id"] = "m3" }
        }
        let (unknownStatus, unknownText) = try await Self.run(unknownField)
        #expect(unknownStatus == 1)
        #expect(unknownText.contains("members[700].emial"), "\(unknownText)")
        let repeated = try Self.instance(900) { index, member in if index == 800 { member["id"] = "m3" } }
        let (repeatedStatus, repeatedText) = try await Self.run(repeated)
        #expect(repeatedStatus == 1)
        #expect(repeatedText.contains("Error: members[800].id: repeats m3"), "\(repeatedText)")
    }

    @Test("a large instance's round is written whole, to a file or to standard output, the same both ways")
    func largeOutput() async throws {
        let data = try Self.instance(900)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("round-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let (status, text) = try await Self.run(data, ["--pair-scores", "--output", output.path])
        #expect(status == 0, "\(text)")
        // Standard output into a file (the test harness reads output line by line, and a round
        // is one long line).
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("instance-\(UUID().uuidString).json")
        let printedFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        defer { for file in [input, printedFile] { try? FileManager.default.removeItem(at: file) } }
        try data.write(to: input)
        FileManager.default.createFile(atPath: printedFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServiceProcess.binaryDirectory + "/mentornet-match")
        process.arguments = [input.path, "--pair-scores"]
        process.standardOutput = try FileHandle(forWritingTo: printedFile)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let printed = try Data(contentsOf: printedFile)
        func withoutTimings(_ data: Data) throws -> NSDictionary {
            let round = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            return round.filter { $0.key != "timings" } as NSDictionary
        }
        let written = try withoutTimings(Data(contentsOf: output))
        #expect(try withoutTimings(printed) == written)
        let eligible = try #require(written["eligiblePairs"] as? [[String: Any]])
        #expect(eligible.count > 10_000)
        // Nothing is left beside the output.
        let folder = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        #expect(!folder.contains(".\(output.lastPathComponent).partial"))
        // A folder that does not exist: said, and nothing written.
        let (failed, message) = try await Self.run(data, ["--output", "/nonexistent/round.json"])
        #expect(failed == 1)
        #expect(message.contains("Error: cannot write /nonexistent/round.json"), "\(message)")
    }

    @Test("the streamed round is byte for byte the round's JSON, whatever the piece size")
    func streamed() throws {
        let people = (0..<60).map { index in
            Participant(
                id: "p\(index)", isMentor: index % 4 == 0, isMentee: index % 4 != 0, yearsOfExperience: index % 9,
                expertise: ["go": 1 + index % 5, "rust": 2], goals: index % 4 == 0 ? [:] : ["go": 1, "rust": 2],
                capacity: index % 4 == 0 ? 2 : 0, availabilityUTC: [600..<(700 + index)], acceptsMutual: index % 2 == 0)
        }
        let options = RoundOptions(minimumScore: 10, includeEligiblePairs: true)
        let round = Round.run(people, options: options)
        #expect(round.eligiblePairs.count > 100)
        for eligible in [true, false] {
            let expected =
                EngineJSON.value(round, options: options, network: "guild", diff: nil, eligiblePairs: eligible)
                .serialized() + [UInt8(ascii: "\n")]
            for chunk in [1, 100, 1 << 20] {
                var pieces: [[UInt8]] = []
                try EngineJSON.write(
                    round, options: options, network: "guild", diff: nil, eligiblePairs: eligible, chunk: chunk
                ) { pieces.append($0) }
                #expect(pieces.joined().elementsEqual(expected), "chunk \(chunk)")
                #expect(chunk > 1 || pieces.count > (eligible ? round.eligiblePairs.count : 5))
            }
        }
    }
}
