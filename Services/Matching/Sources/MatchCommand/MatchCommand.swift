import ArgumentParser
import Foundation
import MatchFile
import MatchingEngine
import MatchingService
import MemberRules
import ProtoJSON
import Wire

/// `mentornet-match`: runs the matching engine on an instance file and prints the round as JSON.
@main
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-match",
        abstract: "Run a matching round on an instance file and print it as JSON (a dry run; nothing is stored).",
        discussion: """
            The instance is a JSON object: "members" (members as the gateway returns them, with their ids), \
            optional "options" (objective MAX_SCORE or MAX_PARTICIPATION, minimumScore, seed, mutual, \
            maximumMentors, network, at, rules) and optional "previousPairs" (to report the difference). \
            See docs/matching.md.
            """)

    @Argument(help: "The instance file, or - for standard input.")
    var instance: String

    @Flag(help: "Also print every eligible pair's score: the optimisation's input, for checking it independently.")
    var pairScores = false

    @Option(help: "Write the round to this file instead of standard output.")
    var output: String?

    func run() throws {
        let data: Data
        do {
            data =
                instance == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: instance))
        } catch {
            throw InstanceError("cannot read \(instance): \(error.localizedDescription)")
        }
        var parsed: MatchInstance
        do {
            parsed = try MatchInstance.parse(data)
        } catch {
            throw InstanceError(Self.describe(error))
        }
        // The same rules and normalisation (skills, windows) as the profiles service applies.
        try parsed.normaliseMembers { index, member throws(InstanceError) in
            switch MemberValidator.normalise(member, path: "members[\(index)].") {
            case .success(let normalised):
                return normalised
            case .failure(let violations):
                let first = violations.violations[0]
                throw InstanceError("\(JSONError.jsonPath(first.field)): \(first.description)")
            }
        }
        var options = parsed.options
        options.includeEligiblePairs = pairScores
        let participants = parsed.participants { Participant(member: $0, at: $1, maximumMentors: $2) }
        let round = Round.run(participants, options: options)
        let diff = parsed.previousPairs.map { RoundDiff(previous: $0, current: round.pairKeys) }
        // Written as it is produced; a file appears whole or not at all (written aside, then renamed).
        let target = output.map { URL(fileURLWithPath: $0) }
        let written = target.map {
            $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).partial")
        }
        let handle: FileHandle
        if let written {
            guard FileManager.default.createFile(atPath: written.path, contents: nil),
                let file = try? FileHandle(forWritingTo: written)
            else { throw InstanceError("cannot write \(output!)") }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        do {
            try EngineJSON.write(
                round, options: options, network: parsed.network, diff: diff, eligiblePairs: pairScores
            ) {
                try handle.write(contentsOf: $0)
            }
            if let written, let target {
                try handle.close()
                guard rename(written.path, target.path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            }
        } catch {
            if let written { try? FileManager.default.removeItem(at: written) }
            throw InstanceError("cannot write \(output ?? "the round"): \(error.localizedDescription)")
        }
    }

    private static func describe(_ error: JSONError) -> String {
        // Not JSON at all: the message says what is wrong and at which byte.
        if error.field == "instance" { return error.message }
        return "\(error.field): \(error.description)"
    }
}

/// A problem with the instance (not with the command line): printed as `Error: …`, exit status 1.
struct InstanceError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
